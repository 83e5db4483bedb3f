"""The definitions hold on feeds the generator does not write: a hand-made company built
with `dbt build` on a temporary DuckDB, its published marts checked against figures
worked out by hand.

As-of date 2026-06-20 (mid-month); product usage is delivered from 2026-03-01. The
trigger backtest's window is 2025-12-23 to 2026-03-22 (90 days ending 90 days before
the as-of date).

=============  =================================================================
account        what its feed does
=============  =================================================================
acc_dark       Growth, 10 seats, USD 6,000, CRM segment SMB. No usage row from
               05-01 to 05-20 (20 dark days), 8 weekly active users on every
               other day. Two email domains among its users since 2025, so
               multi_team_adoption holds from the first day of the feed. Its
               renewal on 05-01 only raises the price (USD 6,600, same seats).
acc_eur        Growth, 20 seats, EUR 30,000, blank CRM segment. The EUR rate
               comes once a month (1.1000 on the first of each month, from
               January 2026).
acc_starter    Starter, 5 seats, USD 1,800, CRM segment SMB; uses its one
               environment (its plan limit of 1), 2 weekly active users. Buys
               3 more seats on 06-10 (USD 2,880).
acc_grow       Growth, 25 seats, USD 15,000 (SMB by its ARR band), blank CRM
               segment; grows to 42 seats on 05-15 (USD 25,200: Mid-Market).
=============  =================================================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

AS_OF = dt.date(2026, 6, 20)
FEED_START = dt.date(2026, 3, 1)
DARK_DAYS = (dt.date(2026, 5, 1), dt.date(2026, 5, 20))

D = dt.date
T = dt.datetime


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def is_dark(day: dt.date) -> bool:
    return DARK_DAYS[0] <= day <= DARK_DAYS[1]


def product(product_id: str, family: str, tier: int, unit: str, price: str, **limits) -> dict:
    return {
        "product_id": product_id,
        "product_name": product_id.replace("_", " ").title(),
        "product_family": family,
        "tier_rank": tier,
        "unit": unit,
        "list_price_arr": Decimal(price),
        "limit_events_monthly": limits.get("events"),
        "limit_integrations": limits.get("integrations"),
        "limit_environments": limits.get("environments"),
        "limit_storage_gb": Decimal(limits["storage"]) if "storage" in limits else None,
    }


def account(account_id: str, segment: str | None) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "account_name": f"{account_id} Inc",
        "industry": "Software",
        "segment": segment,
        "region": "EMEA",
        "csm_owner": "csm_ada",
        "ae_owner": "ae_bob",
        "onboarded_at": D(2025, 1, 1),
        "fiscal_year_start_month": 1,
        "primary_domain": f"{account_id}.example",
        "updated_at": T(2026, 1, 1, 9, 0, 0),
    }


def line(line_id, account_id, product_id, quantity, arr, currency, start, end=None) -> dict:
    return {
        "line_id": line_id,
        "account_id": account_id,
        "product_id": product_id,
        "quantity": quantity,
        "arr": Decimal(arr),
        "currency": currency,
        "start_date": start,
        "end_date": end,
        "term_months": 12,
    }


def user(user_id: str, account_id: str, domain: str, created: dt.date) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "account_id": account_id,
        "email_domain": domain,
        "department": "Operations",
        "created_at": T(created.year, created.month, created.day, 9, 0, 0),
    }


def usage(account_id: str, day: dt.date, **values) -> dict[str, Any]:
    row = {
        "account_id": account_id,
        "usage_date": day,
        "active_users": 8,
        "events": 1000,
        "api_calls": 100,
        "storage_gb": Decimal("10.0000"),
        "integrations_connected": 2,
        "environments": 1,
    }
    row.update(values)
    return row


RAW_ROWS: dict[str, list[dict[str, Any]]] = {
    "products": [
        product(
            "p_starter",
            "core",
            1,
            "seat",
            "360.0000",
            events=100_000,
            integrations=5,
            environments=1,
            storage="100.0000",
        ),
        product(
            "p_growth",
            "core",
            2,
            "seat",
            "600.0000",
            events=1_000_000,
            integrations=20,
            environments=3,
            storage="1000.0000",
        ),
    ],
    "accounts": [
        account("acc_dark", "SMB"),
        account("acc_eur", None),
        account("acc_starter", "SMB"),
        account("acc_grow", None),
    ],
    "subscriptions": [
        line(
            "l_dark", "acc_dark", "p_growth", 10, "6000.0000", "USD", D(2025, 1, 1), D(2026, 5, 1)
        ),
        line("l_dark_2", "acc_dark", "p_growth", 10, "6600.0000", "USD", D(2026, 5, 1)),
        line("l_eur", "acc_eur", "p_growth", 20, "30000.0000", "EUR", D(2025, 1, 1)),
        line(
            "l_starter",
            "acc_starter",
            "p_starter",
            5,
            "1800.0000",
            "USD",
            D(2025, 1, 1),
            D(2026, 6, 10),
        ),
        line("l_starter_2", "acc_starter", "p_starter", 8, "2880.0000", "USD", D(2026, 6, 10)),
        line(
            "l_grow", "acc_grow", "p_growth", 25, "15000.0000", "USD", D(2025, 1, 1), D(2026, 5, 15)
        ),
        line("l_grow_2", "acc_grow", "p_growth", 42, "25200.0000", "USD", D(2026, 5, 15)),
    ],
    "fx_rates": [
        {"currency": "EUR", "rate_date": D(2026, month, 1), "usd_per_unit": Decimal("1.1000")}
        for month in range(1, 7)
    ],
    "users": [
        user("u_dark_1", "acc_dark", "acc_dark.example", D(2025, 2, 1)),
        user("u_dark_2", "acc_dark", "partner.example", D(2025, 3, 1)),
        user("u_eur_1", "acc_eur", "acc_eur.example", D(2025, 2, 1)),
        user("u_starter_1", "acc_starter", "acc_starter.example", D(2025, 2, 1)),
        user("u_grow_1", "acc_grow", "acc_grow.example", D(2025, 2, 1)),
    ],
    "usage_daily": [
        *(usage("acc_dark", day) for day in days(FEED_START, AS_OF) if not is_dark(day)),
        *(usage("acc_eur", day, active_users=15) for day in days(FEED_START, AS_OF)),
        *(
            usage("acc_starter", day, active_users=2, events=200, integrations_connected=1)
            for day in days(FEED_START, AS_OF)
        ),
        *(usage("acc_grow", day, active_users=20) for day in days(FEED_START, AS_OF)),
    ],
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, warehouses) -> Path:
    directory = tmp_path_factory.mktemp("real_feeds")
    built = warehouses.create_raw(directory / "warehouse.duckdb", RAW_ROWS)
    warehouses.build(built, directory, AS_OF)
    return built


def query(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    # read-write: dbt-duckdb may still hold the file open in-process
    con = duckdb.connect(str(warehouse))
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


# --- dark days: no usage row is a day of zero usage -------------------------------------


def test_an_account_that_goes_dark_keeps_a_row_for_every_calendar_day(warehouse):
    expected_days = len(days(FEED_START, AS_OF))
    for relation, date_column in (
        ("intermediate.int_product_usage_account_daily", "usage_date"),
        ("marts.account_health_daily", "score_date"),
        ("marts.readiness_gate_daily", "as_of_date"),
    ):
        (count,) = query(
            warehouse,
            f"select count(distinct {date_column}) from {relation} where account_id = 'acc_dark'",
        )[0]
        assert count == expected_days, relation


def test_going_dark_lowers_health(warehouse):
    before, dark, after = (
        query(
            warehouse,
            "select health_score from marts.account_health_daily"
            " where account_id = 'acc_dark' and score_date = ?",
            [day],
        )[0][0]
        for day in (D(2026, 4, 30), D(2026, 5, 15), D(2026, 6, 20))
    )
    assert dark < before
    assert after > dark


def test_a_gap_in_the_data_does_not_re_fire_a_condition_that_stayed_true(warehouse):
    firings = query(
        warehouse,
        "select fired_on from marts.trigger_firings"
        " where account_id = 'acc_dark' and trigger_id = 'multi_team_adoption'",
    )
    assert firings == [(FEED_START,)]


# --- sparse fx: the latest rate on or before the day ------------------------------------


def test_a_monthly_fx_feed_converts_every_day(warehouse):
    rows = query(
        warehouse,
        "select usage_date, arr_usd from intermediate.int_product_usage_account_daily"
        " where account_id = 'acc_eur' and usage_date in (?, ?)",
        [D(2026, 6, 1), D(2026, 6, 15)],
    )
    assert sorted(rows) == [
        (D(2026, 6, 1), Decimal("33000.00")),
        (D(2026, 6, 15), Decimal("33000.00")),
    ]
    segments = query(
        warehouse,
        "select distinct segment from marts.readiness_gate_daily where account_id = 'acc_eur'",
    )
    assert segments == [("Mid-Market",)]


# --- a plan limit of 1 is not a capacity signal -----------------------------------------


def test_using_the_one_environment_of_starter_is_not_usage_near_capacity(warehouse):
    (points,) = query(
        warehouse,
        "select points_earned from marts.account_readiness_score_items"
        " where account_id = 'acc_starter' and item = 'usage_near_capacity'",
    )[0]
    (reason,) = query(
        warehouse,
        "select motion_reason from marts.expansion_scorecard where account_id = 'acc_starter'",
    )[0]
    assert points == 0
    assert "Environments" not in reason


# --- "expanded": a renewal price escalator is not an expansion ---------------------------


def test_a_price_escalator_is_not_an_expansion_for_precision_or_recall(warehouse):
    """acc_dark's multi_team_adoption firing (2026-03-01, in the window) is followed only
    by a price uplift: not a precise firing. Of the recent expanders, acc_starter (more
    seats, 06-10) and acc_grow (05-15) count; acc_dark's escalator does not."""
    (firings, expanded_firings) = query(
        warehouse,
        "select firings, expanded_firings from marts.trigger_backtest"
        " where trigger_id = 'multi_team_adoption' and segment = 'All'",
    )[0]
    (sampled,) = query(
        warehouse,
        "select expanded_accounts_sampled from marts.calibration_readiness_gate"
        " where segment = 'All'",
    )[0]
    assert (firings, expanded_firings) == (1, 0)
    assert sampled == 2


