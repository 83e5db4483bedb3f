"""Pure functions: the SQL the contract's rules turn into, checked on literal values."""

from __future__ import annotations

import duckdb
import pytest

from expansion.contract import SOURCES, Column, source_named
from expansion.ingest.rules import (
    RULES,
    cast_value,
    checks_for,
    column_checks,
    duplicate_message,
    expectation,
    ident,
)


def cast(column: Column, text: str | None) -> object:
    """What :func:`cast_value` makes of one cell."""
    con = duckdb.connect()
    return con.execute(
        f"select {cast_value(column)} from (select ?::varchar as {ident(column.name)})", [text]
    ).fetchone()[0]


def test_ident_quotes_contract_names_and_refuses_anything_else():
    assert ident("usage_date") == '"usage_date"'
    with pytest.raises(ValueError, match="not a contract identifier"):
        ident('x"; drop table raw.accounts; --')


def test_expectation_names_type_and_text_format():
    assert expectation(Column("onboarded_at", "date")) == "date, YYYY-MM-DD"
    assert expectation(Column("events", "integer")) == "integer"


@pytest.mark.parametrize(
    ("type_", "text", "value"),
    [
        ("integer", "12", 12),
        ("integer", "12.0", 12),
        ("integer", "12.5", None),  # DuckDB alone would round to 13
        ("date", "2026-11-21", "2026-11-21"),
        ("date", "2026-11-21 10:00:00", None),  # DuckDB alone would drop the time
        ("date", "2026-02-30", None),
        ("timestamp", "2026-11-21", "2026-11-21 00:00:00"),
        ("decimal", "1,25", None),
        ("boolean", "maybe", None),
        ("integer", "", None),
    ],
)
def test_cast_value_never_alters_a_value(type_, text, value):
    result = cast(Column("cell", type_), text)
    assert (None if result is None else str(result)) == (None if value is None else str(value))


def test_column_checks_follow_the_column_rules():
    fiscal_month = source_named("accounts").column("fiscal_year_start_month")
    # too large for an integer, then outside 1..12
    assert [c.rule for c in column_checks(fiscal_month)] == [
        "bad_number",
        "out_of_range",
        "out_of_range",
    ]
    events = source_named("usage_daily").column("events")
    assert [c.rule for c in column_checks(events)] == [
        "bad_number",
        "negative_value",
        "out_of_range",
    ]
    assert [c.rule for c in column_checks(source_named("usage_daily").column("account_id"))] == [
        "null_key"
    ]


def test_only_account_referencing_sources_check_accounts():
    def rules(name):
        return {check.rule for check in checks_for(source_named(name))}

    assert "unknown_account" in rules("usage_daily")
    assert "unknown_account" not in rules("products")


def test_every_emitted_rule_is_documented():
    emitted = {check.rule for source in SOURCES for check in checks_for(source)}
    assert emitted | {"duplicate_key"} == set(RULES)


def test_every_key_column_is_non_nullable():
    """Duplicate detection joins on key columns with ``=``, which needs non-null keys."""
    for source in SOURCES:
        assert all(not source.column(name).nullable for name in source.key), source.name


def test_duplicate_message_template():
    usage = source_named("usage_daily")
    assert duplicate_message(usage, already_loaded=False) == (
        "key (account_id, usage_date) = ({}, {}) repeats {} row {}"
    )
