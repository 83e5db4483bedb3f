"""Contract history: onboarding, renewals, expansions, contractions, churn and reactivation.

A discrete-event simulation, vectorised across accounts: each pass of the loop
takes every account's *next* event (first contract, renewal, converted intent,
reactivation) and applies all of them at once, so the number of passes is the
largest number of events one account has, not the number of accounts.

Subscription lines follow the contract: every term opens one line per owned
product ending at the term end; a mid-term change closes the affected line and
opens a replacement that runs to the same term end. The simulation runs past
``end_day`` so that usage can already decline before a churn that happens
after it, but the emitted lines are the snapshot *as known on end_day*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import (
    CAPACITY_PACK,
    LIMIT_DIMENSIONS,
    LIST_PRICES,
    MODULE_PRODUCT,
    MODULES,
    PREMIUM_SUPPORT,
    PRODUCT_INDEX,
    STORAGE_PACK,
    TECHNICAL_ACCOUNT_MANAGER,
    TIER_PRODUCT,
)
from expansion.generator.company import SEGMENT_PROFILES, Accounts
from expansion.generator.dates import add_months
from expansion.generator.finance import BASE_USD_PER_UNIT
from expansion.generator.intents import (
    ENTERPRISE_READINESS,
    MODULE_INTEREST,
    SEAT_GROWTH,
    USAGE_CEILING,
    Intents,
)

NEVER = np.iinfo("int64").max // 4
CORE_SLOT = 0
MODULE_SLOTS = np.arange(1, 1 + len(MODULES))
CAPACITY_SLOT, STORAGE_SLOT, SUPPORT_SLOT, TAM_SLOT = range(1 + len(MODULES), 5 + len(MODULES))
N_SLOTS = TAM_SLOT + 1
SLOT_PRODUCT = np.array(
    [-1, *MODULE_PRODUCT]
    + [
        PRODUCT_INDEX[p.product_id]
        for p in (CAPACITY_PACK, STORAGE_PACK, PREMIUM_SUPPORT, TECHNICAL_ACCOUNT_MANAGER)
    ]
)
"""Product of each slot; the core slot's product depends on the account's tier."""

REACTIVATION_RATE = 0.12
REACTIVATION_DELAY_DAYS = (90, 540)
PRICE_UPLIFT_RATE = 0.25
PRICE_UPLIFT = (1.03, 1.08)
CONTRACTION_KEEP = (0.6, 0.9)
SEAT_GROWTH_RANGE = (0.15, 0.6)


@dataclass(frozen=True)
class SubscriptionLines:
    """Subscription lines as known on ``end_day``, sorted by account, start and product."""

    account: np.ndarray
    product: np.ndarray
    quantity: np.ndarray
    arr: np.ndarray
    start: np.ndarray
    end: np.ndarray
    """Exclusive; may lie after end_day (the contracted term end)."""
    term_months: np.ndarray


@dataclass(frozen=True)
class RenewalOutcomes:
    """Churn and contraction events, including those after end_day (the latent future)."""

    churn_account: np.ndarray
    churn_day: np.ndarray
    contraction_account: np.ndarray
    contraction_day: np.ndarray


class _LineLog:
    """Append-only record of opened lines and of early closes."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._closes: list[tuple[np.ndarray, np.ndarray]] = []
        self.count = 0

    def open(self, *columns: np.ndarray) -> np.ndarray:
        """Record lines given as (account, product, quantity, arr, start, end, term) columns."""
        ids = np.arange(self.count, self.count + len(columns[0]))
        self.count += len(columns[0])
        self._chunks.append(columns)
        return ids

    def close(self, line_ids: np.ndarray, day: np.ndarray) -> None:
        self._closes.append((line_ids, day))

    def snapshot(self, end_day: int) -> SubscriptionLines:
        if not self._chunks:
            empty = np.zeros(0, dtype="int64")
            return SubscriptionLines(empty, empty, empty, np.zeros(0), empty, empty, empty)
        account, product, quantity, arr, start, end, term = (
            np.concatenate(column) for column in zip(*self._chunks, strict=True)
        )
        closed_on = end.copy()
        for line_ids, day in self._closes:
            closed_on[line_ids] = day
        # A change made after end_day is not known yet: the line still runs to its term end.
        end = np.where(closed_on <= end_day, closed_on, end)
        keep = (start <= end_day) & (end > start)
        order = np.lexsort((product[keep], start[keep], account[keep]))
        return SubscriptionLines(
            *(column[keep][order] for column in (account, product, quantity, arr, start, end, term))
        )


