"""Reading one landing file: lineage columns, column selection and refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expansion.contract import source_named
from expansion.ingest.files import (
    FileRefused,
    list_landing_files,
    missing_columns,
    missing_columns_message,
    read_landing_file,
)

ACCOUNTS = source_named("accounts")
USAGE = source_named("usage_daily")


def read(landing: Path, source=USAGE):
    (file,), _ = list_landing_files(landing, source)
    return read_landing_file(file, source)


def test_missing_column_message_names_file_column_and_expectation():
    missing = missing_columns(["account_id", "account_name"], ACCOUNTS)
    assert "onboarded_at" in [c.name for c in missing]
    assert "fiscal_year_start_month" not in [c.name for c in missing]  # optional
    onboarded = ACCOUNTS.column("onboarded_at")
    assert missing_columns_message("accounts/accounts.csv", [onboarded]) == (
        "accounts/accounts.csv: missing required column 'onboarded_at' (date, YYYY-MM-DD)"
    )


def test_listing_keeps_csv_and_parquet_in_path_order(landing, write_csv, usage):
    write_csv("usage_daily/2026-11-22.csv", [usage])
    write_csv("usage_daily/2026-11-21.csv", [usage])
    (landing / "usage_daily" / "README.txt").write_text("not data")
    files, unreadable = list_landing_files(landing, USAGE)
    assert [f.relative_path for f in files] == [
        "usage_daily/2026-11-21.csv",
        "usage_daily/2026-11-22.csv",
    ]
    assert unreadable == []


def test_csv_rows_keep_text_and_get_lineage(landing, write_csv, usage):
    write_csv("usage_daily/2026-11-21.csv", [usage, {**usage, "events": ""}])
    table = read(landing)
    assert table.column_names == [*USAGE.column_names, "_source_file", "_source_row_number"]
    assert table.column("events").to_pylist() == ["340", ""]
    assert table.column("_source_file").to_pylist() == ["usage_daily/2026-11-21.csv"] * 2
    assert table.column("_source_row_number").to_pylist() == [1, 2]


def test_extra_columns_are_not_read(landing, write_csv, usage):
    write_csv("usage_daily/2026-11-21.csv", [{"note": "ignored", **usage}])
    assert "note" not in read(landing).column_names


def test_absent_optional_column_reads_as_null(landing, write_csv, account):
    del account["fiscal_year_start_month"]
    write_csv("accounts/accounts.csv", [account])
    assert read(landing, ACCOUNTS).column("fiscal_year_start_month").to_pylist() == [None]


def test_parquet_values_are_read_as_text(landing):
    (landing / "usage_daily").mkdir(parents=True)
    table = pa.table(
        {
            "account_id": ["acc_1"],
            "usage_date": [date(2025, 11, 21)],
            "active_users": [12],
            "events": [340],
            "api_calls": [55],
            "storage_gb": [1.25],
            "integrations_connected": [2],
            "environments": [1],
        }
    )
    pq.write_table(table, landing / "usage_daily" / "2025-11-21.parquet")
    row = read(landing).to_pylist()[0]
    assert (row["usage_date"], row["events"], row["storage_gb"]) == ("2025-11-21", "340", "1.25")


def test_csv_with_a_ragged_row_is_refused(landing, write_csv, usage):
    path = write_csv("usage_daily/2026-11-21.csv", [usage])
    with path.open("a") as stream:
        stream.write("acc_1,2026-11-22,1,2,3\n")
    with pytest.raises(FileRefused, match=r"^usage_daily/2026-11-21.csv: unreadable CSV file"):
        read(landing)


def test_empty_file_is_refused(landing):
    (landing / "usage_daily").mkdir(parents=True)
    (landing / "usage_daily" / "2026-11-21.csv").write_text("")
    with pytest.raises(FileRefused, match="empty file"):
        read(landing)


def test_corrupt_parquet_is_refused(landing):
    (landing / "usage_daily").mkdir(parents=True)
    (landing / "usage_daily" / "2026-11-21.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(FileRefused, match=r"^usage_daily/2026-11-21.parquet: unreadable Parquet"):
        read(landing)
