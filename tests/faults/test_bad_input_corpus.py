"""The bad-input corpus, against ingestion directly (no job needed to judge a file).

Each case takes a tiny generated landing zone that loaded cleanly, breaks one
thing the way a real export or a person breaks it, and ingests again. For each:

- the outcome: the file is refused whole (the message names the file and what is
  wrong), or the row is rejected (``raw._rejects`` names file, row, rule);
- a refused replacement keeps the earlier version's rows;
- no row is lost without a message: every loaded version's rows are loaded or
  rejected, and ``raw.<source>`` holds exactly the loaded ones;
- a re-run changes nothing and reports the same refusals;
- once the input is corrected (the pristine file restored, the stray entry
  removed), ingestion converges to the pristine raw zone.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from expansion.ingest import RawZone, SourceLoadResult, ingest_landing_zone

Mutation = Callable[[Path], None]

USAGE_DAY = "usage_daily/2026-02-26.csv"
NEW_USAGE_DAY = "usage_daily/2026-03-02.csv"


@dataclass(frozen=True)
class Refused:
    path: str
    message: str
    """A fragment of the refusal, after ``<path>: ``."""


@dataclass(frozen=True)
class Rejected:
    path: str
    row: int
    rule: str
    message: str


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]], delimiter=",") -> None:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def cell(path: str, row: int, column: str, value: str) -> Mutation:
    """Set one cell (1-based data row) of a landing CSV."""

    def mutate(landing: Path) -> None:
        header, rows = read_rows(landing / path)
        rows[row - 1][header.index(column)] = value
        write_rows(landing / path, header, rows)

    return mutate


def header_only(path: str) -> Mutation:
    def mutate(landing: Path) -> None:
        header, _ = read_rows(landing / path)
        write_rows(landing / path, header, [])

    return mutate


def copy_with_delimiter(source: str, target: str, delimiter: str) -> Mutation:
    def mutate(landing: Path) -> None:
        header, rows = read_rows(landing / source)
        write_rows(landing / target, header, rows, delimiter=delimiter)

    return mutate


def write_bytes(path: str, data: bytes) -> Mutation:
    return lambda landing: (landing / path).write_bytes(data)


def drop_column(path: str, column: str) -> Mutation:
    def mutate(landing: Path) -> None:
        header, rows = read_rows(landing / path)
        index = header.index(column)
        write_rows(
            landing / path,
            [h for i, h in enumerate(header) if i != index],
            [[v for i, v in enumerate(row) if i != index] for row in rows],
        )

    return mutate


def ragged_row(path: str) -> Mutation:
    def mutate(landing: Path) -> None:
        with (landing / path).open("a") as stream:
            stream.write("acc_000001,2026-02-26,1\n")

    return mutate


def repeat_row(path: str, row: int) -> Mutation:
    def mutate(landing: Path) -> None:
        header, rows = read_rows(landing / path)
        write_rows(landing / path, header, [*rows, rows[row - 1]])

    return mutate


def dangling_symlink(path: str) -> Mutation:
    return lambda landing: (landing / path).symlink_to(landing / "nowhere" / "2026-03-02.csv")


def directory(path: str) -> Mutation:
    return lambda landing: (landing / path).mkdir()


def fifo(path: str) -> Mutation:
    return lambda landing: os.mkfifo(landing / path)


def remove_folder(source: str) -> Mutation:
    def mutate(landing: Path) -> None:
        for path in (landing / source).iterdir():
            path.unlink()
        (landing / source).rmdir()

    return mutate


def folder_is_a_file(source: str) -> Mutation:
    def mutate(landing: Path) -> None:
        remove_folder(source)(landing)
        (landing / source).write_text("not a folder\n")

    return mutate


CORPUS: dict[str, tuple[Mutation, Refused | Rejected]] = {
    # --- refused whole: nothing of the file loads, an earlier version stays ---
    "zero-byte replacement": (
        write_bytes(USAGE_DAY, b""),
        Refused(USAGE_DAY, "empty file (no header row)"),
    ),
    "header-only replacement": (
        header_only(USAGE_DAY),
        Refused(USAGE_DAY, "header only, no data rows; it would replace version 1 and delete"),
    ),
    "missing required column": (
        drop_column("accounts/accounts.csv", "onboarded_at"),
        Refused(
            "accounts/accounts.csv",
            "missing required column 'onboarded_at' (date, YYYY-MM-DD)",
        ),
    ),
    "semicolon-delimited file": (
        copy_with_delimiter(USAGE_DAY, NEW_USAGE_DAY, ";"),
        Refused(NEW_USAGE_DAY, "the header is separated by semicolons ('account_id;usage_date"),
    ),
    "tab-delimited file": (
        copy_with_delimiter(USAGE_DAY, NEW_USAGE_DAY, "\t"),
        Refused(NEW_USAGE_DAY, "the header is separated by tabs"),
    ),
    "ragged CSV row": (
        ragged_row(USAGE_DAY),
        Refused(USAGE_DAY, "unreadable CSV file (CSV parse error: Expected 8 columns, got 3"),
    ),
    "invalid UTF-8": (
        write_bytes(NEW_USAGE_DAY, b"account_id,usage_date\n\xff\xfe,2026-03-02\n"),
        Refused(NEW_USAGE_DAY, "unreadable CSV file"),
    ),
    "corrupt Parquet file": (
        write_bytes("usage_daily/2026-03-02.parquet", b"PAR1 this is not parquet"),
        Refused("usage_daily/2026-03-02.parquet", "unreadable Parquet file"),
    ),
    "dangling symbolic link": (
        dangling_symlink(NEW_USAGE_DAY),
        Refused(NEW_USAGE_DAY, "a symbolic link to "),
    ),
    "directory named like a data file": (
        directory(NEW_USAGE_DAY),
        Refused(NEW_USAGE_DAY, "a directory, not a file; nothing of it was loaded"),
    ),
    "named pipe named like a data file": (
        fifo(NEW_USAGE_DAY),
        Refused(NEW_USAGE_DAY, "not a regular file (a pipe, socket or device)"),
    ),
    "missing required source folder": (
        remove_folder("cs_costs"),
        Refused("cs_costs/", "required source folder "),
    ),
    "source folder that is a file": (
        folder_is_a_file("cs_costs"),
        Refused("cs_costs/", "is not a folder"),
    ),
    # --- rejected rows: the file loads, the broken row goes to raw._rejects ---
    "empty key": (
        cell(USAGE_DAY, 2, "account_id", ""),
        Rejected(USAGE_DAY, 2, "null_key", "account_id is empty but must not be null"),
    ),
    "impossible date": (
        cell(USAGE_DAY, 2, "usage_date", "2026-13-01"),
        Rejected(USAGE_DAY, 2, "bad_date", "usage_date '2026-13-01' does not match its type"),
    ),
    "date with a time": (
        cell("accounts/accounts.csv", 3, "onboarded_at", "2023-03-08 10:00:00"),
        Rejected("accounts/accounts.csv", 3, "bad_date", "'2023-03-08 10:00:00' does not match"),
    ),
    "unreadable timestamp": (
        cell("accounts/accounts.csv", 3, "updated_at", "yesterday"),
        Rejected("accounts/accounts.csv", 3, "bad_timestamp", "updated_at 'yesterday'"),
    ),
    "fraction in an integer column": (
        cell(USAGE_DAY, 2, "events", "12.5"),
        Rejected(USAGE_DAY, 2, "bad_number", "events '12.5' does not match its type (integer)"),
    ),
    "decimal comma": (
        cell(USAGE_DAY, 2, "storage_gb", "1,25"),
        Rejected(USAGE_DAY, 2, "bad_number", "storage_gb '1,25' does not match its type"),
    ),
    "not a number": (
        cell(USAGE_DAY, 2, "events", "nan"),
        Rejected(USAGE_DAY, 2, "bad_number", "events 'nan' does not match its type"),
    ),
    "1e30 in an integer column": (
        cell(USAGE_DAY, 2, "events", "1e30"),
        Rejected(USAGE_DAY, 2, "out_of_range", "events '1e30' is outside the range of an integer"),
    ),
    "1e30 in a decimal column": (
        cell("subscriptions/subscriptions.csv", 2, "arr", "1e30"),
        Rejected(
            "subscriptions/subscriptions.csv",
            2,
            "out_of_range",
            "arr '1e30' is outside the range of decimal(18,4)",
        ),
    ),
    "negative count": (
        cell(USAGE_DAY, 2, "api_calls", "-3"),
        Rejected(USAGE_DAY, 2, "negative_value", "api_calls '-3' is negative"),
    ),
    "value outside the accepted list": (
        cell("accounts/accounts.csv", 3, "segment", "Mid Market"),
        Rejected("accounts/accounts.csv", 3, "not_accepted_value", "segment 'Mid Market'"),
    ),
    "month outside 1..12": (
        cell("accounts/accounts.csv", 3, "fiscal_year_start_month", "13"),
        Rejected("accounts/accounts.csv", 3, "out_of_range", "'13' is outside 1..12"),
    ),
    "not a boolean": (
        cell("features/features.csv", 2, "is_core", "maybe"),
        Rejected("features/features.csv", 2, "bad_boolean", "is_core 'maybe'"),
    ),
    "unknown account": (
        cell(USAGE_DAY, 2, "account_id", "acc_404"),
        Rejected(USAGE_DAY, 2, "unknown_account", "account_id 'acc_404' is not in raw.accounts"),
    ),
    "key repeated in the file": (
        repeat_row("accounts/accounts.csv", 2),
        Rejected(
            "accounts/accounts.csv", 7, "duplicate_key", "repeats accounts/accounts.csv row 2"
        ),
    ),
    "file re-sent under another name": (
        copy_with_delimiter(USAGE_DAY, "usage_daily/2026-02-26_resend.csv", ","),
        Rejected(
            "usage_daily/2026-02-26_resend.csv",
            1,
            "duplicate_key",
            f"was already loaded from {USAGE_DAY} row 1",
        ),
    ),
}


def ingest(zone: RawZone, landing: Path) -> list[SourceLoadResult]:
    return ingest_landing_zone(zone, landing)


def refusals(results: list[SourceLoadResult]) -> list[str]:
    return [message for result in results for message in result.refusals]


def ledger(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select source_file, content_hash, version, status, message from raw._load_ledger"
        " order by all"
    ).fetchall()


def restore(landing: Path, pristine: Path, relative: str) -> None:
    """Undo a mutation: remove whatever is at ``relative``, put the pristine entry back."""
    target, original = landing / relative.rstrip("/"), pristine / relative.rstrip("/")
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    if original.is_dir():
        shutil.copytree(original, target)
    elif original.is_file():
        shutil.copyfile(original, target)


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_input_is_refused_or_rejected_by_name_and_nothing_is_lost(
    case, zone, raw, landing_copy, tiny_landing, facts
):
    mutate, expected = CORPUS[case]
    pristine = facts.snapshot(raw)

    mutate(landing_copy)
    results = ingest(zone, landing_copy)

    if isinstance(expected, Refused):
        (message,) = refusals(results)
        assert message.startswith(expected.path.rstrip("/")), message
        assert expected.message in message, message
        (current,) = [row for row in ledger(raw) if row[0] == expected.path and row[3] == "refused"]
        assert current[4] == message
        assert facts.snapshot(raw) == pristine, "a refused entry changes nothing in raw"
    else:
        assert refusals(results) == []
        found = raw.execute(
            "select rule, message from raw._rejects"
            " where source_file = ? and source_row_number = ?",
            [expected.path, expected.row],
        ).fetchall()
        assert [rule for rule, _ in found] == [expected.rule]
        assert expected.message in found[0][1], found[0][1]
    assert facts.gaps(raw) == []

    ledger_before_rerun = ledger(raw)
    rerun = ingest(zone, landing_copy)
    assert sum(r.files_loaded for r in rerun) == 0
    assert refusals(rerun) == refusals(results)
    assert ledger(raw) == ledger_before_rerun

    restore(landing_copy, tiny_landing, expected.path)
    corrected = ingest(zone, landing_copy)
    assert refusals(corrected) == []
    assert facts.snapshot(raw) == pristine
    assert facts.gaps(raw) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_a_file_without_read_permission_is_refused(zone, landing_copy):
    (landing_copy / NEW_USAGE_DAY).write_bytes((landing_copy / USAGE_DAY).read_bytes())
    (landing_copy / NEW_USAGE_DAY).chmod(0)

    results = ingest(zone, landing_copy)

    assert refusals(results) == [
        f"{NEW_USAGE_DAY}: cannot be read (permission denied); nothing of it was loaded"
    ]


def test_a_header_only_file_with_a_confirmation_marker_empties_the_day_and_says_so(
    zone, raw, landing_copy, facts
):
    rows_before = raw.execute(
        "select count(*) from raw.usage_daily where _source_file = ?", [USAGE_DAY]
    ).fetchone()[0]
    header_only(USAGE_DAY)(landing_copy)
    ingest(zone, landing_copy)  # refused: the rows stay
    (landing_copy / (USAGE_DAY + ".confirm-empty")).touch()

    results = ingest(zone, landing_copy)

    assert rows_before > 0
    assert refusals(results) == []
    assert [m for r in results for m in r.replacements] == [
        f"{USAGE_DAY}: version 2 (0 rows) replaces version 1 ({rows_before} rows); "
        "emptied on purpose (2026-02-26.csv.confirm-empty)"
    ]
    assert raw.execute(
        "select count(*) from raw.usage_daily where _source_file = ?", [USAGE_DAY]
    ).fetchone() == (0,)
    assert [row[2:4] for row in ledger(raw) if row[0] == USAGE_DAY] == [
        (1, "superseded"),
        (2, "loaded"),
    ]
    assert facts.gaps(raw) == []


def test_a_replacement_with_fewer_rows_names_both_versions_row_counts(zone, landing_copy):
    header, rows = read_rows(landing_copy / USAGE_DAY)
    write_rows(landing_copy / USAGE_DAY, header, rows[:1])

    results = ingest(zone, landing_copy)

    assert [m for r in results for m in r.replacements] == [
        f"{USAGE_DAY}: version 2 (1 row) replaces version 1 ({len(rows)} rows)"
    ]
