"""The expansion pipeline (CSQL opportunities) and the monthly cost of working it.

Every intent from a year before the window onward may become an opportunity:
most converting intents produce a won deal closing on the day the
subscription changed (half of SMB upgrades are self-serve and have none);
some intents that do not convert produce a lost deal. Deals still in flight on
end_day are ``open`` and only show the stages already reached.
"""

from __future__ import annotations

import numpy as np

from expansion.generator.catalogue import MODULE_PRODUCT, TIER_PRODUCT
from expansion.generator.company import Accounts
from expansion.generator.dates import SECONDS_PER_DAY
from expansion.generator.intents import (
    ENTERPRISE_READINESS,
    MODULE_INTEREST,
    SIGNALS,
    Intents,
)

SELF_SERVE_SHARE_SMB = 0.5
LOST_DEAL_SHARE = 0.45
LOSS_REASONS = ("budget", "timing", "competitor", "no_decision", "champion_left")
INTENDED_MOTION = ("usage_upgrade", "seat_expansion", "module_cross_sell", "tier_upgrade")
TRIGGER_ATTRIBUTION_SHARE = 0.7
"""Share of in-window opportunities whose CSQL names the trigger that raised it."""
STAGE_SHARES = (0.15, 0.45, 0.75)
"""When qualified, proposal and negotiation happen, as shares of the created → closed span."""


def draw_opportunities(
    accounts: Accounts,
    intents: Intents,
    expansion_usd: np.ndarray,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Opportunity rows (timestamps in seconds, -1 = not reached by end_day)."""
    n = len(intents.account)
    expanded = intents.expanded_on >= 0
    smb = accounts.segment[intents.account] == 0
    self_serve = expanded & smb & (rng.random(n) < SELF_SERVE_SHARE_SMB)
    lost = ~expanded & (rng.random(n) < LOST_DEAL_SHARE)
    has_deal = ((expanded & ~self_serve) | lost) & (intents.signal_start >= window_start - 365)
    created_day = intents.signal_start + rng.integers(1, 7, size=n)
    close_day = np.where(
        expanded, intents.expanded_on, intents.expected_expansion + rng.integers(0, 31, size=n)
    )
    has_deal &= created_day <= end_day
    idx = np.flatnonzero(has_deal)
    created = created_day[idx] * SECONDS_PER_DAY + rng.integers(9 * 3600, 17 * 3600, size=len(idx))
    closed = close_day[idx] * SECONDS_PER_DAY + rng.integers(9 * 3600, 17 * 3600, size=len(idx))
    span = closed - created
    # Lost deals stop after a random number of stages (0 = lost before qualification).
    stages_reached = np.where(lost[idx], rng.integers(0, 4, size=len(idx)), 3)
    horizon = (end_day + 1) * SECONDS_PER_DAY
    stage_at = [
        np.where(
            (stages_reached > k) & (created + share * span < horizon),
            created + (share * span).astype("int64"),
            -1,
        )
        for k, share in enumerate(STAGE_SHARES)
    ]
    is_closed = closed < horizon
    outcome = np.where(~is_closed, "open", np.where(lost[idx], "lost", "won")).astype(object)
    loss_reason = np.where(
        outcome == "lost",
        np.array(LOSS_REASONS, dtype=object)[rng.integers(len(LOSS_REASONS), size=len(idx))],
        None,
    )
    return {
        "account": intents.account[idx],
        "motion": _motion(intents, idx),
        "product": _product(accounts, intents, idx),
        "source_trigger_id": _source_trigger(intents, idx, created_day[idx], window_start, rng),
        "created_at": created,
        "qualified_at": stage_at[0],
        "proposal_at": stage_at[1],
        "negotiation_at": stage_at[2],
        "closed_at": np.where(is_closed, closed, -1),
        "outcome": outcome,
        "amount_arr": np.round(_amount_usd(accounts, intents, expansion_usd, idx, rng), 2),
        "loss_reason": loss_reason,
    }


def _motion(intents: Intents, idx: np.ndarray) -> np.ndarray:
    intended = np.array(INTENDED_MOTION, dtype=object)[intents.kind[idx]]
    return np.where(intents.expanded_on[idx] >= 0, intents.motion[idx], intended)


def _product(accounts: Accounts, intents: Intents, idx: np.ndarray) -> np.ndarray:
    """The product the deal is about: what was bought, else what the intent points at."""
    kind = intents.kind[idx]
    next_tier = np.minimum(accounts.tier[intents.account[idx]] + 1, len(TIER_PRODUCT) - 1)
    intended = np.where(
        kind == MODULE_INTEREST,
        MODULE_PRODUCT[np.maximum(intents.target_module[idx], 0)],
        TIER_PRODUCT[next_tier],
    )
    intended = np.where(kind == ENTERPRISE_READINESS, TIER_PRODUCT[-1], intended)
    return np.where(intents.expanded_on[idx] >= 0, intents.expansion_product[idx], intended)


def _source_trigger(
    intents: Intents,
    idx: np.ndarray,
    created_day: np.ndarray,
    window_start: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """The first planted signal's trigger id, for in-window deals that credit a trigger."""
    bits = intents.manifestations[idx]
    first_signal = np.log2(bits & -bits).astype("int64")
    credited = (created_day >= window_start) & (rng.random(len(idx)) < TRIGGER_ATTRIBUTION_SHARE)
    return np.where(credited, np.array(SIGNALS, dtype=object)[first_signal], None)


def _amount_usd(
    accounts: Accounts,
    intents: Intents,
    expansion_usd: np.ndarray,
    idx: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Won: the ARR actually added. Otherwise the rep's estimate: a share of a typical deal."""
    estimate = accounts.seats[intents.account[idx]] * 600.0 * rng.uniform(0.2, 0.6, len(idx))
    return np.where(intents.expanded_on[idx] >= 0, expansion_usd[idx], estimate)
