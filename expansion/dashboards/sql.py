"""Compile a page's SQL the way Evidence does, but with bound parameters.

``${other}`` inlines an earlier query of the same page as a subquery.
``'${params.name}'`` (quoted or not) becomes the DuckDB named parameter
``$name``, bound to the page parameter's value instead of being pasted in.
``${inputs.name.value}`` reads a Dropdown: offline it must appear as
``column like '${inputs.name.value}'`` and is compiled to ``like '%'`` (every row);
the browser then keeps the rows whose ``column`` equals the chosen value.

A templated page's queries can run once for all of its pages: :func:`batched_sql`
turns a query into a LATERAL join over a table of page parameters, with the
query's ORDER BY and LIMIT applied within each page. In a batch, ``${other}``
reads the batch's stored result of ``other`` (:func:`batch_rows_sql`) instead of
running it again inside every query that names it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import duckdb

_QUERY_REFERENCE = re.compile(r"\$\{\s*(?P<name>[A-Za-z_]\w*)\s*\}")
_PARAM_REFERENCE = re.compile(r"(?P<quote>')?\$\{\s*params\.(?P<name>\w+)\s*\}(?(quote)')")
_INPUT_REFERENCE = re.compile(r"\$\{\s*inputs\.(?P<name>\w+)\.value\s*\}")
_INPUT_FILTER = re.compile(
    r"(?P<column>[A-Za-z_][\w.\"]*)\s+like\s+'\$\{\s*inputs\.(?P<name>\w+)\.value\s*\}'",
    re.IGNORECASE,
)
PAGES_TABLE = "__pages"
PAGE_COLUMN = "__page"
ORDER_COLUMN_PREFIX = "__order_"


class QueryReferenceError(ValueError):
    """A query references a query that is not defined above it on the page, or an input
    in a form the offline renderer cannot filter."""


@dataclass(frozen=True)
class InputUse:
    input_name: str
    column: str
    """The last part of the filtered column's name (``q.segment`` -> ``segment``)."""


