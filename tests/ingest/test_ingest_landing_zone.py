"""A whole landing zone: the raw zone's layout, source order, folders, Parquet, and row
accounting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from expansion.contract import SOURCES, SQL_TYPES, source_named
from expansion.ingest import ingest_landing_zone, ingest_source

ACCOUNTS = source_named("accounts")
USAGE = source_named("usage_daily")


def test_an_empty_raw_zone_reads_as_every_source_the_rejects_and_the_ledger(con, zone):
    zone.ensure()  # a second time changes nothing
    tables = {
        name: con.execute(f"select count(*) from raw.{name}").fetchone()[0]
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    assert tables == dict.fromkeys([s.name for s in SOURCES] + ["_rejects", "_load_ledger"], 0)
    usage = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = 'raw' and table_name = 'usage_daily' order by ordinal_position"
    ).fetchall()
    expected = [(c.name, SQL_TYPES[c.type].upper()) for c in USAGE.columns]
    expected += [("_source_file", "VARCHAR"), ("_source_row_number", "BIGINT")]
    assert usage == [*expected, ("_loaded_at", "TIMESTAMP")]


def test_raw_table_carries_typed_values_and_lineage(con, zone, landing, write_accounts):
    write_accounts("acc_1")
    ingest_source(zone, landing, ACCOUNTS)
    assert con.execute(
        "select onboarded_at, updated_at, fiscal_year_start_month, "
        "_source_file, _source_row_number from raw.accounts"
    ).fetchone() == (date(2026, 1, 15), datetime(2026, 11, 1, 9), 4, "accounts/accounts.csv", 1)


def test_accounts_load_first_whatever_order_is_given(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage])
    results = ingest_landing_zone(zone, landing, [USAGE, ACCOUNTS])
    assert [(r.source, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("accounts", 1, 0),
        ("usage_daily", 1, 0),
    ]


def test_missing_required_folder_is_refused_in_the_ledger_and_optional_folder_is_fine(
    con, zone, landing, ledger
):
    landing.mkdir()
    contacts, fx_rates = ingest_landing_zone(
        zone, landing, [source_named("contacts"), source_named("fx_rates")]
    )
    message = f"contacts: required source folder {landing / 'contacts'} is missing"
    assert contacts.refusals == (message,)
    assert (contacts.files_refused, fx_rates.refusals) == (1, ())
    assert ledger(con) == [("contacts/", 1, "refused", None, None, None, message)]


def test_a_missing_folder_is_reported_every_run_and_withdrawn_once_it_is_back(
    con, zone, landing, ledger
):
    landing.mkdir()
    contacts = source_named("contacts")
    ingest_landing_zone(zone, landing, [contacts])
    (again,) = ingest_landing_zone(zone, landing, [contacts])
    assert again.files_refused == 1
    assert [row[:3] for row in ledger(con)] == [("contacts/", 1, "refused")]

    (landing / "contacts").mkdir()
    (back,) = ingest_landing_zone(zone, landing, [contacts])

    assert back.refusals == ()
    assert [row[:3] for row in ledger(con)] == [("contacts/", 1, "withdrawn")]


def test_parquet_file_loads_like_csv(con, zone, landing, write_accounts):
    write_accounts("acc_1")
    (landing / "usage_daily").mkdir()
    table = pa.table(
        {
            "account_id": ["acc_1", "acc_1"],
            "usage_date": [date(2026, 11, 21), date(2026, 11, 22)],
            "active_users": [12, 13],
            "events": [340, -1],
            "api_calls": [55, 56],
            "storage_gb": [1.25, 1.5],
            "integrations_connected": [2, 2],
            "environments": [1, 1],
        }
    )
    pq.write_table(table, landing / "usage_daily" / "2026-11-22.parquet")
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    assert con.execute(
        "select usage_date, events, storage_gb, _source_file, _source_row_number "
        "from raw.usage_daily"
    ).fetchall() == [
        (date(2026, 11, 21), 340, Decimal("1.2500"), "usage_daily/2026-11-22.parquet", 1)
    ]
    assert con.execute("select rule, source_row_number from raw._rejects").fetchall() == [
        ("negative_value", 2)
    ]


def test_parquet_missing_a_required_column_is_refused(con, zone, landing):
    (landing / "accounts").mkdir(parents=True)
    pq.write_table(pa.table({"account_id": ["acc_1"]}), landing / "accounts" / "accounts.parquet")
    result = ingest_source(zone, landing, ACCOUNTS)
    assert result.files_refused == 1
    assert result.refusals[0].startswith(
        "accounts/accounts.parquet: missing required column 'account_name' (string)"
    )


def test_nothing_is_silently_dropped(con, zone, landing, write_accounts, write_csv, usage):
    write_accounts("acc_1", "acc_2")
    rows = [
        usage,  # loads
        {**usage, "account_id": "acc_2"},  # loads
        {**usage, "account_id": "acc_3"},  # unknown_account
        {**usage, "usage_date": "2026-11-22", "events": "x", "api_calls": "-1"},  # two rules
        usage,  # duplicate_key
        {**usage, "account_id": ""},  # null_key
    ]
    write_csv("usage_daily/2026-11-21.csv", rows)
    result = ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])[1]
    distinct_rejected = con.execute(
        "select count(distinct source_row_number) from raw._rejects where source = 'usage_daily'"
    ).fetchone()[0]
    assert (result.rows_loaded, result.rows_rejected, distinct_rejected) == (2, 4, 4)
    assert result.rows_loaded + distinct_rejected == len(rows)
    assert sum(result.rejects_by_rule.values()) == 5
    assert con.execute(
        "select rows_in_file, rows_loaded, rows_rejected from raw._load_ledger "
        "where source = 'usage_daily'"
    ).fetchone() == (6, 2, 4)
