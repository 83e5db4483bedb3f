"""Publish validated marts to the serving database, then render the dashboards."""

import os
import shutil

import dagster as dg

from data_quality.evaluation import BOUNDS_RELATION
from data_quality.history import HISTORY_TABLE, ensure_history_table
from expansion.alerts import OUTBOX_TABLE
from expansion.dashboards import render_site
from expansion.publish import (
    Publication,
    publish_serving_database,
    recent_windows,
    replace_directory,
)
from expansion.settings import DASHBOARDS_DIR
from orchestration.defs.alerts import alerts_outbox
from orchestration.defs.dbt import DBT_MANIFEST, warehouse_dbt_models
from orchestration.resources import WarehouseResource

SERVING_GROUP = "serving"

EXTRA_TABLES = {
    "alerts_outbox": OUTBOX_TABLE,
    "check_results": HISTORY_TABLE,
    "calibration_bounds": BOUNDS_RELATION,
    "health_score_bands": "seeds.health_score_bands",
    "company_benchmarks": "seeds.company_benchmarks",
    "objection_responses": "seeds.objection_responses",
    "trigger_registry": "seeds.trigger_registry",
}
"""Warehouse relations outside the marts schema that readers need (`expansion check` reads
the published bounds and history; the dashboards draw the health bands and the benchmark
bars from their seeds, show the objection responses on every account page and list the
triggers from their registry)."""


@dg.asset(
    group_name=SERVING_GROUP,
    deps=[warehouse_dbt_models, alerts_outbox],
    kinds={"duckdb"},
    description=(
        "`serving.duckdb`: the marts, the alerts outbox, the check results history and the "
        "calibration bounds, copied after every check passed "
        "and swapped in atomically; what dashboards, BI tools and notebooks open read-only. "
        "Daily histories keep the recent days their dbt yml declares (`meta.serving`)."
    ),
)
def serving_database(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        ensure_history_table(con)  # present even before the first check ran
    result = publish_serving_database(
        warehouse.data.warehouse,
        warehouse.data.serving,
        Publication(as_of_date=warehouse.as_of, run_id=context.run.run_id),
        extra_tables=EXTRA_TABLES,
        windows=recent_windows(DBT_MANIFEST),
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "tables": dg.MetadataValue.json(list(result.tables)),
            "rows": result.rows,
        }
    )


@dg.asset(
    group_name=SERVING_GROUP,
    deps=[serving_database],
    kinds={"html"},
    description="The static dashboard site rendered from the Evidence pages in `dashboards/` "
    "(the account pages shared among one process per core).",
)
def dashboard_site(warehouse: WarehouseResource) -> dg.MaterializeResult:
    site = warehouse.data.site
    staging = site.with_name(site.name + ".rendering")
    shutil.rmtree(staging, ignore_errors=True)
    report = render_site(
        pages_dir=DASHBOARDS_DIR / "pages",
        sources_dir=DASHBOARDS_DIR / "sources",
        serving_db=warehouse.data.serving,
        out_dir=staging,
        workers=os.cpu_count() or 1,
    )
    replace_directory(staging, site)
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(site / "index.html")),
            "pages": len(report.pages),
            "query_errors": len(report.errors),
        }
    )


defs = dg.Definitions(assets=[serving_database, dashboard_site])
