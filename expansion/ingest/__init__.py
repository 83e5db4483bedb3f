"""Landing zone → DuckDB ``raw`` schema, validated against the input contract.

The functions here are free of Dagster; the ingestion assets call them.

* :func:`ensure_raw_schema` creates ``raw.<source>`` for every contract source
  (typed columns plus ``_source_file``, ``_source_row_number``, ``_loaded_at``),
  ``raw._rejects`` and ``raw._load_ledger``.
* :func:`ingest_source` loads one source folder's new and changed files; its
  docstring states the ledger and replacement rules.
* :func:`ingest_landing_zone` does every source, ``accounts`` first.

See ``docs/ingestion.md`` for the rules, the rejects and the ledger.
"""

from expansion.ingest.load import SourceLoadResult, ingest_landing_zone, ingest_source
from expansion.ingest.schema import ensure_raw_schema

__all__ = ["SourceLoadResult", "ensure_raw_schema", "ingest_landing_zone", "ingest_source"]
