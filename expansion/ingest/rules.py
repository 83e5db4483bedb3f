"""The contract's row rules, as SQL over a batch of text cells.

Every cell arrives as text (CSV as read, Parquet values cast to text), so one
set of rules serves both formats. An empty cell is null. Each non-text column
is cast once per batch (:func:`batch_columns`) into ``<column>__typed``; the
cast gives null when it would fail *or would alter the value*: ``1.5`` is not
an integer (DuckDB would round it to 2) and ``2026-11-21 10:00:00`` is not a
date (DuckDB would drop the time). Otherwise DuckDB's casts decide, so
``2026-11-21T10:00:00`` is a timestamp and ``yes`` a boolean.

A number too large for its column's type (``1e30`` in an integer or a
``decimal(18,4)`` column) is ``out_of_range``, not a type error: it is a
number, just not one the warehouse can hold.

A row gets one reject per rule it breaks, except ``duplicate_key``, which is
judged only among rows that break no other rule (a broken first occurrence
does not shadow a valid repeat). Within a column the rules exclude each other:
an empty cell is ``null_key`` only, an uncastable one ``bad_<type>`` only.

Identifiers come from the contract only and pass :func:`ident`; everything
else (rule names, messages, accepted values, bounds) is bound as a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from expansion.contract import SQL_TYPES, Column, Source

RULES: tuple[str, ...] = (
    "null_key",
    "bad_date",
    "bad_timestamp",
    "bad_number",
    "bad_boolean",
    "negative_value",
    "not_accepted_value",
    "out_of_range",
    "unknown_account",
    "duplicate_key",
)
"""Every rule a row can break, in the order :func:`checks_for` emits them."""

TYPE_RULES: dict[str, str] = {
    "date": "bad_date",
    "timestamp": "bad_timestamp",
    "integer": "bad_number",
    "decimal": "bad_number",
    "boolean": "bad_boolean",
}

TEXT_FORMATS: dict[str, str] = {
    "date": "YYYY-MM-DD",
    "timestamp": "YYYY-MM-DD HH:MM:SS",
    "boolean": "true/false",
}

NUMERIC_LIMITS: dict[str, tuple[float, str]] = {
    "integer": (2.0**63, "an integer (-9223372036854775808 to 9223372036854775807)"),
    "decimal": (1e14, "decimal(18,4) (at most 14 digits before the decimal point)"),
}
"""Per numeric type: the magnitude from which a number does not fit, and how to say so."""

ACCOUNT_COLUMN = "account_id"

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def ident(name: str) -> str:
    """A contract name as a quoted SQL identifier; anything else is refused."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a contract identifier")
    return f'"{name}"'


def expectation(column: Column) -> str:
    """What a column must hold, for messages: ``date, YYYY-MM-DD``."""
    text_format = TEXT_FORMATS.get(column.type)
    return f"{column.type}, {text_format}" if text_format else column.type


def text_value(column: Column) -> str:
    """The cell as text; an empty cell (or an absent optional column) is null."""
    return f"nullif({ident(column.name)}, '')"


def cast_value(column: Column) -> str:
    """The cell cast to its warehouse type; null when empty or not exactly castable."""
    value = text_value(column)
    cast = f"try_cast({value} as {SQL_TYPES[column.type]})"
    if column.type == "integer":
        return f"case when try_cast({value} as double) = {cast} then {cast} end"
    if column.type == "date":
        return f"case when try_cast({value} as timestamp) = {cast} then {cast} end"
    return cast


def typed_name(column: Column) -> str:
    """The batch column holding :func:`cast_value` of a non-text column."""
    return ident(f"{column.name}__typed")


def typed_value(column: Column) -> str:
    """The cell in its warehouse type, read from a batch made by :func:`batch_columns`."""
    return text_value(column) if column.type == "string" else typed_name(column)


def batch_columns(source: Source) -> str:
    """Select list of a batch: the text cells, lineage, and each non-text column cast once."""
    casts = [f"{cast_value(c)} as {typed_name(c)}" for c in source.columns if c.type != "string"]
    return ", ".join(["*", *casts])


