"""Accounts and their latent profile: who the customers are and how they will behave.

Everything the later stages need about an account is drawn here once, as
parallel numpy arrays indexed by account position (0 … n-1): segment, size,
onboarding date, contract terms, and the hidden traits that drive behaviour —
``health`` (0-1; healthy accounts use more, complain less, expand more and
churn less) and ``usage_growth`` (annual drift of their usage).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expansion.contract import SEGMENTS
from expansion.generator.catalogue import MODULES


@dataclass(frozen=True)
class SegmentProfile:
    """How one segment's customers look and behave (annual rates unless stated)."""

    share: float
    median_seats: float
    seat_sigma: float
    seat_bounds: tuple[int, int]
    tier_weights: tuple[float, float, float]
    max_discount: float
    term_weights: tuple[float, float, float]
    """Share of 12-, 24- and 36-month terms."""
    annual_churn: float
    contraction_per_renewal: float
    intents_per_year: float
    modules_at_start: float
    premium_support_share: float
    employees_per_seat: tuple[float, float]
    health_beta: tuple[float, float]


SEGMENT_PROFILES: tuple[SegmentProfile, ...] = (
    SegmentProfile(  # SMB
        share=0.62, median_seats=12, seat_sigma=0.55, seat_bounds=(3, 60),
        tier_weights=(0.65, 0.33, 0.02), max_discount=0.05, term_weights=(0.95, 0.05, 0.0),
        annual_churn=0.17, contraction_per_renewal=0.10, intents_per_year=0.52,
        modules_at_start=0.2, premium_support_share=0.0, employees_per_seat=(2.0, 6.0),
        health_beta=(3.0, 2.4),
    ),
    SegmentProfile(  # Mid-Market
        share=0.28, median_seats=60, seat_sigma=0.45, seat_bounds=(25, 250),
        tier_weights=(0.25, 0.60, 0.15), max_discount=0.15, term_weights=(0.75, 0.20, 0.05),
        annual_churn=0.08, contraction_per_renewal=0.09, intents_per_year=0.84,
        modules_at_start=0.6, premium_support_share=0.15, employees_per_seat=(3.0, 8.0),
        health_beta=(3.4, 2.2),
    ),
    SegmentProfile(  # Enterprise
        share=0.10, median_seats=260, seat_sigma=0.6, seat_bounds=(110, 3_000),
        tier_weights=(0.0, 0.45, 0.55), max_discount=0.30, term_weights=(0.45, 0.30, 0.25),
        annual_churn=0.035, contraction_per_renewal=0.07, intents_per_year=1.32,
        modules_at_start=1.2, premium_support_share=0.5, employees_per_seat=(4.0, 12.0),
        health_beta=(4.0, 2.0),
    ),
)  # fmt: skip

INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Media",
    "Education", "Logistics", "Professional Services", "Public Sector",
)  # fmt: skip
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
REGION_WEIGHTS = (0.50, 0.30, 0.15, 0.05)
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD")
CURRENCY_WEIGHTS_BY_REGION = (
    (0.85, 0.0, 0.0, 0.15, 0.0),
    (0.0, 0.6, 0.4, 0.0, 0.0),
    (0.5, 0.0, 0.0, 0.0, 0.5),
    (1.0, 0.0, 0.0, 0.0, 0.0),
)
TERM_MONTHS = np.array([12, 24, 36])
FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wei", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Baptiste", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Patel", "Quiroga",
    "Rossi", "Schmidt", "Tanaka", "Urquhart", "Varga", "Whitfield", "Yilmaz", "Zhang",
)  # fmt: skip
_NAME_HEADS = (
    "North", "Blue", "Bright", "Iron", "Silver", "Cedar", "Harbor", "Summit", "Nova", "Atlas",
    "Pioneer", "Granite", "Vertex", "Maple", "Orbit", "Crescent", "Falcon", "Lumen", "Quartz",
    "Redwood",
)  # fmt: skip
_NAME_TAILS = (
    "wind", "field", "stone", "gate", "bridge", "wave", "point", "line", "forge", "path",
    "spring", "light", "works", "crest", "view",
)  # fmt: skip
_NAME_KINDS = ("Labs", "Systems", "Group", "Health", "Partners", "Logistics", "Bank", "Media",
               "Retail", "Tech")  # fmt: skip
_REGION_TLDS = (".com", ".eu", ".io", ".co")


