"""Evaluate quality checks with Great Expectations 1.x.

GE's SQL datasources over duckdb-engine still have metric bugs, so each check
first shapes a small frame in DuckDB and hands it to GE's pandas datasource.

Bounds that RevOps tunes (:class:`~data_quality.checks.Bound`) are read from the
bounds seed when the check runs. A check with a subject column is validated with
GE's ``COMPLETE`` result format, whose ``unexpected_index_list`` names the rows
that failed; each of those rows gets its own remedy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import warnings
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

import duckdb

from data_quality.checks import (
    Bound,
    Bounds,
    CheckReport,
    Expectation,
    ExpectationOutcome,
    QualityCheck,
    RowOutcome,
    RunValue,
)
from expansion.clock import utc_now

BOUNDS_RELATION = "seeds.calibration_bounds"
"""Where the bounds live in the warehouse (the dbt seed); serving has a published copy."""

BoundValues = Mapping[tuple[str, str], float | None]


@cache
def _batch_definition() -> Any:
    with warnings.catch_warnings():
        # GE imports pyspark when it is installed (the spark extra); pyspark warns that it
        # does not support pandas 3, which GE's pandas frames here never ask of it
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas")
        import great_expectations as gx  # slow to import; only when a check runs

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    asset = context.data_sources.add_pandas("warehouse_frames").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, _, table = relation.rpartition(".")
    found = con.execute(
        """
        select count(*) from information_schema.tables
        where table_schema = coalesce(nullif(?, ''), current_schema()) and table_name = ?
        """,
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def read_bounds(con: duckdb.DuckDBPyConnection, relation: str = BOUNDS_RELATION) -> BoundValues:
    """Every bound of the bounds seed, keyed by (metric, column); numbers as floats."""
    cursor = con.execute(f"select * from {relation}")  # relation: a constant, not data
    columns = [d[0] for d in cursor.description]
    values: dict[tuple[str, str], Any] = {}
    for row in cursor.fetchall():
        record = dict(zip(columns, row, strict=True))
        for column, value in record.items():
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                value = float(value)
            values[(record["metric"], column)] = value
    return values


def _bound_value(bound: Bound, bounds: BoundValues | None) -> Any:
    if bounds is None:
        raise ValueError("this check reads bounds, but none were loaded")
    if (bound.metric, bound.column) not in bounds:
        raise KeyError(f"the bounds seed has no {bound.column!r} for metric {bound.metric!r}")
    return bounds[(bound.metric, bound.column)]


def frame_params(
    check: QualityCheck,
    bounds: BoundValues | None,
    as_of: dt.date | None,
    today: dt.date | None = None,
) -> list[Any]:
    """The check's frame parameters with every :class:`Bound` and :class:`RunValue` resolved."""
    run_values = {
        RunValue.AS_OF_DATE: as_of,
        RunValue.TODAY: today or utc_now().date(),
    }
    resolved = []
    for value in check.params:
        if isinstance(value, Bound):
            value = _bound_value(value, bounds)
        elif isinstance(value, RunValue):
            value = run_values[value]
        resolved.append(value)
    return resolved


def _bounds_read(spec: Expectation) -> tuple[Any, ...]:
    """Every value of the expectation that may be a :class:`Bound`."""
    return (*spec.kwargs.values(), *(spec.band or ()))


def resolve(spec: Expectation, bounds: BoundValues | None) -> Expectation:
    """The expectation with every :class:`Bound` replaced by its value from the seed."""
    if not any(isinstance(v, Bound) for v in _bounds_read(spec)):
        return spec

    def value_of(value: Any) -> Any:
        return _bound_value(value, bounds) if isinstance(value, Bound) else value

    kwargs = {key: value_of(value) for key, value in spec.kwargs.items()}
    band = None if spec.band is None else (value_of(spec.band[0]), value_of(spec.band[1]))
    return replace(spec, kwargs=kwargs, band=band)


def _bounds_used(spec: Expectation) -> Bounds:
    """The band a resolved expectation checks: its verdict's band, else its own bounds."""
    if spec.band is not None:
        return Bounds(*spec.band)
    return Bounds(spec.kwargs.get("min_value"), spec.kwargs.get("max_value"))


def _has_no_bound(spec: Expectation) -> bool:
    if spec.band is not None:
        return all(value is None for value in spec.band)
    keys = ("min_value", "max_value")
    return any(k in spec.kwargs for k in keys) and all(spec.kwargs.get(k) is None for k in keys)


