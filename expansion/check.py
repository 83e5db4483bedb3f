"""Run the quality and calibration suites on the published marts: ``expansion check``.

:func:`run_published_checks` opens ``DATA_DIR/serving.duckdb`` read-only (a
dashboard or BI tool reading it is never disturbed) and evaluates the
calibration and mart suites against the bounds published with it
(``marts.calibration_bounds``, a copy of the seed). The rest is pure:
:func:`failure_rows` turns reports into table rows (the worst failure per check
and subject), :func:`format_check_table` renders them and :func:`exit_code` is 1
when any error-level (data-integrity) expectation failed. A quarantined trigger
(a calibration breach: published, its alerts held) is listed with what to change
and does not fail the command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data_quality.calibration_suite import CALIBRATION_CHECKS
from data_quality.checks import CheckReport
from data_quality.evaluation import run_check
from data_quality.marts_suite import mart_checks
from orchestration.defs.dbt import DBT_MANIFEST

PUBLISHED_BOUNDS = "marts.calibration_bounds"
HEADERS = ("check", "subject", "severity", "observed", "bounds", "remedy")


@dataclass(frozen=True)
class CheckRow:
    check: str
    subject: str
    severity: str
    observed: str
    bounds: str
    remedy: str


def run_published_checks(serving_db: Path) -> list[CheckReport]:
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        return [
            run_check(con, check, bounds_relation=PUBLISHED_BOUNDS)
            for check in (*CALIBRATION_CHECKS, *mart_checks(DBT_MANIFEST))
        ]
    finally:
        con.close()


def _value(value: object, as_percent: bool) -> str:
    if value is None:
        return "-"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.1%}" if as_percent else f"{value:g}"
    return str(value)


def failure_rows(reports: Sequence[CheckReport]) -> list[CheckRow]:
    """One row per failing (check, subject) - the worst severity - errors first.

    A check that could not run (a mart missing from serving) is listed as
    ``skipped``; it does not fail the command.
    """
    worst: dict[tuple[str, str], CheckRow] = {}
    order = {"error": 0, "quarantine": 1, "warn": 2, "skipped": 3}
    for report in reports:
        name = report.check.name
        if report.missing:
            worst[(name, "-")] = CheckRow(
                name,
                "-",
                "skipped",
                "-",
                "-",
                "not evaluated: missing " + ", ".join(report.missing),
            )
        spec_by_column = {e.column: e for e in report.check.expectations}
        for outcome in report.failures:
            spec = spec_by_column.get(outcome.column)
            as_percent = spec.bounds_as_percent if spec else True
            bounds = outcome.bounds.describe(as_percent=as_percent)
            failed = outcome.failed_rows or ()
            candidates = [
                CheckRow(
                    name,
                    r.subject,
                    outcome.severity,
                    _value(r.observed, as_percent),
                    bounds,
                    r.remedy or outcome.remedy,
                )
                for r in failed
            ] or [
                CheckRow(
                    name,
                    "-",
                    outcome.severity,
                    str(outcome.observed.get("unexpected_count", "-")),
                    bounds,
                    outcome.remedy,
                )
            ]
            for row in candidates:
                key = (name, row.subject)
                if key not in worst or order[row.severity] < order[worst[key].severity]:
                    worst[key] = row
    return sorted(worst.values(), key=lambda r: (order[r.severity], r.check, r.subject))


def summary_line(reports: Sequence[CheckReport]) -> str:
    evaluated = [r for r in reports if not r.missing]
    failed = sum(1 for r in evaluated if r.severity == "error")
    quarantining = sum(1 for r in evaluated if r.severity == "quarantine")
    warned = sum(1 for r in evaluated if r.severity == "warn")
    skipped = len(reports) - len(evaluated)
    passed = len(evaluated) - failed - quarantining - warned
    line = f"checks: {passed} passed, {warned} warned, {quarantining} quarantining, {failed} failed"
    return line + (f", {skipped} skipped" if skipped else "")


def format_check_table(rows: Sequence[CheckRow]) -> str:
    """A fixed-width table; the remedy (long, worded for the row) comes last, unpadded."""
    if not rows:
        return "Every expectation passed."
    cells = [HEADERS] + [
        (r.check, r.subject, r.severity, r.observed, r.bounds, r.remedy) for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS) - 1)]
    lines = []
    for index, cell in enumerate(cells):
        fixed = "  ".join(value.ljust(widths[i]) for i, value in enumerate(cell[:-1]))
        lines.append(f"{fixed}  {cell[-1]}".rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(HEADERS[-1]))
    return "\n".join(lines)


def exit_code(reports: Sequence[CheckReport]) -> int:
    """1 when an error-level expectation failed, else 0 (quarantines, warnings and skips do
    not fail: the night published)."""
    return 1 if any(r.severity == "error" for r in reports) else 0
