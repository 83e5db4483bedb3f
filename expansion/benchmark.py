"""The refresh benchmark: a full nightly run on a generated company, then the next night.

For each size it generates a company, holds back the last day's daily files,
runs ``expansion refresh`` on the rest (the full build), drops the held-back
files into the landing zone and runs ``expansion refresh`` again (the nightly
increment). Each refresh runs in its own process, so its wall time and peak
resident memory (the largest process among it and the dbt subprocess it
waited for) are measured honestly; while it runs, the resident memory of its
process tree is sampled, and each step's seconds and peak come from the run
log and dbt's artifacts (:mod:`expansion.refresh_steps`). Last, the lower bound
(:mod:`expansion.lower_bound`, a plain DuckDB script of the core workload) runs
on the same landing zone, and both refreshes are given as a multiple of it.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from expansion.contract import SOURCES
from expansion.generator import GeneratorConfig, generate
from expansion.lower_bound import run_lower_bound
from expansion.refresh_steps import (
    ProcessTreeSampler,
    StepMeasurement,
    Window,
    dbt_windows,
    measure,
    step_group,
    step_windows,
)
from expansion.runner import LOG_FILE_NAME
from expansion.settings import DEFAULT_ENGINE, DataDir

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000}
SLOWEST_MODELS = 10
"""Models listed one by one under the dbt build; the others are added up."""


@dataclass(frozen=True)
class RefreshMeasurement:
    run: str
    seconds: float
    peak_rss_mb: float
    exit_code: int
    steps: tuple[StepMeasurement, ...] = ()

    def render(self, title: str) -> str:
        lines = [f"{title}: {self.seconds:.0f} s, peak {self.peak_rss_mb:,.0f} MB"]
        lines += [
            f"  {step.step:<52} {step.seconds:>8.1f} s {step.peak_rss_mb:>8,.0f} MB"
            for step in self.steps
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class BenchmarkResult:
    engine: str
    accounts: int
    days: int
    landing_rows: int
    landing_bytes: int
    generate_seconds: float
    full: RefreshMeasurement
    nightly: RefreshMeasurement
    lower_bound_seconds: float
    """The plain DuckDB script (expansion/lower_bound.sql) on the whole landing zone."""

    @property
    def nightly_share_of_full(self) -> float:
        return self.nightly.seconds / self.full.seconds

    def times_lower_bound(self, seconds: float) -> float:
        return seconds / max(self.lower_bound_seconds, 0.1)

    def render(self) -> str:
        return (
            f"{self.engine}: {self.accounts:,} accounts x {self.days} days "
            f"({self.landing_rows:,} landing rows, {self.landing_bytes / 1e9:.2f} GB): "
            f"generate {self.generate_seconds:.0f} s | "
            f"full refresh {self.full.seconds:.0f} s, peak {self.full.peak_rss_mb:,.0f} MB | "
            f"next night {self.nightly.seconds:.0f} s, peak {self.nightly.peak_rss_mb:,.0f} MB "
            f"({self.nightly_share_of_full:.0%} of full)\n"
            + self.full.render("full refresh")
            + "\n"
            + self.nightly.render("next night")
            + f"\nlower bound (expansion/lower_bound.sql, plain DuckDB, same landing zone): "
            f"{self.lower_bound_seconds:.1f} s; full refresh "
            f"{self.times_lower_bound(self.full.seconds):.1f}x it, next night "
            f"{self.times_lower_bound(self.nightly.seconds):.1f}x it"
        )


def hold_back_last_day(landing: Path, holding: Path, last_day: str) -> list[Path]:
    """Move every daily source's file for ``last_day`` out of the landing zone."""
    moved = []
    for source in SOURCES:
        if not source.daily:
            continue
        for path in (landing / source.name).glob(f"{last_day}.*"):
            target = holding / source.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            moved.append(target)
    return moved


def restore(holding: Path, landing: Path, files: list[Path]) -> None:
    for path in files:
        shutil.move(path, landing / path.relative_to(holding))


def measure_refresh(
    run: str, landing: Path, data_dir: Path, log: Path, engine: str
) -> RefreshMeasurement:
    """Run one refresh in a child process (:func:`refresh_reporting_peak_memory`); its peak
    memory is :func:`refresh_peak_mb`, the steps' figures come from its run log, dbt's
    artifacts and the sampled process tree."""
    command = [
        sys.executable,
        "-m",
        "expansion.benchmark",
        "refresh",
        "--landing",
        str(landing),
        "--data-dir",
        str(data_dir),
        "--engine",
        engine,
    ]
    started = time.perf_counter()
    started_at = time.time()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = ProcessTreeSampler(child.pid)
    sampler.start()
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    samples = sampler.stop()
    log.write_text(stdout + stderr)
    peaks = json.loads(stdout.strip().splitlines()[-1])
    steps = refresh_steps(DataDir(data_dir), samples, started_at, started_at + seconds)
    return RefreshMeasurement(
        run,
        round(seconds, 1),
        refresh_peak_mb(max(peaks["peak_kb"], peaks["children_peak_kb"]), samples),
        child.returncode,
        tuple(steps),
    )


