"""The refresh benchmark: a full nightly run on a generated company, then the next night.

For each size it generates a company, holds back the last day's daily files,
runs ``expansion refresh`` on the rest (the full build), drops the held-back
files into the landing zone and runs ``expansion refresh`` again (the nightly
increment). Each refresh runs in its own process, so its wall time and peak
resident memory (the largest process among it and the dbt subprocess it
waited for) are measured honestly.
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
from expansion.settings import DEFAULT_ENGINE

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000}


@dataclass(frozen=True)
class RefreshMeasurement:
    run: str
    seconds: float
    peak_rss_mb: float
    exit_code: int


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

    @property
    def nightly_share_of_full(self) -> float:
        return self.nightly.seconds / self.full.seconds

    def render(self) -> str:
        return (
            f"{self.engine}: {self.accounts:,} accounts x {self.days} days "
            f"({self.landing_rows:,} landing rows, {self.landing_bytes / 1e9:.2f} GB): "
            f"generate {self.generate_seconds:.0f} s | "
            f"full refresh {self.full.seconds:.0f} s, peak {self.full.peak_rss_mb:,.0f} MB | "
            f"next night {self.nightly.seconds:.0f} s, peak {self.nightly.peak_rss_mb:,.0f} MB "
            f"({self.nightly_share_of_full:.0%} of full)"
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
    memory comes from the child's rusage."""
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
    completed = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    log.write_text(completed.stdout + completed.stderr)
    peaks = json.loads(completed.stdout.strip().splitlines()[-1])
    peak_kb = max(peaks["peak_kb"], peaks["children_peak_kb"])
    return RefreshMeasurement(run, round(seconds, 1), round(peak_kb / 1024), completed.returncode)


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

    return BenchmarkResult(
        engine=engine,
        accounts=accounts,
        days=days,
        landing_rows=generated.total_rows,
        landing_bytes=generated.total_bytes,
        generate_seconds=round(generated.seconds, 1),
        full=full,
        nightly=nightly,
    )


def result_as_json(result: BenchmarkResult) -> str:
    return json.dumps({**asdict(result), "nightly_share_of_full": result.nightly_share_of_full})


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
