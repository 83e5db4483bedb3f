"""The results history appends every run (a failing one too); the mart integrity suite
names the mart, the count and the key when a published mart breaks its grain."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from data_quality.evaluation import run_check
from data_quality.history import HISTORY_TABLE, append_history
from data_quality.marts_suite import SEGMENT_NRR_RANGE, MartSpec, integrity_check, mart_specs
from expansion.settings import PROJECT_ROOT

BOUNDS_SEED = PROJECT_ROOT / "seeds" / "quality" / "calibration_bounds.csv"


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema seeds")
    con.execute("create schema marts")
    con.execute(
        "create table seeds.calibration_bounds as select * from read_csv(?, header = true)",
        [str(BOUNDS_SEED)],
    )
    con.execute(
        "create table marts.account_profiles as "
        "select 'a1' as account_id, date '2026-11-21' as as_of_date"
    )
    yield con
    con.close()


def test_duplicate_keys_and_future_dates_fail_with_counts_in_the_remedy(con):
    con.execute(
        """
        create table marts.arr_movements as select * from (values
            ('a1', date '2026-10-31'), ('a1', date '2026-10-31'), ('a2', date '2026-12-31')
        ) as t(account_id, month_end_date)
        """
    )
    spec = MartSpec("arr_movements", (("account_id", "month_end_date"),), dates=("month_end_date",))

    report = run_check(con, integrity_check(spec))

    assert report.severity == "error"
    remedies = [r.remedy for o in report.failures for r in o.failed_rows]
    assert remedies == [
        "fix the model arr_movements and rebuild: 1 of 3 rows in marts.arr_movements share a "
        "key (account_id, month_end_date); `dbt build --select arr_movements` shows the failing "
        "dbt test",
        "fix the model arr_movements and rebuild: 1 of 3 rows in marts.arr_movements are dated "
        "after the as-of date (month_end_date); `dbt build --select arr_movements` shows the "
        "failing dbt test",
    ]


def test_a_second_unique_key_is_checked_too_and_the_remedy_names_both(con):
    con.execute(
        """
        create table marts.expansion_scorecard as select * from (values
            ('a1', 1), ('a2', 1), ('a3', 3)
        ) as t(account_id, readiness_rank)
        """
    )
    spec = MartSpec("expansion_scorecard", (("readiness_rank",), ("account_id",)))

    report = run_check(con, integrity_check(spec))

    remedies = [r.remedy for o in report.failures for r in o.failed_rows]
    assert remedies == [
        "fix the model expansion_scorecard and rebuild: 1 of 3 rows in marts.expansion_scorecard "
        "share a key (readiness_rank) or (account_id); `dbt build --select expansion_scorecard` "
        "shows the failing dbt test"
    ]


def _model(name: str, columns: dict, meta: dict | None = None) -> tuple[str, dict]:
    return f"model.expansion.{name}", {
        "resource_type": "model",
        "name": name,
        "fqn": ["expansion", "marts", "revenue", name],
        "original_file_path": "models/marts/revenue/_revenue__models.yml",
        "config": {"meta": meta or {}},
        "columns": {
            column: {"name": column, "config": {"meta": {"integrity": role}} if role else {}}
            for column, role in columns.items()
        },
    }


def _unique_test(model: str, columns: list[str]) -> tuple[str, dict]:
    metadata = (
        {"name": "unique", "kwargs": {}}
        if len(columns) == 1
        else {
            "name": "unique_combination_of_columns",
            "kwargs": {"combination_of_columns": columns},
        }
    )
    return f"test.expansion.unique_{model}_{'_'.join(columns)}", {
        "resource_type": "test",
        "attached_node": f"model.expansion.{model}",
        "column_name": columns[0] if len(columns) == 1 else None,
        "test_metadata": metadata,
    }


def test_the_marts_yaml_says_what_to_check_keys_from_unique_tests_roles_from_column_meta():
    manifest = {
        "nodes": dict(
            [
                _model(
                    "segment_nrr",
                    {"segment": None, "month_end_date": "not_after_as_of_date", "grr": "fraction"},
                ),
                _unique_test("segment_nrr", ["segment", "month_end_date"]),
                _model(
                    "account_health_daily",
                    {"account_id": None, "score_date": None, "health_score": "score"},
                    meta={"recent_rows_date_column": "score_date"},
                ),
                _unique_test("account_health_daily", ["account_id", "score_date"]),
                _model("segment_arr_bands", {"segment": None}),  # no role: not checked
            ]
        )
    }

    assert mart_specs(manifest) == (
        MartSpec(
            "account_health_daily",
            (("account_id", "score_date"),),
            scores=("health_score",),
            recent_date="score_date",
        ),
        MartSpec(
            "segment_nrr",
            (("segment", "month_end_date"),),
            fractions=("grr",),
            dates=("month_end_date",),
        ),
    )


def test_an_unknown_role_or_a_mart_without_a_unique_test_is_an_error_naming_the_file():
    unknown = dict([_model("segment_nrr", {"grr": "percentage"})])
    with pytest.raises(ValueError, match=r"_revenue__models.yml: column grr of segment_nrr has"):
        mart_specs({"nodes": unknown})

    keyless = dict([_model("segment_nrr", {"grr": "fraction"})])
    with pytest.raises(ValueError, match="no unique or unique_combination_of_columns test"):
        mart_specs({"nodes": keyless})


def segment_nrr(con, *rows) -> None:
    """``marts.segment_nrr`` with (segment, month_end_date, cohort_accounts, nrr, starting,
    ending) rows."""
    con.execute(
        "create table marts.segment_nrr (segment varchar, month_end_date date,"
        " cohort_accounts bigint, nrr decimal(10,6), starting_arr_usd decimal(18,4),"
        " ending_arr_usd decimal(18,4))"
    )
    con.executemany("insert into marts.segment_nrr values (?, ?, ?, ?, ?, ?)", list(rows))


def test_an_nrr_outside_the_seed_bounds_on_a_large_cohort_is_an_error_naming_segment_and_month(
    con,
):
    segment_nrr(
        con,
        ("SMB", dt.date(2026, 10, 31), 400, 1.02, 100000.0, 102000.0),
        ("Enterprise", dt.date(2026, 10, 31), 40, 118.0, 1000.0, 118000.0),
    )

    report = run_check(con, SEGMENT_NRR_RANGE)

    assert report.severity == "error"
    (row,) = [r for o in report.failures for r in o.failed_rows]
    assert row.subject == "Enterprise · 2026-10-31"
    assert row.remedy == (
        "Enterprise NRR for the 12 months to 2026-10-31 is 118.00 (ARR 118,000 now / 1,000 "
        "then) over a cohort of 40 accounts, outside 0 to 3: on a cohort this large that is a "
        "data error (ARR units, or a broken cohort): check the subscription export and "
        "int_nrr_cohort_accounts"
    )


def test_an_nrr_above_3_on_a_cohort_of_two_warns_with_the_cohort_size_and_does_not_block(con):
    """Issue 19: 80 accounts x 60 days never published because a Mid-Market cohort of one or
    two accounts had an NRR of 3.1-3.3, and the remedy blamed the subscription export."""
    segment_nrr(
        con,
        ("Mid-Market", dt.date(2021, 7, 31), 1, 3.094753, 10000.0, 30947.53),
        ("Mid-Market", dt.date(2021, 11, 30), 2, 3.314017, 20000.0, 66280.34),
        ("All", dt.date(2021, 11, 30), 29, 1.4, 100000.0, 140000.0),
    )

    report = run_check(con, SEGMENT_NRR_RANGE)

    assert report.severity == "warn"
    (warning,) = report.failures
    assert [r.subject for r in warning.failed_rows] == [
        "Mid-Market · 2021-07-31",
        "Mid-Market · 2021-11-30",
    ]
    remedy = warning.failed_rows[1].remedy
    assert remedy.startswith(
        "Mid-Market NRR for the 12 months to 2021-11-30 is 3.31 (ARR 66,280 now / 20,000 then) "
        "over a cohort of 2 accounts, outside 0 to 3, and the cohort is smaller than the 30 "
        "accounts (calibration_bounds.sample_size)"
    )
    assert "subscription export" not in remedy


def test_each_run_appends_its_results_and_a_failing_run_is_recorded(con):
    segment_nrr(con, ("SMB", dt.date(2026, 10, 31), 30, 4.0, 1.0, 4.0))
    failing = run_check(con, SEGMENT_NRR_RANGE)
    night = dt.date(2026, 11, 21)

    assert append_history(con, [failing], "run-1", dt.datetime(2026, 11, 22, 2), night) == 1
    con.execute("update marts.segment_nrr set nrr = 1.0")
    passing = run_check(con, SEGMENT_NRR_RANGE)
    assert append_history(con, [passing], "run-2", dt.datetime(2026, 11, 23, 2), night) == 1

    rows = con.execute(
        f"select run_id, check_name, subject, severity, passed, observed_value, bound_min, "
        f"bound_max, remedy is not null from {HISTORY_TABLE} order by checked_at"
    ).fetchall()
    assert rows == [
        (
            "run-1",
            "mart_segment_nrr_range",
            "SMB · 2026-10-31",
            "error",
            False,
            4.0,
            0.0,
            3.0,
            True,
        ),
        (
            "run-2",
            "mart_segment_nrr_range",
            "SMB · 2026-10-31",
            "error",
            True,
            1.0,
            0.0,
            3.0,
            False,
        ),
    ]
