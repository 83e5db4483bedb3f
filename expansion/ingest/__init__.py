"""Landing zone → the raw zone (Parquet under ``DATA_DIR/raw``), validated against the
input contract.

The functions here are free of Dagster; the ingestion assets call them.

* :class:`RawZone` is the raw zone's layout: one folder of Parquet files per contract
  source, the rejects and the load ledger (see :mod:`expansion.ingest.zone`).
* :func:`ingest_source` loads one source folder's new and changed files; its
  docstring states the ledger and replacement rules.
* :func:`ingest_landing_zone` does every source, ``accounts`` first.
* :func:`attach_raw_zone` gives a DuckDB connection ``raw.<source>``,
  ``raw._rejects`` and ``raw._load_ledger`` views over the zone.

See ``docs/ingestion.md`` for the rules, the rejects and the ledger.
"""

from expansion.ingest.load import SourceLoadResult, ingest_landing_zone, ingest_source
from expansion.ingest.zone import RawZone, attach_raw_zone

__all__ = [
    "RawZone",
    "SourceLoadResult",
    "attach_raw_zone",
    "ingest_landing_zone",
    "ingest_source",
]
