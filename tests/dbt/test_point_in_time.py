"""Point in time: nothing dated after day D changes health, gate or scores for D.

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
start_date and are left unchanged.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.generator import GeneratorConfig, generate
from expansion.ingest import ensure_raw_schema, ingest_landing_zone

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
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
}

MUTATIONS_AFTER_D = [
    "update raw.usage_daily set active_users = active_users + 50, events = events * 3 + 7,"
    " api_calls = api_calls * 3 where usage_date > ?",
    "delete from raw.feature_usage_daily where usage_date > ?",
    "update raw.nps_responses set score = 0 where cast(responded_at as date) > ?",
    "delete from raw.crm_activities where cast(occurred_at as date) > ?",
    "delete from raw.support_tickets where cast(created_at as date) > ?",
    "update raw.support_tickets set resolved_at = null, csat = 1"
    " where cast(resolved_at as date) > ?",
    "delete from raw.users where cast(created_at as date) > ?",
    "delete from raw.contacts where valid_from > ?",
    "update raw.contacts set valid_to = null where valid_to > ?",
    "delete from raw.subscriptions where start_date > ?",
    "update raw.firmographics set employee_count = employee_count * 5, open_roles = 99"
    " where as_of_date > ?",
    "delete from raw.opportunities where cast(created_at as date) > ?",
    "update raw.opportunities set outcome = 'open', closed_at = null"
    " where cast(closed_at as date) > ?",
    "update raw.fx_rates set usd_per_unit = usd_per_unit * 2 where rate_date > ?",
]


def _build(warehouse: Path, work: Path) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir", str(DBT_PROJECT_DIR),
                "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(work / "target"),
                "--log-path", str(work / "logs"),
                "--vars", f"{{as_of_date: '{D.isoformat()}'}}",
                "--exclude", "resource_type:test", "resource_type:unit_test",
                "--no-partial-parse",
                "--quiet",
            ]
        )  # fmt: skip
    assert result.exception is None, result.exception
    assert result.success, [(r.node.unique_id, r.message) for r in result.result if r.message]


@pytest.fixture(scope="module")
def two_warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("point_in_time")
    landing = tmp / "landing"
    config = GeneratorConfig(
        accounts=60, days=200, seed=11, end_date=END_DATE, out=landing, defect_rate=0.0
    )
    generate(config)
    original = tmp / "original.duckdb"
    con = duckdb.connect(str(original))
    try:
        ensure_raw_schema(con)
        ingest_landing_zone(con, landing)
    finally:
        con.close()
    mutated = tmp / "mutated.duckdb"
    shutil.copyfile(original, mutated)
    con = duckdb.connect(str(mutated))
    try:
        for statement in MUTATIONS_AFTER_D:
            con.execute(statement, [D])
        changed_usage = con.execute(
            "select count(*) from raw.usage_daily where usage_date > ?", [D]
        ).fetchall()[0][0]
    finally:
        con.close()
    assert changed_usage > 0, "the company must have usage after D for the test to mean anything"
    _build(original, tmp / "original")
    _build(mutated, tmp / "mutated")
    return original, mutated


def _rows(warehouse: Path, relation: str, date_column: str | None) -> Counter[tuple]:
    # read-write: dbt-duckdb still holds the file open in-process, and DuckDB
    # refuses a second handle on it with a different (read-only) configuration
    con = duckdb.connect(str(warehouse))
    try:
        where = f"where {date_column} <= ?" if date_column else ""
        params = [D] if date_column else []
        rows = con.execute(f"select * from {relation} {where}", params).fetchall()
    finally:
        con.close()
    return Counter(rows)


@pytest.mark.parametrize("relation", list(COMPARED))
def test_rows_for_days_up_to_d_do_not_depend_on_anything_after_d(
    two_warehouses: tuple[Path, Path], relation: str
) -> None:
    original, mutated = two_warehouses
    before = _rows(original, relation, COMPARED[relation])
    after = _rows(mutated, relation, COMPARED[relation])
    assert sum(before.values()) > 0, f"{relation} has no rows up to {D}"
    only_original = list((before - after).elements())[:5]
    only_mutated = list((after - before).elements())[:5]
    assert not only_original and not only_mutated, (only_original, only_mutated)