@dataclass(frozen=True)
class Check:
    """One rule on one column: a row breaks it when ``condition`` is true."""

    rule: str
    column: str
    condition: str
    """SQL over a batch row (text cells and ``__typed`` casts); never null."""
    message: str
    """A ``format()`` template; ``{}`` receives the cell's raw text."""
    params: tuple[object, ...] = ()
    """Values bound to the ``?`` placeholders of ``condition``, in order."""


def column_checks(column: Column) -> tuple[Check, ...]:
    """The checks one contract column implies, in :data:`RULES` order."""
    name, value, typed = column.name, text_value(column), typed_value(column)
    checks: list[Check] = []
    if not column.nullable:
        checks.append(
            Check("null_key", name, f"{value} is null", f"{name} is empty but must not be null")
        )
    overflow, limit = _overflow(column)
    if column.type in TYPE_RULES:
        checks.append(
            Check(
                TYPE_RULES[column.type],
                name,
                f"{value} is not null and {typed} is null and not {overflow}",
                f"{name} '{{}}' does not match its type ({expectation(column)})",
                limit,
            )
        )
    if column.non_negative:
        checks.append(
            Check(
                "negative_value",
                name,
                f"coalesce({typed} < 0, false)",
                f"{name} '{{}}' is negative",
            )
        )
    if column.accepted_values is not None:
        checks.append(
            Check(
                "not_accepted_value",
                name,
                f"coalesce(not list_contains(?, {value}), false)",
                f"{name} '{{}}' is not one of: {', '.join(column.accepted_values)}",
                (list(column.accepted_values),),
            )
        )
    if column.type in NUMERIC_LIMITS:
        checks.append(
            Check(
                "out_of_range",
                name,
                overflow,
                f"{name} '{{}}' is outside the range of {NUMERIC_LIMITS[column.type][1]}",
                limit,
            )
        )
    if column.value_range is not None:
        low, high = column.value_range
        checks.append(
            Check(
                "out_of_range",
                name,
                f"coalesce({typed} not between ? and ?, false)",
                f"{name} '{{}}' is outside {low}..{high}",
                (low, high),
            )
        )
    return tuple(checks)


def _overflow(column: Column) -> tuple[str, tuple[object, ...]]:
    """SQL true when the cell is a number too large for the column's numeric type, and its
    parameters; ``false`` for other types."""
    if column.type not in NUMERIC_LIMITS:
        return "false", ()
    as_double = f"try_cast({text_value(column)} as double)"
    condition = (
        f"({typed_value(column)} is null "
        f"and coalesce(abs({as_double}) >= ? and not isnan({as_double}), false))"
    )
    return condition, (NUMERIC_LIMITS[column.type][0],)


def account_check(source: Source) -> Check:
    """``unknown_account``: the row's account must already be in ``raw.accounts``."""
    value = text_value(source.column(ACCOUNT_COLUMN))
    known = f"select {ident(ACCOUNT_COLUMN)} from raw.accounts"
    return Check(
        "unknown_account",
        ACCOUNT_COLUMN,
        f"{value} is not null and {value} not in ({known})",
        f"{ACCOUNT_COLUMN} '{{}}' is not in raw.accounts",
    )


def checks_for(source: Source) -> tuple[Check, ...]:
    """Every row check of a source except ``duplicate_key`` (which needs the whole batch)."""
    checks = [check for column in source.columns for check in column_checks(column)]
    if source.references_account:
        checks.append(account_check(source))
    return tuple(checks)


def original_values(source: Source) -> str:
    """SQL JSON object of the row's text cells as landed, keyed by contract column."""
    fields = ", ".join(f"{ident(name)} := {ident(name)}" for name in source.column_names)
    return f"to_json(struct_pack({fields}))"


def duplicate_message(source: Source, *, already_loaded: bool) -> str:
    """``format()`` template: the key's raw cells, then the earlier file and row."""
    names = ", ".join(source.key)
    values = ", ".join("{}" for _ in source.key)
    earlier = "was already loaded from" if already_loaded else "repeats"
    return f"key ({names}) = ({values}) {earlier} {{}} row {{}}"
