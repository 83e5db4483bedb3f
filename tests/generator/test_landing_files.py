"""The landing zone honours the input contract: columns, files per day, dates, references."""

from __future__ import annotations

import datetime
import filecmp
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expansion.contract import SOURCES
from expansion.generator import GenerationReport, GeneratorConfig, generate
from tests.generator.conftest import END_DATE, read_defects, read_source, without_defects


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_the_same_arguments_write_byte_identical_files(tmp_path: Path, file_format: str) -> None:
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name / "landing"
        generate(GeneratorConfig(accounts=60, days=45, seed=3, out=out, file_format=file_format))
        runs.append(out.parent)
    assert _files(runs[0]) == _files(runs[1])
    _, mismatch, errors = filecmp.cmpfiles(runs[0], runs[1], _files(runs[0]), shallow=False)
    assert mismatch == [] and errors == []


def test_different_seeds_give_different_companies(tmp_path: Path) -> None:
    reports = [
        generate(GeneratorConfig(accounts=60, days=30, seed=seed, out=tmp_path / str(seed)))
        for seed in (1, 2)
    ]
    first, second = (r.out / "subscriptions" / "subscriptions.csv" for r in reports)
    assert first.read_bytes() != second.read_bytes()


def test_every_file_has_exactly_the_contract_columns_in_order(company: GenerationReport) -> None:
    for source in SOURCES:
        files = sorted((company.out / source.name).glob("*.csv"))
        assert files, source.name
        for path in files:
            header = path.open().readline().strip().split(",")
            assert tuple(header) == source.column_names, path


def test_parquet_files_carry_the_contract_columns(tmp_path: Path) -> None:
    report = generate(
        GeneratorConfig(accounts=40, days=3, out=tmp_path / "landing", file_format="parquet")
    )
    for source in SOURCES:
        for path in (report.out / source.name).glob("*.parquet"):
            assert tuple(pq.read_schema(path).names) == source.column_names, path


def test_daily_sources_have_one_file_per_day_of_the_window(company: GenerationReport) -> None:
    expected = [(END_DATE - datetime.timedelta(days=k)).isoformat() + ".csv" for k in range(400)]
    for source in (s for s in SOURCES if s.daily):
        assert sorted(p.name for p in (company.out / source.name).iterdir()) == sorted(expected)


def test_usage_rows_are_dated_by_their_file(company: GenerationReport) -> None:
    usage = read_source(company.out, "usage_daily")
    clean = without_defects(usage, read_defects(company.truth_out))
    assert (clean["usage_date"] + ".csv" == clean["file"].str.split("/").str[1]).all()


def test_no_row_is_dated_after_the_end_date(company: GenerationReport) -> None:
    defects = read_defects(company.truth_out)
    for source in (s for s in SOURCES if s.date_column):
        rows = without_defects(read_source(company.out, source.name), defects)
        assert (rows[source.date_column].str[:10] <= END_DATE.isoformat()).all(), source.name


def test_references_resolve_apart_from_planted_defects(company: GenerationReport) -> None:
    defects = read_defects(company.truth_out)

    def clean(name: str):
        return without_defects(read_source(company.out, name), defects)

    known = {
        "account_id": set(clean("accounts")["account_id"]),
        "product_id": set(clean("products")["product_id"]),
        "feature_id": set(clean("features")["feature_id"]),
        "user_id": set(clean("users")["user_id"]),
        "contact_id": set(clean("contacts")["contact_id"]),
    }
    for source in SOURCES:
        rows = clean(source.name)
        for column, ids in known.items():
            if column in source.column_names and not (
                column == "account_id" and not source.references_account
            ):
                values = rows[column].dropna()
                assert values.isin(ids).all(), (source.name, column)