def _suite(name: str, specs: Mapping[int, Expectation]) -> Any:
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=name)
    for index, spec in specs.items():
        expectation_class = getattr(gx.expectations, spec.type)
        notes = f"{spec.severity}: {spec.remedy}"
        suite.add_expectation(expectation_class(**spec.kwargs, meta={"index": index}, notes=notes))
    return suite


def run_check(
    con: duckdb.DuckDBPyConnection,
    check: QualityCheck,
    bounds_relation: str = BOUNDS_RELATION,
    as_of: dt.date | None = None,
) -> CheckReport:
    """Evaluate ``check``; ``as_of`` is the night's pinned as-of date (None when unpinned)."""
    missing = tuple(r for r in check.requires if not relation_exists(con, r))
    if missing:
        return CheckReport(check=check, rows_inspected=0, outcomes=(), missing=missing)
    needs_bounds = any(
        isinstance(v, Bound)
        for v in (*check.params, *(v for spec in check.expectations for v in _bounds_read(spec)))
    )
    bounds = read_bounds(con, bounds_relation) if needs_bounds else None
    frame = con.execute(check.frame_sql, frame_params(check, bounds, as_of)).df()
    specs = {i: resolve(spec, bounds) for i, spec in enumerate(check.expectations)}
    evaluated = {i: spec for i, spec in specs.items() if not _has_no_bound(spec)}

    results: dict[int, Any] = {}
    if evaluated:
        result_format: dict[str, Any] = {"result_format": "SUMMARY"}
        if check.subject_column:
            result_format = {
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [check.subject_column],
            }
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
        validation = batch.validate(_suite(check.name, evaluated), result_format=result_format)
        for expectation_result in validation.results:
            results[expectation_result.expectation_config.meta["index"]] = expectation_result

    records = frame.to_dict("records")
    outcomes = []
    for index, spec in specs.items():
        bounds_used = _bounds_used(spec)
        if index not in results:
            outcomes.append(
                ExpectationOutcome(
                    expectation=_snake(spec.type),
                    column=spec.reported_column,
                    success=True,
                    severity=spec.severity,
                    observed={"skipped": "no bound set in the bounds seed"},
                    remedy=spec.remedy,
                    bounds=bounds_used,
                    skipped=True,
                )
            )
            continue
        result = results[index]
        outcomes.append(
            ExpectationOutcome(
                expectation=result.expectation_config.type,
                column=spec.reported_column,
                success=bool(result.success),
                severity=spec.severity,
                observed=_observed(result.result),
                remedy=spec.remedy,
                bounds=bounds_used,
                rows=_row_outcomes(check, spec, bounds_used, records, result.result),
            )
        )
    return CheckReport(check=check, rows_inspected=len(frame), outcomes=tuple(outcomes))


def _row_outcomes(
    check: QualityCheck,
    spec: Expectation,
    bounds: Bounds,
    records: list[dict[str, Any]],
    result: dict[str, Any],
) -> tuple[RowOutcome, ...]:
    """Every evaluated row (non-null value) of a check with a subject column."""
    subject_column, column = check.subject_column, spec.column
    if subject_column is None or column is None:
        return ()
    failing = {str(r[subject_column]) for r in result.get("unexpected_index_list") or ()}
    rows = []
    for record in records:
        if _plain(record.get(column)) is None:
            continue  # GE skips nulls: this row was not evaluated
        observed = _plain(record.get(spec.reported_column))
        subject = str(record[subject_column])
        passed = subject not in failing
        remedy = None
        if not passed:
            clean = {k: _plain(v) for k, v in record.items()}
            remedy = spec.row_remedy(clean, bounds) if spec.row_remedy else spec.remedy
        rows.append(
            RowOutcome(
                subject=subject,
                passed=passed,
                observed=observed,
                remedy=remedy,
                row={k: _plain(v) for k, v in record.items()},
            )
        )
    return tuple(rows)


def _plain(value: Any) -> Any:
    """numpy / pandas scalars as Python values; NaN and NaT as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, pd.Timestamp):
            return value.date() if value == value.normalize() else value.to_pydatetime()
    except (TypeError, ValueError):
        pass
    return value


def _snake(type_name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in type_name).lstrip("_")


def _observed(result: dict[str, Any]) -> dict[str, Any]:
    """The parts of a GE result worth showing a person."""
    keys = ("observed_value", "element_count", "unexpected_count", "partial_unexpected_list")
    return {k: result[k] for k in keys if k in result}
