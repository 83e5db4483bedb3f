"""Shapes of real feeds that the default company does not have, each behind an option.

- Dark spells: an account's product usage feed goes silent for days or weeks (an
  integration breaks, a team pauses, the account goes quiet) - no usage_daily and no
  feature_usage_daily rows for it on those days, while it keeps paying. The warehouse
  must read such a day as a day of zero usage, not as a missing day.
- A sparse fx file: rates on business days only, or once a month (the first of each
  month), as many finance systems export them. Every day still needs a rate: the latest
  one on or before it.
- A newly tracked tag: the support team starts tagging compliance requests on a given
  day; earlier tickets carry no compliance tag. The trigger that listens to those tags
  has no history (it never fired in its backtest) and starts firing that day - the
  calibration must quarantine it, not stop the night.

Dark spells are drawn from their own random stream, and rows are dropped only after the
day is rendered, so turning an option on leaves every other row exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa

from expansion.generator.dates import to_date, weekday
from expansion.generator.engagement import Events

FxFeed = Literal["daily", "business_day", "monthly"]
FX_FEEDS: tuple[FxFeed, ...] = ("daily", "business_day", "monthly")

DARK_SPELL_DAYS = (3, 35)
"""A spell lasts from a few days to five weeks (both ends included)."""
SECOND_SPELL_ODDS = 0.3
"""An account that goes dark does so a second time with these odds."""


@dataclass(frozen=True)
class DarkSpells:
    """Spells of silence in the product usage feed: ``account``, ``first_day``, ``last_day``."""

    account: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray

    def dark_accounts(self, day: int, n_accounts: int) -> np.ndarray:
        """A boolean mask over the accounts: is the account's usage feed silent on ``day``?"""
        dark = np.zeros(n_accounts, dtype=bool)
        dark[self.account[(self.first_day <= day) & (day <= self.last_day)]] = True
        return dark


def draw_dark_spells(
    n_accounts: int, share: float, window_start: int, end_day: int, rng: np.random.Generator
) -> DarkSpells:
    """``share`` of the accounts go dark once (some twice), at random days of the window."""
    chosen = np.flatnonzero(rng.random(n_accounts) < share)
    spells = 1 + (rng.random(len(chosen)) < SECOND_SPELL_ODDS)
    account = np.repeat(chosen, spells)
    length = rng.integers(DARK_SPELL_DAYS[0], DARK_SPELL_DAYS[1] + 1, size=len(account))
    first_day = window_start + np.floor(
        rng.random(len(account)) * (end_day - window_start + 1)
    ).astype("int64")
    return DarkSpells(account=account, first_day=first_day, last_day=first_day + length - 1)


def keep_rows(columns: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """The rendered columns of one day, without the rows ``keep`` is false for."""
    return {name: values[keep] for name, values in columns.items()}


def fx_days_kept(days: np.ndarray, feed: FxFeed) -> np.ndarray:
    """Which days a rates file of this kind has a row for."""
    if feed == "daily":
        return np.ones(len(days), dtype=bool)
    if feed == "business_day":
        return weekday(days) < 5
    if feed == "monthly":
        return np.array([to_date(day).day == 1 for day in days], dtype=bool)
    raise ValueError(f"unknown fx feed {feed!r}: one of {', '.join(FX_FEEDS)}")


def dark_spells_table(spells: DarkSpells, account_ids: np.ndarray) -> pa.Table:
    """The truth file of the spells: when each account's usage feed was silent."""
    order = np.lexsort((spells.first_day, spells.account))
    return pa.table(
        {
            "account_id": account_ids[spells.account[order]].astype(str),
            "first_dark_date": pa.array(spells.first_day[order].astype("int32")).cast(pa.date32()),
            "last_dark_date": pa.array(spells.last_day[order].astype("int32")).cast(pa.date32()),
        }
    )


def untag_before(tickets: Events, untracked: tuple[str, ...], first_day: int) -> Events:
    """The tickets with the ``untracked`` tags removed from those created before
    ``first_day`` (a ticket left with no tag has none); every row and every other tag stays."""
    early = tickets.day < first_day
    tags = tickets.columns["tags"].copy()
    for row in np.flatnonzero(early):
        kept = [tag for tag in str(tags[row]).split(";") if tag and tag not in untracked]
        tags[row] = ";".join(kept) if kept else None
    return Events({**tickets.columns, "tags": tags}, tickets.day)
