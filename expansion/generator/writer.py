"""Writing landing files (CSV or Parquet) deterministically, with planted defects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from expansion.contract import Source
from expansion.generator.defects import Defect, plant_defects

FileFormat = Literal["csv", "parquet"]
CSV_OPTIONS = pacsv.WriteOptions(include_header=True, quoting_header="none")
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
}


def write_file(table: pa.Table, path: Path, file_format: FileFormat) -> int:
    """Write one file and return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "csv":
        pacsv.write_csv(table, path, CSV_OPTIONS)
    else:
        pq.write_table(table, path, **PARQUET_OPTIONS)
    return path.stat().st_size


@dataclass
class LandingWriter:
    """Writes landing files, plants defects, and keeps the tallies for the report."""

    out: Path
    file_format: FileFormat
    defect_rate: float
    rng: np.random.Generator
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bytes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: int = 0
    defects: list[tuple[str, str, Defect]] = field(default_factory=list)

    def write(self, source: Source, table: pa.Table, stem: str | None = None) -> None:
        """``<out>/<source>/<stem>.<format>``; the stem defaults to the source name."""
        relative = f"{source.name}/{stem or source.name}.{self.file_format}"
        table, planted = plant_defects(table, source, self.defect_rate, self.rng)
        self.defects.extend((source.name, relative, defect) for defect in planted)
        self.bytes[source.name] += write_file(table, self.out / relative, self.file_format)
        self.rows[source.name] += table.num_rows
        self.files += 1
