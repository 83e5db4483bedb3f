"""Run the nightly Dagster job in-process and summarise what it did.

The command line calls :func:`run_nightly_refresh`; it points the job at a
landing zone and a data directory, runs every step in this process with a
project-local ``DAGSTER_HOME`` (so runs show up in ``dagster dev``), prints one
line per step as it goes, and returns a :class:`RefreshSummary`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from expansion.settings import (
    AS_OF_DATE_ENV,
    DATA_DIR_ENV,
    LANDING_DIR_ENV,
    PROJECT_ROOT,
    DataDir,
)

DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
SERVING_ASSET = "serving_database"


@dataclass
class RefreshSummary:
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects_by_rule: Counter[str] = field(default_factory=Counter)
    refusals: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_warned: list[str] = field(default_factory=list)
    checks_failed: list[str] = field(default_factory=list)
    published: bool = False
    failure: str | None = None
    log_file: Path | None = None

    def render(self, data_dir: DataDir) -> str:
        lines = [
            f"rows loaded: {self.rows_loaded:,}   rows rejected: {self.rows_rejected:,}"
            + (f"  ({_by_rule(self.rejects_by_rule)})" if self.rejects_by_rule else ""),
        ]
        lines += [f"  refused: {message}" for message in self.refusals]
        lines.append(
            f"checks: {self.checks_passed} passed, {len(self.checks_warned)} warned, "
            f"{len(self.checks_failed)} failed"
        )
        lines += [f"  warn:  {name}" for name in self.checks_warned]
        lines += [f"  error: {name}" for name in self.checks_failed]
        if self.published:
            lines.append(f"serving database: {data_dir.serving}")
            lines.append(f"dashboards:       {data_dir.site / 'index.html'}")
        else:
            kept = "kept the last published version" if data_dir.serving.exists() else "none yet"
            lines.append(f"NOT PUBLISHED ({kept}): {self.failure or 'see the failed checks above'}")
        if self.log_file:
            lines.append(f"full log (dbt output included): {self.log_file}")
        return "\n".join(lines)


def _by_rule(counts: Counter[str]) -> str:
    return ", ".join(f"{rule} {n:,}" for rule, n in counts.most_common())


def prepare_dagster_home(home: Path = DAGSTER_HOME) -> Path:
    """A project-local Dagster instance with telemetry off."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return home


def configure_environment(landing: Path, data_dir: Path, as_of: dt.date | None) -> None:
    """Point the job's resources, dbt and Dagster at this company; before importing them."""
    os.environ[LANDING_DIR_ENV] = str(landing.resolve())
    os.environ[DATA_DIR_ENV] = str(data_dir.resolve())
    if as_of is None:
        os.environ.pop(AS_OF_DATE_ENV, None)
    else:
        os.environ[AS_OF_DATE_ENV] = as_of.isoformat()
    if not os.environ.get("DAGSTER_HOME"):
        os.environ["DAGSTER_HOME"] = str(prepare_dagster_home())
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"


class StepProgressHandler(logging.Handler):
    """Prints the run's progress as short lines (see :func:`_progress_line`)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None:
            return
        line = _progress_line(event)
        if line:
            print(line, file=self.stream, flush=True)


def root_cause(error) -> str:
    """The innermost cause's first line: what broke, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[0]


def _progress_line(event) -> str | None:
    """One line per asset materialized, check failed, step failed or step skipped."""
    kind = event.event_type_value
    if kind == "ASSET_MATERIALIZATION":
        return f"  ✓ {event.asset_key.to_user_string()}"
    if kind == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
        evaluation = event.event_specific_data
        return f"  ! {evaluation.check_name}: {evaluation.severity.value.lower()}"
    if kind == "STEP_FAILURE":
        return f"  ✗ {event.step_key}: {root_cause(event.event_specific_data.error)}"
    if kind == "STEP_SKIPPED":
        return f"  - {event.step_key} skipped: an upstream check or step failed"
    return None


def run_nightly_refresh(
    landing: Path, data_dir: Path, as_of: dt.date | None = None, stream: TextIO | None = None
) -> RefreshSummary:
    """Run the nightly job; progress goes to ``stream`` (standard output by default)."""
    stream = stream or sys.stdout
    configure_environment(landing, data_dir, as_of)
    import dagster as dg

    from orchestration.definitions import defs

    @dg.logger
    def progress_logger(_init_context) -> logging.Logger:
        logger = logging.getLogger("expansion.progress")
        logger.handlers = [StepProgressHandler(stream)]
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        return logger

    job = defs.resolve_job_def("nightly_refresh").with_logger_defs({"progress": progress_logger})
    log_file = DataDir(data_dir.resolve()).logs / "last_refresh.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # dagster-dbt echoes dbt's whole log to stdout: keep it in the log file, and the
    # terminal to one line per step.
    with (
        dg.DagsterInstance.get() as instance,
        log_file.open("w") as log,
        contextlib.redirect_stdout(log),
    ):
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {}}},
        )
    summary = summarize(result)
    summary.log_file = log_file
    return summary


def summarize(result) -> RefreshSummary:
    summary = RefreshSummary()
    for event in result.get_asset_materialization_events():
        key = event.asset_key.path
        metadata = event.materialization.metadata
        if key[0] == "raw":
            summary.rows_loaded += metadata["rows_loaded"].value
            summary.rows_rejected += metadata["rows_rejected"].value
            if "rejects_by_rule" in metadata:
                summary.rejects_by_rule.update(metadata["rejects_by_rule"].value)
            if "refusals" in metadata:
                summary.refusals += metadata["refusals"].value
        if key == [SERVING_ASSET]:
            summary.published = True
    for evaluation in result.get_asset_check_evaluations():
        label = f"{'/'.join(evaluation.asset_key.path)} · {evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed += 1
        elif evaluation.severity.value == "WARN":
            summary.checks_warned.append(label)
        else:
            summary.checks_failed.append(label)
    if not result.success:
        failures = [
            f"{e.step_key}: {root_cause(e.event_specific_data.error)}"
            for e in result.all_events
            if e.event_type_value == "STEP_FAILURE"
        ]
        summary.failure = "; ".join(failures) or "the run failed"
    return summary
