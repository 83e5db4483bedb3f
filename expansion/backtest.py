"""Print the trigger backtest (SPEC 8 and 12): ``expansion backtest``.

dbt computes ``marts.trigger_backtest`` (one row per trigger and segment, plus
``All``, for the window of the ``backtest_settings`` seed); the published copy
lives in ``DATA_DIR/serving.duckdb``. :func:`read_backtest` reads it read-only
and :func:`format_backtest_table` renders the rows as a fixed-width text table
(pure: rows in, string out) with ratios as percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

BACKTEST_RELATION = "marts.trigger_backtest"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("trigger_id", "trigger"),
    ("segment", "segment"),
    ("eligible_accounts", "eligible"),
    ("firing_accounts", "firing"),
    ("firing_rate", "rate"),
    ("calibration_status", "calibration"),
    ("precision", "precision"),
    ("lift", "lift"),
    ("threshold_value", "threshold"),
    ("suggested_threshold_value", "suggested"),
    ("suggested_firing_rate", "rate_there"),
)
PERCENT_COLUMNS = frozenset({"firing_rate", "precision", "suggested_firing_rate"})


def read_backtest(serving_db: Path, segment: str | None = "All") -> list[dict[str, Any]]:
    """Rows of ``marts.trigger_backtest``, ordered by segment then lift (best first).

    ``segment=None`` returns every segment; the default only the ``All`` rows.
    The database is opened read-only, so a running dashboard or BI tool is
    never disturbed.
    """
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        sql = f"select * from {BACKTEST_RELATION}"
        params: list[Any] = []
        if segment is not None:
            sql += " where segment = ?"
            params.append(segment)
        sql += " order by segment, lift desc nulls last, trigger_id"
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if column in PERCENT_COLUMNS:
        return f"{float(value) * 100:.1f}%"
    if column == "lift":
        return f"{float(value):.2f}x"
    if isinstance(value, Decimal | float):
        return f"{float(value):g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def format_backtest_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """A text table of backtest rows, with the window in a heading line.

    Ratios are shown as percentages (firing rate, precision), lift as ``1.80x``,
    missing values as ``-``. No rows gives a one-line explanation.
    """
    if not rows:
        return "No trigger backtest rows (run `expansion refresh` first)."
    first = rows[0]
    heading = (
        f"Trigger backtest {_cell('window_start', first.get('window_start'))} to "
        f"{_cell('window_end', first.get('window_end'))}, outcome horizon "
        f"{first.get('outcome_horizon_days', '-')} days"
    )
    table = [[label for _, label in COLUMNS]]
    table += [[_cell(column, row.get(column)) for column, _ in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    text_columns = {"trigger_id", "segment", "calibration_status"}
    numeric = {i for i, (column, _) in enumerate(COLUMNS) if column not in text_columns}

    def render(line: list[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return "  ".join(cells).rstrip()

    lines = [heading, render(table[0]), "  ".join("-" * w for w in widths)]
    lines += [render(line) for line in table[1:]]
    return "\n".join(lines)
