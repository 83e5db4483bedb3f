"""Contacts (with champion promotions and departures) and product users."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import TIER_PRODUCT
from expansion.generator.company import FIRST_NAMES, LAST_NAMES, Accounts
from expansion.generator.dates import SECONDS_PER_DAY
from expansion.generator.intents import Intents
from expansion.generator.subscriptions import NEVER, SubscriptionLines
from expansion.generator.timeline import DAY_KEY_SPAN, Decline

DEPARTMENTS = (
    "Engineering",
    "Product",
    "Operations",
    "Marketing",
    "Sales",
    "Finance",
    "Support",
    "Data",
    "HR",
    "Legal",
)
DEPARTMENTS_AT_START = ((1, 3), (2, 4), (3, 6))
"""Range (low inclusive, high exclusive) of departments using the product at first, per segment."""
CONTACTS_PER_ACCOUNT = ((2, 4), (4, 7), (6, 11))
EXEC_SPONSOR_SHARE = (0.2, 0.55, 0.85)
PERSONAS = ("operator", "manager", "buyer")
TITLES = (
    ("Operations Analyst", "Platform Administrator", "Data Engineer", "Solutions Specialist"),
    ("Director of Operations", "Head of Engineering", "Senior Manager, RevOps", "Director of Data"),
    ("COO", "CTO", "CFO", "VP Operations"),
)
PROMOTED_TITLES = ("VP Operations", "VP Engineering", "VP Revenue Operations", "VP Data")
CHAMPION_PROMOTIONS_PER_YEAR = 0.12
CHAMPION_DEPARTURES_PER_YEAR = 0.06
DEPARTURE_BEFORE_DECLINE_BOTTOM = 0.5
REPLACEMENT_CHAMPION_SHARE = 0.5
SECOND_DOMAIN_NOISE_SHARE = 0.02


@dataclass(frozen=True)
class Contacts:
    """Contact history rows (SCD type 2), sorted by account, contact and valid_from."""

    account: np.ndarray
    contact: np.ndarray
    """Contact number, unique across the company."""
    full_name: np.ndarray
    email_local: np.ndarray
    """``first.last``, the address before the account's domain."""
    title: np.ndarray
    persona: np.ndarray
    is_champion: np.ndarray
    is_exec_sponsor: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray
    """Exclusive end, NEVER while current."""


@dataclass(frozen=True)
class Users:
    """Users sorted by account then creation time; ``first[a]:first[a+1]`` are account a's."""

    account: np.ndarray
    has_second_domain: np.ndarray
    """The user signs in with the account's second email domain (see :func:`second_domain`)."""
    department: np.ndarray
    """Index into :data:`DEPARTMENTS`."""
    created_day: np.ndarray
    created_second: np.ndarray
    first: np.ndarray
    power_user_of_intent: np.ndarray
    """Per intent: the user planted as its emerging power user, -1 if none."""


def _names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(len(FIRST_NAMES), size=n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(len(LAST_NAMES), size=n)]
    return first, last


