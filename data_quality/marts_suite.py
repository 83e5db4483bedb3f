"""Integrity expectations on every published mart (what readers of serving.duckdb rely on).

Per mart, one frame row of counts, each expected to be 0: rows sharing a key,
null keys, fractions outside 0-1, scores outside 0-100, and dates after the
as-of date (``marts.dim_accounts.as_of_date``). The two daily marts are checked
on their most recent days only, like their dbt key tests. NRR is checked row by
row against the ``segment_nrr`` bounds of ``seeds.calibration_bounds`` (0-3),
so a breach names the segment, the month and the cohort size. A ratio over a
tiny cohort is not a data error - one account that grew fourfold makes a
cohort of two show an NRR above 3 - so the breach blocks publishing only on a
cohort of at least the bounds' ``sample_size`` accounts (30); on a smaller one
it warns. (The dbt tests of ``segment_nrr`` check its identities, not its range.)

Identifiers below are constants of this module (never data), so the SQL is
assembled from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data_quality.checks import Bound, Bounds, Expectation, QualityCheck

NRR_SAMPLE_SIZE = Bound("segment_nrr", "sample_size")
"""The fewest cohort accounts on which an NRR outside the bounds blocks publishing."""

RECENT_DAYS = 7
"""Days of the large daily marts re-checked each night (dbt's ``large_model_test_days``)."""

AS_OF_SQL = "(select max(as_of_date) from marts.dim_accounts)"


@dataclass(frozen=True)
class MartSpec:
    name: str
    keys: tuple[str, ...]
    fractions: tuple[str, ...] = ()
    """Columns that are fractions: 0 to 1."""
    scores: tuple[str, ...] = ()
    """Columns on a 0-100 scale (health, readiness)."""
    dates: tuple[str, ...] = ()
    """Columns that may not be after the as-of date."""
    recent_date: str | None = None
    """For the large daily marts: only rows of the last RECENT_DAYS days are checked."""


PUBLISHED_MARTS: tuple[MartSpec, ...] = (
    MartSpec("dim_accounts", ("account_id",), dates=("as_of_date",)),
    MartSpec("arr_movements", ("account_id", "month_end_date"), dates=("month_end_date",)),
    MartSpec(
        "segment_nrr", ("segment", "month_end_date"), fractions=("grr",), dates=("month_end_date",)
    ),
    MartSpec("segment_arr_bridge", ("segment", "month_end_date"), dates=("month_end_date",)),
    MartSpec(
        "expansion_metrics_quarterly",
        ("segment", "quarter_start_date"),
        fractions=(
            "expansion_revenue_rate",
            "expansion_win_rate",
            "expanded_logo_churn_rate",
            "never_expanded_logo_churn_rate",
        ),
        dates=("quarter_start_date",),
    ),
    MartSpec(
        "account_health_daily",
        ("account_id", "score_date"),
        scores=("health_score",),
        dates=("score_date",),
        recent_date="score_date",
    ),
    MartSpec(
        "readiness_gate_daily",
        ("account_id", "as_of_date"),
        dates=("as_of_date",),
        recent_date="as_of_date",
    ),
    MartSpec(
        "account_readiness_scores",
        ("account_id",),
        scores=("weighted_readiness_score",),
        dates=("as_of_date",),
    ),
    MartSpec(
        "account_readiness_score_items", ("account_id", "score", "item"), dates=("as_of_date",)
    ),
    MartSpec(
        "expansion_scorecard",
        ("account_id",),
        scores=("health_score", "expansion_readiness"),
        dates=("as_of_date",),
    ),
    MartSpec("trigger_firings", ("account_id", "trigger_id", "fired_on"), dates=("fired_on",)),
    MartSpec(
        "trigger_threshold_sweep",
        ("trigger_id", "segment", "threshold_value"),
        fractions=("firing_rate", "precision", "base_expansion_rate"),
        dates=("window_end",),
    ),
    MartSpec(
        "trigger_backtest",
        ("trigger_id", "segment", "window_start"),
        fractions=("firing_rate", "precision", "base_expansion_rate", "suggested_firing_rate"),
        dates=("window_end",),
    ),
    MartSpec("alert_candidates", ("dedupe_key",), dates=("fired_on",)),
    MartSpec(
        "calibration_trigger_firing_rates",
        ("trigger_id", "segment", "window_start"),
        fractions=("firing_rate", "precision"),
        dates=("window_end",),
    ),
    MartSpec(
        "calibration_readiness_gate",
        ("segment",),
        fractions=("gate_pass_rate", "gate_recall"),
        dates=("sample_last_expansion_date",),
    ),
    MartSpec("whitespace_coverage", ("segment",), fractions=("coverage",), dates=("as_of_date",)),
)


def _quoted(identifier: str) -> str:
    """A column of the mart (aliased ``mart`` in the frame SQL)."""
    return 'mart."' + identifier + '"'


def integrity_frame_sql(spec: MartSpec) -> str:
    keys = ", ".join(_quoted(k) for k in spec.keys)
    key_tuple = f"({keys},)" if len(spec.keys) == 1 else f"({keys})"
    recent = (
        f"where {_quoted(spec.recent_date)} > reference.as_of_date - {RECENT_DAYS}"
        if spec.recent_date
        else ""
    )
    measures = [
        "count(*) as rows_checked",
        f"count(*) - count(distinct {key_tuple}) as rows_sharing_a_key",
        "count(*) filter (where "
        + " or ".join(f"{_quoted(k)} is null" for k in spec.keys)
        + ") as rows_with_a_null_key",
    ]
    fractions = [f"{_quoted(c)} not between 0 and 1" for c in spec.fractions]
    scores = [f"{_quoted(c)} not between 0 and 100" for c in spec.scores]
    dates = [f"{_quoted(c)} > reference.as_of_date" for c in spec.dates]
    measures.append(
        f"count(*) filter (where {' or '.join(fractions) or 'false'}) as fractions_outside_0_1"
    )
    measures.append(
        f"count(*) filter (where {' or '.join(scores) or 'false'}) as scores_outside_0_100"
    )
    measures.append(
        f"count(*) filter (where {' or '.join(dates) or 'false'}) as rows_after_as_of_date"
    )
    return f"""
        with reference as (select {AS_OF_SQL} as as_of_date)
        select
            'marts.{spec.name}' as subject,
            {", ".join(measures)}
        from marts.{spec.name} as mart
        cross join reference
        {recent}
    """


def _describe(spec: MartSpec, measure: str) -> str:
    return {
        "rows_sharing_a_key": f"share a key ({', '.join(spec.keys)})",
        "rows_with_a_null_key": f"have a null key ({', '.join(spec.keys)})",
        "fractions_outside_0_1": f"have a fraction outside 0-1 ({', '.join(spec.fractions)})",
        "scores_outside_0_100": f"have a score outside 0-100 ({', '.join(spec.scores)})",
        "rows_after_as_of_date": f"are dated after the as-of date ({', '.join(spec.dates)})",
    }[measure]


def _integrity_remedy(spec: MartSpec, measure: str):
    def remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
        scope = f" of the last {RECENT_DAYS} days" if spec.recent_date else ""
        return (
            f"fix the model {spec.name} and rebuild: {row[measure]} of {row['rows_checked']} rows"
            f"{scope} in marts.{spec.name} {_describe(spec, measure)}; "
            f"`dbt build --select {spec.name}` shows the failing dbt test"
        )

    return remedy


def integrity_check(spec: MartSpec) -> QualityCheck:
    measures = ["rows_sharing_a_key", "rows_with_a_null_key"]
    measures += ["fractions_outside_0_1"] if spec.fractions else []
    measures += ["scores_outside_0_100"] if spec.scores else []
    measures += ["rows_after_as_of_date"] if spec.dates else []
    return QualityCheck(
        name=f"mart_{spec.name}_integrity",
        asset=("marts", spec.name),
        description=(
            f"marts.{spec.name}: keys ({', '.join(spec.keys)}) unique and not null"
            + (", fractions in 0-1" if spec.fractions else "")
            + (", scores in 0-100" if spec.scores else "")
            + (", no date after the as-of date" if spec.dates else "")
            + (f" (last {RECENT_DAYS} days)" if spec.recent_date else "")
            + "."
        ),
        frame_sql=integrity_frame_sql(spec),
        subject_column="subject",
        requires=(f"marts.{spec.name}", "marts.dim_accounts"),
        expectations=tuple(
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": measure, "max_value": 0},
                "error",
                f"marts.{spec.name}: rows that {_describe(spec, measure)}; fix the model.",
                row_remedy=_integrity_remedy(spec, measure),
                bounds_as_percent=False,
            )
            for measure in measures
        ),
    )


