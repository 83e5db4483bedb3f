"""Day arithmetic on integer day numbers (days since 1970-01-01).

The generator keeps every date as an ``int64`` day number so that whole columns
move through numpy at once; they become ``date32`` / ``timestamp`` columns only
when a file is written.
"""

from __future__ import annotations

import datetime

import numpy as np

SECONDS_PER_DAY = 86_400
_EPOCH = datetime.date(1970, 1, 1)


def day_number(date: datetime.date) -> int:
    """The day number of a calendar date."""
    return (date - _EPOCH).days


def to_date(day: int) -> datetime.date:
    """The calendar date of a day number."""
    return _EPOCH + datetime.timedelta(days=int(day))


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Shift day numbers by whole months, clipping to the last day of the target month.

    >>> int(add_months(np.array([day_number(datetime.date(2026, 1, 31))]), 1)[0]) == day_number(
    ...     datetime.date(2026, 2, 28))
    True
    """
    dates = np.asarray(days, dtype="int64").astype("datetime64[D]")
    month = dates.astype("datetime64[M]")
    day_of_month = (dates - month.astype("datetime64[D]")).astype("int64")
    target = month + np.asarray(months, dtype="int64")
    month_length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        "int64"
    )
    shifted = target.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1)
    return shifted.astype("int64")


def month_ends(first_day: int, last_day: int) -> np.ndarray:
    """Day numbers of every month end from the month of ``first_day`` to that of ``last_day``."""
    first = np.datetime64(to_date(first_day), "M")
    last = np.datetime64(to_date(last_day), "M")
    months = np.arange(first, last + 1)
    return ((months + 1).astype("datetime64[D]") - 1).astype("int64")


def month_starts(first_day: int, last_day: int) -> np.ndarray:
    """Day numbers of every first of the month from ``first_day``'s month to ``last_day``'s."""
    first = np.datetime64(to_date(first_day), "M")
    last = np.datetime64(to_date(last_day), "M")
    return np.arange(first, last + 1).astype("datetime64[D]").astype("int64")


def weekday(days: np.ndarray | int) -> np.ndarray:
    """ISO weekday index, Monday = 0 … Sunday = 6."""
    return (np.asarray(days, dtype="int64") + 3) % 7