class _Book:
    """Current contract state of every account."""

    def __init__(self, accounts: Accounts) -> None:
        n = accounts.n
        self.accounts = accounts
        self.active = np.zeros(n, dtype=bool)
        self.ever_started = np.zeros(n, dtype=bool)
        self.term_months = accounts.term_months.copy()
        self.term_end = np.full(n, NEVER, dtype="int64")
        self.next_start = accounts.onboarded.copy()
        self.seats = accounts.seats.copy()
        self.tier = accounts.tier.copy()
        self.quantity = np.zeros((n, N_SLOTS), dtype="int64")
        self.price_factor = np.ones(n)
        self.open_line = np.full((n, N_SLOTS), -1, dtype="int64")
        self.local_price = (1.0 - accounts.discount) / BASE_USD_PER_UNIT[accounts.currency]

    def slot_product(self, idx: np.ndarray) -> np.ndarray:
        products = np.broadcast_to(SLOT_PRODUCT, (len(idx), N_SLOTS)).copy()
        products[:, CORE_SLOT] = TIER_PRODUCT[self.tier[idx]]
        return products

    def slot_arr(self, idx: np.ndarray, slot: np.ndarray, product: np.ndarray) -> np.ndarray:
        price = LIST_PRICES[product] * self.local_price[idx] * self.price_factor[idx]
        return np.round(self.quantity[idx, slot] * price, 2)


def simulate_contracts(
    accounts: Accounts,
    intents: Intents,
    end_day: int,
    horizon_day: int,
    rng: np.random.Generator,
) -> tuple[SubscriptionLines, RenewalOutcomes]:
    """Run every account's contract history up to ``horizon_day``.

    Fills ``intents.expanded_on``, ``motion``, ``expansion_product`` and
    ``delta_arr_local`` for the intents that became a subscription change.
    """
    book = _Book(accounts)
    log = _LineLog()
    queue = _ExpansionQueue(intents, accounts.n)
    churns: list[tuple[np.ndarray, np.ndarray]] = []
    contractions: list[tuple[np.ndarray, np.ndarray]] = []
    while True:
        renewal_day = np.where(book.active, book.term_end, NEVER)
        start_day = np.where(book.active, NEVER, book.next_start)
        expansion_day = queue.next_day()
        day = np.minimum(np.minimum(renewal_day, start_day), expansion_day)
        due = day <= horizon_day
        if not due.any():
            break
        starting = np.flatnonzero(due & (start_day == day))
        renewing = np.flatnonzero(due & (renewal_day == day))
        expanding = np.flatnonzero(
            due & (expansion_day == day) & (renewal_day > day) & (start_day > day)
        )
        _start_contracts(book, log, starting, day[starting], rng)
        churned, contracted = _renew(book, log, renewing, day[renewing], rng)
        churns.append((churned, day[churned]))
        contractions.append((contracted, day[contracted]))
        _expand(book, log, intents, queue.pop(expanding), expanding, day[expanding], rng)
    outcomes = RenewalOutcomes(
        *(
            np.concatenate([pair[k] for pair in events]).astype("int64")
            for events in (churns, contractions)
            for k in (0, 1)
        )
    )
    return log.snapshot(end_day), outcomes


class _ExpansionQueue:
    """Converted intents per account in expansion-day order, with a cursor per account."""

    def __init__(self, intents: Intents, n_accounts: int) -> None:
        converting = np.flatnonzero(intents.converts)
        expansion = intents.expected_expansion[converting]
        account = intents.account[converting]
        order = np.lexsort((expansion, account))
        self.intent = converting[order]
        self.day = expansion[order]
        self.account_of_intent = account[order]
        self.cursor = np.searchsorted(self.account_of_intent, np.arange(n_accounts + 1))
        self.stop = self.cursor[1:].copy()
        self.cursor = self.cursor[:-1].copy()

    def next_day(self) -> np.ndarray:
        pending = self.cursor < self.stop
        day = np.full(len(self.cursor), NEVER, dtype="int64")
        day[pending] = self.day[self.cursor[pending]]
        return day

    def pop(self, accounts: np.ndarray) -> np.ndarray:
        """The next intent of each given account, advancing their cursors."""
        intent = self.intent[self.cursor[accounts]]
        self.cursor[accounts] += 1
        return intent


