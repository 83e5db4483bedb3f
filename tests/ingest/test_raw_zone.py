"""The raw zone as files: one Parquet file per landing file, replaced whole; the ledger as
the commit point; a run that loads nothing writes nothing; a deleted zone replays to the
same rows; a crash on either side of the commit converges on the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import expansion.ingest.load as load
from expansion.contract import source_named
from expansion.ingest import RawZone, ingest_landing_zone, ingest_source
from expansion.ingest.zone import data_file_name

ACCOUNTS = source_named("accounts")
USAGE = source_named("usage_daily")
LOAD_TIMES = {"_loaded_at", "rejected_at"}


def zone_files(zone: RawZone) -> dict[str, int]:
    """Every file of the zone (hidden ones too) by relative path, with its mtime in ns."""
    return {
        path.relative_to(zone.root).as_posix(): path.stat().st_mtime_ns
        for path in sorted(zone.root.rglob("*"))
        if path.is_file()
    }


def zone_rows(con) -> dict[str, list[tuple]]:
    """Every row of every source and of the rejects, without load times, sorted."""
    relations = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'raw' and table_name <> '_load_ledger'"
        ).fetchall()
    ]
    rows = {}
    for name in relations:
        columns = [
            column
            for (column,) in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
            if column not in LOAD_TIMES
        ]
        rows[name] = sorted(
            con.execute(f"select {', '.join(columns)} from raw.{name}").fetchall(), key=repr
        )
    return rows


def test_data_file_names_are_safe_for_spark_and_distinct_per_landing_path():
    names = {
        path: data_file_name(path)
        for path in (
            "usage_daily/2026-03-01.csv",
            "usage_daily/2026-03-01.parquet",
            "usage_daily/_hidden.csv",
            "usage_daily/.hidden.csv",
            "usage_daily/a b.csv",
            "usage_daily/a_b.csv",
        )
    }
    assert names["usage_daily/2026-03-01.csv"].startswith("2026-03-01.csv-")
    assert len(set(names.values())) == len(names)
    for name in names.values():
        assert name.endswith(".parquet")
        assert name[0] not in "._", name  # Spark skips files whose names start so
        assert " " not in name


def test_each_landing_file_is_one_parquet_file_and_a_correction_replaces_it(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1", "acc_2")
    path = write_csv("usage_daily/2026-11-21.csv", [usage, {**usage, "events": "-1"}])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    data_file = zone.data_file("usage_daily", "usage_daily/2026-11-21.csv")
    rejects_file = zone.rejects_file("usage_daily", "usage_daily/2026-11-21.csv")
    assert sorted(p.name for p in zone.source_dir("usage_daily").iterdir()) == sorted(
        [data_file.name, "empty.parquet"]
    )
    assert rejects_file.exists()

    path.write_text(path.read_text().replace("acc_1,2026-11-21,12,-1", "acc_2,2026-11-21,12,7"))
    ingest_source(zone, landing, USAGE)

    assert sorted(p.name for p in zone.source_dir("usage_daily").iterdir()) == sorted(
        [data_file.name, "empty.parquet"]
    )
    assert not rejects_file.exists(), "the corrected version has no rejects"
    assert con.execute(
        "select account_id, events, _source_row_number from raw.usage_daily order by 1"
    ).fetchall() == [("acc_1", 340, 1), ("acc_2", 7, 2)]


def test_the_same_landing_zone_again_writes_nothing(
    zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage, {**usage, "events": "-1"}])
    write_csv("usage_daily/bad.csv", [{"account_id": "acc_1"}])  # refused: missing columns
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    before = zone_files(zone)

    again = ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])

    assert [r.files_loaded for r in again] == [0, 0]
    assert zone_files(zone) == before


def test_a_deleted_raw_zone_replays_from_the_landing_zone_to_the_same_rows(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1", "acc_2")
    day_1 = write_csv("usage_daily/2026-11-21.csv", [usage, {**usage, "account_id": "acc_9"}])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    day_1.write_text(day_1.read_text().replace("acc_9", "acc_2"))  # corrected
    write_csv("usage_daily/2026-11-22.csv", [{**usage, "usage_date": "2026-11-22"}] * 2)
    write_accounts("acc_1", "acc_2", "acc_3")  # a new snapshot
    nights = [ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE]) for _ in range(2)]
    assert [r.replacements != () for r in nights[0]] == [True, True]
    history_rows, history_files = zone_rows(con), zone_files(zone)

    shutil.rmtree(zone.root)
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])

    assert zone_rows(con) == history_rows
    assert history_rows["usage_daily"] and history_rows["_rejects"]  # something was compared
    assert set(zone_files(zone)) == set(history_files)  # the same files, by name


def test_a_run_stopped_before_its_commit_leaves_the_old_version_and_the_next_run_loads(
    con, zone, landing, write_accounts, write_csv, usage, monkeypatch
):
    write_accounts("acc_1")
    path = write_csv("usage_daily/2026-11-21.csv", [usage])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    path.write_text(path.read_text().replace(",340,", ",341,"))

    def stop(*_args) -> None:
        raise KeyboardInterrupt  # a kill between staging and the ledger's rename

    with monkeypatch.context() as patched:
        patched.setattr(load, "commit_ledger", stop)
        with pytest.raises(KeyboardInterrupt):
            ingest_source(zone, landing, USAGE)
    staged = [p.name for p in zone.source_dir("usage_daily").iterdir() if p.name.startswith(".")]
    assert len(staged) == 1, "the new version was staged, hidden"
    assert con.execute("select events from raw.usage_daily").fetchall() == [(340,)]

    result = ingest_source(zone, landing, USAGE)

    assert (result.files_loaded, result.rows_loaded) == (1, 1)
    assert con.execute("select events from raw.usage_daily").fetchall() == [(341,)]
    assert not [p for p in zone.root.rglob(".*") if p.name.endswith(".tmp")]


def test_a_run_stopped_after_its_commit_is_finished_by_the_next_run_without_reading_again(
    con, zone, landing, write_accounts, write_csv, usage, monkeypatch, ledger
):
    write_accounts("acc_1")
    path = write_csv("usage_daily/2026-11-21.csv", [usage])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    path.write_text(path.read_text().replace(",340,", ",341,"))
    settle = RawZone.settle
    calls = []

    def stop_after_the_commit(self, source_name, loaded):
        calls.append(source_name)
        if len(calls) == 2:  # the first settles the previous run, the second this batch
            raise KeyboardInterrupt
        return settle(self, source_name, loaded)

    with monkeypatch.context() as patched:
        patched.setattr(RawZone, "settle", stop_after_the_commit)
        with pytest.raises(KeyboardInterrupt):
            ingest_source(zone, landing, USAGE)
    assert con.execute("select events from raw.usage_daily").fetchall() == [(340,)]

    result = ingest_source(zone, landing, USAGE)

    assert (result.files_loaded, result.files_skipped) == (0, 1)
    assert con.execute("select events from raw.usage_daily").fetchall() == [(341,)]
    assert [row[1:3] for row in ledger(con) if row[0].startswith("usage")] == [
        (1, "superseded"),
        (2, "loaded"),
    ]


def test_a_data_file_deleted_by_hand_is_read_again_from_its_landing_file(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    zone.data_file("usage_daily", "usage_daily/2026-11-21.csv").unlink()

    result = ingest_source(zone, landing, USAGE)

    assert (result.files_loaded, result.rows_loaded, result.replacements) == (1, 1, ())
    assert con.execute("select count(*) from raw.usage_daily").fetchone() == (1,)


def test_ingestion_needs_no_database_file(tmp_path: Path, landing, write_accounts):
    write_accounts("acc_1")
    zone = RawZone(tmp_path / "elsewhere" / "raw")
    ingest_source(zone, landing, ACCOUNTS)
    assert not list(tmp_path.rglob("*.duckdb")) and not list(tmp_path.rglob("*.wal"))
