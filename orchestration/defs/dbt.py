"""The dbt project as Dagster assets; dbt tests become asset checks."""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from expansion.settings import AS_OF_DATE_ENV, DBT_EXECUTABLE, DBT_PROJECT_DIR, PROJECT_ROOT
from expansion.spark_marts import drop_spark_views, expose_spark_tables
from orchestration.dbt_invocation import (
    build_fingerprint,
    dbt_build_args,
    dbt_environment,
    environment,
    parse_when_stale,
    rebuild_reasons,
)
from orchestration.resources import WarehouseResource

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

dbt_cli = DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_EXECUTABLE))


def prepare_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or out of date."""
    return parse_when_stale(
        dbt_project.manifest_path,
        PROJECT_ROOT,
        lambda: dbt_cli.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait(),
    )


DBT_MANIFEST: Mapping[str, Any] = json.loads(prepare_manifest().read_text())
"""The parsed project: its models become assets; the publication windows and the mart
integrity checks are read from their YAML through it."""


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Groups follow the model folders (staging, intermediate, marts); seeds are one group."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2:
            return fqn[1]
        return dbt_resource_props["resource_type"] + "s"


@dbt_assets(
    manifest=DBT_MANIFEST,
    project=dbt_project,
    dagster_dbt_translator=WarehouseDbtTranslator(),
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    # dbt runs in a subprocess that reads its target (the engine), the raw zone, the
    # warehouse path and the as-of date from its environment, which the invocation copies
    # when it starts. Its target folder is the data directory's own, the same every night:
    # dbt reuses the last night's parse there (partial parsing), and the benchmark reads
    # the night's run_results.json from it.
    # A night is incremental unless the code, a seed or dbt changed since the warehouse's
    # last successful build: then every incremental model is rebuilt from scratch.
    fingerprint_file = warehouse.data.build_fingerprint
    fingerprint = build_fingerprint(DBT_MANIFEST, warehouse.engine)
    previous = json.loads(fingerprint_file.read_text()) if fingerprint_file.exists() else None
    reasons = rebuild_reasons(previous, fingerprint)
    if reasons:
        shown = reasons[:10] + ([f"... {len(reasons) - 10} more"] if len(reasons) > 10 else [])
        context.log.info("full rebuild (dbt --full-refresh): " + "; ".join(shown))
    if warehouse.engine != "spark":
        with warehouse.connect() as con:
            dropped = drop_spark_views(con)
        if dropped:
            context.log.info(f"{dropped} views over a Spark night's tables dropped")
    variables = dbt_environment(warehouse.data, warehouse.engine) | {
        AS_OF_DATE_ENV: warehouse.as_of_date or "",
    }
    with environment(variables):
        invocation = dbt.cli(
            dbt_build_args(full_refresh=bool(reasons)),
            context=context,
            target_path=warehouse.data.dbt_target,
        )
    yield from invocation.stream()
    if warehouse.engine == "spark":
        # the checks, the alerts and publish read the warehouse file's marts and seeds
        with warehouse.connect() as con:
            exposed = expose_spark_tables(con, warehouse.data.spark / "warehouse")
        context.log.info(f"views over Spark's tables in {warehouse.data.warehouse}: {exposed}")
    if not context.is_subset:  # a build of some models only leaves the others as they were
        written = fingerprint_file.with_name(fingerprint_file.name + ".writing")
        written.write_text(json.dumps(fingerprint, indent=1, sort_keys=True))
        written.replace(fingerprint_file)  # whole or not at all


defs = dg.Definitions(
    assets=[warehouse_dbt_models],
    resources={"dbt": dbt_cli},
)
