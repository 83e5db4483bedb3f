"""No look-ahead: nothing dated after day D changes a trigger evaluation or firing on or before D.

A small generated company is ingested into one warehouse; a copy has every raw
row dated after D mutated or deleted (the mutations of test_point_in_time).
Both are built with ``--vars {as_of_date: D}`` (one dbt invocation each, the
trigger library and what it reads); the evaluations and firings dated on or
before D must be identical. Trigger models evaluate every day up to the data's
end, so rows after D are ignored, not required to be absent.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.generator import GeneratorConfig, generate
from expansion.ingest import ensure_raw_schema, ingest_landing_zone

# the mutations of every raw row dated after D, shared with test_point_in_time
_spec = importlib.util.spec_from_file_location(
    "point_in_time_mutations", Path(__file__).with_name("test_point_in_time.py")
)
_point_in_time = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_point_in_time)
DBT_PROJECT_DIR: Path = _point_in_time.DBT_PROJECT_DIR
END_DATE: dt.date = _point_in_time.END_DATE
MUTATIONS_AFTER_D: list[str] = _point_in_time.MUTATIONS_AFTER_D

D = END_DATE - dt.timedelta(days=60)

COMPARED = {
    "intermediate.int_trigger_evaluations": "evaluated_on",
    "marts.trigger_firings": "fired_on",
}


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
                "--select", "+trigger_firings",
                "--exclude", "resource_type:test", "resource_type:unit_test",
                "--no-partial-parse",
                "--quiet",
            ]
        )  # fmt: skip
    assert result.exception is None, result.exception
    assert result.success, [(r.node.unique_id, r.message) for r in result.result if r.message]


@pytest.fixture(scope="module")
def two_warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("triggers_no_look_ahead")
    landing = tmp / "landing"
    generate(
        GeneratorConfig(
            accounts=120, days=240, seed=7, end_date=END_DATE, out=landing, defect_rate=0.0
        )
    )
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
    finally:
        con.close()
    _build(original, tmp / "original")
    _build(mutated, tmp / "mutated")
    return original, mutated


def _rows(warehouse: Path, relation: str, date_column: str) -> Counter[tuple]:
    con = duckdb.connect(str(warehouse))
    try:
        rows = con.execute(f"select * from {relation} where {date_column} <= ?", [D]).fetchall()
    finally:
        con.close()
    return Counter(rows)


@pytest.mark.parametrize("relation", list(COMPARED))
def test_trigger_rows_up_to_d_do_not_depend_on_anything_after_d(
    two_warehouses: tuple[Path, Path], relation: str
) -> None:
    original, mutated = two_warehouses
    before = _rows(original, relation, COMPARED[relation])
    after = _rows(mutated, relation, COMPARED[relation])
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
