"""The load ledger: re-runs load nothing twice; corrected files replace their old rows."""

from __future__ import annotations

import os

from expansion.contract import source_named
from expansion.ingest import ingest_landing_zone, ingest_source
from expansion.ingest.files import LandingFile
from expansion.ingest.ledger import LedgerEntry, is_unchanged_on_disk

ACCOUNTS = source_named("accounts")
USAGE = source_named("usage_daily")


def counts(con) -> tuple[int, int]:
    usage = con.execute("select count(*) from raw.usage_daily").fetchone()[0]
    rejected = con.execute("select count(*) from raw._rejects").fetchone()[0]
    return usage, rejected


def test_size_and_mtime_match_means_unchanged(tmp_path):
    file = LandingFile(tmp_path / "a.csv", "usage_daily/a.csv", size_bytes=10, mtime_ns=5)
    entry = LedgerEntry("usage_daily/a.csv", "abc", 1, "loaded", 10, 5, None)
    assert is_unchanged_on_disk(file, entry)
    assert not is_unchanged_on_disk(file, None)
    assert not is_unchanged_on_disk(
        file, LedgerEntry("usage_daily/a.csv", "abc", 1, "loaded", 10, 6, None)
    )


def test_rerun_loads_nothing_twice(con, zone, landing, write_accounts, write_csv, ledger, usage):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage, {**usage, "events": "-1"}])
    write_csv("usage_daily/2026-11-22.csv", [{**usage, "usage_date": "2026-11-22"}])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    before = (counts(con), ledger(con))
    rerun = ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    assert [(r.files_loaded, r.files_skipped, r.rows_loaded) for r in rerun] == [
        (0, 1, 0),
        (0, 2, 0),
    ]
    assert (counts(con), ledger(con)) == before


def test_touched_but_identical_file_is_not_reloaded(con, zone, landing, write_csv, ledger, account):
    path = write_csv("accounts/accounts.csv", [account])
    ingest_source(zone, landing, ACCOUNTS)
    os.utime(path, ns=(0, 1_000_000_000))
    result = ingest_source(zone, landing, ACCOUNTS)
    assert (result.files_loaded, result.files_skipped) == (0, 1)
    assert ledger(con) == [("accounts/accounts.csv", 1, "loaded", 1, 1, 0, None)]
    assert con.execute("select mtime_ns from raw._load_ledger").fetchone() == (1_000_000_000,)


def test_corrected_file_replaces_the_old_version(
    con, zone, landing, write_accounts, write_csv, ledger, usage
):
    write_accounts("acc_1", "acc_2")
    first = [usage, {**usage, "account_id": "acc_2", "events": "-5"}]
    write_csv("usage_daily/2026-11-21.csv", first)
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    corrected = [{**usage, "events": "341"}, {**usage, "account_id": "acc_2", "events": "5"}]
    write_csv("usage_daily/2026-11-21.csv", corrected)

    result = ingest_source(zone, landing, USAGE)

    assert (result.files_loaded, result.rows_loaded, result.rows_rejected) == (1, 2, 0)
    assert con.execute(
        "select account_id, events from raw.usage_daily order by account_id"
    ).fetchall() == [("acc_1", 341), ("acc_2", 5)]
    assert counts(con) == (2, 0)  # the first version's reject is gone with it
    usage_ledger = [row for row in ledger(con) if row[0].startswith("usage_daily/")]
    assert usage_ledger == [
        ("usage_daily/2026-11-21.csv", 1, "superseded", 2, 1, 1, None),
        ("usage_daily/2026-11-21.csv", 2, "loaded", 2, 2, 0, None),
    ]


def test_refused_replacement_keeps_the_loaded_version_until_corrected(
    con, zone, landing, write_csv, ledger, account
):
    write_csv("accounts/accounts.csv", [account])
    ingest_source(zone, landing, ACCOUNTS)
    broken = {key: value for key, value in account.items() if key != "onboarded_at"}
    write_csv("accounts/accounts.csv", [{**broken, "account_name": "Acme v2"}])

    refused = ingest_source(zone, landing, ACCOUNTS)
    assert refused.files_refused == 1
    assert con.execute("select account_name from raw.accounts").fetchall() == [("Acme",)]

    write_csv("accounts/accounts.csv", [{**account, "account_name": "Acme v3"}])
    ingest_source(zone, landing, ACCOUNTS)
    assert con.execute("select account_name from raw.accounts").fetchall() == [("Acme v3",)]
    assert [row[:3] for row in ledger(con)] == [
        ("accounts/accounts.csv", 1, "superseded"),
        ("accounts/accounts.csv", 2, "superseded"),
        ("accounts/accounts.csv", 3, "loaded"),
    ]


def test_unchanged_refused_file_is_reported_on_every_run(
    con, zone, landing, write_csv, ledger, account
):
    del account["updated_at"]
    write_csv("accounts/accounts.csv", [account])
    first = ingest_source(zone, landing, ACCOUNTS)
    before = ledger(con)
    again = ingest_source(zone, landing, ACCOUNTS)
    assert again.refusals == first.refusals
    assert (again.files_refused, again.files_skipped) == (1, 0)
    assert ledger(con) == before


def test_restoring_an_earlier_version_loads_it_again(
    con, zone, landing, write_csv, ledger, account
):
    write_csv("accounts/accounts.csv", [account])
    ingest_source(zone, landing, ACCOUNTS)
    write_csv("accounts/accounts.csv", [{**account, "account_name": "Renamed"}])
    ingest_source(zone, landing, ACCOUNTS)
    write_csv("accounts/accounts.csv", [account])
    ingest_source(zone, landing, ACCOUNTS)
    assert con.execute("select account_name from raw.accounts").fetchall() == [("Acme",)]
    assert [row[1:3] for row in ledger(con)] == [(2, "superseded"), (3, "loaded")]