def _open_slots(
    book: _Book, log: _LineLog, idx: np.ndarray, slots: np.ndarray, day: np.ndarray
) -> None:
    """Open a line for each (account, slot) pair running to the account's term end."""
    if len(idx) == 0:
        return
    product = book.slot_product(idx)[np.arange(len(idx)), slots]
    arr = book.slot_arr(idx, slots, product)
    ids = log.open(
        idx,
        product,
        book.quantity[idx, slots],
        arr,
        day,
        book.term_end[idx],
        book.term_months[idx],
    )
    book.open_line[idx, slots] = ids


def _open_owned_slots(book: _Book, log: _LineLog, idx: np.ndarray, day: np.ndarray) -> None:
    account_pos, slot = np.nonzero(book.quantity[idx] > 0)
    _open_slots(book, log, idx[account_pos], slot, day[account_pos])


def _start_contracts(
    book: _Book, log: _LineLog, idx: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> None:
    """First contract at onboarding, or a smaller core-only contract on reactivation."""
    accounts = book.accounts
    returning = book.ever_started[idx]
    book.quantity[idx] = 0
    kept = rng.uniform(0.5, 0.9, size=len(idx))
    book.seats[idx] = np.where(
        returning, np.maximum(1, np.round(book.seats[idx] * kept)), book.seats[idx]
    ).astype("int64")
    book.term_months[idx] = np.where(returning, 12, book.term_months[idx])
    book.quantity[idx, CORE_SLOT] = book.seats[idx]
    first = idx[~returning]
    coverage = rng.uniform(0.3, 1.0, size=(len(first), len(MODULES)))
    for k in range(len(MODULES)):
        owns = k < accounts.modules_at_start[first]
        module = accounts.module_preference[first, k]
        qty = np.ceil(book.seats[first] * coverage[:, k]).astype("int64")
        book.quantity[first[owns], MODULE_SLOTS[module[owns]]] = qty[owns]
    book.quantity[first, SUPPORT_SLOT] = accounts.has_premium_support[first]
    book.active[idx] = True
    book.ever_started[idx] = True
    book.next_start[idx] = NEVER
    book.term_end[idx] = add_months(day, book.term_months[idx])
    _open_owned_slots(book, log, idx, day)


def _renew(
    book: _Book, log: _LineLog, idx: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Churn, contract or renew (sometimes with a price uplift) at each term end."""
    accounts = book.accounts
    annual_churn = np.array([p.annual_churn for p in SEGMENT_PROFILES])[accounts.segment[idx]]
    health_factor = 2.2 - 2.0 * accounts.health[idx]
    term_churn = 1 - (1 - np.minimum(annual_churn * health_factor, 0.9)) ** (
        book.term_months[idx] / 12
    )
    churns = rng.random(len(idx)) < term_churn
    contraction_rate = np.array([p.contraction_per_renewal for p in SEGMENT_PROFILES])
    contracts = ~churns & (
        rng.random(len(idx))
        < contraction_rate[accounts.segment[idx]] * (1.8 - 1.4 * accounts.health[idx])
    )
    uplifts = ~churns & ~contracts & (rng.random(len(idx)) < PRICE_UPLIFT_RATE)

    churned = idx[churns]
    book.active[churned] = False
    book.open_line[churned] = -1
    returns = rng.random(len(churned)) < REACTIVATION_RATE
    delay = rng.integers(*REACTIVATION_DELAY_DAYS, size=len(churned))
    book.next_start[churned] = np.where(returns, day[churns] + delay, NEVER)

    shrinking = idx[contracts]
    keep = rng.uniform(*CONTRACTION_KEEP, size=len(shrinking))
    book.seats[shrinking] = np.maximum(1, np.round(book.seats[shrinking] * keep)).astype("int64")
    book.quantity[shrinking, CORE_SLOT] = book.seats[shrinking]
    modules = book.quantity[shrinking][:, MODULE_SLOTS]
    book.quantity[np.ix_(shrinking, MODULE_SLOTS)] = np.minimum(
        modules, book.seats[shrinking, None]
    )
    book.price_factor[idx[uplifts]] *= rng.uniform(*PRICE_UPLIFT, size=int(uplifts.sum()))

    staying = idx[~churns]
    book.term_end[staying] = add_months(day[~churns], book.term_months[staying])
    _open_owned_slots(book, log, staying, day[~churns])
    return churned, shrinking


def _expand(
    book: _Book,
    log: _LineLog,
    intents: Intents,
    intent: np.ndarray,
    idx: np.ndarray,
    day: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Turn each converted intent into its subscription change (skipped if the account left)."""
    live = book.active[idx]
    intent, idx, day = intent[live], idx[live], day[live]
    kind = intents.kind[intent]
    top_tier = book.tier[idx] == 2
    storage = intents.dimension[intent] == LIMIT_DIMENSIONS.index("storage")
    has_tam = book.quantity[idx, TAM_SLOT] > 0

    upgrade = ((kind == USAGE_CEILING) | (kind == ENTERPRISE_READINESS)) & ~top_tier
    buy_storage = (kind == USAGE_CEILING) & top_tier & storage
    buy_capacity = (kind == USAGE_CEILING) & top_tier & ~storage
    buy_module = kind == MODULE_INTEREST
    buy_tam = (kind == ENTERPRISE_READINESS) & top_tier & ~has_tam
    grow_seats = (kind == SEAT_GROWTH) | ((kind == ENTERPRISE_READINESS) & top_tier & has_tam)

    slot = np.full(len(idx), CORE_SLOT)
    slot[buy_storage] = STORAGE_SLOT
    slot[buy_capacity] = CAPACITY_SLOT
    slot[buy_module] = MODULE_SLOTS[intents.target_module[intent[buy_module]]]
    slot[buy_tam] = TAM_SLOT
    old_arr = _current_arr(book, idx, slot)

    new_tier = np.where(kind == ENTERPRISE_READINESS, 2, book.tier[idx] + 1)
    book.tier[idx[upgrade]] = new_tier[upgrade]
    growth = rng.uniform(*SEAT_GROWTH_RANGE, size=len(idx))
    extra_seats = np.maximum(2, np.round(book.seats[idx] * growth)).astype("int64")
    book.seats[idx[grow_seats]] += extra_seats[grow_seats]
    book.quantity[idx, CORE_SLOT] = book.seats[idx]
    packs = rng.integers(2, 7, size=len(idx))
    book.quantity[idx[buy_storage | buy_capacity], slot[buy_storage | buy_capacity]] += packs[
        buy_storage | buy_capacity
    ]
    coverage = rng.uniform(0.3, 1.0, size=len(idx))
    book.quantity[idx[buy_module], slot[buy_module]] = np.ceil(
        book.seats[idx[buy_module]] * coverage[buy_module]
    ).astype("int64")
    book.quantity[idx[buy_tam], TAM_SLOT] = 1

    previous = book.open_line[idx, slot]
    log.close(previous[previous >= 0], day[previous >= 0])
    _open_slots(book, log, idx, slot, day)

    motion = np.select(
        [upgrade, buy_storage | buy_capacity, buy_module, buy_tam],
        ["tier_upgrade", "usage_upgrade", "module_cross_sell", "professional_services"],
        default="seat_expansion",
    )
    intents.expanded_on[intent] = day
    intents.motion[intent] = motion.astype(object)
    intents.expansion_product[intent] = book.slot_product(idx)[np.arange(len(idx)), slot]
    intents.delta_arr_local[intent] = _current_arr(book, idx, slot) - old_arr


def _current_arr(book: _Book, idx: np.ndarray, slot: np.ndarray) -> np.ndarray:
    product = book.slot_product(idx)[np.arange(len(idx)), slot]
    return book.slot_arr(idx, slot, product)
