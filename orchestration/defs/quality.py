"""Great Expectations suites reported as Dagster asset checks.

Checks are blocking: an error-level failure stops everything downstream of the
asset it guards (dbt, publishing, dashboards, alerts) for that run, so the last
published serving database stays in place. A warning is shown and the run goes on.
"""

import dagster as dg

from data_quality.checks import CheckReport, QualityCheck
from data_quality.raw_suite import RAW_CHECKS
from data_quality.runner import run_check
from orchestration.resources import WarehouseResource


def check_result(report: CheckReport) -> dg.AssetCheckResult:
    """A GE check report as a Dagster check result, with every failure's remedy."""
    severity = (
        dg.AssetCheckSeverity.ERROR if report.severity == "error" else dg.AssetCheckSeverity.WARN
    )
    metadata: dict[str, dg.MetadataValue | int] = {"rows_inspected": report.rows_inspected}
    if report.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(
                f"- **{f.summary}** — {f.remedy} (observed: {f.observed})" for f in report.failures
            )
        )
    return dg.AssetCheckResult(
        passed=report.severity is None,
        severity=severity,
        metadata=metadata,
        description=report.check.description,
    )


def build_asset_check(check: QualityCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(check.asset)),
        name=check.name,
        description=check.description,
        blocking=True,
    )
    def quality_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            return check_result(run_check(con, check))

    return quality_check


defs = dg.Definitions(asset_checks=[build_asset_check(c) for c in RAW_CHECKS])
