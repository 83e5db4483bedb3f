"""Turning column arrays into Arrow tables that match the input contract exactly.

Arrays use the generator's internal encodings; :func:`contract_table` maps them
to the contract's logical types, in the contract's column order:

========== ================================== =========================
type       array holds                        null when
========== ================================== =========================
date       day numbers                        value >= NEVER
timestamp  seconds since 1970-01-01           value < 0
integer    whole numbers                      value < 0 (nullable only)
decimal    floats, 2 decimals (fx rates: 4)       NaN
boolean    bools                              never
string     Python strings / ``None``          ``None``
========== ================================== =========================
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from expansion.contract import Column, Source
from expansion.generator.subscriptions import NEVER

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 2),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s"),
    "boolean": pa.bool_(),
}
DECIMAL_PLACES = {"usd_per_unit": 4}
"""Decimal columns that need more than cents; the contract stores decimal(18,4)."""


def arrow_type(column: Column) -> pa.DataType:
    if column.type == "decimal":
        return pa.decimal128(18, DECIMAL_PLACES.get(column.name, 2))
    return ARROW_TYPES[column.type]


def contract_schema(source: Source) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(c)) for c in source.columns])


def contract_table(source: Source, columns: dict[str, object]) -> pa.Table:
    """An Arrow table with exactly the source's contract columns, in order."""
    if set(columns) != set(source.column_names):
        raise ValueError(
            f"{source.name}: columns {sorted(columns)} differ from the contract "
            f"{sorted(source.column_names)}"
        )
    arrays = [_to_arrow(columns[c.name], c) for c in source.columns]
    return pa.Table.from_arrays(arrays, schema=contract_schema(source))


def _to_arrow(values: object, column: Column) -> pa.Array:
    logical_type = column.type
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values.cast(arrow_type(column))
    array = np.asarray(values)
    if logical_type == "date":
        return pa.array(array.astype("int32"), mask=array >= NEVER).cast(pa.date32())
    if logical_type == "timestamp":
        return pa.array(array.astype("int64"), mask=array < 0).cast(pa.timestamp("s"))
    if logical_type == "integer":
        mask = array < 0 if column.nullable else None
        return pa.array(array.astype("int64"), mask=mask)
    if logical_type == "decimal":
        floats = pa.array(array.astype("float64"), mask=np.isnan(array.astype("float64")))
        return floats.cast(arrow_type(column), safe=False)
    if logical_type == "boolean":
        return pa.array(array.astype(bool))
    return pa.array(array, type=pa.string())


def prefixed_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefixed_ids("acc_", [1, 2], 6)`` → ``["acc_000001", "acc_000002"]``, vectorised."""
    digits = pa.array(np.asarray(numbers, dtype="int64")).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width, "0"), "")
