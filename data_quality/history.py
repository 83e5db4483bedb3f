"""The results history: every check run's outcomes, appended to ``quality.check_results``.

One row per expectation and subject (a trigger x segment x quarter, a segment, a
mart), passed or not, with the observed value, the bounds, the trigger's current
and suggested thresholds and the remedy of a failure. A failing night is
recorded like any other: the nightly job writes the history before the blocking
checks stop publishing, so the warehouse always shows why a night was held back
(serving shows it from the next published night on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb

from data_quality.checks import CheckReport

HISTORY_SCHEMA = "quality"
HISTORY_TABLE = f"{HISTORY_SCHEMA}.check_results"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "varchar"),
    ("checked_at", "timestamp"),
    ("as_of_date", "date"),
    ("check_name", "varchar"),
    ("asset_key", "varchar"),
    ("expectation", "varchar"),
    ("column_name", "varchar"),
    ("subject", "varchar"),
    ("trigger_id", "varchar"),
    ("segment", "varchar"),
    ("severity", "varchar"),
    ("passed", "boolean"),
    ("observed_value", "double"),
    ("bound_min", "double"),
    ("bound_max", "double"),
    ("threshold_value", "double"),
    ("suggested_threshold_value", "double"),
    ("remedy", "varchar"),
)


def ensure_history_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    con.execute(f"create table if not exists {HISTORY_TABLE} ({columns})")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _worst_value(values: list[Any] | None) -> float | None:
    """The largest value GE listed as unexpected (a frame of counts: the count); None if none."""
    numbers = [n for n in (_number(v) for v in values or ()) if n is not None]
    return max(numbers) if numbers else None


def history_rows(
    report: CheckReport, run_id: str, checked_at: dt.datetime, as_of_date: dt.date | None
) -> Iterator[tuple[Any, ...]]:
    """The rows one check report adds to the history (skipped expectations add none)."""
    check = report.check
    base = (run_id, checked_at, as_of_date, check.name, "/".join(check.asset))
    for outcome in report.outcomes:
        if outcome.skipped:
            continue
        bounds = (outcome.bounds.min_value, outcome.bounds.max_value)
        if outcome.rows:
            for row in outcome.rows:
                yield (
                    *base,
                    outcome.expectation,
                    outcome.column,
                    row.subject,
                    row.row.get("trigger_id"),
                    row.row.get("segment"),
                    outcome.severity,
                    row.passed,
                    _number(row.observed),
                    *bounds,
                    _number(row.row.get("threshold_value")),
                    _number(row.row.get("suggested_threshold_value")),
                    row.remedy,
                )
        elif outcome.column is None or check.subject_column is None:
            # a frame without subjects (the raw checks): one row for the expectation
            yield (
                *base,
                outcome.expectation,
                outcome.column,
                None,
                None,
                None,
                outcome.severity,
                outcome.success,
                _worst_value(outcome.observed.get("partial_unexpected_list")),
                *bounds,
                None,
                None,
                None if outcome.success else outcome.remedy,
            )


def append_history(
    con: duckdb.DuckDBPyConnection,
    reports: Iterable[CheckReport],
    run_id: str,
    checked_at: dt.datetime,
    as_of_date: dt.date | None,
) -> int:
    """Append the reports' rows in one transaction; returns how many were written."""
    rows = [r for report in reports for r in history_rows(report, run_id, checked_at, as_of_date)]
    ensure_history_table(con)
    if rows:
        placeholders = ", ".join("?" for _ in COLUMNS)
        con.execute("begin transaction")
        con.executemany(f"insert into {HISTORY_TABLE} values ({placeholders})", rows)
        con.execute("commit")
    return len(rows)
