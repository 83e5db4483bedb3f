"""Currency rates and the monthly cost of the expansion motion."""

from __future__ import annotations

import numpy as np

from expansion.contract import SEGMENTS
from expansion.generator.company import CURRENCIES

BASE_USD_PER_UNIT = np.array([1.0, 1.09, 1.27, 0.735, 0.66])
"""Rate of each of :data:`~expansion.generator.company.CURRENCIES` when the price book was set;
local list prices are the USD list prices divided by it."""
ANNUAL_FX_VOLATILITY = 0.06

COST_TYPES = ("csm_time", "sales_overlay", "solutions_engineering", "tooling")
COST_SHARES = np.array([0.45, 0.30, 0.15, 0.10])
COST_PER_EXPANSION_DOLLAR = np.array([0.14, 0.20, 0.24])
"""Spend per dollar of expansion ARR won, per segment: self-serve SMB is cheapest."""
FIXED_MONTHLY_COST = np.array([1_500.0, 4_000.0, 9_000.0])
"""Tooling and enablement spent every month whatever the pipeline, per segment."""


def fx_rate_paths(first_day: int, last_day: int, rng: np.random.Generator) -> np.ndarray:
    """Daily ``usd_per_unit`` per currency (rows = days, columns = currencies).

    A geometric random walk around the price-book rate; USD stays at 1.
    """
    days = last_day - first_day + 1
    daily_sigma = ANNUAL_FX_VOLATILITY / np.sqrt(365)
    steps = rng.normal(0.0, daily_sigma, size=(days, len(CURRENCIES)))
    steps[:, 0] = 0.0
    return np.round(BASE_USD_PER_UNIT * np.exp(np.cumsum(steps, axis=0)), 6)


def monthly_expansion_costs(
    month_index: np.ndarray,
    segment: np.ndarray,
    expansion_usd: np.ndarray,
    n_months: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Cost per ``[month, segment, cost_type]``.

    Spend follows the expansion ARR won, smoothed over the current and two
    previous months (teams are staffed ahead of the deals they close), plus a
    fixed monthly floor and ±10% noise.
    """
    won = np.zeros((n_months, len(SEGMENTS)))
    np.add.at(won, (month_index, segment), expansion_usd)
    smoothed = np.stack([won[max(0, m - 2) : m + 1].mean(axis=0) for m in range(n_months)]).reshape(
        n_months, len(SEGMENTS)
    )
    spend = smoothed * COST_PER_EXPANSION_DOLLAR + FIXED_MONTHLY_COST
    noise = rng.uniform(0.9, 1.1, size=(n_months, len(SEGMENTS), len(COST_TYPES)))
    return np.round(spend[:, :, None] * COST_SHARES * noise, 2)