def compile_query(sql: str, earlier: Mapping[str, str]) -> str:
    """``sql`` with every ``${name}`` replaced by ``(compiled sql of name)``.

    ``earlier`` maps the names of the queries above this one to their compiled SQL.
    """

    def inline(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in earlier:
            raise QueryReferenceError(f"${{{name}}} does not name a query above this one")
        return f"({earlier[name].rstrip().rstrip(';')})"

    return _QUERY_REFERENCE.sub(inline, sql)


def query_references(sql: str) -> set[str]:
    """The names of the queries ``sql`` reads as ``${name}``."""
    return {match["name"] for match in _QUERY_REFERENCE.finditer(sql)}


def quoted_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier (a double quote in it doubled)."""
    return '"' + name.replace('"', '""') + '"'


def batch_result_table(query: str) -> str:
    """The temporary table that holds a batch's result of ``query`` for the queries after it."""
    return quoted_identifier(f"__batch_{query}")


def batch_rows_sql(table: str) -> str:
    """An earlier query's rows for the current page, read from the table that holds its
    result for the whole batch: what ``${name}`` compiles to inside a batched query."""
    return (
        f"select * exclude ({PAGE_COLUMN}) from {table} "
        f"where {table}.{PAGE_COLUMN} = {PAGES_TABLE}.{PAGE_COLUMN}"
    )


def input_uses(sql: str) -> tuple[InputUse, ...]:
    """The Dropdown filters in compiled SQL; raises if an input is used any other way."""
    uses = tuple(
        InputUse(m["name"], m["column"].replace('"', "").split(".")[-1])
        for m in _INPUT_FILTER.finditer(sql)
    )
    if len(uses) != len(_INPUT_REFERENCE.findall(sql)):
        raise QueryReferenceError(
            "offline, an input can only filter as column like '${inputs.name.value}'"
        )
    return uses


def without_inputs(sql: str) -> str:
    """``sql`` with every input filter keeping all rows (``like '%'``)."""
    return _INPUT_FILTER.sub(lambda m: f"{m['column']} like '%'", sql)


def bind_params(sql: str, params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """``sql`` with page parameters as ``$name`` placeholders, and the values to bind."""
    used: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in params:
            raise QueryReferenceError(f"params.{name} is not a parameter of this page")
        used[name] = params[name]
        return f"${name}"

    return _PARAM_REFERENCE.sub(placeholder, sql), used


def uses_params(sql: str) -> bool:
    return _PARAM_REFERENCE.search(sql) is not None


def param_column(name: str) -> str:
    return f"__param_{name}"


def batched_sql(con: duckdb.DuckDBPyConnection, sql: str, names: tuple[str, ...]) -> str | None:
    """``sql`` run for every row of ``__pages`` at once, or None if that cannot be done exactly.

    The page parameters become columns of ``__pages``; the query becomes a LATERAL
    subquery, so its aggregates apply per page. Its ORDER BY and LIMIT move to the
    outer query, which orders each page (and keeps each page's first rows with
    ``row_number()`` when there is a LIMIT): left in the subquery, DuckDB would sort
    or number the whole table before joining it to the pages, on every batch. An
    ORDER BY term becomes the output column it names, else a hidden column
    ``__order_<i>`` of the subquery (it may read a column the query does not select),
    left out of the result. An ORDER BY by position, on a query that is not one SELECT
    (a UNION), or a LIMIT that is not a constant row count gives None: the caller then
    runs the query page by page.
    """

    def reference(match: re.Match[str]) -> str:
        if match["name"] not in names:
            raise QueryReferenceError(f"params.{match['name']} is not a parameter of this page")
        return f'"{PAGES_TABLE}"."{param_column(match["name"])}"'

    inner = _ast(con, _PARAM_REFERENCE.sub(reference, sql))
    if inner is None:
        return None
    node = inner["statements"][0]["node"]
    modifiers = node.get("modifiers", [])
    order_terms = [o for m in modifiers if m["type"] == "ORDER_MODIFIER" for o in m["orders"]]
    limits = [m for m in modifiers if m["type"] == "LIMIT_MODIFIER"]
    if (order_terms or limits) and (
        node["type"] != "SELECT_NODE"
        or any(o["expression"]["class"] == "CONSTANT" for o in order_terms)
    ):
        return None
    rows_kept = _row_range(limits[0]) if limits else (1, None)
    if rows_kept is None:
        return None
    moved = ("ORDER_MODIFIER", "LIMIT_MODIFIER")
    node["modifiers"] = [m for m in modifiers if m["type"] not in moved]
    outputs = {_output_name(expression) for expression in node.get("select_list", [])}
    sort_columns, hidden = [], []
    for term in order_terms:
        expression = term["expression"]
        column_names = expression.get("column_names", [])
        if (
            expression["class"] == "COLUMN_REF"
            and len(column_names) == 1
            and column_names[0] in outputs
        ):
            # a bare name that is an output column: ORDER BY reads it as that column
            sort_columns.append(column_names[0])
        else:
            sort_columns.append(f"{ORDER_COLUMN_PREFIX}{len(hidden)}")
            hidden.append(copy.deepcopy(expression) | {"alias": sort_columns[-1]})
    if hidden:
        node["select_list"] += hidden
    exclude = f" exclude ({', '.join(h['alias'] for h in hidden)})" if hidden else ""
    row_number = f"row_number() over (partition by {PAGES_TABLE}.{PAGE_COLUMN})"
    first, last = rows_kept
    kept = ([f"{row_number} >= {first}"] if first > 1 else []) + (
        [f"{row_number} <= {last}"] if last is not None else []
    )
    qualify = f" qualify {' and '.join(kept)}" if kept else ""
    outer = _ast(
        con,
        f"select {PAGES_TABLE}.{PAGE_COLUMN}, __q.*{exclude} from {PAGES_TABLE}, "
        f"lateral (select 1) as __q{qualify} order by {PAGES_TABLE}.{PAGE_COLUMN}",
    )
    if outer is None:
        return None
    outer_node = outer["statements"][0]["node"]
    page_order = [
        term | {"expression": _column_ref("__q", column)}
        for term, column in zip(order_terms, sort_columns, strict=True)
    ]
    outer_orders = next(m for m in outer_node["modifiers"] if m["type"] == "ORDER_MODIFIER")
    outer_orders["orders"] += page_order
    for window in _windows(outer_node["qualify"]):
        window["orders"] = copy.deepcopy(page_order)
    outer_node["from_table"]["right"]["subquery"]["node"] = node
    try:
        return con.execute("select json_deserialize_sql(?::json)", [json.dumps(outer)]).fetchone()[
            0
        ]
    except duckdb.Error:
        return None


def _row_range(limit: dict) -> tuple[int, int | None] | None:
    """The 1-based first and last row a LIMIT modifier keeps (last None: no limit), or None
    if it is not a constant row count."""
    if limit.get("limit_type") != "ROW_COUNT":
        return None
    bounds = []
    for key in ("offset", "limit"):
        expression = limit.get(key)
        if expression is None:
            bounds.append(None)
        elif expression["class"] == "CONSTANT" and expression["literal"]["kind"] == "INTEGER":
            bounds.append(int(expression["literal"]["text"]))
        else:
            return None
    offset, count = bounds[0] or 0, bounds[1]
    return offset + 1, None if count is None else offset + count


def _windows(tree: object) -> Iterator[dict]:
    """Every window function in a parsed expression."""
    if isinstance(tree, dict):
        if tree.get("class") == "WINDOW":
            yield tree
        for value in tree.values():
            yield from _windows(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _windows(value)


def _output_name(expression: dict) -> str:
    """The name a select-list expression is known by: its alias, else a column's last part."""
    if expression.get("alias"):
        return expression["alias"]
    return expression["column_names"][-1] if expression["class"] == "COLUMN_REF" else ""


def _column_ref(*names: str) -> dict:
    return {"class": "COLUMN_REF", "type": "COLUMN_REF", "alias": "", "column_names": list(names)}


def _ast(con: duckdb.DuckDBPyConnection, sql: str) -> dict | None:
    parsed = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    return None if parsed.get("error") else parsed
