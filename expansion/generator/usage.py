"""Daily product usage and feature usage, rendered one day at a time.

Memory stays bounded by the number of accounts: :class:`UsageRenderer` keeps
one row of state per account (tier, seats, owned modules, existing users) and
advances it day by day from the subscription lines and the users' creation
days. Each day's values are closed-form functions of the account's latent
traits, the day, and the intents whose signals are live, so nothing about
earlier days has to be kept.

``active_users`` counts the users active in the trailing seven days (weekly
active users, as product analytics tools report it); events and API calls
carry the weekly seasonality. Feature usage is a sparse sample of tracked
feature events: a few rows per account and day, from a core set whose breadth
grows with health, plus owned modules, tier-gated features and the gated
features that planted intents explore.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import (
    CORE_FEATURE_INDICES,
    ENTERPRISE_FEATURE_INDICES,
    FEATURE_INDEX,
    GROWTH_FEATURES,
    LIMIT_DIMENSIONS,
    MODULE_FEATURE_INDICES,
    MODULE_PRODUCT,
    PRODUCTS,
    TIER_LIMITS,
    TIER_PRODUCT,
)
from expansion.generator.company import Accounts
from expansion.generator.dates import weekday
from expansion.generator.intents import (
    ENTERPRISE_READINESS,
    MIN_SIGNALLING_LIMIT,
    MODULE_INTEREST,
    USAGE_CEILING,
    Intents,
)
from expansion.generator.people import Users
from expansion.generator.subscriptions import SubscriptionLines
from expansion.generator.timeline import Decline

WEEKDAY_FACTOR = np.array([1.18, 1.22, 1.2, 1.15, 1.05, 0.63, 0.57])
"""Monday … Sunday activity relative to the weekly mean (sums to 7)."""
RAMP_DAYS = 14
"""Signals build up over the two weeks before an intent's signal start."""
LINGER_DAYS = 14
"""Signals of an intent that does not convert fade this long after its expected expansion."""
EVENTS, INTEGRATIONS, ENVIRONMENTS, STORAGE = range(len(LIMIT_DIMENSIONS))
GROWTH_FEATURE_INDICES = np.array([FEATURE_INDEX[f.feature_id] for f in GROWTH_FEATURES])
GATED_FEATURE_INDICES = np.concatenate(
    [GROWTH_FEATURE_INDICES, ENTERPRISE_FEATURE_INDICES, MODULE_FEATURE_INDICES.ravel()]
)
NOISE_EXPLORATION_PER_DAY = 0.003
API_BOOST = 1.0
"""A planted API growth doubles API calls over the three weeks from the ramp start."""
NEW_USER_DAYS = 30
NEW_USER_EVENT_SHARE = 0.4
"""Users in their first month are still learning: fewer events per tracked feature use."""
MODULE_FEATURE_SHARE = 0.25
TIER_FEATURE_SHARE = 0.1


@dataclass(frozen=True)
class Habits:
    """Latent, per-account usage habits (drawn once)."""

    adoption: np.ndarray
    """Weekly active users per seat when nothing special is happening."""
    utilisation: np.ndarray
    """Share of each limit dimension used at the window start, ``[account, dimension]``."""
    api_share: np.ndarray
    feature_breadth: np.ndarray
    """How many of the account's preferred core features it uses."""
    core_feature_order: np.ndarray
    feature_rate: np.ndarray
    """Scale of the number of feature-usage rows per day."""


def draw_habits(accounts: Accounts, rng: np.random.Generator) -> Habits:
    n = accounts.n
    health = accounts.health
    utilisation = np.clip(
        rng.beta(2.0, 4.0, size=(n, len(LIMIT_DIMENSIONS))) * (0.6 + 0.6 * health[:, None]),
        0.02,
        0.75,
    )
    breadth = np.clip(
        np.round(2 + 8 * health + rng.normal(0, 1.0, n)) + accounts.segment,
        2,
        len(CORE_FEATURE_INDICES),
    )
    return Habits(
        adoption=np.clip(0.3 + 0.55 * health + rng.normal(0, 0.08, n), 0.1, 0.84),
        utilisation=utilisation,
        api_share=rng.uniform(0.05, 0.4, n),
        feature_breadth=breadth.astype("int64"),
        core_feature_order=CORE_FEATURE_INDICES[
            np.argsort(rng.random((n, len(CORE_FEATURE_INDICES))), axis=1)
        ],
        feature_rate=rng.uniform(0.7, 1.3, n),
    )


