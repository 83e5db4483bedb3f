"""The warehouse's clock: every timestamp it writes is UTC, stored without a zone."""

import datetime as dt


def utc_now() -> dt.datetime:
    """Now in UTC, naive (DuckDB ``timestamp``), as every ``*_at`` column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