def draw_contacts(
    accounts: Accounts,
    intents: Intents,
    decline: Decline,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> Contacts:
    """Buying-committee contacts; the first contact of each account is its champion.

    Champions of declining accounts often leave before the bottom; champions
    planted by an enterprise-readiness intent are promoted to a VP title.
    """
    low, high = np.array(CONTACTS_PER_ACCOUNT).T
    per_account = rng.integers(low[accounts.segment], high[accounts.segment])
    account = np.repeat(np.arange(accounts.n), per_account)
    n = len(account)
    rank = np.arange(n) - np.repeat(np.cumsum(per_account) - per_account, per_account)
    is_champion = rank == 0
    is_exec = (rank == 1) & (
        rng.random(n) < np.array(EXEC_SPONSOR_SHARE)[accounts.segment[account]]
    )
    persona = np.where(is_exec, 2, rng.choice(3, size=n, p=(0.5, 0.35, 0.15)))
    persona = np.where(is_champion, rng.choice(2, size=n, p=(0.3, 0.7)), persona)
    title = np.array(
        [TITLES[p][k] for p, k in zip(persona, rng.integers(4, size=n), strict=True)], dtype=object
    )
    lifetime = np.maximum(end_day - accounts.onboarded[account], 1)
    joined_later = np.floor(rng.random(n) * lifetime * 0.8).astype("int64")
    valid_from = accounts.onboarded[account] + np.where(rank < 2, 0, joined_later)

    promoted_on, left_on = _champion_events(accounts, intents, decline, window_start, end_day, rng)
    contacts = _base_rows(account, is_champion, is_exec, persona, title, valid_from, rng)
    contacts = _apply_champion_history(contacts, promoted_on, left_on, rng)
    contacts = _add_replacement_champions(contacts, accounts, left_on, end_day, rng)
    keep = contacts["valid_from"] <= end_day
    contacts["valid_to"] = np.where(contacts["valid_to"] > end_day, NEVER, contacts["valid_to"])
    order = np.lexsort(
        (contacts["valid_from"][keep], contacts["contact"][keep], contacts["account"][keep])
    )
    return Contacts(**{k: v[keep][order] for k, v in contacts.items()})


def _champion_events(
    accounts: Accounts,
    intents: Intents,
    decline: Decline,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Day each account's champion is promoted and leaves (NEVER when it does not happen)."""
    n = accounts.n
    window_days = end_day - window_start + 1
    window_years = window_days / 365
    promoted_on = np.full(n, NEVER, dtype="int64")
    planted = intents.shows("champion_promoted")
    promoted_on[intents.account[planted]] = intents.signal_start[planted] - rng.integers(
        0, 10, size=int(planted.sum())
    )
    organic_promotion = (promoted_on == NEVER) & (
        rng.random(n) < CHAMPION_PROMOTIONS_PER_YEAR * window_years
    )
    promoted_on[organic_promotion] = window_start + rng.integers(
        0, window_days, size=int(organic_promotion.sum())
    )
    left_on = np.full(n, NEVER, dtype="int64")
    leaves_before_bottom = (decline.bottom < NEVER) & (
        rng.random(n) < DEPARTURE_BEFORE_DECLINE_BOTTOM
    )
    left_on[leaves_before_bottom] = decline.bottom[leaves_before_bottom] - rng.integers(
        30, 110, size=int(leaves_before_bottom.sum())
    )
    organic_departure = (left_on == NEVER) & (
        rng.random(n) < CHAMPION_DEPARTURES_PER_YEAR * window_years
    )
    left_on[organic_departure] = window_start + rng.integers(
        0, window_days, size=int(organic_departure.sum())
    )
    too_early = np.minimum(promoted_on, left_on) <= accounts.onboarded + 30
    promoted_on[too_early] = NEVER
    left_on[too_early] = NEVER
    return promoted_on, left_on


def _base_rows(
    account: np.ndarray,
    is_champion: np.ndarray,
    is_exec: np.ndarray,
    persona: np.ndarray,
    title: np.ndarray,
    valid_from: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = len(account)
    first, last = _names(rng, n)
    return {
        "account": account,
        "contact": np.arange(n),
        "full_name": first + " " + last,
        "email_local": (first + "." + last).astype(str),
        "title": title,
        "persona": persona,
        "is_champion": is_champion,
        "is_exec_sponsor": is_exec,
        "valid_from": valid_from,
        "valid_to": np.full(n, NEVER, dtype="int64"),
    }


def _apply_champion_history(
    rows: dict, promoted_on: np.ndarray, left_on: np.ndarray, rng: np.random.Generator
) -> dict:
    """Close the champion's row at a promotion (adding the VP row) or a departure."""
    champion = np.flatnonzero(rows["is_champion"])
    account = rows["account"][champion]
    promoted = promoted_on[account]
    left = left_on[account]
    promotes = promoted < left
    rows["valid_to"][champion] = np.minimum(promoted, left)
    vp = champion[promotes]
    new_rows = {key: value[vp].copy() for key, value in rows.items()}
    new_rows["title"] = np.array(PROMOTED_TITLES, dtype=object)[
        rng.integers(len(PROMOTED_TITLES), size=len(vp))
    ]
    new_rows["persona"][:] = PERSONAS.index("buyer")
    new_rows["valid_from"] = promoted[promotes]
    new_rows["valid_to"] = left[promotes]
    return {key: np.concatenate([rows[key], new_rows[key]]) for key in rows}


def _add_replacement_champions(
    rows: dict, accounts: Accounts, left_on: np.ndarray, end_day: int, rng: np.random.Generator
) -> dict:
    """Half the accounts that lose their champion name a new one 30-90 days later."""
    lost = np.flatnonzero((left_on < NEVER) & (rng.random(accounts.n) < REPLACEMENT_CHAMPION_SHARE))
    k = len(lost)
    first, last = _names(rng, k)
    new_rows = {
        "account": lost,
        "contact": rows["contact"].max(initial=-1) + 1 + np.arange(k),
        "full_name": first + " " + last,
        "email_local": (first + "." + last).astype(str),
        "title": np.array(TITLES[1], dtype=object)[rng.integers(4, size=k)],
        "persona": np.full(k, PERSONAS.index("manager")),
        "is_champion": np.ones(k, dtype=bool),
        "is_exec_sponsor": np.zeros(k, dtype=bool),
        "valid_from": left_on[lost] + rng.integers(30, 91, size=k),
        "valid_to": np.full(k, NEVER, dtype="int64"),
    }
    return {key: np.concatenate([rows[key], new_rows[key]]) for key in rows}


def draw_users(
    accounts: Accounts,
    lines: SubscriptionLines,
    intents: Intents,
    end_day: int,
    rng: np.random.Generator,
) -> Users:
    """Users for every account, plus the users that intents plant.

    Each account has a little more users than its largest seat count, created
    mostly soon after onboarding, from its first few departments. Intents add
    users from new departments, from a second email domain, and one emerging
    power user.
    """
    max_seats = np.zeros(accounts.n, dtype="int64")
    np.maximum.at(max_seats, lines.account, lines.quantity * np.isin(lines.product, TIER_PRODUCT))
    base_count = np.ceil(np.maximum(max_seats, 1) * rng.uniform(1.0, 1.25, size=accounts.n))
    account = np.repeat(np.arange(accounts.n), base_count.astype("int64"))
    n = len(account)
    life = end_day - accounts.onboarded[account]
    created = accounts.onboarded[account] + np.floor(life * rng.beta(0.7, 3.0, size=n))
    is_first_user = np.r_[True, account[1:] != account[:-1]]
    created = np.where(is_first_user, accounts.onboarded[account], created).astype("int64")

    department_order = np.argsort(rng.random((accounts.n, len(DEPARTMENTS))), axis=1)
    low, high = np.array(DEPARTMENTS_AT_START).T
    initial_departments = rng.integers(low[accounts.segment], high[accounts.segment])
    pick = np.floor(rng.random(n) * initial_departments[account]).astype("int64")
    parts = [(account, department_order[account, pick], np.zeros(n, bool), created, np.full(n, -1))]
    parts.append(_new_department_users(intents, department_order, initial_departments, rng))
    parts.append(_second_domain_users(intents, accounts, end_day, rng))
    parts.append(_power_users(intents, department_order, rng))

    account, department, second_domain, created, intent = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    seconds = rng.integers(8 * 3600, 18 * 3600, size=len(account))
    keep = created <= end_day
    moment = (account[keep] * DAY_KEY_SPAN + created[keep]) * SECONDS_PER_DAY + seconds[keep]
    order = np.argsort(moment, kind="stable")
    account, department, second_domain, created, intent, seconds = (
        column[keep][order]
        for column in (account, department, second_domain, created, intent, seconds)
    )
    power_user = np.full(len(intents.account), -1, dtype="int64")
    planted = intent >= 0
    power_user[intent[planted]] = np.flatnonzero(planted)
    return Users(
        account=account,
        has_second_domain=second_domain,
        department=department,
        created_day=created,
        created_second=seconds,
        first=np.searchsorted(account, np.arange(accounts.n + 1)),
        power_user_of_intent=power_user,
    )


def _new_department_users(
    intents: Intents,
    department_order: np.ndarray,
    initial_departments: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, ...]:
    """3-5 users from departments the account has not used yet, within three weeks."""
    planted = np.flatnonzero(intents.shows("new_department_adoption"))
    per_intent = rng.integers(3, 6, size=len(planted))
    intent = np.repeat(planted, per_intent)
    account = intents.account[intent]
    rank = np.arange(len(intent)) - np.repeat(np.cumsum(per_intent) - per_intent, per_intent)
    first_new = initial_departments[account]
    new_department = first_new + rank % np.maximum(len(DEPARTMENTS) - first_new, 1)
    department = department_order[account, np.minimum(new_department, len(DEPARTMENTS) - 1)]
    created = intents.signal_start[intent] - rng.integers(0, 21, size=len(intent))
    return account, department, np.zeros(len(intent), bool), created, np.full(len(intent), -1)


def _second_domain_users(
    intents: Intents, accounts: Accounts, end_day: int, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """2-4 users from a second email domain per planted intent, plus a little organic noise."""
    planted = np.flatnonzero(intents.shows("multi_team_adoption"))
    per_intent = rng.integers(2, 5, size=len(planted))
    intent = np.repeat(planted, per_intent)
    noise = np.flatnonzero(rng.random(accounts.n) < SECOND_DOMAIN_NOISE_SHARE)
    account = np.concatenate([intents.account[intent], noise])
    created = np.concatenate(
        [
            intents.signal_start[intent] - rng.integers(0, 14, size=len(intent)),
            np.maximum(accounts.onboarded[noise], end_day - rng.integers(0, 730, size=len(noise))),
        ]
    )
    department = np.zeros(len(account), dtype="int64")
    return account, department, np.ones(len(account), bool), created, np.full(len(account), -1)


def _power_users(
    intents: Intents, department_order: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """One new user per planted intent who will use the product far more than the rest."""
    planted = np.flatnonzero(intents.shows("power_user_emergence"))
    account = intents.account[planted]
    created = intents.signal_start[planted] - rng.integers(3, 13, size=len(planted))
    return account, department_order[account, 0], np.zeros(len(planted), bool), created, planted


def second_domain(primary_domain: str) -> str:
    """``northwindlabs.com`` → ``northwindlabs-global.com`` (a subsidiary or acquired team)."""
    stem, _, tld = primary_domain.partition(".")
    return f"{stem}-global.{tld}"
