"""The nightly refresh job, its schedule and the landing-zone sensor."""

import hashlib
import os
from pathlib import Path

import dagster as dg

from expansion.settings import landing_dir_from_env

NIGHTLY_CRON = os.environ.get("EXPANSION_NIGHTLY_CRON", "0 2 * * *")
NIGHTLY_TIMEZONE = os.environ.get("EXPANSION_TIMEZONE", "UTC")

nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest → dbt build → quality checks → publish → dashboards.",
    # Every step writes the same DuckDB file, which takes one writer at a time.
    executor_def=dg.in_process_executor,
)

nightly_schedule = dg.ScheduleDefinition(
    job=nightly_refresh,
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=NIGHTLY_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def landing_fingerprint(landing: Path) -> str | None:
    """A digest of every landing file's path, size and modification time; None when empty.

    It changes when a file is added, replaced or removed, and costs one ``stat``
    per file, so the sensor can poll a landing zone of thousands of files.
    """
    files = sorted(p for p in landing.rglob("*") if p.is_file()) if landing.is_dir() else []
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path.relative_to(landing)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=nightly_refresh, minimum_interval_seconds=300)
def landing_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """Start a refresh when files in the landing zone are added, replaced or removed."""
    fingerprint = landing_fingerprint(landing_dir_from_env())
    if fingerprint is None:
        return dg.SkipReason("the landing zone is empty")
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed landing files")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)


defs = dg.Definitions(
    jobs=[nightly_refresh], schedules=[nightly_schedule], sensors=[landing_files_sensor]
)
