"""Planted defects: at the configured rate, exactly where defects.csv says, and nowhere else."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from expansion.contract import SOURCES_BY_NAME
from expansion.generator import GenerationReport, GeneratorConfig, generate
from expansion.generator.defects import applicable_defects, plant_defects
from tests.generator.conftest import read_defects, read_source, without_defects


def _is_date(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_the_defect_rate_is_honoured(company: GenerationReport) -> None:
    planted = company.defects / company.total_rows
    assert 0.008 < planted < 0.012  # configured 1%


def test_every_recorded_defect_is_visible_at_its_row(company: GenerationReport) -> None:
    defects = read_defects(company.truth_out)
    for name, planted in defects.groupby("source"):
        rows = read_source(company.out, name).set_index(["file", "row_number"])
        for defect in planted.itertuples():
            row = rows.loc[(defect.file, defect.row_number)]
            if defect.defect_type == "duplicate_row":
                previous = rows.loc[(defect.file, defect.row_number - 1)]
                assert row.equals(previous), defect
            elif defect.defect_type == "null_key":
                assert pd.isna(row[defect.column]), defect
            elif defect.defect_type == "unknown_account":
                assert row["account_id"].startswith("acc_unknown_"), defect
            elif defect.defect_type == "malformed_date":
                assert not _is_date(row[defect.column]), defect
            else:
                assert float(row[defect.column]) < 0, defect


def test_defect_rate_zero_plants_nothing(tmp_path: Path) -> None:
    report = generate(
        GeneratorConfig(accounts=50, days=20, out=tmp_path / "landing", defect_rate=0)
    )
    assert report.defects == 0
    assert (report.truth_out / "defects.csv").read_text().strip().count("\n") == 0


def test_turning_defects_off_does_not_change_the_company(tmp_path: Path) -> None:
    """Defects draw from their own stream: the clean rows are the same company either way."""
    reports = [
        generate(
            GeneratorConfig(
                accounts=50, days=20, out=tmp_path / str(rate) / "landing", defect_rate=rate
            )
        )
        for rate in (0.0, 0.05)
    ]
    defects = read_defects(reports[1].truth_out)
    defects = defects[defects["source"] == "subscriptions"]
    assert len(defects) > 0
    clean, damaged = (read_source(r.out, "subscriptions") for r in reports)
    untouched = without_defects(damaged, defects)
    columns = list(clean.columns.drop("row_number"))
    assert len(untouched) == len(clean) - (defects["defect_type"] != "duplicate_row").sum()
    assert (
        untouched[columns]
        .merge(clean[columns], how="left", indicator=True)["_merge"]
        .eq("both")
        .all()
    )


def test_referenced_sources_only_get_duplicate_rows() -> None:
    assert applicable_defects(SOURCES_BY_NAME["accounts"]) == ("duplicate_row",)
    assert set(applicable_defects(SOURCES_BY_NAME["usage_daily"])) == {
        "duplicate_row",
        "null_key",
        "unknown_account",
        "malformed_date",
        "negative_quantity",
    }


def test_a_duplicate_row_follows_its_original() -> None:
    source = SOURCES_BY_NAME["cs_costs"]
    table = pa.table(
        {
            "month": pa.array([datetime.date(2026, 1, 1)] * 4),
            "segment": ["SMB", "Mid-Market", "Enterprise", "SMB"],
            "cost_type": ["csm_time"] * 3 + ["tooling"],
            "amount": pa.array([1.0, 2.0, 3.0, 4.0]).cast(pa.decimal128(18, 2)),
        }
    )
    rng = np.random.default_rng(0)
    damaged, defects = plant_defects(table, source, rate=0.99, rng=rng)
    duplicates = [d for d in defects if d.defect_type == "duplicate_row"]
    assert damaged.num_rows == 4 + len(duplicates)
    for defect in duplicates:
        index = defect.row_number - 1
        assert damaged.slice(index, 1).to_pylist() == damaged.slice(index - 1, 1).to_pylist()
