"""`dbt build` on a tiny hand-made raw zone, and the mart's values worked out by hand.

The raw zone is laid out exactly as ingestion lays it out (``RawZone.ensure()``, one
Parquet file per source with the contract's columns and the lineage), filled with a
handful of rows, and the whole project is built once in-process: seeds, staging views,
intermediate models, ``account_profiles``, every data test over every row
(``large_model_test_days: null``: the nightly job tests only the recent rows of the large
history tables) and every unit test (the nightly job runs none: this is where they run).

The as-of date is not passed, so it defaults to the latest usage_date: 2026-06-30.

Accounts and their ARR on 2026-06-30, by hand:

===========  ===========  ============================================  ==========  ==========
account      CRM segment  active lines on 06-30                         ARR (USD)   segment
===========  ===========  ============================================  ==========  ==========
acc_eur      (blank)      EUR 10,000 x 1.1000 (06-30 rate) + USD 5,000  16,000.00   SMB
acc_mm       (blank)      USD 12,000 + USD 8,000                        20,000.00   Mid-Market
acc_crm      Mid-Market   USD 150,000 (CRM segment beats the band)      150,000.00  Mid-Market
acc_new      (blank)      GBP 80,000 x 1.2500, starts 06-30 (included)  100,000.00  Enterprise
acc_churned  (blank)      none: its line ended 06-30 (end exclusive)    0.00        SMB
acc_future   SMB          none: its line starts 07-01                   0.00        SMB
===========  ===========  ============================================  ==========  ==========

The EUR rates dated 06-01 (1.0800) and 07-01 (1.5000) must not be used.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from expansion.contract import SOURCES
from tests.dbt.conftest import raw_zone_of

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
AS_OF = dt.date(2026, 6, 30)

D = dt.date
T = dt.datetime


def _account(account_id: str, segment: str | None, industry: str = "Software") -> dict[str, Any]:
    return {
        "account_id": account_id,
        "account_name": f"{account_id} Inc",
        "industry": industry,
        "segment": segment,
        "region": "EMEA",
        "csm_owner": "csm_ada",
        "ae_owner": "ae_bob",
        "onboarded_at": D(2025, 1, 15),
        "fiscal_year_start_month": 1,
        "primary_domain": f"{account_id}.example",
        "updated_at": T(2026, 6, 1, 9, 0, 0),
    }


def _line(
    line_id: str,
    account_id: str,
    arr: str,
    currency: str,
    start: dt.date,
    end: dt.date | None,
    product_id: str = "core_pro",
) -> dict[str, Any]:
    return {
        "line_id": line_id,
        "account_id": account_id,
        "product_id": product_id,
        "quantity": 10,
        "arr": Decimal(arr),
        "currency": currency,
        "start_date": start,
        "end_date": end,
        "term_months": 12,
    }


RAW_ROWS: dict[str, list[dict[str, Any]]] = {
    "accounts": [
        _account("acc_eur", None),
        _account("acc_mm", None, "Retail"),
        _account("acc_crm", "Mid-Market", "Healthcare"),
        _account("acc_new", None, "Media"),
        _account("acc_churned", None, "Logistics"),
        _account("acc_future", "SMB", "Education"),
    ],
    "products": [
        {
            "product_id": "core_pro",
            "product_name": "Core Pro",
            "product_family": "core",
            "tier_rank": 2,
            "unit": "seat",
            "list_price_arr": Decimal("1200.0000"),
            "limit_events_monthly": 1_000_000,
            "limit_integrations": 10,
            "limit_environments": 3,
            "limit_storage_gb": Decimal("500.0000"),
        },
        {
            "product_id": "prod_analytics",
            "product_name": "Analytics",
            "product_family": "module",
            "tier_rank": 1,
            "unit": "flat",
            "list_price_arr": Decimal("8000.0000"),
            "limit_events_monthly": None,
            "limit_integrations": None,
            "limit_environments": None,
            "limit_storage_gb": None,
        },
    ],
    "subscriptions": [
        _line("l_eur", "acc_eur", "10000.0000", "EUR", D(2026, 1, 1), None),
        _line(
            "l_eur_usd",
            "acc_eur",
            "5000.0000",
            "USD",
            D(2026, 1, 1),
            D(2027, 1, 1),
            "prod_analytics",
        ),
        _line("l_mm_1", "acc_mm", "12000.0000", "USD", D(2025, 7, 1), D(2026, 7, 1)),
        _line("l_mm_2", "acc_mm", "8000.0000", "usd", D(2026, 3, 1), None, "prod_analytics"),
        _line("l_crm", "acc_crm", "150000.0000", "USD", D(2025, 1, 15), None),
        _line("l_new", "acc_new", "80000.0000", "GBP", AS_OF, D(2027, 6, 30)),
        _line("l_churned", "acc_churned", "30000.0000", "USD", D(2025, 6, 30), AS_OF),
        _line("l_future", "acc_future", "9000.0000", "USD", D(2026, 7, 1), None),
    ],
    "fx_rates": [
        {"currency": "EUR", "rate_date": D(2026, 6, 1), "usd_per_unit": Decimal("1.0800")},
        {"currency": "EUR", "rate_date": D(2026, 6, 30), "usd_per_unit": Decimal("1.1000")},
        {"currency": "EUR", "rate_date": D(2026, 7, 1), "usd_per_unit": Decimal("1.5000")},
        {"currency": "GBP", "rate_date": D(2026, 5, 29), "usd_per_unit": Decimal("1.2500")},
    ],
    "contacts": [
        {
            "contact_id": "c_1",
            "account_id": "acc_eur",
            "full_name": "Ana Lima",
            "email": "ana@acc_eur.example",
            "title": "Ops Manager",
            "persona": "manager",
            "is_champion": True,
            "is_exec_sponsor": False,
            "valid_from": D(2025, 2, 1),
            "valid_to": D(2026, 5, 1),
        },
        {
            "contact_id": "c_1",
            "account_id": "acc_eur",
            "full_name": "Ana Lima",
            "email": "ana@acc_eur.example",
            "title": "VP Operations",
            "persona": "buyer",
            "is_champion": True,
            "is_exec_sponsor": True,
            "valid_from": D(2026, 5, 1),
            "valid_to": None,
        },
    ],
    "features": [
        {
            "feature_id": "f_dashboards",
            "feature_name": "Dashboards",
            "is_core": True,
            "unlocking_product_id": None,
            "use_case": "reporting",
        },
        {
            "feature_id": "f_cohorts",
            "feature_name": "Cohorts",
            "is_core": False,
            "unlocking_product_id": "prod_analytics",
            "use_case": "analysis",
        },
    ],
    "users": [
        {
            "user_id": "u_1",
            "account_id": "acc_eur",
            "email_domain": "ACC_EUR.example",
            "department": "Operations",
            "created_at": T(2025, 2, 1, 10, 0, 0),
        },
        {
            "user_id": "u_2",
            "account_id": "acc_mm",
            "email_domain": "acc_mm.example",
            "department": "Finance",
            "created_at": T(2025, 8, 1, 10, 0, 0),
        },
    ],
    "usage_daily": [
        {
            "account_id": account_id,
            "usage_date": day,
            "active_users": 4,
            "events": 1200,
            "api_calls": 300,
            "storage_gb": Decimal("12.5000"),
            "integrations_connected": 2,
            "environments": 1,
        }
        for account_id in ("acc_eur", "acc_mm")
        for day in (D(2026, 6, 28), D(2026, 6, 29), AS_OF)
    ],
    "feature_usage_daily": [
        {
            "account_id": "acc_eur",
            "usage_date": AS_OF,
            "user_id": "u_1",
            "feature_id": "f_dashboards",
            "events": 14,
        },
        {
            "account_id": "acc_eur",
            "usage_date": AS_OF,
            "user_id": "u_1",
            "feature_id": "f_cohorts",
            "events": 3,
        },
    ],
    "support_tickets": [
        {
            "ticket_id": "t_1",
            "account_id": "acc_eur",
            "created_at": T(2026, 6, 10, 8, 0, 0),
            "resolved_at": None,
            "priority": "high",
            "tags": "feature_request:prod_analytics;scim",
            "csat": None,
        },
        {
            "ticket_id": "t_2",
            "account_id": "acc_mm",
            "created_at": T(2026, 5, 2, 8, 0, 0),
            "resolved_at": T(2026, 5, 3, 8, 0, 0),
            "priority": "low",
            "tags": None,
            "csat": 5,
        },
        {
            "ticket_id": "t_3",
            "account_id": "acc_crm",
            "created_at": T(2026, 6, 12, 8, 0, 0),
            "resolved_at": None,
            "priority": "low",
            "tags": "Feature_Request:Prod_Analytics; Bug ",
            "csat": None,
        },
    ],
    "nps_responses": [
        {
            "response_id": "r_1",
            "account_id": "acc_eur",
            "contact_id": "c_1",
            "responded_at": T(2026, 6, 15, 12, 0, 0),
            "score": 9,
        },
    ],
    "crm_activities": [
        {
            "activity_id": "act_1",
            "account_id": "acc_eur",
            "occurred_at": T(2026, 6, 20, 15, 0, 0),
            "activity_type": "qbr",
            "tags": "positive_outcome;unmet_need:prod_analytics",
            "notes": "Wants cohort analysis",
        },
    ],
    "firmographics": [
        {
            "account_id": "acc_eur",
            "as_of_date": D(2025, 6, 1),
            "employee_count": 200,
            "open_roles": 4,
            "last_funding_date": None,
        },
        {
            "account_id": "acc_eur",
            "as_of_date": D(2026, 6, 1),
            "employee_count": 260,
            "open_roles": 22,
            "last_funding_date": D(2026, 2, 1),
        },
    ],
    "opportunities": [
        {
            "opportunity_id": "o_1",
            "account_id": "acc_eur",
            "motion": "module_cross_sell",
            "product_id": "prod_analytics",
            "source_trigger_id": "qbr_unmet_need",
            "created_at": T(2026, 6, 21, 9, 0, 0),
            "qualified_at": T(2026, 6, 24, 9, 0, 0),
            "proposal_at": None,
            "negotiation_at": None,
            "closed_at": None,
            "outcome": "open",
            "amount_arr": Decimal("8000.0000"),
            "loss_reason": None,
        },
    ],
    "cs_costs": [
        {
            "month": D(2026, 6, 1),
            "segment": "SMB",
            "cost_type": "csm_time",
            "amount": Decimal("1500.0000"),
        },
        {
            "month": D(2026, 6, 1),
            "segment": "Enterprise",
            "cost_type": "csm_time",
            "amount": Decimal("4200.0000"),
        },
    ],
}

EXPECTED_DIM_ACCOUNTS = {
    # account_id: (segment, is_segment_derived, current_arr_usd, is_active)
    "acc_eur": ("SMB", True, Decimal("16000.00"), True),
    "acc_mm": ("Mid-Market", True, Decimal("20000.00"), True),
    "acc_crm": ("Mid-Market", False, Decimal("150000.00"), True),
    "acc_new": ("Enterprise", True, Decimal("100000.00"), True),
    "acc_churned": ("SMB", True, Decimal("0.00"), False),
    "acc_future": ("SMB", False, Decimal("0.00"), False),
}


def _point_dbt_at(warehouse: Path, env: pytest.MonkeyPatch) -> None:
    """The environment an in-process dbt reads: the warehouse, its raw zone, no telemetry."""
    env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
    env.setenv("EXPANSION_RAW_DIR", str(raw_zone_of(warehouse).root))
    env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="module")
def built_warehouse(
    tmp_path_factory: pytest.TempPathFactory, warehouses
) -> tuple[Path, dbtRunnerResult]:
    tmp = tmp_path_factory.mktemp("dbt_build")
    warehouse = warehouses.create_raw(tmp / "warehouse.duckdb", RAW_ROWS)
    with pytest.MonkeyPatch.context() as env:
        _point_dbt_at(warehouse, env)
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
                "--vars",
                "{large_model_test_days: null}",
                "--no-use-colors",
                "--quiet",
            ]
        )
    return warehouse, result


def test_dbt_build_passes_every_model_data_test_and_unit_test(
    built_warehouse: tuple[Path, dbtRunnerResult],
) -> None:
    warehouse, result = built_warehouse
    assert result.exception is None, result.exception
    not_passing = [
        (r.node.unique_id, str(r.status), r.message)
        for r in result.result
        if str(r.status) not in ("success", "pass")
        # Exposures (the dashboards) are documentation: dbt reports them as no-ops.
        and not (r.node.resource_type == "exposure" and str(r.status) == "no-op")
    ]
    assert result.success and not not_passing, not_passing
    ran = {r.node.unique_id for r in result.result if r.node.resource_type == "unit_test"}
    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text())
    assert len(manifest["unit_tests"]) >= 50
    assert ran == set(manifest["unit_tests"]), set(manifest["unit_tests"]) - ran


def test_unit_tests_do_not_depend_on_the_nights_as_of_date(
    built_warehouse: tuple[Path, dbtRunnerResult], tmp_path: Path
) -> None:
    """The nightly job passes its as-of date as a var; a unit test whose model reads the
    as-of date must pin it (``overrides: vars``), or it passes only on the fixture's date."""
    warehouse, _ = built_warehouse
    with pytest.MonkeyPatch.context() as env:
        _point_dbt_at(warehouse, env)
        result = dbtRunner().invoke(
            [
                "test",
                "--select",
                "test_type:unit",
                "--vars",
                '{"as_of_date": "2031-03-15"}',
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(tmp_path / "target"),
                "--log-path",
                str(tmp_path / "logs"),
                "--no-use-colors",
                "--quiet",
            ]
        )
    unit_tests = [r for r in result.result or [] if r.node.resource_type == "unit_test"]
    failing = [r.node.name for r in unit_tests if str(r.status) != "pass"]
    assert result.exception is None, result.exception
    assert unit_tests and not failing, failing


