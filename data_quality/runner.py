"""Evaluate quality checks with Great Expectations 1.x.

GE's SQL datasources over duckdb-engine still have metric bugs, so each check
first shapes a small frame in DuckDB and hands it to GE's pandas datasource.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import duckdb

from data_quality.checks import CheckReport, ExpectationOutcome, QualityCheck


@cache
def _batch_definition() -> Any:
    import great_expectations as gx  # slow to import; only when a check runs

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    asset = context.data_sources.add_pandas("warehouse_frames").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _suite(check: QualityCheck) -> Any:
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=check.name)
    for index, spec in enumerate(check.expectations):
        expectation_class = getattr(gx.expectations, spec.type)
        suite.add_expectation(expectation_class(**spec.kwargs, meta={"index": index}))
    return suite


def run_check(con: duckdb.DuckDBPyConnection, check: QualityCheck) -> CheckReport:
    frame = con.execute(check.frame_sql, list(check.params)).df()
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(_suite(check))
    outcomes: dict[int, ExpectationOutcome] = {}
    for expectation_result in result.results:
        config = expectation_result.expectation_config
        index = config.meta["index"]
        spec = check.expectations[index]
        outcomes[index] = ExpectationOutcome(
            expectation=config.type,
            column=spec.kwargs.get("column"),
            success=bool(expectation_result.success),
            severity=spec.severity,
            observed=_observed(expectation_result.result),
            remedy=spec.remedy,
        )
    ordered = tuple(outcomes[i] for i in sorted(outcomes))
    return CheckReport(check=check, rows_inspected=len(frame), outcomes=ordered)


def _observed(result: dict[str, Any]) -> dict[str, Any]:
    """The parts of a GE result worth showing a person."""
    keys = ("observed_value", "element_count", "unexpected_count", "partial_unexpected_list")
    return {k: result[k] for k in keys if k in result}
