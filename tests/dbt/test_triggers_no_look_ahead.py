"""No look-ahead: nothing dated after day D changes a trigger evaluation or firing on or before D.

A small generated company is ingested into one warehouse; a copy has every raw
row dated after D mutated or deleted (MUTATIONS_AFTER_D in tests/dbt/conftest.py,
shared with test_point_in_time; the ``warehouses`` fixture builds both).
Both are built with ``--vars {as_of_date: D}`` (one dbt invocation each, the
trigger library and what it reads); the evaluations and firings dated on or
before D must be identical. Trigger models evaluate every day up to the data's
end, so rows after D are ignored, not required to be absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expansion.generator import GeneratorConfig

END_DATE = dt.date(2026, 11, 21)
D = END_DATE - dt.timedelta(days=60)

COMPARED = {
    "intermediate.int_trigger_evaluations": "evaluated_on",
    "intermediate.int_trigger_current_days": "evaluated_on",
    "marts.trigger_firings": "fired_on",
}


@pytest.fixture(scope="module")
def two_warehouses(tmp_path_factory: pytest.TempPathFactory, warehouses) -> tuple[Path, Path]:
    config = GeneratorConfig(accounts=120, days=240, seed=7, end_date=END_DATE, defect_rate=0.0)
    return warehouses.original_and_mutated(
        tmp_path_factory.mktemp("triggers_no_look_ahead"), config, D, select=["+trigger_firings"]
    )


@pytest.mark.parametrize("relation", list(COMPARED))
def test_trigger_rows_up_to_d_do_not_depend_on_anything_after_d(
    two_warehouses: tuple[Path, Path], warehouses, relation: str
) -> None:
    original, mutated = two_warehouses
    before = warehouses.rows(original, relation, COMPARED[relation], D)
    after = warehouses.rows(mutated, relation, COMPARED[relation], D)
    assert sum(before.values()) > 0, f"{relation} has no rows up to {D}"
    only_original = list((before - after).elements())[:5]
    only_mutated = list((after - before).elements())[:5]
    assert not only_original and not only_mutated, (only_original, only_mutated)


def test_several_triggers_fired_before_d(two_warehouses: tuple[Path, Path]) -> None:
    original, _ = two_warehouses
    con = duckdb.connect(str(original))
    try:
        triggers = con.execute(
            "select count(distinct trigger_id) from marts.trigger_firings where fired_on <= ?", [D]
        ).fetchall()[0][0]
    finally:
        con.close()
    assert triggers >= 5