def _test_int_account_days(
    warehouse: Path, work: Path, variables: str
) -> dict[str, list[tuple[Any, ...]]]:
    """``dbt test`` of int_account_days' data tests: those that failed, each with the rows
    its query returns."""
    with pytest.MonkeyPatch.context() as env:
        _point_dbt_at(warehouse, env)
        result = dbtRunner().invoke(
            [
                "test", "--select", "int_account_days", "--exclude", "test_type:unit",
                "--vars", variables,
                "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                "--no-use-colors", "--quiet",
            ]
        )  # fmt: skip
    assert result.exception is None, result.exception
    # the results also hold the on-run-start hook (register_raw_zone), status "success"
    failed = [
        r.node for r in result.result if r.node.resource_type == "test" and str(r.status) != "pass"
    ]
    con = duckdb.connect(str(warehouse))  # dbt's in-process connection is read-write
    try:
        return {node.name: con.execute(node.compiled_code).fetchall() for node in failed}
    finally:
        con.close()


def test_the_nightly_data_tests_of_a_history_table_check_its_recent_rows_and_ci_all(
    built_warehouse: tuple[Path, dbtRunnerResult], tmp_path: Path
) -> None:
    """int_account_days declares meta.recent_rows_date_column: a row with no account 30
    days before its latest day fails its not_null_columns test (account_id: 1 null row)
    only when every row is tested (CI); one on its latest day fails it on a nightly build
    too (7 days by default)."""
    warehouse, _ = built_warehouse
    insert = (
        "insert into intermediate.int_account_days (account_id, usage_date, has_usage_row)"
        " values (null, ?, true)"
    )
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(insert, [AS_OF - dt.timedelta(days=30)])
    finally:
        con.close()
    # Each set of vars keeps its own target folder, so dbt parses the project once per set
    # (a change of vars re-parses everything): the CI vars reuse the build's parse.
    every_row = warehouse.parent
    try:
        assert _test_int_account_days(warehouse, tmp_path, "{}") == {}
        failed = _test_int_account_days(warehouse, every_row, "{large_model_test_days: null}")
        assert failed == {"not_null_columns_int_account_days_": [("account_id", 1)]}
        con = duckdb.connect(str(warehouse))
        try:
            con.execute(insert, [AS_OF])
        finally:
            con.close()
        failed = _test_int_account_days(warehouse, tmp_path, "{}")
        assert failed == {"not_null_columns_int_account_days_": [("account_id", 1)]}
    finally:
        con = duckdb.connect(str(warehouse))
        try:
            con.execute("delete from intermediate.int_account_days where account_id is null")
        finally:
            con.close()


