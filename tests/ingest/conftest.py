"""Tiny hand-written landing zones, a raw zone in a temporary folder and an in-memory DuckDB
that reads it (``raw.<source>``, ``raw._rejects``, ``raw._load_ledger``) for ingestion tests."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expansion.ingest import RawZone, attach_raw_zone

ACCOUNT = {
    "account_id": "acc_1",
    "account_name": "Acme",
    "industry": "software",
    "segment": "SMB",
    "region": "EMEA",
    "csm_owner": "csm_ana",
    "ae_owner": "ae_bo",
    "onboarded_at": "2026-01-15",
    "fiscal_year_start_month": "4",
    "primary_domain": "acme.test",
    "updated_at": "2026-11-01 09:00:00",
}

USAGE = {
    "account_id": "acc_1",
    "usage_date": "2026-11-21",
    "active_users": "12",
    "events": "340",
    "api_calls": "55",
    "storage_gb": "1.25",
    "integrations_connected": "2",
    "environments": "1",
}

WriteCsv = Callable[..., Path]


@pytest.fixture
def zone(tmp_path: Path) -> RawZone:
    raw_zone = RawZone(tmp_path / "raw")
    raw_zone.ensure()
    return raw_zone


@pytest.fixture
def con(zone: RawZone) -> duckdb.DuckDBPyConnection:
    """Reads the raw zone as it is at each query."""
    connection = duckdb.connect()
    attach_raw_zone(connection, zone)
    return connection


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "landing"


@pytest.fixture
def account() -> dict[str, str]:
    return dict(ACCOUNT)


@pytest.fixture
def usage() -> dict[str, str]:
    return dict(USAGE)


@pytest.fixture
def write_csv(landing: Path) -> WriteCsv:
    """``write_csv("usage_daily/2026-11-21.csv", rows)``: header from the first row's keys."""

    def write(relative_path: str, rows: list[dict[str, str]], header: list[str] | None = None):
        path = landing / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=header or list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def write_accounts(write_csv: WriteCsv, account: dict[str, str]) -> Callable[..., Path]:
    """``accounts/accounts.csv`` with one valid row per account id."""

    def write(*account_ids: str) -> Path:
        rows = [{**account, "account_id": account_id} for account_id in account_ids]
        return write_csv("accounts/accounts.csv", rows)

    return write


def fetch_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """``(rule, source_file, source_row_number, column_name, original_values)`` in file order."""
    rows = con.execute(
        """
        select rule, source_file, source_row_number, column_name, original_values
        from raw._rejects
        order by source_file, source_row_number, rule
        """
    ).fetchall()
    return [(*row[:4], json.loads(row[4])) for row in rows]


def fetch_ledger(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """``(source_file, version, status, rows_in_file, rows_loaded, rows_rejected, message)``."""
    return con.execute(
        """
        select source_file, version, status, rows_in_file, rows_loaded, rows_rejected, message
        from raw._load_ledger
        order by source_file, version
        """
    ).fetchall()


@pytest.fixture
def rejects() -> Callable[[duckdb.DuckDBPyConnection], list[tuple]]:
    return fetch_rejects


@pytest.fixture
def ledger() -> Callable[[duckdb.DuckDBPyConnection], list[tuple]]:
    return fetch_ledger
