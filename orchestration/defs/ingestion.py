"""Landing zone → the raw zone (Parquet under ``DATA_DIR/raw``): one asset per source of
the input contract."""

import dagster as dg

from expansion.contract import SOURCES, Source, source_named
from expansion.ingest import SourceLoadResult, ingest_source
from orchestration.resources import WarehouseResource

LANDING_GROUP = "landing"
INGESTION_GROUP = "ingestion"


def landing_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["landing", source.name])


def raw_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.name])


def load_metadata(result: SourceLoadResult) -> dict[str, dg.MetadataValue | int | str]:
    """What a load did, as asset metadata: counts, and every reject rule and refusal."""
    metadata: dict[str, dg.MetadataValue | int | str] = {
        "files_loaded": result.files_loaded,
        "files_skipped": result.files_skipped,
        "files_refused": result.files_refused,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
    }
    if result.rejects_by_rule:
        metadata["rejects_by_rule"] = dg.MetadataValue.json(dict(result.rejects_by_rule))
    if result.refusals:
        metadata["refusals"] = dg.MetadataValue.json(list(result.refusals))
    if result.replacements:
        metadata["replacements"] = dg.MetadataValue.json(list(result.replacements))
    return metadata


ACCOUNTS_RAW_KEY = raw_key(source_named("accounts"))
"""Every source whose rows reference an account loads after the accounts (it checks
them against the accounts loaded)."""


def landing_spec(source: Source) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=landing_key(source),
        group_name=LANDING_GROUP,
        description=f"Files dropped under `<landing>/{source.name}/`. {source.description}",
        kinds={"file"},
    )


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    deps = [landing_key(source)]
    if source.references_account:
        deps.append(ACCOUNTS_RAW_KEY)

    @dg.asset(
        key=raw_key(source),
        group_name=INGESTION_GROUP,
        deps=deps,
        description=(
            f"Validated rows of `{source.name}` (key: {', '.join(source.key)}) in "
            f"`raw/{source.name}/`, one Parquet file per landing file; rows that break a "
            "contract rule are in `raw/_rejects/`, files are tracked in `raw/_load_ledger/`."
        ),
        kinds={"parquet"},
    )
    def raw_source(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        with warehouse.ingestion_engine() as engine:
            result = ingest_source(warehouse.raw_zone, warehouse.landing, source, engine=engine)
        for refusal in result.refusals:
            context.log.error(refusal)
        for replacement in result.replacements:
            context.log.info(replacement)
        return dg.MaterializeResult(metadata=load_metadata(result))

    return raw_source


defs = dg.Definitions(
    assets=[landing_spec(s) for s in SOURCES] + [build_raw_asset(s) for s in SOURCES],
)
