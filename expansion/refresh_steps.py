"""Where a refresh's time and memory go, step by step.

A refresh runs in a child process (:mod:`expansion.benchmark`); while it runs, a
:class:`ProcessTreeSampler` records the resident memory of that process and every
process it started (dbt) ten times a second. Afterwards the samples are split by
the windows of the night's steps:

- the Dagster steps, from the run log (``STEP_START`` / ``STEP_SUCCESS`` lines):
  ingest (one step per source), checks (the raw asset checks and the quality
  suite), the dbt build, publish, dashboards, alerts;
- inside the dbt build, from dbt's own artifacts in the data directory's dbt
  target folder: parse (from the invocation's start to dbt's "Found N models"
  line, and whether dbt parsed the whole project or only what changed), each
  model, the seeds, the data tests and unit tests in total (``run_results.json``).

A step's seconds are the sum of its windows (steps run one at a time); its peak
is the largest total resident memory of the process tree sampled inside them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
STEP_LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \S+\s+\S+ - \S+ - \d+ - (?P<step>\S+) - "
    r"(?P<event>STEP_START|STEP_SUCCESS|STEP_FAILURE) - "
)
STEP_GROUPS = {
    "warehouse_dbt_models": "dbt build",
    "raw_accounts_checks": "checks",
    "raw_quality_checks": "checks",
    "warehouse_quality_checks": "checks",
    "serving_database": "publish",
    "dashboard_site": "dashboards",
    "alerts_outbox": "alerts",
}
"""The Dagster steps after ingestion, by the name the benchmark prints."""
FULL_PARSE_EVENTS = ("UnableToPartialParse", "PartialParsingNotEnabled", "ParseCmdOut")


@dataclass(frozen=True)
class Window:
    name: str
    start: float
    """Seconds since the epoch."""
    end: float

    @property
    def seconds(self) -> float:
        return max(self.end - self.start, 0.0)


@dataclass(frozen=True)
class StepMeasurement:
    step: str
    seconds: float
    peak_rss_mb: float
    count: int = 1
    """How many windows (steps, models, tests) the step adds up."""


class ProcessTreeSampler(threading.Thread):
    """Samples the total resident memory of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            rss = tree_rss_bytes(self.pid)
            if rss:
                self.samples.append((time.time(), rss))
            self._done.wait(self.interval)

    def stop(self) -> list[tuple[float, int]]:
        self._done.set()
        self.join()
        return self.samples


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants; 0 once it has exited."""
    total, pending, seen = 0, [pid], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        proc = Path("/proc") / str(current)
        try:
            total += _rss_bytes(proc / "status")
            for task in (proc / "task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _rss_bytes(status: Path) -> int:
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def step_windows(run_log: str) -> list[Window]:
    """The windows of every Dagster step in a run log, in the order they started."""
    started: dict[str, float] = {}
    windows = []
    for line in run_log.splitlines():
        match = STEP_LINE.match(line)
        if not match:
            continue
        stamp = dt.datetime.strptime(match["ts"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if match["event"] == "STEP_START":
            started[match["step"]] = stamp
        elif match["step"] in started:
            windows.append(Window(match["step"], started.pop(match["step"]), stamp))
    return windows


def step_group(step_key: str, sources: Iterable[str]) -> str:
    """A source's step (``raw__usage_daily``): ingest; the others by name."""
    if step_key in STEP_GROUPS:
        return STEP_GROUPS[step_key]
    if step_key.removeprefix("raw__") in set(sources):
        return "ingest"
    return step_key


def dbt_windows(target: Path) -> tuple[list[Window], str | None]:
    """The parse window and one window per node of the last dbt invocation in ``target``,
    and how dbt parsed (``full`` or ``partial``; None when its log is gone)."""
    results = json.loads((target / "run_results.json").read_text())
    invocation = results["metadata"]["invocation_id"]
    nodes = []
    for result in results["results"]:
        timing = [t for t in result.get("timing", []) if t.get("started_at")]
        if timing:
            nodes.append(
                Window(
                    result["unique_id"],
                    _utc_seconds(timing[0]["started_at"]),
                    _utc_seconds(timing[-1]["completed_at"]),
                )
            )
    events = _invocation_events(target, invocation)
    started = _utc_seconds(results["metadata"]["invocation_started_at"])
    parsed = events.get("FoundStats", min((n.start for n in nodes), default=started))
    how = None
    if "FoundStats" in events:
        how = "full" if any(name in events for name in FULL_PARSE_EVENTS) else "partial"
    return [Window("parse", started, parsed), *nodes], how


def _invocation_events(target: Path, invocation: str) -> dict[str, float]:
    """The first timestamp of each event name of interest that dbt logged for ``invocation``."""
    wanted = ("FoundStats", *FULL_PARSE_EVENTS)
    found: dict[str, float] = {}
    for log in sorted(target.glob("dbt.log*")):
        with log.open() as lines:
            for line in lines:
                if invocation not in line or not any(f'"{name}"' in line for name in wanted):
                    continue
                info = json.loads(line)["info"]
                if info["name"] in wanted and info.get("invocation_id") == invocation:
                    stamp = _utc_seconds(info["ts"])
                    found[info["name"]] = min(stamp, found.get(info["name"], stamp))
    return found


def _utc_seconds(stamp: str) -> float:
    parsed = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def peak_mb(samples: Sequence[tuple[float, int]], windows: Iterable[Window]) -> float:
    spans = [(w.start, w.end) for w in windows]
    inside = [rss for t, rss in samples if any(s <= t <= e for s, e in spans)]
    return round(max(inside, default=0) / 2**20)


def measure(name: str, windows: Sequence[Window], samples) -> StepMeasurement:
    return StepMeasurement(
        name, round(sum(w.seconds for w in windows), 1), peak_mb(samples, windows), len(windows)
    )
