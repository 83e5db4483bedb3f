"""The dbt project as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from expansion.settings import AS_OF_DATE_ENV, DBT_EXECUTABLE, DBT_PROJECT_DIR, PROJECT_ROOT
from orchestration.dbt_invocation import (
    dbt_build_args,
    dbt_environment,
    environment,
    manifest_is_stale,
)
from orchestration.resources import WarehouseResource

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

dbt_cli = DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_EXECUTABLE))


def prepare_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or out of date."""
    if manifest_is_stale(dbt_project.manifest_path, PROJECT_ROOT):
        dbt_cli.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return dbt_project.manifest_path


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Groups follow the model folders (staging, intermediate, marts); seeds are one group."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2:
            return fqn[1]
        return dbt_resource_props["resource_type"] + "s"


@dbt_assets(
    manifest=prepare_manifest(),
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
    variables = dbt_environment(warehouse.data, warehouse.engine) | {
        AS_OF_DATE_ENV: warehouse.as_of_date or ""
    }
    with environment(variables):
        invocation = dbt.cli(
            dbt_build_args(), context=context, target_path=warehouse.data.dbt_target
        )
    yield from invocation.stream()


defs = dg.Definitions(
    assets=[warehouse_dbt_models],
    resources={"dbt": dbt_cli},
)