@dataclass(frozen=True)
class Accounts:
    """The customer base: one entry per account in every array."""

    account_id: np.ndarray
    account_name: np.ndarray
    primary_domain: np.ndarray
    segment: np.ndarray
    """Index into :data:`~expansion.contract.SEGMENTS`."""
    industry: np.ndarray
    region: np.ndarray
    currency: np.ndarray
    """Index into :data:`CURRENCIES`."""
    onboarded: np.ndarray
    """Day number of the first contract."""
    seats: np.ndarray
    tier: np.ndarray
    """Core tier at onboarding, 0-based (0 Starter … 2 Enterprise)."""
    discount: np.ndarray
    term_months: np.ndarray
    module_preference: np.ndarray
    """``[account, k]``: the module the account would buy k-th (a permutation of 0…3)."""
    modules_at_start: np.ndarray
    has_premium_support: np.ndarray
    health: np.ndarray
    usage_growth: np.ndarray
    employees_per_seat: np.ndarray

    @property
    def n(self) -> int:
        return len(self.account_id)


def draw_accounts(n: int, end_day: int, rng: np.random.Generator) -> Accounts:
    """Draw ``n`` accounts onboarded over the six years before ``end_day``."""
    segment = rng.choice(len(SEGMENTS), size=n, p=[p.share for p in SEGMENT_PROFILES])
    region = rng.choice(len(REGIONS), size=n, p=REGION_WEIGHTS)
    cumulative_currency = np.cumsum(CURRENCY_WEIGHTS_BY_REGION, axis=1)[region]
    currency = (rng.random(n)[:, None] > cumulative_currency).sum(axis=1)
    # The company grows: recent cohorts are larger (density rises toward end_day).
    onboarded = end_day - np.floor(6 * 365 * rng.beta(1.0, 1.7, size=n)).astype("int64")
    seats, tier, discount, term, modules, support, health, employees = _draw_by_segment(
        segment, rng
    )
    module_preference = np.argsort(rng.random((n, len(MODULES))), axis=1)
    usage_growth = rng.normal(-0.05 + 0.35 * health, 0.10)
    names, domains = _names_and_domains(n, region, rng)
    return Accounts(
        account_id=np.array([f"acc_{i:06d}" for i in range(1, n + 1)], dtype=object),
        account_name=names,
        primary_domain=domains,
        segment=segment,
        industry=rng.choice(len(INDUSTRIES), size=n),
        region=region,
        currency=currency,
        onboarded=onboarded,
        seats=seats,
        tier=tier,
        discount=discount,
        term_months=term,
        module_preference=module_preference,
        modules_at_start=modules,
        has_premium_support=support,
        health=health,
        usage_growth=usage_growth,
        employees_per_seat=employees,
    )


def _draw_by_segment(segment: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    n = len(segment)
    seats = np.empty(n, dtype="int64")
    tier = np.empty(n, dtype="int64")
    discount = np.empty(n)
    term = np.empty(n, dtype="int64")
    modules = np.empty(n, dtype="int64")
    support = np.empty(n, dtype=bool)
    health = np.empty(n)
    employees = np.empty(n)
    for s, profile in enumerate(SEGMENT_PROFILES):
        idx = np.flatnonzero(segment == s)
        k = len(idx)
        raw_seats = rng.lognormal(np.log(profile.median_seats), profile.seat_sigma, size=k)
        seats[idx] = np.clip(np.round(raw_seats), *profile.seat_bounds)
        tier[idx] = rng.choice(3, size=k, p=profile.tier_weights)
        discount[idx] = rng.uniform(0.0, profile.max_discount, size=k)
        term[idx] = rng.choice(TERM_MONTHS, size=k, p=profile.term_weights)
        modules[idx] = np.minimum(rng.poisson(profile.modules_at_start, size=k), len(MODULES) - 1)
        support[idx] = rng.random(k) < profile.premium_support_share
        health[idx] = rng.beta(*profile.health_beta, size=k)
        employees[idx] = rng.uniform(*profile.employees_per_seat, size=k)
    return seats, tier, discount, term, modules, support, health, employees


def _names_and_domains(
    n: int, region: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    head = rng.choice(len(_NAME_HEADS), size=n)
    tail = rng.choice(len(_NAME_TAILS), size=n)
    kind = rng.choice(len(_NAME_KINDS), size=n)
    names = np.array(
        [
            f"{_NAME_HEADS[h]}{_NAME_TAILS[t]} {_NAME_KINDS[k]}"
            for h, t, k in zip(head, tail, kind, strict=True)
        ],
        dtype=object,
    )
    stems = [f"{_NAME_HEADS[h]}{_NAME_TAILS[t]}{_NAME_KINDS[k]}".lower() for h, t, k in
             zip(head, tail, kind, strict=True)]  # fmt: skip
    seen: dict[str, int] = {}
    domains = []
    for i, stem in enumerate(stems):
        # Later accounts with the same name get a numbered domain, as real namesakes do.
        count = seen.get(stem, 0)
        seen[stem] = count + 1
        suffix = "" if count == 0 else str(count + 1)
        domains.append(f"{stem}{suffix}{_REGION_TLDS[region[i]]}")
    return names, np.array(domains, dtype=object)
