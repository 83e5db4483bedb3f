"""Planted expansion intents: the hidden cause that the warehouse's triggers should find.

An *intent* is an account's latent readiness to buy more. From its
``signal_start`` the account shows observable signals (each intent shows a few
of the trigger signals of SPEC section 7, its *manifestations*); if it
``converts``, the subscription changes ``lag`` days later (2-12 weeks). Healthy
accounts form intents more often and convert more often. Intents are drawn
over each account's whole life; the subscription simulation decides which ones
actually became an expansion (an account that churned first cannot expand).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import LIMIT_DIMENSIONS, MODULES, TIER_LIMITS
from expansion.generator.company import SEGMENT_PROFILES, Accounts

INTENT_TYPES = ("usage_ceiling", "seat_growth", "module_interest", "enterprise_readiness")
USAGE_CEILING, SEAT_GROWTH, MODULE_INTEREST, ENTERPRISE_READINESS = range(len(INTENT_TYPES))
INTENT_TYPE_WEIGHTS = (
    (0.31, 0.32, 0.25, 0.12),  # SMB
    (0.26, 0.30, 0.26, 0.18),  # Mid-Market
    (0.23, 0.28, 0.26, 0.23),  # Enterprise
)
DIMENSION_WEIGHTS = (0.6, 0.12, 0.08, 0.2)
"""Which plan limit a usage-ceiling intent presses against (order of LIMIT_DIMENSIONS)."""
STARTER_TIER = 0
"""Core tier index of Platform Starter (0-based, as Accounts.tier)."""
MIN_SIGNALLING_LIMIT = 5
"""A limit smaller than this (Starter's 1 and Growth's 3 environments) is no usage signal:
80% of it can only be reached by being at it. Intents drawn against one press on events."""

SIGNALS = (
    "usage_ceiling",
    "api_growth",
    "integration_depth",
    "seat_saturation",
    "new_department_adoption",
    "headcount_growth",
    "power_user_emergence",
    "feature_exploration",
    "gated_module_request",
    "qbr_unmet_need",
    "compliance_ask",
    "multi_team_adoption",
    "champion_promoted",
)
"""Trigger ids (SPEC section 7) an intent can plant; bit ``i`` of ``manifestations``."""
SIGNAL_BIT = {name: 1 << i for i, name in enumerate(SIGNALS)}

MANIFESTATION_ODDS: dict[int, tuple[tuple[str, float], ...]] = {
    USAGE_CEILING: (("usage_ceiling", 1.0), ("api_growth", 0.75), ("integration_depth", 0.6)),
    SEAT_GROWTH: (
        ("seat_saturation", 0.8),
        ("new_department_adoption", 0.65),
        ("headcount_growth", 0.65),
        ("power_user_emergence", 0.55),
        ("champion_promoted", 0.2),
    ),
    MODULE_INTEREST: (
        ("feature_exploration", 0.75),
        ("gated_module_request", 0.75),
        ("qbr_unmet_need", 0.75),
    ),
    ENTERPRISE_READINESS: (
        ("compliance_ask", 0.9),
        ("multi_team_adoption", 0.75),
        ("champion_promoted", 0.6),
        ("feature_exploration", 0.4),
    ),
}
"""Per intent type: (signal, probability it shows). The first signal shows when none is drawn."""

MIN_DAYS_AFTER_ONBOARDING = 60
LAG_DAYS = (14, 84)


@dataclass
class Intents:
    """One entry per planted intent, sorted by account then signal start."""

    account: np.ndarray
    kind: np.ndarray
    """Index into :data:`INTENT_TYPES`."""
    signal_start: np.ndarray
    lag: np.ndarray
    converts: np.ndarray
    dimension: np.ndarray
    """Index into :data:`~expansion.generator.catalogue.LIMIT_DIMENSIONS` (usage ceilings)."""
    target_module: np.ndarray
    """Module index for module interest, else -1."""
    manifestations: np.ndarray
    """Bit set over :data:`SIGNALS`."""
    expanded_on: np.ndarray
    """Day of the subscription change, -1 if none (filled by the subscription simulation)."""
    motion: np.ndarray
    expansion_product: np.ndarray
    delta_arr_local: np.ndarray

    @property
    def expected_expansion(self) -> np.ndarray:
        return self.signal_start + self.lag

    def shows(self, signal: str) -> np.ndarray:
        """Whether each intent plants ``signal``."""
        return (self.manifestations & SIGNAL_BIT[signal]) != 0

    def subset(self, keep: np.ndarray) -> Intents:
        return Intents(**{name: value[keep] for name, value in vars(self).items()})


def draw_intents(
    accounts: Accounts,
    horizon_day: int,
    rng: np.random.Generator,
    starter_environment_intents: bool = False,
) -> Intents:
    """Plant intents at a segment- and health-dependent rate over each account's life.

    A usage-ceiling intent drawn against a limit too small to signal moves to events,
    except - with ``starter_environment_intents`` - a Starter account's against its one
    environment, which then presses on it (1 of 1: a shape the warehouse must not take
    for capacity)."""
    first_day = accounts.onboarded + MIN_DAYS_AFTER_ONBOARDING
    years = np.maximum(horizon_day - first_day, 0) / 365.0
    rate = np.array([p.intents_per_year for p in SEGMENT_PROFILES])[accounts.segment]
    expected = rate * (0.25 + 1.5 * accounts.health) * years
    account = np.repeat(np.arange(accounts.n), rng.poisson(expected))
    n = len(account)
    signal_start = first_day[account] + np.floor(
        rng.random(n) * (horizon_day - first_day[account])
    ).astype("int64")
    order = np.lexsort((signal_start, account))
    account, signal_start = account[order], signal_start[order]

    segment = accounts.segment[account]
    kind = _draw_by_row(np.array(INTENT_TYPE_WEIGHTS)[segment], rng)
    kind, target_module = _assign_module_targets(accounts, account, kind)
    health = accounts.health[account]
    dimension = rng.choice(len(LIMIT_DIMENSIONS), size=n, p=DIMENSION_WEIGHTS)
    too_small = TIER_LIMITS[accounts.tier[account], dimension] < MIN_SIGNALLING_LIMIT
    if starter_environment_intents:
        starter_environment = (accounts.tier[account] == STARTER_TIER) & (
            dimension == LIMIT_DIMENSIONS.index("environments")
        )
        too_small &= ~starter_environment
    dimension = np.where(too_small, 0, dimension)
    return Intents(
        account=account,
        kind=kind,
        signal_start=signal_start,
        lag=rng.integers(LAG_DAYS[0], LAG_DAYS[1] + 1, size=n),
        converts=rng.random(n) < 0.45 + 0.45 * health,
        dimension=dimension,
        target_module=target_module,
        manifestations=_draw_manifestations(kind, rng),
        expanded_on=np.full(n, -1, dtype="int64"),
        motion=np.full(n, None, dtype=object),
        expansion_product=np.full(n, -1, dtype="int64"),
        delta_arr_local=np.zeros(n),
    )


def _draw_by_row(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    return (rng.random(len(weights))[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)


def _assign_module_targets(
    accounts: Accounts, account: np.ndarray, kind: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The j-th module intent of an account targets the j-th module it does not own yet.

    Accounts buy modules in their own preference order, so the target of each
    module intent is unowned when its signals start. An account that has run
    out of modules to want grows seats instead.
    """
    is_module = kind == MODULE_INTEREST
    rank = _rank_within_account(account, is_module)
    position = accounts.modules_at_start[account] + rank
    has_candidate = is_module & (position < len(MODULES))
    target = np.full(len(kind), -1, dtype="int64")
    target[has_candidate] = accounts.module_preference[
        account[has_candidate], position[has_candidate]
    ]
    kind = np.where(is_module & ~has_candidate, SEAT_GROWTH, kind)
    return kind, target


def _rank_within_account(account: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """For rows sorted by account: how many earlier flagged rows the same account has."""
    running = np.cumsum(flag) - flag
    first_row = np.searchsorted(account, account, side="left")
    return running - running[first_row]


def _draw_manifestations(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    manifestations = np.zeros(len(kind), dtype="int64")
    for intent_type, odds in MANIFESTATION_ODDS.items():
        rows = np.flatnonzero(kind == intent_type)
        for signal, probability in odds:
            shows = rng.random(len(rows)) < probability
            manifestations[rows[shows]] |= SIGNAL_BIT[signal]
        primary = SIGNAL_BIT[odds[0][0]]
        manifestations[rows] = np.where(manifestations[rows] == 0, primary, manifestations[rows])
    return manifestations