# --- smaller drifts ---------------------------------------------------------------------


def test_the_headline_nrr_window_is_twelve_months(warehouse):
    """As of 2026-06-20 the window starts 2025-06-20. Cohort ARR then: 6,000 + 33,000
    (EUR 30,000 at the first rate, 1.10) + 1,800 + 15,000 = 55,800; now 6,600 + 33,000
    + 2,880 + 25,200 = 67,680: NRR 1.212903."""
    (window_start, nrr) = query(
        warehouse,
        "select window_start_date, nrr from marts.segment_nrr"
        " where segment = 'All' and month_end_date = ?",
        [AS_OF],
    )[0]
    assert window_start == D(2025, 6, 20)
    assert nrr == Decimal("1.212903")


def test_the_backtest_counts_an_account_in_its_segment_in_the_window(warehouse):
    """acc_grow was SMB (USD 15,000) in the backtest window; it is Mid-Market on the
    as-of date. SMB: acc_dark, acc_starter, acc_grow; Mid-Market: acc_eur."""
    eligible = dict(
        query(
            warehouse,
            "select segment, eligible_accounts from marts.trigger_backtest"
            " where trigger_id = 'multi_team_adoption' and segment <> 'All'",
        )
    )
    assert eligible == {"SMB": 3, "Mid-Market": 1}
