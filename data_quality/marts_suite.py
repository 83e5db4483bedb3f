"""Integrity expectations on every published mart (what readers of serving.duckdb rely on).

Per mart, one frame row of counts, each expected to be 0: rows sharing a key,
null keys, fractions outside 0-1, scores outside 0-100, and dates after the
as-of date (``marts.account_profiles.as_of_date``). What to check is read from dbt's
manifest, where the marts' YAML says it once: the keys are the mart's unique
tests, and a column's ``meta.integrity`` names its role (``fraction``, ``score``,
``not_after_as_of_date``). The daily marts (``meta.recent_rows_date_column``) are
checked on their most recent days only, like their dbt key tests. NRR is checked row by
row against the ``segment_nrr`` bounds of ``seeds.calibration_bounds`` (0-3),
so a breach names the segment, the month and the cohort size. A ratio over a
tiny cohort is not a data error - one account that grew fourfold makes a
cohort of two show an NRR above 3 - so the breach blocks publishing only on a
cohort of at least the bounds' ``sample_size`` accounts (30); on a smaller one
it warns. (The dbt tests of ``segment_nrr`` check its identities, not its range.)

Identifiers come from the project's own YAML through the manifest (never from
data), so the SQL is assembled from them.
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

AS_OF_SQL = "(select max(as_of_date) from marts.account_profiles)"


INTEGRITY_ROLES = ("fraction", "score", "not_after_as_of_date")
"""What a mart column's ``meta.integrity`` may say: a fraction (0 to 1), a score (0 to 100),
a date never after the as-of date. The marts' YAML is the one home of these roles."""


@dataclass(frozen=True)
class MartSpec:
    name: str
    keys: tuple[tuple[str, ...], ...]
    """Every unique key the mart's dbt tests declare (``unique`` on a column or
    ``unique_combination_of_columns``): the columns of each may hold no duplicate and no null."""
    fractions: tuple[str, ...] = ()
    """Columns that are fractions: 0 to 1."""
    scores: tuple[str, ...] = ()
    """Columns on a 0-100 scale (health, readiness)."""
    dates: tuple[str, ...] = ()
    """Columns that may not be after the as-of date."""
    recent_date: str | None = None
    """For the large daily marts: only rows of the last RECENT_DAYS days are checked."""


def _column_meta(column: Mapping[str, Any]) -> Mapping[str, Any]:
    return {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}


def _unique_keys(manifest: Mapping[str, Any]) -> dict[str, list[tuple[str, ...]]]:
    """Model unique id -> the keys its ``unique`` and ``unique_combination_of_columns``
    tests declare, in the order dbt lists the tests."""
    keys: dict[str, list[tuple[str, ...]]] = {}
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        if test.get("name") == "unique":
            key = (node["column_name"],)
        elif test.get("name") == "unique_combination_of_columns":
            key = tuple(test["kwargs"]["combination_of_columns"])
        else:
            continue
        keys.setdefault(node["attached_node"], []).append(key)
    return {model: sorted(set(found), key=found.index) for model, found in keys.items()}


def mart_specs(manifest: Mapping[str, Any]) -> tuple[MartSpec, ...]:
    """One spec per mart with a column whose ``meta.integrity`` names a role, from dbt's
    manifest: its keys from its unique tests, its large-table window from
    ``meta.recent_rows_date_column`` (as its dbt tests at night)."""
    keys = _unique_keys(manifest)
    specs = []
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["fqn"][1] != "marts":
            continue
        roles: dict[str, list[str]] = {role: [] for role in INTEGRITY_ROLES}
        for name, column in node["columns"].items():
            role = _column_meta(column).get("integrity")
            if role is not None:
                if role not in roles:
                    raise ValueError(
                        f"{node['original_file_path']}: column {name} of {node['name']} has "
                        f"meta.integrity {role!r}; expected one of {', '.join(INTEGRITY_ROLES)}"
                    )
                roles[role].append(name)
        if not any(roles.values()):
            continue
        if unique_id not in keys:
            raise ValueError(
                f"{node['original_file_path']}: {node['name']} declares integrity roles but no "
                "unique or unique_combination_of_columns test: its key"
            )
        specs.append(
            MartSpec(
                node["name"],
                tuple(keys[unique_id]),
                fractions=tuple(roles["fraction"]),
                scores=tuple(roles["score"]),
                dates=tuple(roles["not_after_as_of_date"]),
                recent_date=node["config"].get("meta", {}).get("recent_rows_date_column"),
            )
        )
    return tuple(specs)


def _quoted(identifier: str) -> str:
    """A column of the mart (aliased ``mart`` in the frame SQL)."""
    return 'mart."' + identifier + '"'


def _key_tuple(key: tuple[str, ...]) -> str:
    columns = ", ".join(_quoted(k) for k in key)
    return f"({columns},)" if len(key) == 1 else f"({columns})"


def _key_columns(spec: MartSpec) -> list[str]:
    return list(dict.fromkeys(column for key in spec.keys for column in key))


def _described_keys(spec: MartSpec) -> str:
    return " or ".join(f"({', '.join(key)})" for key in spec.keys)


def integrity_frame_sql(spec: MartSpec) -> str:
    recent = (
        f"where {_quoted(spec.recent_date)} > reference.as_of_date - {RECENT_DAYS}"
        if spec.recent_date
        else ""
    )
    duplicates = [f"count(*) - count(distinct {_key_tuple(key)})" for key in spec.keys]
    sharing = duplicates[0] if len(duplicates) == 1 else f"greatest({', '.join(duplicates)})"
    measures = [
        "count(*) as rows_checked",
        f"{sharing} as rows_sharing_a_key",
        "count(*) filter (where "
        + " or ".join(f"{_quoted(k)} is null" for k in _key_columns(spec))
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
        "rows_sharing_a_key": f"share a key {_described_keys(spec)}",
        "rows_with_a_null_key": f"have a null key {_described_keys(spec)}",
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
            f"marts.{spec.name}: keys {_described_keys(spec)} unique and not null"
            + (", fractions in 0-1" if spec.fractions else "")
            + (", scores in 0-100" if spec.scores else "")
            + (", no date after the as-of date" if spec.dates else "")
            + (f" (last {RECENT_DAYS} days)" if spec.recent_date else "")
            + "."
        ),
        frame_sql=integrity_frame_sql(spec),
        subject_column="subject",
        requires=(f"marts.{spec.name}", "marts.account_profiles"),
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


def mart_checks(manifest: Mapping[str, Any]) -> tuple[QualityCheck, ...]:
    """The mart suite: an integrity check per mart the manifest describes, and the NRR range."""
    return (*(integrity_check(spec) for spec in mart_specs(manifest)), SEGMENT_NRR_RANGE)