def test_account_profiles_matches_the_hand_computed_arr_and_segments(
    built_warehouse: tuple[Path, dbtRunnerResult],
) -> None:
    warehouse, _ = built_warehouse
    # read-write: dbt-duckdb may still hold this file open in-process, and DuckDB
    # refuses a second connection to it with a different (read-only) configuration
    con = duckdb.connect(str(warehouse))
    try:
        rows = con.execute(
            """
            select account_id, segment, is_segment_derived, current_arr_usd, is_active, as_of_date
            from marts.account_profiles
            order by account_id
            """
        ).fetchall()
    finally:
        con.close()
    got = {account_id: tuple(values[:4]) for account_id, *values in rows}
    assert got == EXPECTED_DIM_ACCOUNTS
    assert {as_of for *_, as_of in rows} == {AS_OF}


def test_a_feature_request_counts_for_readiness_whatever_the_case_of_its_tag(
    built_warehouse: tuple[Path, dbtRunnerResult],
) -> None:
    """acc_crm does not own prod_analytics; its ticket t_3 of 06-12 is tagged
    "Feature_Request:Prod_Analytics; Bug ". Tags are parsed once (int_event_tags: trimmed,
    lower case), so the readiness inputs count it as one request for an unowned product, as
    the gated_module_request trigger always did (it lower-cased tags; readiness did not and
    counted 0)."""
    warehouse, _ = built_warehouse
    con = duckdb.connect(str(warehouse))
    try:
        tags = con.execute(
            "select tag from intermediate.int_event_tags where event_id = 't_3' order by tag"
        ).fetchall()
        requests = con.execute(
            "select unowned_product_requests from intermediate.int_readiness_inputs"
            " where account_id = 'acc_crm' and evaluation_role = 'as_of'"
        ).fetchall()
    finally:
        con.close()
    assert tags == [("bug",), ("feature_request:prod_analytics",)]
    assert requests == [(1,)]


def test_every_contract_source_has_one_staging_model() -> None:
    """A new source in expansion/contract.py needs a source entry and a staging model."""
    declared = "\n".join(
        p.read_text() for p in (REPO_ROOT / "models" / "staging").rglob("_*__sources.yml")
    )
    missing = [s.name for s in SOURCES if f"- name: {s.name}\n" not in declared]
    assert not missing, f"sources without a dbt source entry: {missing}"
