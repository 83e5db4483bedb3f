"""Export the expansion scorecard for spreadsheet users (SPEC 11 and 12).

``expansion export scorecard --format csv|xlsx --out FILE`` calls
:func:`export_scorecard`, which reads ``marts.expansion_scorecard`` from the
serving database (opened read-only) in readiness order and writes every column.

Spreadsheets execute a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection), and account names, owners and notes come from the CRM.
Every text cell that begins with one of those characters (or with a tab or
carriage return, which some spreadsheets strip before looking) is neutralised
by :func:`neutralise_cell`: prefixed with a single quote, so it shows as text.
Numbers, dates and booleans are written as typed values and never altered.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

SCORECARD_RELATION = "marts.expansion_scorecard"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"

ExportFormat = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_scorecard` wrote."""

    path: Path
    format: str
    rows: int
    columns: tuple[str, ...]
    neutralised_cells: int


def neutralise_cell(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet cell.

    A string beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading single quote (``"=SUM(A1)"`` -> ``"'=SUM(A1)"``);
    any other value - other strings, numbers (negative ones included), dates,
    booleans, None - is returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISING_PREFIX + value
    return value


def _read_scorecard(serving_db: Path) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    if not Path(serving_db).is_file():
        raise FileNotFoundError(f"serving database not found: {serving_db}")
    con = duckdb.connect(str(serving_db), read_only=True)
    try:
        cursor = con.execute(f"select * from {SCORECARD_RELATION} order by readiness_rank")
        columns = tuple(d[0] for d in cursor.description)
        rows = cursor.fetchall()
    finally:
        con.close()
    return columns, rows


def _neutralised(rows: Sequence[tuple[Any, ...]]) -> tuple[list[list[Any]], int]:
    out: list[list[Any]] = []
    changed = 0
    for row in rows:
        cells = []
        for value in row:
            safe = neutralise_cell(value)
            changed += safe is not value
            cells.append(safe)
        out.append(cells)
    return out, changed


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("expansion_scorecard")
    sheet.freeze_panes = "C2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            # a neutralised string is text, never a formula
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


def export_scorecard(serving_db: Path, fmt: ExportFormat, out: Path) -> ExportResult:
    """Write the scorecard of ``serving_db`` to ``out`` as ``fmt`` (``csv`` or ``xlsx``).

    Rows come in readiness order (``readiness_rank``), with every column of
    the mart; text cells that a spreadsheet would run as a formula are
    neutralised (:func:`neutralise_cell`). The file is written next to ``out``
    and renamed into place, so a reader never sees half a file. Raises
    ``ValueError`` for an unknown format and ``FileNotFoundError`` when the
    serving database does not exist.
    """
    fmt_normalised = str(fmt).lower().lstrip(".")
    if fmt_normalised not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}: use 'csv' or 'xlsx'")
    out = Path(out)
    columns, raw_rows = _read_scorecard(Path(serving_db))
    rows, changed = _neutralised(raw_rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        if fmt_normalised == "csv":
            _write_csv(partial, columns, rows)
        else:
            _write_xlsx(partial, columns, rows)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(out, fmt_normalised, len(rows), columns, changed)
