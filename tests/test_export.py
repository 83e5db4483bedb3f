"""The scorecard export: formula neutralisation, CSV and XLSX on a tiny serving file."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from expansion.export import export_scorecard, neutralise_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1-555-0100", "'+1-555-0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Acme = best", "Acme = best"),
        ("not ready: fix health score first", "not ready: fix health score first"),
        ("", ""),
        (-5, -5),
        (Decimal("-1200.50"), Decimal("-1200.50")),
        (None, None),
        (True, True),
        (dt.date(2026, 11, 21), dt.date(2026, 11, 21)),
    ],
)
def test_neutralise_cell_prefixes_only_text_that_starts_like_a_formula(value, expected) -> None:
    assert neutralise_cell(value) == expected


@pytest.fixture
def serving_db(tmp_path: Path) -> Path:
    path = tmp_path / "serving.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.expansion_scorecard (
                readiness_rank integer, account_id varchar, account_name varchar,
                current_arr_usd decimal(18, 2), is_gate_passed boolean,
                recommended_motion varchar, next_action_date date
            )
            """
        )
        con.executemany(
            "insert into marts.expansion_scorecard values (?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    2,
                    "acc_2",
                    "=cmd|' /C calc'!A0",
                    Decimal("-10.00"),
                    False,
                    "not ready: fix nps first",
                    dt.date(2026, 12, 21),
                ],
                [
                    1,
                    "acc_1",
                    "Acme",
                    Decimal("48000.00"),
                    True,
                    "seat_expansion",
                    dt.date(2026, 11, 28),
                ],
                [3, "acc_3", "@evil", None, True, "+tier_upgrade", dt.date(2026, 11, 28)],
            ],
        )
    finally:
        con.close()
    return path


def test_csv_export_is_in_readiness_order_with_formulas_neutralised(
    serving_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "scorecard.csv"
    result = export_scorecard(serving_db, "csv", out)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["readiness_rank", "account_id", "account_name"]
    assert [r[1] for r in rows[1:]] == ["acc_1", "acc_2", "acc_3"]
    assert rows[2][2] == "'=cmd|' /C calc'!A0"
    assert rows[3][2] == "'@evil" and rows[3][5] == "'+tier_upgrade"
    # numbers stay numbers, even negative ones; null is an empty cell
    assert rows[2][3] == "-10.00" and rows[3][3] == ""
    assert rows[1][4] == "true" and rows[1][6] == "2026-11-28"
    assert (result.rows, result.neutralised_cells) == (3, 3)
    assert not list(out.parent.glob(".*partial"))


def test_xlsx_export_writes_typed_cells_and_no_formula(serving_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "scorecard.xlsx"
    export_scorecard(serving_db, "xlsx", out)
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["readiness_rank", "account_id"]
    assert values[1][:4] == [1, "acc_1", "Acme", 48000.0]
    assert values[2][2] == "'=cmd|' /C calc'!A0"
    assert values[2][3] == -10.0
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[1][6].date() == dt.date(2026, 11, 28)


def test_unknown_format_and_missing_database_are_refused(serving_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_scorecard(serving_db, "pdf", tmp_path / "x.pdf")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        export_scorecard(tmp_path / "missing.duckdb", "csv", tmp_path / "x.csv")
