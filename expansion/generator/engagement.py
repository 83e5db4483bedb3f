"""Support tickets, NPS responses, CRM activities and firmographic snapshots.

Each draw is vectorised over accounts: a Poisson count per account, days
spread uniformly, then kept only where the account was a customer. Healthy
accounts raise fewer tickets, score higher and hear more "positive outcome"
QBRs; declining accounts do the opposite. Intents plant their tickets
(``feature_request:<product>``, compliance tags), QBR tags
(``unmet_need:<product>``) and headcount growth around their signal start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.generator.catalogue import MODULES
from expansion.generator.company import Accounts
from expansion.generator.dates import SECONDS_PER_DAY, month_ends
from expansion.generator.intents import Intents
from expansion.generator.people import Contacts
from expansion.generator.subscriptions import NEVER
from expansion.generator.timeline import DAY_KEY_SPAN, CoreCoverage, Decline

TICKETS_PER_YEAR = (1.5, 5.0, 14.0)
DECLINE_TICKET_MULTIPLIER = 2.5
TICKET_TOPICS = (
    "bug",
    "how_to",
    "billing",
    "performance",
    "integration",
    "data_import",
    "permissions",
)
COMPLIANCE_TAGS = ("saml", "scim", "audit_log", "dedicated_env")
PRIORITIES = ("low", "normal", "high", "urgent")
NOISE_FEATURE_REQUEST_SHARE = 0.02
NOISE_COMPLIANCE_SHARE = 0.015
CSAT_RESPONSE_SHARE = 0.7

SURVEY_EVERY_DAYS = 91
NPS_RESPONDENTS = (1, 2, 4)
NPS_RESPONSE_SHARE = (0.45, 0.5, 0.6)

TOUCHES_PER_MONTH = (0.6, 2.5, 6.0)
QBR_EVERY_DAYS = (365, 91, 91)
QBR_SHARE = (0.2, 0.9, 1.0)
ACTIVITY_TYPES = ("qbr", "call", "meeting", "email")
ACTIVITY_NOTES = (
    "Quarterly business review: adoption, outcomes and next-quarter goals.",
    "Check-in call with the customer team.",
    "Working session on rollout and integrations.",
    "Follow-up email with resources and next steps.",
)
NEW_INITIATIVE_SHARE = 0.06
NOISE_UNMET_NEED_SHARE = 0.06
"""QBRs that name an unmet need for a random module, with no intent behind it."""
FUNDING_EVENTS_PER_YEAR = 0.12
FIRMOGRAPHIC_LOOKBACK_DAYS = 365
HEADCOUNT_RAMP_DAYS = (30, 45)
"""A planted hiring wave starts this many days before the signal start and lasts this long."""


@dataclass(frozen=True)
class Events:
    """Rows of one dated source as columns, sorted by day."""

    columns: dict[str, np.ndarray]
    day: np.ndarray

    def slice(self, start: int, stop: int) -> Events:
        """Rows ``start:stop`` (with ``day`` sorted, one day's rows are one slice)."""
        return Events({k: v[start:stop] for k, v in self.columns.items()}, self.day[start:stop])


def _workday_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(8 * 3600, 19 * 3600, size=n)


def _spread(
    per_account: np.ndarray, first: int, last: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Repeat account indices by their counts and give each row a uniform day in [first, last]."""
    account = np.repeat(np.arange(len(per_account)), per_account)
    return account, first + rng.integers(0, last - first + 1, size=len(account))


def _sorted_by_day(columns: dict[str, np.ndarray], day: np.ndarray, second: np.ndarray) -> Events:
    order = np.lexsort((second, day))
    return Events({k: v[order] for k, v in columns.items()}, day[order])


def draw_tickets(
    accounts: Accounts,
    intents: Intents,
    decline: Decline,
    coverage: CoreCoverage,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> Events:
    """Support tickets created in the window, as known on end_day."""
    years = (end_day - window_start + 1) / 365
    rate = np.array(TICKETS_PER_YEAR)[accounts.segment] * (1.7 - 1.2 * accounts.health) * years
    account, day = _spread(rng.poisson(rate), window_start, end_day, rng)
    declining_days = np.clip(
        np.minimum(decline.bottom, end_day + 1) - np.maximum(decline.start, window_start), 0, None
    )
    extra = rng.poisson(rate / years / 365 * declining_days * (DECLINE_TICKET_MULTIPLIER - 1))
    extra_account = np.repeat(np.arange(accounts.n), extra)
    extra_day = np.maximum(decline.start[extra_account], window_start) + np.floor(
        rng.random(len(extra_account)) * declining_days[extra_account]
    ).astype("int64")
    tags = _topic_tags(len(account) + len(extra_account), rng)
    account = np.concatenate([account, extra_account])
    day = np.concatenate([day, extra_day])

    request = intents.shows("gated_module_request") & (intents.target_module >= 0)
    request_intent = np.repeat(np.flatnonzero(request), 2)
    request_day = intents.signal_start[request_intent] - rng.integers(0, 45, len(request_intent))
    request_tags = np.array(
        [f"feature_request:{MODULES[m].product_id}" for m in intents.target_module[request_intent]],
        dtype=object,
    )
    compliance = np.flatnonzero(intents.shows("compliance_ask"))
    compliance_day = intents.signal_start[compliance] + rng.integers(-5, 15, len(compliance))
    compliance_tags = np.array(COMPLIANCE_TAGS, dtype=object)[
        rng.integers(len(COMPLIANCE_TAGS), size=len(compliance))
    ]
    account = np.concatenate(
        [account, intents.account[request_intent], intents.account[compliance]]
    )
    day = np.concatenate([day, request_day, compliance_day])
    tags = np.concatenate([tags, request_tags, compliance_tags])

    keep = (day >= window_start) & (day <= end_day) & coverage.is_customer(account, day)
    account, day, tags = account[keep], day[keep], tags[keep]
    n = len(account)
    declining = decline.is_declining(account, day)
    priority = _draw_priority(declining, rng)
    created = day * SECONDS_PER_DAY + _workday_seconds(rng, n)
    hours_to_resolve = rng.lognormal(np.log(np.array([48.0, 20.0, 8.0, 3.0])[priority]), 0.9)
    resolved = created + (hours_to_resolve * 3600).astype("int64")
    resolved = np.where(resolved < (end_day + 1) * SECONDS_PER_DAY, resolved, -1)
    health = accounts.health[account] - 0.25 * declining
    csat = np.clip(np.round(rng.normal(1.8 + 3.4 * health, 0.8)), 1, 5).astype("int64")
    answered = (resolved >= 0) & (rng.random(n) < CSAT_RESPONSE_SHARE)
    columns = {
        "account": account,
        "created_at": created,
        "resolved_at": resolved,
        "priority": np.array(PRIORITIES, dtype=object)[priority],
        "tags": tags,
        "csat": np.where(answered, csat, -1),
    }
    return _sorted_by_day(columns, day, created)


def _topic_tags(n: int, rng: np.random.Generator) -> np.ndarray:
    """One or two everyday topics per ticket, with rare organic requests and compliance asks."""
    topics = np.array(TICKET_TOPICS, dtype=object)
    first = topics[rng.integers(len(topics), size=n)]
    second = topics[rng.integers(len(topics), size=n)]
    two = (rng.random(n) < 0.3) & (first != second)
    tags = np.where(two, first + ";" + second, first)
    module_ids = np.array([m.product_id for m in MODULES], dtype=object)
    request = rng.random(n) < NOISE_FEATURE_REQUEST_SHARE
    tags[request] = (
        tags[request]
        + ";feature_request:"
        + module_ids[rng.integers(len(MODULES), size=int(request.sum()))]
    )
    compliance = rng.random(n) < NOISE_COMPLIANCE_SHARE
    tags[compliance] = (
        tags[compliance]
        + ";"
        + np.array(COMPLIANCE_TAGS, dtype=object)[
            rng.integers(len(COMPLIANCE_TAGS), size=int(compliance.sum()))
        ]
    )
    return tags


def _draw_priority(declining: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    calm = np.cumsum([0.3, 0.5, 0.15, 0.05])
    tense = np.cumsum([0.15, 0.45, 0.28, 0.12])
    thresholds = np.where(declining[:, None], tense, calm)
    return (rng.random(len(declining))[:, None] > thresholds).sum(axis=1)


def draw_nps(
    accounts: Accounts,
    contacts: Contacts,
    intents: Intents,
    decline: Decline,
    coverage: CoreCoverage,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> Events:
    """Quarterly NPS waves per account; each invites a few current contacts."""
    phase = rng.integers(0, SURVEY_EVERY_DAYS, size=accounts.n)
    waves = (end_day - window_start) // SURVEY_EVERY_DAYS + 1
    account = np.repeat(np.arange(accounts.n), waves)
    wave = np.tile(np.arange(waves), accounts.n)
    day = window_start + phase[account] + wave * SURVEY_EVERY_DAYS
    invited = np.array(NPS_RESPONDENTS)[accounts.segment[account]]
    account = np.repeat(account, invited)
    day = np.repeat(day, invited)
    responds = rng.random(len(account)) < np.array(NPS_RESPONSE_SHARE)[accounts.segment[account]]
    day = day + rng.integers(0, 10, size=len(day))
    keep = responds & (day <= end_day) & coverage.is_customer(account, day)
    account, day = account[keep], day[keep]

    contact_row = _random_contact_row(contacts, account, rng)
    valid = (contacts.valid_from[contact_row] <= day) & (day < contacts.valid_to[contact_row])
    account, day, contact_row = account[valid], day[valid], contact_row[valid]
    contact = contacts.contact[contact_row]
    unique = np.unique(contact * DAY_KEY_SPAN + day, return_index=True)[1]
    account, day, contact = account[unique], day[unique], contact[unique]

    planted = np.zeros(len(account))
    in_signal = _has_active_intent(intents, account, day)
    planted[in_signal] = 0.8
    mood = 3.2 + 6.8 * accounts.health[account] + planted - 3.5 * decline.is_declining(account, day)
    score = np.clip(np.round(rng.normal(mood, 1.3)), 0, 10).astype("int64")
    responded = day * SECONDS_PER_DAY + _workday_seconds(rng, len(account))
    columns = {"account": account, "contact": contact, "responded_at": responded, "score": score}
    return _sorted_by_day(columns, day, responded)


def _random_contact_row(
    contacts: Contacts, account: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A random contact row of each given account."""
    first = np.searchsorted(contacts.account, account, side="left")
    last = np.searchsorted(contacts.account, account, side="right")
    return first + np.floor(rng.random(len(account)) * (last - first)).astype("int64")


def _has_active_intent(intents: Intents, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each (account, day) lies between an intent's signal start and expected expansion."""
    key = intents.account * DAY_KEY_SPAN + intents.signal_start
    order = np.argsort(key, kind="stable")
    position = np.searchsorted(key[order], account * DAY_KEY_SPAN + day, side="right") - 1
    found = position >= 0
    intent = order[np.maximum(position, 0)]
    return found & (intents.account[intent] == account) & (day < intents.expected_expansion[intent])


def draw_crm_activities(
    accounts: Accounts,
    intents: Intents,
    decline: Decline,
    coverage: CoreCoverage,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> Events:
    """CSM touches and QBRs; planted QBRs carry ``unmet_need:<product>`` for the intent's target."""
    months = (end_day - window_start + 1) / 30.4
    touches = rng.poisson(np.array(TOUCHES_PER_MONTH)[accounts.segment] * months)
    touch_account, touch_day = _spread(touches, window_start, end_day, rng)
    touch_type = rng.choice(np.arange(1, 4), size=len(touch_account), p=(0.35, 0.2, 0.45))

    every = np.array(QBR_EVERY_DAYS)[accounts.segment]
    holds_qbrs = rng.random(accounts.n) < np.array(QBR_SHARE)[accounts.segment]
    phase = np.floor(rng.random(accounts.n) * every).astype("int64")
    per_account = np.where(holds_qbrs, (end_day - window_start - phase) // every + 1, 0)
    qbr_account = np.repeat(np.arange(accounts.n), per_account)
    rank = np.arange(len(qbr_account)) - np.repeat(
        np.cumsum(per_account) - per_account, per_account
    )
    qbr_day = window_start + phase[qbr_account] + rank * every[qbr_account]

    planted = np.flatnonzero(intents.shows("qbr_unmet_need") & (intents.target_module >= 0))
    planted_day = intents.signal_start[planted] + rng.integers(-10, 11, size=len(planted))

    account = np.concatenate([touch_account, qbr_account, intents.account[planted]])
    day = np.concatenate([touch_day, qbr_day, planted_day])
    activity_type = np.concatenate([touch_type, np.zeros(len(qbr_account) + len(planted), "int64")])
    unmet_module = np.concatenate(
        [np.full(len(touch_account) + len(qbr_account), -1), intents.target_module[planted]]
    )
    keep = (day >= window_start) & (day <= end_day) & coverage.is_customer(account, day)
    account, day, activity_type, unmet_module = (
        column[keep] for column in (account, day, activity_type, unmet_module)
    )
    occurred = day * SECONDS_PER_DAY + _workday_seconds(rng, len(account))
    columns = {
        "account": account,
        "occurred_at": occurred,
        "activity_type": np.array(ACTIVITY_TYPES, dtype=object)[activity_type],
        "tags": _qbr_tags(accounts, decline, account, day, activity_type, unmet_module, rng),
        "notes": np.array(ACTIVITY_NOTES, dtype=object)[activity_type],
    }
    return _sorted_by_day(columns, day, occurred)


def _qbr_tags(
    accounts: Accounts,
    decline: Decline,
    account: np.ndarray,
    day: np.ndarray,
    activity_type: np.ndarray,
    unmet_module: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """QBR outcome tags; other activities carry none."""
    n = len(account)
    is_qbr = activity_type == 0
    module_ids = np.array([m.product_id for m in MODULES], dtype=object)
    positive = (
        is_qbr
        & ~decline.is_declining(account, day)
        & (rng.random(n) < 0.15 + 0.7 * accounts.health[account])
    )
    initiative = is_qbr & (rng.random(n) < NEW_INITIATIVE_SHARE)
    organic_need = is_qbr & (unmet_module < 0) & (rng.random(n) < NOISE_UNMET_NEED_SHARE)
    unmet_module = np.where(organic_need, rng.integers(len(MODULES), size=n), unmet_module)
    parts = [
        np.where(positive, "positive_outcome", ""),
        np.where(unmet_module >= 0, "unmet_need:" + module_ids[np.maximum(unmet_module, 0)], ""),
        np.where(
            initiative, "new_initiative:" + module_ids[rng.integers(len(MODULES), size=n)], ""
        ),
    ]
    tags = np.full(n, "", dtype=object)
    for part in parts:
        joined = np.where((tags != "") & (part != ""), tags + ";" + part, tags + part)
        tags = joined
    return np.where(tags == "", None, tags)


def draw_firmographics(
    accounts: Accounts,
    intents: Intents,
    window_start: int,
    end_day: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Month-end snapshots from a year before the window: headcount, open roles, last funding.

    Headcount drifts with the account's own growth rate; a planted
    headcount-growth intent adds 30-45% in a hiring wave over the 45 days from a
    month before its signal start.
    """
    as_of = month_ends(window_start - FIRMOGRAPHIC_LOOKBACK_DAYS, end_day)
    as_of = as_of[as_of <= end_day]
    n_months = len(as_of)
    account = np.repeat(np.arange(accounts.n), n_months)
    day = np.tile(as_of, accounts.n)
    annual_growth = rng.normal(0.03 + 0.08 * accounts.health, 0.07)
    base = accounts.seats * accounts.employees_per_seat
    years = (day - end_day) / 365
    employees = base[account] * np.exp(annual_growth[account] * years)
    boost = np.ones(len(account))
    planted = np.flatnonzero(intents.shows("headcount_growth"))
    jump = rng.uniform(0.30, 0.45, size=len(planted))
    rows = intents.account[planted, None] * n_months + np.arange(n_months)
    ramp_start = intents.signal_start[planted, None] - HEADCOUNT_RAMP_DAYS[0]
    progress = np.clip((as_of - ramp_start) / HEADCOUNT_RAMP_DAYS[1], 0, 1)
    np.multiply.at(boost, rows, 1 + jump[:, None] * progress)
    employees = np.round(employees * boost * rng.normal(1, 0.005, size=len(account)))
    hiring = np.maximum(annual_growth[account], 0.01) + 0.3 * (boost > 1.0)
    open_roles = np.round(employees * hiring * rng.uniform(0.05, 0.15, size=len(account)))
    funding = _last_funding(accounts, intents, account, day, end_day, rng)
    return {
        "account": account,
        "as_of_date": day,
        "employee_count": np.maximum(employees, 1).astype("int64"),
        "open_roles": open_roles.astype("int64"),
        "last_funding_date": funding,
    }


def _last_funding(
    accounts: Accounts,
    intents: Intents,
    account: np.ndarray,
    day: np.ndarray,
    end_day: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """The latest funding round on or before each row's day (NEVER if none)."""
    history_days = 4 * 365
    rounds = rng.poisson(FUNDING_EVENTS_PER_YEAR * history_days / 365, size=accounts.n)
    round_account, round_day = _spread(rounds, end_day - history_days, end_day, rng)
    funded = rng.random(len(intents.account)) < 0.6
    planted = np.flatnonzero(intents.shows("headcount_growth") & funded)
    round_account = np.concatenate([round_account, intents.account[planted]])
    round_day = np.concatenate(
        [round_day, intents.signal_start[planted] - rng.integers(60, 200, size=len(planted))]
    )
    key = np.sort(round_account * DAY_KEY_SPAN + round_day)
    position = np.searchsorted(key, account * DAY_KEY_SPAN + day, side="right") - 1
    latest = key[np.maximum(position, 0)]
    found = (position >= 0) & (latest // DAY_KEY_SPAN == account)
    return np.where(found, latest % DAY_KEY_SPAN, NEVER)