def _nrr_figures(row: Mapping[str, Any]) -> str:
    accounts = row["cohort_accounts"]
    return (
        f"{row['segment']} NRR for the 12 months to {row['month_end_date']} is "
        f"{row['nrr_observed']:.2f} (ARR {row['ending_arr_usd']:,.0f} now / "
        f"{row['starting_arr_usd']:,.0f} then) over a cohort of {accounts:,} "
        f"account{'' if accounts == 1 else 's'}"
    )


def nrr_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    return (
        f"{_nrr_figures(row)}, outside {bounds.describe(as_percent=False)}: on a cohort this "
        "large that is a data error (ARR units, or a broken cohort): check the subscription "
        "export and int_nrr_cohort_accounts"
    )


def small_cohort_nrr_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    return (
        f"{_nrr_figures(row)}, outside {bounds.describe(as_percent=False)}, and the cohort is "
        f"smaller than the {row['sample_size']:,.0f} accounts (calibration_bounds.sample_size) "
        "on which that would be a data error: one account's expansion moves a ratio this "
        "much. Nothing to fix unless that account's ARR is wrong"
    )


def _nrr_expectation(column: str, severity: str, remedy: str, row_remedy) -> Expectation:
    return Expectation(
        "ExpectColumnValuesToBeBetween",
        {
            "column": column,
            "min_value": Bound("segment_nrr", "error_min"),
            "max_value": Bound("segment_nrr", "error_max"),
        },
        severity,  # type: ignore[arg-type]
        remedy,
        row_remedy=row_remedy,
        bounds_as_percent=False,
    )


