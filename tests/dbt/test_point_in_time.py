"""Point in time: nothing dated after day D changes health, gate, scores, whitespace,
attribution, forecast or post-expansion checks for D.

A small generated company is ingested into one warehouse; a copy then has every
raw row dated after D mutated or deleted - usage after D inflated, feature
usage, tickets, activities, users, contacts, subscriptions and opportunities
created after D deleted, NPS after D zeroed, firmographics and fx rates after D
changed, and the later-dated columns of rows dated on or before D rewritten
(tickets resolved after D re-opened with CSAT 1, contacts that left after D
kept, opportunities closed after D re-opened). Both warehouses are built with
``--vars {as_of_date: D}`` (one dbt invocation each); every row of the health,
gate and score models for days on or before D must be identical.

Contracted dates of a line (its end_date) are contract facts known from the
start_date and are left unchanged. The mutations and the builds are the
``warehouses`` fixture's (tests/dbt/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from expansion.generator import GeneratorConfig

END_DATE = dt.date(2026, 11, 21)
D = END_DATE - dt.timedelta(days=45)

# relation -> the date column that must be on or before D (None: as-of models, all rows)
COMPARED = {
    "marts.account_health_daily": "score_date",
    "marts.readiness_gate_daily": "as_of_date",
    "marts.account_readiness_scores": None,
    "marts.expansion_scorecard": None,
    "intermediate.int_signal_points_itemised": None,
    "intermediate.int_weighted_readiness_itemised": None,
    "intermediate.int_product_usage_account_daily": "usage_date",
    "intermediate.int_support_account_daily": "usage_date",
    "intermediate.int_relationship_account_daily": "usage_date",
    "intermediate.int_account_days": "usage_date",
    "intermediate.int_fx_rates_daily": "valuation_date",
    "intermediate.int_account_expansions": None,
    "intermediate.int_opportunity_cells_at_creation": None,
    "marts.whitespace_scores": None,
    "marts.whitespace_coverage": None,
    "marts.opportunity_attribution": None,
    "marts.expansion_forecast": None,
    "marts.post_expansion_checks": None,
}


@pytest.fixture(scope="module")
def two_warehouses(tmp_path_factory: pytest.TempPathFactory, warehouses) -> tuple[Path, Path]:
    config = GeneratorConfig(accounts=60, days=200, seed=11, end_date=END_DATE, defect_rate=0.0)
    original, mutated = warehouses.original_and_mutated(
        tmp_path_factory.mktemp("point_in_time"), config, D
    )
    ((usage_after_d,),) = warehouses.query_raw(
        original, "select count(*) from raw.usage_daily where usage_date > ?", [D]
    )
    assert usage_after_d > 0, "the company must have usage after D for the test to mean anything"
    return original, mutated


@pytest.mark.parametrize("relation", list(COMPARED))
def test_rows_for_days_up_to_d_do_not_depend_on_anything_after_d(
    two_warehouses: tuple[Path, Path], warehouses, relation: str
) -> None:
    original, mutated = two_warehouses
    before = warehouses.rows(original, relation, COMPARED[relation], D)
    after = warehouses.rows(mutated, relation, COMPARED[relation], D)
    assert sum(before.values()) > 0, f"{relation} has no rows up to {D}"
    only_original = list((before - after).elements())[:5]
    only_mutated = list((after - before).elements())[:5]
    assert not only_original and not only_mutated, (only_original, only_mutated)