@dataclass(frozen=True)
class LiveIntents:
    """The intents whose signals can show inside the window, with their rendering parameters."""

    intents: Intents
    ramp_start: np.ndarray
    stop: np.ndarray
    target_level: np.ndarray
    new_integrations: np.ndarray
    power_user: np.ndarray

    @classmethod
    def select(
        cls,
        intents: Intents,
        users: Users,
        window_start: int,
        end_day: int,
        rng: np.random.Generator,
    ) -> LiveIntents:
        stop = np.where(
            intents.expanded_on >= 0, intents.expanded_on, intents.expected_expansion + LINGER_DAYS
        )
        ramp_start = intents.signal_start - RAMP_DAYS
        live = (ramp_start <= end_day) & (stop > window_start - 60)
        n = int(live.sum())
        return cls(
            intents=intents.subset(live),
            ramp_start=ramp_start[live],
            stop=stop[live],
            target_level=rng.uniform(0.86, 1.1, size=n),
            new_integrations=rng.integers(3, 6, size=n),
            power_user=users.power_user_of_intent[live],
        )

    def progress(self, day: int, ramp_days: int = RAMP_DAYS) -> np.ndarray:
        """0 before the ramp, rising to 1 over ``ramp_days``."""
        return np.clip((day - self.ramp_start) / ramp_days, 0.0, 1.0)

    def live_on(self, day: int) -> np.ndarray:
        return (self.ramp_start <= day) & (day < self.stop)