SEGMENT_NRR_RANGE = QualityCheck(
    name="mart_segment_nrr_range",
    asset=("marts", "segment_nrr"),
    description=(
        "Every segment's trailing-12-month NRR within the segment_nrr bounds (0-3): an error "
        "on a cohort of at least sample_size accounts (30), a warning on a smaller one."
    ),
    frame_sql="""
        with nrr as (
            select
                segment || ' · ' || cast(month_end_date as varchar) as subject,
                segment,
                month_end_date,
                cohort_accounts,
                coalesce(cast(? as double), 0) as sample_size,
                cast(nrr as double) as nrr_observed,
                cast(starting_arr_usd as double) as starting_arr_usd,
                cast(ending_arr_usd as double) as ending_arr_usd
            from marts.segment_nrr
        )
        select
            *,
            case when cohort_accounts >= sample_size then nrr_observed end as nrr,
            case when cohort_accounts < sample_size then nrr_observed end as nrr_small_cohort
        from nrr
        order by segment, month_end_date
    """,
    params=(NRR_SAMPLE_SIZE,),
    subject_column="subject",
    requires=("marts.segment_nrr",),
    expectations=(
        _nrr_expectation(
            "nrr",
            "error",
            "An NRR outside 0-3 on a cohort of at least sample_size accounts is a data error: "
            "check the subscription export.",
            nrr_remedy,
        ),
        _nrr_expectation(
            "nrr_small_cohort",
            "warn",
            "An NRR outside 0-3 on a cohort smaller than sample_size accounts: one account "
            "moves the ratio that much; not a data error.",
            small_cohort_nrr_remedy,
        ),
    ),
)

MART_CHECKS: tuple[QualityCheck, ...] = (
    *(integrity_check(spec) for spec in PUBLISHED_MARTS),
    SEGMENT_NRR_RANGE,
)
