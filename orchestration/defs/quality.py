"""Great Expectations suites reported as Dagster asset checks.

Checks are blocking: an error-level failure - data integrity - stops everything
downstream of the asset it guards (dbt, publishing, dashboards, alerts) for that
run, so the last published serving database stays in place. A warning is shown
and the run goes on. A calibration breach that quarantines a trigger reports as a
warning (Dagster has two severities) naming the trigger in the ``quarantined``
metadata: the night publishes and the trigger's alerts are held (dbt marks its
firings and alert candidates; the outbox holds them).

- The raw suite: blocking checks on the ``raw`` assets (each source's load outcome,
  usage continuity, subscription integrity), on DuckDB views over the raw zone's
  Parquet files whatever engine builds the models. Two steps: ``raw_accounts_checks``
  right after the accounts load, because every other source's load reads the
  accounts (a failed check there stops them), then ``raw_quality_checks`` with the
  others, before dbt.
- The calibration and mart suites: one step, ``warehouse_quality_checks``, after
  dbt, with one blocking check per guarded mart, on a read-only connection.
Each step evaluates its checks in one connection, then - before reporting any
result, so a failing night is recorded too - appends every outcome to
``quality.check_results`` (published with the marts and shown on the dashboards'
Check results page). One step per suite, not one per check: a check's own step
paid for a connection, the raw zone's views and a history write each (0.8-1 s a
check at 10,000 accounts). The nightly job's in-process executor runs them between
the other writers, never beside them.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

import dagster as dg
import duckdb

from data_quality.calibration_suite import CALIBRATION_CHECKS
from data_quality.checks import (
    FAILURE_LINES_METADATA,
    SEVERITY_ORDER,
    CheckReport,
    QualityCheck,
)
from data_quality.evaluation import run_check
from data_quality.history import append_history
from data_quality.marts_suite import mart_checks
from data_quality.raw_suite import RAW_CHECKS
from expansion.clock import utc_now
from orchestration.defs.dbt import DBT_MANIFEST, warehouse_dbt_models
from orchestration.defs.ingestion import ACCOUNTS_RAW_KEY
from orchestration.resources import WarehouseResource

ACCOUNTS_CHECKS = tuple(c for c in RAW_CHECKS if dg.AssetKey(list(c.asset)) == ACCOUNTS_RAW_KEY)
"""The other sources' loads read the accounts: their checks run before those loads."""
OTHER_RAW_CHECKS = tuple(c for c in RAW_CHECKS if c not in ACCOUNTS_CHECKS)
WAREHOUSE_CHECKS: tuple[QualityCheck, ...] = (*CALIBRATION_CHECKS, *mart_checks(DBT_MANIFEST))
MAX_REMEDIES_SHOWN = 25
MAX_FAILURE_LINES = 500
"""Failing rows kept in a check result's metadata; quality.check_results has every one."""


def failure_texts(report: CheckReport) -> list[str]:
    """One plain line per failing row (or expectation), errors first: severity, subject,
    observed value, remedy."""
    lines = []
    for outcome in sorted(report.failures, key=lambda o: SEVERITY_ORDER.index(o.severity)):
        if outcome.failed_rows:
            lines += [
                f"{outcome.severity}: {row.subject} ({outcome.column} = {row.observed}): "
                f"{row.remedy}"
                for row in outcome.failed_rows
            ]
        else:
            lines.append(
                f"{outcome.severity}: {outcome.summary} - {outcome.remedy} "
                f"(observed: {outcome.observed})"
            )
    return lines


def failure_lines(report: CheckReport, limit: int = MAX_REMEDIES_SHOWN) -> list[str]:
    """:func:`failure_texts` as a markdown list, at most ``limit`` items."""
    lines = [f"- {line}" for line in failure_texts(report)]
    if len(lines) > limit:
        lines = [*lines[:limit], f"- … and {len(lines) - limit} more (see quality.check_results)"]
    return lines


def quarantined_triggers(report: CheckReport) -> list[str]:
    """The triggers a report's quarantine-level failures name, sorted."""
    return sorted(
        {
            str(row.row["trigger_id"])
            for outcome in report.failures
            if outcome.severity == "quarantine"
            for row in outcome.failed_rows
            if row.row.get("trigger_id")
        }
    )