class UsageRenderer:
    """Produces ``usage_daily`` and ``feature_usage_daily`` columns for consecutive days."""

    def __init__(
        self,
        accounts: Accounts,
        lines: SubscriptionLines,
        users: Users,
        intents: Intents,
        decline: Decline,
        window_start: int,
        end_day: int,
        rng: np.random.Generator,
    ) -> None:
        self.accounts = accounts
        self.users = users
        self.decline = decline
        self.rng = rng
        self.window_start = window_start
        self.habits = draw_habits(accounts, rng)
        self.live = LiveIntents.select(intents, users, window_start, end_day, rng)
        self._init_subscription_state(lines, window_start)
        self._init_user_state(window_start)
        self.base_level = self.habits.utilisation * TIER_LIMITS[accounts.tier]
        self.next_day = window_start

    def _init_subscription_state(self, lines: SubscriptionLines, window_start: int) -> None:
        n = self.accounts.n
        tier_of_product = np.full(len(PRODUCTS), -1)
        tier_of_product[TIER_PRODUCT] = np.arange(len(TIER_PRODUCT))
        module_of_product = np.full(len(PRODUCTS), -1)
        module_of_product[MODULE_PRODUCT] = np.arange(len(MODULE_PRODUCT))
        self._line_tier = tier_of_product[lines.product]
        self._line_module = module_of_product[lines.product]
        self._lines = lines
        tracked = (self._line_tier >= 0) | (self._line_module >= 0)
        self._starts = np.flatnonzero(tracked)[np.argsort(lines.start[tracked], kind="stable")]
        self._ends = np.flatnonzero(tracked)[np.argsort(lines.end[tracked], kind="stable")]
        self.active = np.zeros(n, dtype=bool)
        self.tier = np.full(n, -1, dtype="int64")
        self.seats = np.zeros(n, dtype="int64")
        self.modules = np.zeros(n, dtype="int64")
        covering = tracked & (lines.start <= window_start) & (lines.end > window_start)
        self._apply_starts(np.flatnonzero(covering))

    def _apply_starts(self, line: np.ndarray) -> None:
        core = line[self._line_tier[line] >= 0]
        account = self._lines.account[core]
        self.active[account] = True
        self.tier[account] = self._line_tier[core]
        self.seats[account] = self._lines.quantity[core]
        module = line[self._line_module[line] >= 0]
        np.bitwise_or.at(self.modules, self._lines.account[module], 1 << self._line_module[module])

    def _apply_ends(self, line: np.ndarray) -> None:
        core = line[self._line_tier[line] >= 0]
        self.active[self._lines.account[core]] = False
        module = line[self._line_module[line] >= 0]
        np.bitwise_and.at(
            self.modules, self._lines.account[module], ~(1 << self._line_module[module])
        )

    def _advance_subscriptions(self, day: int) -> None:
        ends = self._lines.end[self._ends]
        self._apply_ends(
            self._ends[np.searchsorted(ends, day) : np.searchsorted(ends, day, "right")]
        )
        starts = self._lines.start[self._starts]
        self._apply_starts(
            self._starts[np.searchsorted(starts, day) : np.searchsorted(starts, day, "right")]
        )

    def _init_user_state(self, window_start: int) -> None:
        users = self.users
        self._users_by_creation = np.argsort(users.created_day, kind="stable")
        self._creation_days = users.created_day[self._users_by_creation]
        before = self._users_by_creation[: np.searchsorted(self._creation_days, window_start)]
        self.existing_users = np.bincount(users.account[before], minlength=self.accounts.n)

    def _advance_users(self, day: int) -> None:
        lo, hi = np.searchsorted(self._creation_days, [day, day + 1])
        created = self.users.account[self._users_by_creation[lo:hi]]
        self.existing_users += np.bincount(created, minlength=self.accounts.n)

    def render(self, day: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Usage and feature-usage columns for ``day``; days must be rendered in order."""
        if day != self.next_day:
            raise ValueError(f"days must be rendered in order: expected {self.next_day}, got {day}")
        if day > self.window_start:
            self._advance_subscriptions(day)
        self._advance_users(day)
        self.next_day = day + 1
        usage = self._usage(day)
        return usage, self._feature_usage(day, usage)

    def _usage(self, day: int) -> dict[str, np.ndarray]:
        rng = self.rng
        account = np.flatnonzero(self.active)
        n = len(account)
        live = self.live
        intents = live.intents
        years = (day - self.window_start) / 365
        vitality = self.decline.factor(day)[account]
        growth = np.exp(self.accounts.usage_growth[account] * years)
        level = self.base_level[account] * growth[:, None] * vitality[:, None]
        limits = TIER_LIMITS[self.tier[account]]

        on = live.live_on(day)
        position = np.searchsorted(account, intents.account)
        present = (position < n) & (account[np.minimum(position, n - 1)] == intents.account)
        rows = position[present]
        pressing = on[present] & (intents.kind[present] == USAGE_CEILING)
        floor_share = np.zeros((n, len(LIMIT_DIMENSIONS)))
        ramped = live.progress(day)[present] * live.target_level[present]
        np.maximum.at(
            floor_share, (rows[pressing], intents.dimension[present][pressing]), ramped[pressing]
        )
        # a limit too small to signal (Starter's one environment) is pressed up to, not past
        pressed = np.where(limits < MIN_SIGNALLING_LIMIT, np.minimum(floor_share, 1.0), floor_share)
        level = np.maximum(level, pressed * limits)

        started = (live.ramp_start <= day)[present]
        depth = started & intents.shows("integration_depth")[present]
        extra_integrations = np.zeros(n)
        np.add.at(
            extra_integrations,
            rows[depth],
            np.round(
                live.new_integrations[present][depth] * live.progress(day, 21)[present][depth]
            ),
        )
        api_boost = np.ones(n)
        api = started & intents.shows("api_growth")[present]
        np.maximum.at(api_boost, rows[api], 1 + API_BOOST * live.progress(day, 21)[present][api])
        saturation = np.zeros(n)
        saturating = on[present] & intents.shows("seat_saturation")[present]
        np.maximum.at(saturation, rows[saturating], ramped[saturating])

        seasonal = WEEKDAY_FACTOR[weekday(day)]
        events = level[:, EVENTS] / 30.4 * seasonal * rng.lognormal(0, 0.15, n)
        api_calls = events * self.habits.api_share[account] * api_boost * rng.lognormal(0, 0.1, n)
        adoption = np.maximum(self.habits.adoption[account] * vitality, np.minimum(saturation, 1.0))
        active_users = np.round(self.seats[account] * adoption * rng.normal(1, 0.03, n))
        active_users = np.clip(active_users, 1, np.maximum(self.existing_users[account], 1))
        return {
            "account": account,
            "active_users": active_users.astype("int64"),
            "events": np.round(events).astype("int64"),
            "api_calls": np.round(api_calls).astype("int64"),
            "storage_gb": np.round(level[:, STORAGE], 2),
            "integrations_connected": (np.ceil(level[:, INTEGRATIONS]) + extra_integrations).astype(
                "int64"
            ),
            "environments": np.maximum(np.ceil(level[:, ENVIRONMENTS]), 1).astype("int64"),
        }

    def _feature_usage(self, day: int, usage: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        rng = self.rng
        habits = self.habits
        account = usage["account"]
        seasonal = WEEKDAY_FACTOR[weekday(day)]
        rate = np.clip(0.6 + 0.25 * np.sqrt(usage["active_users"]), 0.5, 8.0)
        rate = rate * seasonal * habits.feature_rate[account] * self.decline.factor(day)[account]
        row_account = np.repeat(account, rng.poisson(rate))
        n = len(row_account)
        feature = habits.core_feature_order[
            row_account, np.floor(rng.random(n) * habits.feature_breadth[row_account]).astype(int)
        ]
        module = rng.integers(0, MODULE_FEATURE_INDICES.shape[0], size=n)
        owns_module = (self.modules[row_account] >> module) & 1 == 1
        use_module = owns_module & (rng.random(n) < MODULE_FEATURE_SHARE)
        feature = np.where(
            use_module, MODULE_FEATURE_INDICES[module, rng.integers(0, 3, n)], feature
        )
        tier = self.tier[row_account]
        tier_feature = rng.random(n) < TIER_FEATURE_SHARE
        feature = np.where(
            tier_feature & (tier >= 1), GROWTH_FEATURE_INDICES[rng.integers(0, 3, n)], feature
        )
        feature = np.where(
            tier_feature & (tier == 2), ENTERPRISE_FEATURE_INDICES[rng.integers(0, 5, n)], feature
        )
        user = self._pick_users(row_account, skew=2.0)
        events = rng.geometric(1 / (2 + 6 * rng.random(n)))
        learning = self.users.created_day[user] > day - NEW_USER_DAYS
        events = np.where(learning, np.ceil(events * NEW_USER_EVENT_SHARE), events).astype("int64")

        extra = [self._exploration_rows(day, account), self._power_user_rows(day)]
        for extra_account, extra_user, extra_feature, extra_events in extra:
            row_account = np.concatenate([row_account, extra_account])
            user = np.concatenate([user, extra_user])
            feature = np.concatenate([feature, extra_feature])
            events = np.concatenate([events, extra_events])
        return _sum_duplicates(row_account, user, feature, events)

    def _pick_users(self, account: np.ndarray, skew: float) -> np.ndarray:
        """A user among those existing, favouring the earliest (the core team)."""
        existing = np.maximum(self.existing_users[account], 1)
        rank = np.floor(existing * self.rng.random(len(account)) ** skew).astype("int64")
        return self.users.first[account] + rank

    def _exploration_rows(self, day: int, active_account: np.ndarray) -> tuple[np.ndarray, ...]:
        """Planted tries of gated features (cycling through the target's) and rare organic ones."""
        rng = self.rng
        live = self.live
        intents = live.intents
        exploring = np.flatnonzero(
            live.live_on(day)
            & intents.shows("feature_exploration")
            & self.active[intents.account]
            & (rng.random(len(intents.account)) < 0.7)
        )
        gated = np.where(
            (intents.kind[exploring] == MODULE_INTEREST)[:, None],
            np.pad(MODULE_FEATURE_INDICES, ((0, 0), (0, 2)), mode="wrap")[
                np.maximum(intents.target_module[exploring], 0)
            ],
            ENTERPRISE_FEATURE_INDICES[None, :],
        )
        width = np.where(intents.kind[exploring] == ENTERPRISE_READINESS, 5, 3)
        planted_feature = gated[np.arange(len(exploring)), (day + exploring) % width]
        noisy = active_account[rng.random(len(active_account)) < NOISE_EXPLORATION_PER_DAY]
        noise_feature = GATED_FEATURE_INDICES[
            rng.integers(len(GATED_FEATURE_INDICES), size=len(noisy))
        ]
        account = np.concatenate([intents.account[exploring], noisy])
        return (
            account,
            self._pick_users(account, skew=1.0),
            np.concatenate([planted_feature, noise_feature]),
            rng.geometric(0.4, size=len(account)),
        )

    def _power_user_rows(self, day: int) -> tuple[np.ndarray, ...]:
        """A planted power user works across several features with many events a day."""
        rng = self.rng
        live = self.live
        planted = np.flatnonzero(
            live.live_on(day)
            & (live.power_user >= 0)
            & (self.users.created_day[np.maximum(live.power_user, 0)] <= day)
            & self.active[live.intents.account]
        )
        per_user = rng.integers(3, 7, size=len(planted))
        intent = np.repeat(planted, per_user)
        account = live.intents.account[intent]
        breadth = self.habits.feature_breadth[account]
        feature = self.habits.core_feature_order[
            account, np.floor(rng.random(len(intent)) * breadth).astype("int64")
        ]
        return account, live.power_user[intent], feature, rng.geometric(1 / 15, size=len(intent))


def _sum_duplicates(
    account: np.ndarray, user: np.ndarray, feature: np.ndarray, events: np.ndarray
) -> dict[str, np.ndarray]:
    """One row per (user, feature), events summed, ordered by user then feature."""
    key = user * (1 << 8) + feature
    unique_key, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return {
        "account": account[first],
        "user": unique_key >> 8,
        "feature": unique_key & 0xFF,
        "events": np.bincount(inverse, weights=events).astype("int64"),
    }
