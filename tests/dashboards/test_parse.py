"""Parsing Evidence markdown: frontmatter, named SQL blocks and component tags."""

import pytest

from expansion.dashboards.parse import (
    Component,
    Markdown,
    PageSyntaxError,
    Query,
    parse_attributes,
    parse_page,
    split_frontmatter,
)

PAGE = """---
title: Overview
pages_query: select 1
---

# Overview

```sql active
select * from serving.account_profiles where is_active
```

```sql totals
select count(*) as active_accounts from ${active}
```

<BigValue data={totals} value=active_accounts title="Active accounts"/>

```python
print("not a query")
```
"""


def test_frontmatter_is_yaml_between_leading_rules():
    frontmatter, body = split_frontmatter(PAGE)
    assert frontmatter == {"title": "Overview", "pages_query": "select 1"}
    assert body.lstrip().startswith("# Overview")


def test_page_without_frontmatter_keeps_its_whole_text():
    assert split_frontmatter("# Hi\n") == ({}, "# Hi\n")


def test_frontmatter_that_is_not_a_mapping_is_an_error():
    with pytest.raises(PageSyntaxError):
        split_frontmatter("---\n- a\n- b\n---\n")


def test_blocks_keep_page_order():
    kinds = [type(b).__name__ for b in parse_page(PAGE).blocks]
    assert kinds == ["Markdown", "Query", "Query", "Component", "Markdown"]


def test_named_sql_fences_become_queries():
    queries = tuple(b for b in parse_page(PAGE).blocks if isinstance(b, Query))
    assert queries == (
        Query("active", "select * from serving.account_profiles where is_active"),
        Query("totals", "select count(*) as active_accounts from ${active}"),
    )


def test_other_fences_stay_markdown():
    last = parse_page(PAGE).blocks[-1]
    assert last == Markdown('```python\nprint("not a query")\n```')


def test_attribute_forms():
    attrs = parse_attributes(" data={ totals } x=segment title=\"ARR by segment\" fmt='usd' search")
    assert attrs == {
        "data": "totals",
        "x": "segment",
        "title": "ARR by segment",
        "fmt": "usd",
        "search": "true",
    }


def test_multiline_tag_with_column_children():
    page = parse_page(
        "<DataTable\n    data={top}\n    rows=20\n>\n"
        '    <Column id=account_name title="Account"/>\n'
        "    <Column id=current_arr_usd />\n"
        "</DataTable>\n"
        "After."
    )
    table, after = page.blocks
    assert table == Component(
        "DataTable",
        {"data": "top", "rows": "20"},
        (
            Component("Column", {"id": "account_name", "title": "Account"}),
            Component("Column", {"id": "current_arr_usd"}),
        ),
    )
    assert after == Markdown("\nAfter.")


def test_lowercase_html_is_prose_not_a_component():
    assert parse_page("a <b>bold</b> claim").blocks == (Markdown("a <b>bold</b> claim"),)
