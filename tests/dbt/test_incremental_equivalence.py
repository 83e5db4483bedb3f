"""Incremental equals full: three nightly builds give the same tables as one full build.

A small generated company (60 accounts x 120 days, the last day D) is ingested
once. One warehouse is then built night by night, each night holding only what
was known that night (every raw row dated after the night mutated or deleted,
MUTATIONS_AFTER_D of tests/dbt/conftest.py):

- night D-2: built from scratch as of D-2 (every incremental model builds in full);
- night D-1: the raw tables replaced by that night's data, and the trigger
  registry changed (api_growth's threshold 0.40 -> 0.25): the night detects it
  as the nightly job does (orchestration.dbt_invocation.rebuild_reasons on the
  manifest) and rebuilds with ``--full-refresh``;
- night D: nothing in the project changed, so the incremental models rebuild
  only from their latest built day minus 3 (macro incremental_output_window),
  and the trigger state (int_trigger_current_days) starts from the firings and
  the day before that window.

A late file, too: the usage and feature usage of a third of the accounts on day
D-2 arrive only on night D, when D-2 is two days before the latest built day,
inside the rebuild window.

A second warehouse is built once, from scratch, as of D with the changed
registry. Each incremental model, and the firings read from the trigger state,
must hold exactly the same rows in both (EXCEPT ALL both ways, so duplicates
count). Only the incremental models and what they read are built.

The project is a copy (models, seeds, macros, dbt_project, tests/dbt), so the
registry can change between nights.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expansion.generator import GeneratorConfig
from orchestration.dbt_invocation import build_fingerprint, rebuild_reasons
from tests.dbt.conftest import copy_project

D = dt.date(2026, 11, 21)
NIGHTS = [D - dt.timedelta(days=2), D - dt.timedelta(days=1), D]
REGISTRY_CHANGED_ON = NIGHTS[1]
SELECT = [
    "+readiness_gate_daily",
    "+int_trigger_feature_engagement_daily",
    "+int_trigger_threshold_firings",
]
LATE_DAY = D - dt.timedelta(days=2)
LATE_FILE = [
    f"delete from raw.{table} where usage_date = ?"
    " and account_id in (select account_id from raw.accounts where hash(account_id) % 3 = 0)"
    for table in ("usage_daily", "feature_usage_daily")
]
"""The rows of LATE_DAY withheld until night D."""

# every incremental model -> its date column
INCREMENTAL_MODELS = {
    "intermediate.int_account_days": "usage_date",
    "intermediate.int_feature_usage_account_feature_daily": "usage_date",
    "intermediate.int_department_usage_account_daily": "usage_date",
    "intermediate.int_product_usage_account_daily": "usage_date",
    "intermediate.int_support_account_daily": "usage_date",
    "intermediate.int_relationship_account_daily": "usage_date",
    "intermediate.int_account_health_daily": "score_date",
    "intermediate.int_readiness_gate_daily": "as_of_date",
    "intermediate.int_trigger_feature_engagement_daily": "usage_date",
    "intermediate.int_trigger_current_days": "evaluated_on",
}
COMPARED = {**INCREMENTAL_MODELS, "intermediate.int_trigger_threshold_firings": "fired_on"}


def _change_threshold(root: Path, trigger_id: str, threshold: str) -> None:
    registry = root / "seeds/triggers/trigger_registry.csv"
    with registry.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["trigger_id"] == trigger_id:
            row["threshold_value"] = threshold
    with registry.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def nightly_and_full(tmp_path_factory: pytest.TempPathFactory, warehouses) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("incremental_equivalence")
    project = copy_project(root / "project")
    config = GeneratorConfig(accounts=60, days=120, seed=3, end_date=D, defect_rate=0.0)
    raw = warehouses.ingest(root, config)

    nightly = warehouses.copy(raw, root / "nightly.duckdb")
    built_from = None
    full_rebuilds = {}
    for night in NIGHTS:
        if night == REGISTRY_CHANGED_ON:
            _change_threshold(project.parent, "api_growth", "0.2500")
        warehouses.restore_raw(nightly, raw)
        warehouses.mutate_after(nightly, night)
        if night < D:
            late = warehouses.execute(nightly, LATE_FILE, [LATE_DAY])
            assert late > 0, "the late file must hold rows"
        work = root / f"nightly_{night.isoformat()}"
        # the project's fingerprint as the night sees it: from a fresh parse's manifest,
        # which the night's build then reuses
        fingerprint = build_fingerprint(warehouses.parse(nightly, work, night, project), "duckdb")
        full_rebuilds[night] = rebuild_reasons(built_from, fingerprint)
        warehouses.build(
            nightly, work, night, SELECT, project, full_refresh=bool(full_rebuilds[night])
        )
        built_from = fingerprint
    assert full_rebuilds[REGISTRY_CHANGED_ON] == ["changed seed.expansion.trigger_registry"]
    assert full_rebuilds[D] == [], "an unchanged project must build incrementally"
    # the last night compiled every incremental model's incremental branch
    for relation in INCREMENTAL_MODELS:
        model = relation.split(".")[1]
        compiled = next((work / "target" / "compiled").rglob(f"{model}.sql"))
        assert "latest_built_date" in compiled.read_text(), f"{model} was not built incrementally"

    full = warehouses.copy(raw, root / "full_build.duckdb")
    warehouses.build(full, root / "full", D, SELECT, project)
    return nightly, full


@pytest.mark.parametrize("relation", list(COMPARED))
def test_nightly_incremental_builds_equal_a_full_build(
    nightly_and_full: tuple[Path, Path], relation: str
) -> None:
    nightly, full = nightly_and_full
    # the full build's file is still open in-process (dbt-duckdb): connect to it (catalog
    # full_build, the file's stem) rather than attach it a second time
    con = duckdb.connect(str(full))
    try:
        con.execute("attach ? as nightly (read_only)", [str(nightly)])
        date_column = COMPARED[relation]
        # an incremental model must have rows on the nights it built incrementally; the
        # firings (a few a quarter on 60 accounts) must have some at all
        since = NIGHTS[0] if relation in INCREMENTAL_MODELS else dt.date(1900, 1, 1)
        rows_on_the_last_nights = con.execute(
            f"select count(*) from full_build.{relation} where {date_column} >= ?", [since]
        ).fetchall()[0][0]
        only_nightly = con.execute(
            f"select * from nightly.{relation} except all select * from full_build.{relation}"
            " limit 5"
        ).fetchall()
        only_full = con.execute(
            f"select * from full_build.{relation} except all select * from nightly.{relation}"
            " limit 5"
        ).fetchall()
        con.execute("detach nightly")
    finally:
        con.close()
    assert rows_on_the_last_nights > 0, f"{relation} has no rows on the incremental nights"
    assert not only_nightly and not only_full, (only_nightly, only_full)
