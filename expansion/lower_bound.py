"""The benchmark's lower bound: ``lower_bound.sql``, the core of a night as one plain
DuckDB script over the landing zone, timed (see that file for what it computes)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCRIPT = Path(__file__).with_name("lower_bound.sql")
RESULT_TABLES = (
    "month_end_arr",
    "segment_nrr",
    "health_daily",
    "trigger_firings",
    "trigger_backtest",
)


@dataclass(frozen=True)
class LowerBound:
    seconds: float
    rows: dict[str, int]
    """Rows of each result table (RESULT_TABLES)."""


def lower_bound_sql(landing: Path, as_of: dt.date) -> list[str]:
    """The script's statements for this landing zone and as-of date."""
    text = SCRIPT.read_text()
    text = text.replace("{landing}", str(landing.resolve()).replace("'", "''"))
    text = text.replace("{as_of}", as_of.isoformat())
    text = re.sub(r"--[^\n]*", "", text)
    return [statement for statement in text.split(";") if statement.strip()]


def run_lower_bound(landing: Path, as_of: dt.date) -> LowerBound:
    """Run the script in a fresh DuckDB file (so it can spill, as the warehouse can) and
    time it, loading included."""
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        con = duckdb.connect(str(Path(work) / "lower_bound.duckdb"))
        try:
            con.execute("set enable_progress_bar = false")
            for statement in lower_bound_sql(landing, as_of):
                con.execute(statement)
            seconds = time.perf_counter() - started
            rows = {
                table: con.execute(f"select count(*) from {table}").fetchone()[0]
                for table in RESULT_TABLES
            }
        finally:
            con.close()
    return LowerBound(round(seconds, 1), rows)
