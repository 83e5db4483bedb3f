"""The single entry point for Dagster: ``dagster dev -m orchestration.definitions``.

Each concern lives in its own module under ``orchestration/defs``; this file
merges them and applies project-wide policy once (the shared resources).
"""

import dagster as dg

from orchestration.defs import alerts, dbt, ingestion, jobs, quality, serving
from orchestration.resources import WarehouseResource

defs = dg.Definitions.merge(
    ingestion.defs,
    dbt.defs,
    alerts.defs,
    quality.defs,
    serving.defs,
    jobs.defs,
    dg.Definitions(resources={"warehouse": WarehouseResource.from_environment()}),
)
