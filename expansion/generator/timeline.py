"""Per-account facts over time that several sources render: when an account is a
customer, and when it is sliding toward a churn or a contraction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import TIER_PRODUCT
from expansion.generator.subscriptions import NEVER, RenewalOutcomes, SubscriptionLines

DAY_KEY_SPAN = 1 << 22
"""Larger than any day number: ``account * DAY_KEY_SPAN + day`` sorts by account, then day."""
DECLINE_LEAD_DAYS = (90, 150)
"""How long before a churn or contraction the account visibly declines."""
CHURN_DECLINE_DEPTH = 0.55
CONTRACTION_DECLINE_DEPTH = 0.3


@dataclass(frozen=True)
class CoreCoverage:
    """Core-platform lines per account, for "was this account a customer on day d?"."""

    account: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def from_lines(cls, lines: SubscriptionLines) -> CoreCoverage:
        core = np.isin(lines.product, TIER_PRODUCT)
        return cls(lines.account[core], lines.start[core], lines.end[core])

    def is_customer(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Whether each (account, day) pair falls inside one of the account's core lines."""
        key = self.account * DAY_KEY_SPAN + self.start
        position = np.searchsorted(key, np.asarray(account) * DAY_KEY_SPAN + day, side="right") - 1
        found = position >= 0
        position = np.maximum(position, 0)
        return found & (self.account[position] == account) & (day < self.end[position])


@dataclass(frozen=True)
class Decline:
    """Each account's first slide toward a churn or contraction on or after the window start."""

    start: np.ndarray
    """Day the decline becomes visible; NEVER when the account is not declining."""
    bottom: np.ndarray
    """Day of the churn or contraction itself."""
    depth: np.ndarray
    """Share of usage lost at the bottom."""
    churns: np.ndarray

    def factor(self, day: int) -> np.ndarray:
        """Multiplier on usage and engagement for every account on ``day`` (1 = unaffected)."""
        span = np.maximum(self.bottom - self.start, 1)
        progress = np.clip((day - self.start) / span, 0.0, 1.0)
        progress = np.where(day >= self.bottom, 0.0, progress)
        return 1.0 - self.depth * progress

    def is_declining(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (day >= self.start[account]) & (day < self.bottom[account])


def first_declines(
    n_accounts: int, outcomes: RenewalOutcomes, window_start: int, rng: np.random.Generator
) -> Decline:
    account = np.concatenate([outcomes.churn_account, outcomes.contraction_account])
    day = np.concatenate([outcomes.churn_day, outcomes.contraction_day])
    churns = np.concatenate(
        [np.ones(len(outcomes.churn_day), bool), np.zeros(len(outcomes.contraction_day), bool)]
    )
    upcoming = day >= window_start
    account, day, churns = account[upcoming], day[upcoming], churns[upcoming]
    order = np.lexsort((day, account))
    account, day, churns = account[order], day[order], churns[order]
    first = np.r_[True, account[1:] != account[:-1]] if len(account) else np.zeros(0, bool)
    bottom = np.full(n_accounts, NEVER, dtype="int64")
    is_churn = np.zeros(n_accounts, dtype=bool)
    bottom[account[first]] = day[first]
    is_churn[account[first]] = churns[first]
    lead = rng.integers(*DECLINE_LEAD_DAYS, size=n_accounts)
    start = np.where(bottom < NEVER, bottom - lead, NEVER)
    depth = np.where(is_churn, CHURN_DECLINE_DEPTH, CONTRACTION_DECLINE_DEPTH)
    return Decline(start, bottom, np.where(bottom < NEVER, depth, 0.0), is_churn)
