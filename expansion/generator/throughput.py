"""Benchmark tiers: how long the generator takes, how much it writes, how much memory it needs.

Each tier runs in its own Python process, so its peak resident memory
(``ru_maxrss`` of that process) is measured honestly and not inflated by an
earlier, larger tier. Run ``python -m expansion.generator.throughput`` or call
:func:`run_benchmark`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TIERS = {"S": 1_000, "M": 10_000, "L": 100_000}


def run_benchmark(
    tiers: Sequence[str] = ("S", "M", "L"), days: int = 400, workdir: Path | None = None
) -> list[dict]:
    """Generate each tier in a subprocess; print and return rows, bytes, seconds, peak RSS."""
    results = []
    with tempfile.TemporaryDirectory(prefix="expansion-bench-") as scratch:
        root = Path(workdir) if workdir else Path(scratch)
        for tier in tiers:
            out = root / f"tier_{tier}" / "landing"
            command = [
                sys.executable,
                "-m",
                "expansion.generator.throughput",
                "--child",
                str(TIERS[tier]),
                str(days),
                str(out),
            ]
            started = time.perf_counter()
            completed = subprocess.run(command, check=True, capture_output=True, text=True)
            measured = json.loads(completed.stdout.strip().splitlines()[-1])
            result = {
                "tier": tier,
                "accounts": TIERS[tier],
                "days": days,
                **measured,
                "wall_seconds": round(time.perf_counter() - started, 1),
            }
            results.append(result)
            print(_format(result), flush=True)
    return results


def _format(result: dict) -> str:
    return (
        f"{result['tier']}: {result['accounts']:,} accounts x {result['days']} days — "
        f"{result['rows']:,} rows, {result['bytes'] / 1e9:.2f} GB, {result['files']:,} files, "
        f"{result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']:,.0f} MB"
    )


def _child(accounts: int, days: int, out: Path) -> None:
    """Generate one tier in this process and print its measurements as one JSON line."""
    import resource

    from expansion.generator import GeneratorConfig, generate

    report = generate(GeneratorConfig(accounts=accounts, days=days, out=out))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    usage_rows = report.rows["usage_daily"]
    print(
        json.dumps(
            {
                "rows": report.total_rows,
                "usage_rows": usage_rows,
                "feature_usage_rows": report.rows["feature_usage_daily"],
                "bytes": report.total_bytes,
                "files": report.files,
                "seconds": report.seconds,
                "peak_rss_mb": round(peak_kib / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    else:
        run_benchmark(sys.argv[1:] or ("S", "M", "L"))
