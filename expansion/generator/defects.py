"""Planted data defects, so that ingestion's rejects path always has work to do.

Defects go into landing files only, at ``rate`` of each file's rows, drawn
from the kinds the source's contract makes checkable. Sources that other
sources reference (accounts, products, features, users, contacts) only get
exact duplicate rows: rejecting a parent row for any other reason would orphan
its children and blur what was planted. Every defect is returned with its
1-based data row number so tests can check each one was rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from expansion.contract import Source

DUPLICATE_ROW = "duplicate_row"
NULL_KEY = "null_key"
UNKNOWN_ACCOUNT = "unknown_account"
MALFORMED_DATE = "malformed_date"
NEGATIVE_QUANTITY = "negative_quantity"
REFERENCED_SOURCES = frozenset({"accounts", "products", "features", "users", "contacts"})
MALFORMED_DATES = ("2026-13-45", "not-a-date", "31/02/2026")
UNKNOWN_ACCOUNT_PREFIX = "acc_unknown_"


@dataclass(frozen=True)
class Defect:
    row_number: int
    """1-based data row in the written file (header excluded)."""
    defect_type: str
    column: str | None


def applicable_defects(source: Source) -> tuple[str, ...]:
    """The defect kinds the contract lets ingestion detect in this source."""
    if source.name in REFERENCED_SOURCES:
        return (DUPLICATE_ROW,)
    kinds = [DUPLICATE_ROW, NULL_KEY]
    if source.references_account:
        kinds.append(UNKNOWN_ACCOUNT)
    if any(c.type in ("date", "timestamp") for c in source.columns):
        kinds.append(MALFORMED_DATE)
    if any(c.non_negative for c in source.columns):
        kinds.append(NEGATIVE_QUANTITY)
    return tuple(kinds)


def plant_defects(
    table: pa.Table, source: Source, rate: float, rng: np.random.Generator
) -> tuple[pa.Table, list[Defect]]:
    """Give about ``rate`` of the rows one defect each; return the table and what was planted."""
    n = table.num_rows
    if rate <= 0 or n == 0:
        return table, []
    count = int(rng.binomial(n, rate))
    if count == 0:
        return table, []
    rows = np.sort(rng.choice(n, size=count, replace=False))
    kinds = np.array(applicable_defects(source))[
        rng.integers(len(applicable_defects(source)), size=count)
    ]
    columns = np.array([_column_for(kind, source, rng) for kind in kinds], dtype=object)
    for kind, column in sorted({(k, c) for k, c in zip(kinds, columns, strict=True) if c}):
        hit = rows[(kinds == kind) & (columns == column)]
        table = _damage(table, kind, column, hit, rng)
    duplicated = rows[kinds == DUPLICATE_ROW]
    order = np.sort(np.concatenate([np.arange(n), duplicated]), kind="stable")
    table = table.take(pa.array(order))
    shift = np.searchsorted(duplicated, rows, side="left")
    position = rows + shift + 1 + (kinds == DUPLICATE_ROW)
    defects = [Defect(int(p), str(k), c) for p, k, c in zip(position, kinds, columns, strict=True)]
    return table, defects


def _column_for(kind: str, source: Source, rng: np.random.Generator) -> str | None:
    if kind == NULL_KEY:
        candidates = [c.name for c in source.columns if c.name in source.key and not c.nullable]
    elif kind == UNKNOWN_ACCOUNT:
        return "account_id"
    elif kind == MALFORMED_DATE:
        candidates = [c.name for c in source.columns if c.type in ("date", "timestamp")]
    elif kind == NEGATIVE_QUANTITY:
        candidates = [c.name for c in source.columns if c.non_negative]
    else:
        return None
    return candidates[int(rng.integers(len(candidates)))]


def _damage(
    table: pa.Table, kind: str, column: str, rows: np.ndarray, rng: np.random.Generator
) -> pa.Table:
    values = table.column(column).combine_chunks()
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    if kind == NULL_KEY:
        damaged = pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)
    elif kind == UNKNOWN_ACCOUNT:
        fake = [
            f"{UNKNOWN_ACCOUNT_PREFIX}{int(r):06d}" for r in rng.integers(10**6, size=len(rows))
        ]
        damaged = pc.replace_with_mask(values, pa.array(mask), pa.array(fake, pa.string()))
    elif kind == MALFORMED_DATE:
        text = values.cast(pa.string())
        bad = np.array(MALFORMED_DATES)[rng.integers(len(MALFORMED_DATES), size=len(rows))]
        damaged = pc.replace_with_mask(text, pa.array(mask), pa.array(bad.tolist(), pa.string()))
    else:
        known = pc.coalesce(values, pa.scalar(0, values.type))
        negative = pc.if_else(
            pc.equal(known, pa.scalar(0, values.type)),
            pa.scalar(-1, values.type),
            pc.negate(pc.abs(known)),
        )
        damaged = pc.if_else(pa.array(mask), negative, values)
    index = table.schema.get_field_index(column)
    return table.set_column(index, pa.field(column, damaged.type), damaged)
