"""The night's as-of date lives in one place: the one-row model ``int_as_of_date``.

It is the ``as_of_date`` var when one is given (a direct dbt invocation, the tests),
else the environment variable the nightly job sets from ``expansion refresh --as-of``,
else the latest usage day. The job passes the date in the environment rather than as
a var because dbt re-parses the whole project when a var changes; an environment
variable read by one file re-parses that file only. Built on a tiny hand-made
warehouse whose usage runs from 2026-06-01 to 2026-06-03.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.settings import AS_OF_DATE_ENV
from tests.dbt.conftest import raw_zone_of

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
USAGE_DAYS = [dt.date(2026, 6, 1), dt.date(2026, 6, 2), dt.date(2026, 6, 3)]
USAGE = {
    "usage_daily": [
        {"account_id": "acc_a", "usage_date": day, "active_users": 1, "events": 10}
        for day in USAGE_DAYS
    ]
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, warehouses) -> Path:
    return warehouses.create_raw(tmp_path_factory.mktemp("as_of") / "warehouse.duckdb", USAGE)


def dbt(
    warehouse: Path, work: Path, args: Sequence[str], env_as_of: str | None, events=None
) -> None:
    """One in-process dbt invocation with the nightly job's as-of variable set (or not)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
        env.setenv("EXPANSION_RAW_DIR", str(raw_zone_of(warehouse).root))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        if env_as_of is None:
            env.delenv(AS_OF_DATE_ENV, raising=False)
        else:
            env.setenv(AS_OF_DATE_ENV, env_as_of)
        result = dbtRunner(callbacks=[events.append] if events is not None else []).invoke(
            [
                *args,
                "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                "--quiet",
            ]
        )  # fmt: skip
    assert result.exception is None, result.exception
    assert result.success


def as_of(warehouse: Path) -> dt.date:
    con = duckdb.connect(str(warehouse))
    try:
        rows = con.execute("select as_of_date from intermediate.int_as_of_date").fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    return rows[0][0]


BUILD = ["build", "--select", "+int_as_of_date", "--exclude", "resource_type:test"]


def test_the_as_of_date_is_the_var_else_the_nights_date_else_the_latest_usage_day(
    warehouse: Path, tmp_path: Path
) -> None:
    dbt(warehouse, tmp_path, BUILD, env_as_of=None)
    assert as_of(warehouse) == dt.date(2026, 6, 3)
    dbt(warehouse, tmp_path, BUILD, env_as_of="")
    assert as_of(warehouse) == dt.date(2026, 6, 3)
    dbt(warehouse, tmp_path, BUILD, env_as_of="2026-06-02")
    assert as_of(warehouse) == dt.date(2026, 6, 2)
    dbt(warehouse, tmp_path, [*BUILD, "--vars", "{as_of_date: '2026-06-01'}"], "2026-06-02")
    assert as_of(warehouse) == dt.date(2026, 6, 1)


def test_a_night_with_another_as_of_date_reparses_one_file_not_the_project(
    warehouse: Path, tmp_path: Path
) -> None:
    dbt(warehouse, tmp_path, ["parse"], env_as_of="2026-06-01")
    events: list = []
    dbt(warehouse, tmp_path, BUILD, env_as_of="2026-06-02", events=events)
    names = [event.info.name for event in events]
    assert "UnableToPartialParse" not in names
    partial = [event.data for event in events if event.info.name == "PartialParsingEnabled"]
    assert len(partial) == 1 and (partial[0].changed, partial[0].added) == (1, 0)
    assert as_of(warehouse) == dt.date(2026, 6, 2)
