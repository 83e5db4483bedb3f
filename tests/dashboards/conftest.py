"""A five-account serving database and the repository's dashboards project.

Active accounts: A-001..A-004 (A-005 churned, ARR 0).
  Enterprise  120,000 + 80,000 = 200,000
  Mid-Market   30,000
  SMB          12,500            (A-004's name holds markup, to test escaping)
  total       242,500
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ACCOUNTS = [
    ("A-001", "Acme Corp", "Enterprise", "Manufacturing", "EMEA", "Dana", "Eli", "120000.00", True),
    ("A-002", "Globex", "Enterprise", "Energy", "NA", "Dana", "Finn", "80000.00", True),
    ("A-003", "Initech", "Mid-Market", "Software", "NA", "Gus", "Finn", "30000.00", True),
    (
        "A-004",
        "Hooli <script>x</script>",
        "SMB",
        "Software",
        "APAC",
        "Gus",
        "Eli",
        "12500.00",
        True,
    ),
    ("A-005", "Umbrella", "SMB", "Healthcare", "EMEA", "Gus", "Eli", "0.00", False),
]


def write_serving_db(path: Path) -> Path:
    """``marts.account_profiles`` in a file a DuckDB 1.4 reader (Evidence) can open."""
    con = duckdb.connect()
    con.execute("attach ? as serving (storage_version 'v1.4.0')", [str(path)])
    con.execute("create schema serving.marts")
    con.execute(
        "create table serving.marts.account_profiles (account_id varchar, account_name varchar, "
        "segment varchar, industry varchar, region varchar, csm_owner varchar, ae_owner varchar, "
        "onboarded_date date, current_arr_usd decimal(18, 2), is_active boolean)"
    )
    con.executemany(
        "insert into serving.marts.account_profiles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*row[:7], dt.date(2023, 1, 1 + i), Decimal(row[7]), row[8])
            for i, row in enumerate(ACCOUNTS)
        ],
    )
    con.close()
    return path


@pytest.fixture
def dashboards_dir() -> Path:
    """Pages and sources pinned beside these tests, matching the fixture database.

    The live pages under dashboards/ read marts this fixture does not have; the
    end-to-end tests render them against a real serving database."""
    return Path(__file__).parent


@pytest.fixture
def serving_db(tmp_path: Path) -> Path:
    return write_serving_db(tmp_path / "serving.duckdb")
