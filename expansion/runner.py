"""Run the nightly Dagster job in-process and summarise what it did.

The command line calls :func:`run_nightly_refresh`; it takes the data
directory's refresh lock (:mod:`expansion.refresh_lock`), points the job at a
landing zone and a data directory, runs every step in this process with a
project-local ``DAGSTER_HOME`` (so runs show up in ``dagster dev``), prints one
line per step as it goes, and returns a :class:`RefreshSummary`. Everything -
dbt's output, every Dagster event with its full error, every failing row of
every check, the summary - goes to ``DATA_DIR/logs/last_refresh.log``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from data_quality.checks import FAILURE_LINES_METADATA
from expansion.processes import live_children, stop_processes
from expansion.refresh_lock import hold_refresh_lock
from expansion.settings import (
    AS_OF_DATE_ENV,
    DATA_DIR_ENV,
    DBT_EXECUTABLE,
    DEFAULT_ENGINE,
    ENGINE_ENV,
    LANDING_DIR_ENV,
    PROJECT_ROOT,
    DataDir,
)

DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
SERVING_ASSET = "serving_database"
LOG_FILE_NAME = "last_refresh.log"
LEFTOVER_GRACE_SECONDS = 10.0
"""How long a dbt left running by an interrupted run gets to stop after SIGINT."""
CONSOLE_DETAILS = 5
"""Failing rows shown on the console per failed check; the log has all of them."""


class ExitCode(IntEnum):
    """What ``expansion refresh`` (and ``demo``) exit with; docs/operations.md explains each."""

    PUBLISHED = 0
    """Every step passed (warnings allowed) and every landing entry was loaded."""
    NOT_PUBLISHED = 1
    """A blocking check or a step failed: the last published version stays in place."""
    USAGE = 2
    """Bad arguments or no landing directory: nothing ran."""
    PUBLISHED_NEEDS_ATTENTION = 3
    """Published, but part of the landing zone was not loaded (a refused file, an
    unreadable entry, a missing required source folder) or a step after publishing
    (the dashboards) failed: someone must look."""
    ALREADY_RUNNING = 75
    """Another refresh holds the data directory (sysexits' EX_TEMPFAIL: try again later)."""


@dataclass(frozen=True)
class CheckOutcome:
    """A check that did not pass: its label, severity and one line per failing row."""

    label: str
    """``raw/subscriptions · raw_subscriptions_integrity``"""
    severity: str
    """``warn`` or ``error``."""
    details: tuple[str, ...] = ()


@dataclass
class RefreshSummary:
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects_by_rule: Counter[str] = field(default_factory=Counter)
    refusals: list[str] = field(default_factory=list)
    replacements: list[str] = field(default_factory=list)
    checks_passed: int = 0
    check_outcomes: list[CheckOutcome] = field(default_factory=list)
    quarantined: set[str] = field(default_factory=set)
    """Triggers a calibration breach quarantined: published, their alerts held."""
    published: bool = False
    failure: str | None = None
    log_file: Path | None = None
    log_error: OSError | None = None
    """Why the log file is incomplete (it could not be written), if it is."""

    @property
    def checks_warned(self) -> list[CheckOutcome]:
        return [c for c in self.check_outcomes if c.severity != "error"]

    @property
    def checks_failed(self) -> list[CheckOutcome]:
        return [c for c in self.check_outcomes if c.severity == "error"]

    @property
    def exit_code(self) -> ExitCode:
        if not self.published:
            return ExitCode.NOT_PUBLISHED
        if self.refusals or self.failure:
            return ExitCode.PUBLISHED_NEEDS_ATTENTION
        return ExitCode.PUBLISHED

    def render(self, data_dir: DataDir, details_shown: int | None = CONSOLE_DETAILS) -> str:
        """What the night did, for the console (``details_shown`` lines per failed check)
        or, with ``details_shown=None``, for the log: every line of every check."""
        lines = [
            f"rows loaded: {self.rows_loaded:,}   rows rejected: {self.rows_rejected:,}"
            + (f"  ({_by_rule(self.rejects_by_rule)})" if self.rejects_by_rule else ""),
        ]
        lines += [f"  refused: {message}" for message in self.refusals]
        lines += [f"  replaced: {message}" for message in self.replacements]
        lines.append(
            f"checks: {self.checks_passed} passed, {len(self.checks_warned)} warned, "
            f"{len(self.checks_failed)} failed"
        )
        for outcome in self.checks_warned:
            lines.append(f"  warn:  {outcome.label}")
            if details_shown is None:
                lines += [f"           {detail}" for detail in outcome.details]
        for outcome in self.checks_failed:
            lines.append(f"  error: {outcome.label}")
            lines += _details(outcome.details, details_shown, self.log_file)
        if self.quarantined:
            lines.append(
                f"quarantined: {', '.join(sorted(self.quarantined))} - published and marked, "
                "their alerts held until recalibrated (`expansion check` says what to change)"
            )
        if self.published:
            lines.append(f"serving database: {data_dir.serving}")
            lines.append(f"dashboards:       {data_dir.site / 'index.html'}")
            if self.refusals:
                lines.append(
                    f"PUBLISHED WITHOUT {_entries(len(self.refusals))} OF THE LANDING ZONE "
                    "(refused above): correct them and drop them again"
                )
            if self.failure:
                lines.append(f"PUBLISHED, BUT A LATER STEP FAILED: {self.failure}")
        else:
            kept = "kept the last published version" if data_dir.serving.exists() else "none yet"
            lines.append(f"NOT PUBLISHED ({kept}): {self.failure or 'see the failed checks above'}")
        if self.log_file and self.log_error:
            lines.append(f"log INCOMPLETE ({self.log_error.strerror}): {self.log_file}")
        elif self.log_file:
            lines.append(f"full log (dbt output included): {self.log_file}")
        lines.append(f"exit code {int(self.exit_code)}: {_EXIT_MEANING[self.exit_code]}")
        return "\n".join(lines)


_EXIT_MEANING = {
    ExitCode.PUBLISHED: "published",
    ExitCode.NOT_PUBLISHED: "not published",
    ExitCode.PUBLISHED_NEEDS_ATTENTION: "published, but something needs attention (above)",
}


def _entries(count: int) -> str:
    return "1 ENTRY" if count == 1 else f"{count} ENTRIES"


def _details(details: Sequence[str], shown: int | None, log_file: Path | None) -> list[str]:
    if shown is None or len(details) <= shown:
        return [f"           {detail}" for detail in details]
    where = f" in {log_file}" if log_file else ""
    return [f"           {detail}" for detail in details[:shown]] + [
        f"           … and {len(details) - shown} more{where}"
    ]


def _by_rule(counts: Counter[str]) -> str:
    return ", ".join(f"{rule} {n:,}" for rule, n in counts.most_common())


def prepare_dagster_home(home: Path = DAGSTER_HOME) -> Path:
    """A project-local Dagster instance with telemetry off."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return home


def configure_environment(
    landing: Path, data_dir: Path, as_of: dt.date | None, engine: str = DEFAULT_ENGINE
) -> None:
    """Point the job's resources, dbt and Dagster at this company and engine; before
    importing them."""
    os.environ[LANDING_DIR_ENV] = str(landing.resolve())
    os.environ[DATA_DIR_ENV] = str(data_dir.resolve())
    os.environ[ENGINE_ENV] = engine
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


class RunLog(io.TextIOBase):
    """The run's log file, which never fails the run: once a write fails (a full disk),
    the rest of the log is dropped and :attr:`error` says why."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: OSError | None = None
        try:
            self._stream: TextIO | None = path.open("w")
        except OSError as error:
            self._stream, self.error = None, error

    def write(self, text: str) -> int:
        if self._stream is not None and self.error is None:
            try:
                self._stream.write(text)
            except OSError as error:
                self.error = error
        return len(text)

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation("the log file could not be opened")
        return self._stream.fileno()

    def flush(self) -> None:
        if self._stream is not None and self.error is None:
            try:
                self._stream.flush()
            except OSError as error:
                self.error = error

    def close(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(OSError):
                self.flush()
                self._stream.close()
            self._stream = None
        super().close()


class RunLogHandler(logging.Handler):
    """Writes every Dagster log record to the run's log file, with a failed step's
    whole error (every cause and stack) after it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(logging.DEBUG)
        self.stream = stream
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is not None and event.event_type_value == "STEP_FAILURE":
            self.stream.write(event.event_specific_data.error.to_string() + "\n")
        self.stream.flush()


def root_cause(error) -> str:
    """What broke, in one line: the innermost cause, not Dagster's wrapper around it.

    A failed blocking check names the checks ("blocking check failed: raw/subscriptions:
    raw_subscriptions_integrity"), an interrupted run says so; any other error gives its
    first line.
    """
    while error.cause is not None:
        error = error.cause
    lines = [line.strip() for line in error.message.strip().splitlines() if line.strip()]
    if error.cls_name == "DagsterAssetCheckFailedError":  # "<asset>: <check>,<check>" a line
        return "blocking check failed: " + "; ".join(line.replace(",", ", ") for line in lines[1:])
    if error.cls_name == "DagsterExecutionInterruptedError":
        return "interrupted (SIGTERM or Ctrl-C); dbt was stopped"
    return lines[0]


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
    landing: Path,
    data_dir: Path,
    as_of: dt.date | None = None,
    stream: TextIO | None = None,
    wait_seconds: float = 0.0,
    engine: str = DEFAULT_ENGINE,
) -> RefreshSummary:
    """Run the nightly job, building the models on ``engine``; progress goes to ``stream``
    (standard output by default).

    Raises :class:`~expansion.refresh_lock.RefreshAlreadyRunning`, having touched
    nothing, when another refresh still holds the data directory after ``wait_seconds``.
    """
    stream = stream or sys.stdout
    data = DataDir(data_dir.resolve())
    with hold_refresh_lock(data.root, wait_seconds):
        configure_environment(landing, data_dir, as_of, engine)
        import dagster as dg

        from orchestration.definitions import defs

        def logger_for(name: str, handler: logging.Handler):
            @dg.logger
            def make_logger(_init_context) -> logging.Logger:
                logger = logging.getLogger(f"expansion.{name}")
                logger.handlers = [handler]
                logger.setLevel(logging.DEBUG)
                logger.propagate = False
                return logger

            return make_logger

        log_file = data.logs / LOG_FILE_NAME
        log_file.parent.mkdir(parents=True, exist_ok=True)
        # dagster-dbt echoes dbt's whole log to stdout: keep it in the log file, and the
        # terminal to one line per step.
        with (
            dg.DagsterInstance.get() as instance,
            contextlib.closing(RunLog(log_file)) as log,
            contextlib.redirect_stdout(log),
        ):
            job = defs.resolve_job_def("nightly_refresh").with_logger_defs(
                {
                    "progress": logger_for("progress", StepProgressHandler(stream)),
                    "run_log": logger_for("run_log", RunLogHandler(log)),
                }
            )
            try:
                result = job.execute_in_process(
                    instance=instance,
                    raise_on_error=False,
                    run_config={"loggers": {"progress": {}, "run_log": {}}},
                )
            finally:
                # An interrupted run (SIGTERM, Ctrl-C) can return while dbt still writes
                # the warehouse: stop it before the lock lets the next refresh in.
                dbt = live_children(os.getpid(), running=str(DBT_EXECUTABLE))
                stop_processes(dbt, LEFTOVER_GRACE_SECONDS, signal.SIGINT)
            summary = summarize(result)
            summary.log_file = log_file
            log.write("\n" + summary.render(data, details_shown=None) + "\n")
            log.flush()
            summary.log_error = log.error
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
            if "replacements" in metadata:
                summary.replacements += metadata["replacements"].value
        if key == [SERVING_ASSET]:
            summary.published = True
    for evaluation in result.get_asset_check_evaluations():
        quarantined = evaluation.metadata.get("quarantined")
        if quarantined is not None:
            summary.quarantined.update(quarantined.value.split(", "))
        if evaluation.passed:
            summary.checks_passed += 1
            continue
        details = evaluation.metadata.get(FAILURE_LINES_METADATA)
        summary.check_outcomes.append(
            CheckOutcome(
                label=f"{'/'.join(evaluation.asset_key.path)} · {evaluation.check_name}",
                severity="warn" if evaluation.severity.value == "WARN" else "error",
                details=tuple(details.value) if details is not None else (),
            )
        )
    if not result.success:
        steps_by_cause: dict[str, list[str]] = {}
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                cause = root_cause(event.event_specific_data.error)
                steps_by_cause.setdefault(cause, []).append(event.step_key)
        summary.failure = (
            "; ".join(f"{', '.join(steps)}: {cause}" for cause, steps in steps_by_cause.items())
            or "the run failed"
        )
    return summary
