"""The dbt project as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from expansion.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, PROJECT_ROOT
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
    # dbt runs in a subprocess that reads its target, the raw zone and the warehouse
    # path from its environment, which the invocation copies when it starts.
    with environment(dbt_environment(warehouse.data, warehouse.engine)):
        invocation = dbt.cli(dbt_build_args(warehouse.as_of), context=context)
    yield from invocation.stream()


defs = dg.Definitions(
    assets=[warehouse_dbt_models],
    resources={"dbt": dbt_cli},
)
