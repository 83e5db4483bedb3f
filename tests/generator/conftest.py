"""Shared generated companies (generated once per test session) and readers for their files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv
import pytest

from expansion.contract import SOURCES_BY_NAME
from expansion.generator import GenerationReport, GeneratorConfig, generate

END_DATE = datetime.date(2026, 11, 21)


@pytest.fixture(scope="session")
def company(tmp_path_factory: pytest.TempPathFactory) -> GenerationReport:
    """400 accounts x 400 days with 1% defects: big enough to measure the planted effect."""
    out = tmp_path_factory.mktemp("company") / "landing"
    return generate(GeneratorConfig(accounts=400, days=400, seed=7, out=out, defect_rate=0.01))


def read_source(landing: Path, name: str) -> pd.DataFrame:
    """Every file of a source, all columns as text (defects included), with file and row number."""
    frames = []
    names = SOURCES_BY_NAME[name].column_names
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, "string"), strings_can_be_null=True
    )
    for path in sorted((landing / name).glob("*.csv")):
        frame = pacsv.read_csv(path, convert_options=options).to_pandas()
        frame["file"] = f"{name}/{path.name}"
        frame["row_number"] = range(1, len(frame) + 1)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def read_defects(truth: Path) -> pd.DataFrame:
    return pd.read_csv(truth / "defects.csv", dtype={"column": "string"})


def without_defects(frame: pd.DataFrame, defects: pd.DataFrame) -> pd.DataFrame:
    """Rows that no planted defect touched."""
    marked = set(zip(defects["file"], defects["row_number"], strict=True))
    keep = [(f, r) not in marked for f, r in zip(frame["file"], frame["row_number"], strict=True)]
    return frame[keep]