def refresh_peak_mb(largest_process_kb: int, tree_samples: list[tuple[float, int]]) -> float:
    """The refresh's peak resident memory: the larger of its largest process's own peak
    (rusage: exact, but blind to a grandchild nobody waited for, such as the JVM that
    dbt-spark starts in session mode) and the largest sample of its whole process tree."""
    tree_peak_bytes = max((rss for _, rss in tree_samples), default=0)
    return round(max(largest_process_kb * 1024, tree_peak_bytes) / 2**20)


def refresh_steps(
    data: DataDir, samples: list[tuple[float, int]], started_at: float, ended_at: float
) -> list[StepMeasurement]:
    """Seconds and peak memory per step of the refresh whose log and dbt artifacts are in
    ``data``: start-up, ingest, the dbt build (parse, the slowest models, the other
    models, seeds, data tests, unit tests), checks, publish, dashboards, alerts."""
    windows = step_windows((data.logs / LOG_FILE_NAME).read_text())
    if not windows:
        return []
    by_group: dict[str, list[Window]] = {}
    for window in windows:
        by_group.setdefault(step_group(window.name, (s.name for s in SOURCES)), []).append(window)
    start_up = Window("start-up", started_at, windows[0].start)
    steps = [measure("start-up (imports, Dagster, dbt manifest)", [start_up], samples)]
    for group, group_windows in by_group.items():
        label = group if len(group_windows) == 1 else f"{group} ({len(group_windows)} steps)"
        steps.append(measure(label, group_windows, samples))
        if group == "dbt build" and (data.dbt_target / "run_results.json").exists():
            steps += dbt_steps(data.dbt_target, samples)
    steps.append(measure("wrap-up", [Window("wrap-up", windows[-1].end, ended_at)], samples))
    return steps


def dbt_steps(target: Path, samples: list[tuple[float, int]]) -> list[StepMeasurement]:
    windows, how_parsed = dbt_windows(target)
    parse, nodes = windows[0], windows[1:]
    by_kind: dict[str, list[Window]] = {}
    for node in nodes:
        by_kind.setdefault(node.name.split(".")[0], []).append(node)
    models = sorted(by_kind.get("model", []), key=lambda w: -w.seconds)
    steps = [measure(f"  parse ({how_parsed or 'unknown'})", [parse], samples)]
    if models:
        steps.append(measure(f"  models ({len(models)})", models, samples))
    steps += [
        measure(f"    {w.name.split('.')[-1]}", [w], samples) for w in models[:SLOWEST_MODELS]
    ]
    if models[SLOWEST_MODELS:]:
        others = models[SLOWEST_MODELS:]
        steps.append(measure(f"    the other {len(others)} models", others, samples))
    for kind, label in (("seed", "seeds"), ("test", "data tests"), ("unit_test", "unit tests")):
        if by_kind.get(kind):
            steps.append(measure(f"  {label} ({len(by_kind[kind])})", by_kind[kind], samples))
    return steps


def run_refresh_benchmark(
    accounts: int, days: int, workdir: Path, engine: str = DEFAULT_ENGINE
) -> BenchmarkResult:
    workdir.mkdir(parents=True, exist_ok=True)
    landing, data_dir, holding = workdir / "landing", workdir / "data", workdir / "next_night"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(holding, ignore_errors=True)

    config = GeneratorConfig(accounts=accounts, days=days, out=landing)
    generated = generate(config)
    held_back = hold_back_last_day(landing, holding, config.end_date.isoformat())

    full = measure_refresh("full", landing, data_dir, workdir / "full_refresh.log", engine)
    if full.exit_code != 0:
        raise RuntimeError(f"the full refresh failed; see {workdir / 'full_refresh.log'}")
    restore(holding, landing, held_back)
    nightly = measure_refresh("nightly", landing, data_dir, workdir / "nightly_refresh.log", engine)
    if nightly.exit_code != 0:
        raise RuntimeError(f"the nightly refresh failed; see {workdir / 'nightly_refresh.log'}")
    lower_bound = run_lower_bound(landing, config.end_date)

    return BenchmarkResult(
        engine=engine,
        accounts=accounts,
        days=days,
        landing_rows=generated.total_rows,
        landing_bytes=generated.total_bytes,
        generate_seconds=round(generated.seconds, 1),
        full=full,
        nightly=nightly,
        lower_bound_seconds=lower_bound.seconds,
    )


def result_as_json(result: BenchmarkResult) -> str:
    return json.dumps(
        {
            **asdict(result),
            "nightly_share_of_full": result.nightly_share_of_full,
            "full_times_lower_bound": result.times_lower_bound(result.full.seconds),
            "nightly_times_lower_bound": result.times_lower_bound(result.nightly.seconds),
        }
    )


def refresh_reporting_peak_memory(argv: list[str]) -> int:
    """``expansion <argv>``, then its peak resident memory and that of the largest child it
    waited for, as a JSON line. A module run with ``-m``, not ``python -c``: pyspark (which
    Great Expectations imports when the spark extra is installed) takes a ``__main__``
    without a file for its own doctests and exits."""
    from expansion.cli import main

    code = main(argv)
    peaks = {
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    print(json.dumps(peaks), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(refresh_reporting_peak_memory(sys.argv[1:]))