def check_result(report: CheckReport) -> dg.AssetCheckResult:
    """A GE check report as a Dagster check result, with every failure's remedy; only an
    error-level failure is an ERROR (blocking), a quarantine or a warning is a WARN."""
    severity = (
        dg.AssetCheckSeverity.ERROR if report.severity == "error" else dg.AssetCheckSeverity.WARN
    )
    metadata: dict[str, dg.MetadataValue | int] = {"rows_inspected": report.rows_inspected}
    if report.failures:
        metadata["failures"] = dg.MetadataValue.md("\n".join(failure_lines(report)))
        metadata[FAILURE_LINES_METADATA] = dg.MetadataValue.json(
            failure_texts(report)[:MAX_FAILURE_LINES]
        )
    quarantined = quarantined_triggers(report)
    if quarantined:
        metadata["quarantined"] = dg.MetadataValue.text(", ".join(quarantined))
    if report.missing:
        metadata["not_evaluated"] = dg.MetadataValue.text("missing: " + ", ".join(report.missing))
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(list(report.check.asset)),
        check_name=report.check.name,
        passed=report.severity is None and not report.missing,
        severity=severity,
        metadata=metadata,
        description=report.check.description,
    )


def log_failures(context: dg.AssetCheckExecutionContext, report: CheckReport) -> None:
    """Every failing row of a check into the run's log (the console shows a few)."""
    for line in failure_texts(report):
        log = context.log.error if line.startswith("error") else context.log.warning
        log(f"{report.check.name}: {line}")


def check_specs(checks: Iterable[QualityCheck]) -> list[dg.AssetCheckSpec]:
    """One blocking Dagster check per quality check, on the asset it guards."""
    return [
        dg.AssetCheckSpec(
            name=c.name,
            asset=dg.AssetKey(list(c.asset)),
            description=c.description,
            blocking=True,
        )
        for c in checks
    ]


def report_checks(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    reports: list[CheckReport],
    as_of: dt.date | None,
) -> Iterator[dg.AssetCheckResult]:
    """Append the reports to quality.check_results, then log and report each one."""
    with warehouse.connect() as con:
        written = append_history(con, reports, context.run.run_id, utc_now(), as_of)
    context.log.info(f"{written} results appended to quality.check_results")
    for report in reports:
        log_failures(context, report)
        yield check_result(report)


def build_raw_checks(name: str, checks: tuple[QualityCheck, ...]) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=name,
        description="Raw suite: what a source's load rejected, refused or dated after the "
        "night; usage continuity; subscription integrity.",
        specs=check_specs(checks),
    )
    def raw_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        with warehouse.raw_reader() as con:
            reports = [run_check(con, check, as_of=warehouse.as_of) for check in checks]
        yield from report_checks(context, warehouse, reports, warehouse.as_of)

    return raw_checks


def checks_on_assets(
    checks: Iterable[QualityCheck], asset_keys: Iterable[dg.AssetKey]
) -> tuple[QualityCheck, ...]:
    """The checks whose asset is defined (a mart that is not built yet has no check)."""
    keys = set(asset_keys)
    return tuple(c for c in checks if dg.AssetKey(list(c.asset)) in keys)


def reported_as_of(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The as-of date the marts were built for (when the run did not pin one)."""
    try:
        return con.execute("select max(as_of_date) from marts.account_profiles").fetchone()[0]
    except duckdb.Error:
        return None


def build_warehouse_checks(checks: tuple[QualityCheck, ...]) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name="warehouse_quality_checks",
        description=(
            "Calibration (SPEC 8) and mart integrity suites; results appended to "
            "quality.check_results (shown on the dashboards' Check results page)."
        ),
        specs=check_specs(checks),
    )
    def warehouse_quality_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ):
        with warehouse.connect(read_only=True) as con:
            reports = [run_check(con, check, as_of=warehouse.as_of) for check in checks]
            as_of = warehouse.as_of or reported_as_of(con)
        yield from report_checks(context, warehouse, reports, as_of)

    return warehouse_quality_checks


defs = dg.Definitions(
    asset_checks=[
        build_raw_checks("raw_accounts_checks", ACCOUNTS_CHECKS),
        build_raw_checks("raw_quality_checks", OTHER_RAW_CHECKS),
        build_warehouse_checks(checks_on_assets(WAREHOUSE_CHECKS, warehouse_dbt_models.keys)),
    ]
)
