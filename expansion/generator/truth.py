"""The planted truth, written outside the landing zone and never ingested.

``expansion_intent.csv``  one row per intent whose signals started by end_day
                          while the account was a customer.
``account_profile.csv``   the latent traits behind each account's behaviour.
``defects.csv``           every defect planted in the landing files.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from expansion.contract import SEGMENTS
from expansion.generator.catalogue import LIMIT_DIMENSIONS, MODULE_PRODUCT, PRODUCTS
from expansion.generator.company import Accounts
from expansion.generator.defects import Defect
from expansion.generator.intents import INTENT_TYPES, SIGNALS, Intents
from expansion.generator.subscriptions import NEVER, RenewalOutcomes
from expansion.generator.timeline import Decline

PRODUCT_NAMES = np.array([p.product_id for p in PRODUCTS], dtype=object)


def _dates(days: np.ndarray) -> pa.Array:
    days = np.asarray(days)
    return pa.array(days.astype("int32"), mask=(days < 0) | (days >= NEVER)).cast(pa.date32())


def intent_table(
    intents: Intents, accounts: Accounts, expansion_usd: np.ndarray, end_day: int
) -> pa.Table:
    expanded = (intents.expanded_on >= 0) & (intents.expanded_on <= end_day)
    signals = [
        ";".join(name for name in SIGNALS if bits & (1 << SIGNALS.index(name)))
        for bits in intents.manifestations
    ]
    usage = intents.kind == INTENT_TYPES.index("usage_ceiling")
    return pa.table(
        {
            "intent_id": [f"int_{i:07d}" for i in range(1, len(intents.account) + 1)],
            "account_id": accounts.account_id[intents.account].astype(str),
            "segment": np.array(SEGMENTS)[accounts.segment[intents.account]],
            "intent_type": np.array(INTENT_TYPES)[intents.kind],
            "signal_start_date": _dates(intents.signal_start),
            "expected_expansion_date": _dates(intents.expected_expansion),
            "converts": intents.converts,
            "expanded": expanded,
            "expanded_on": _dates(np.where(expanded, intents.expanded_on, -1)),
            "expansion_motion": pa.array(np.where(expanded, intents.motion, None), pa.string()),
            "expansion_product_id": pa.array(
                np.where(expanded, PRODUCT_NAMES[np.maximum(intents.expansion_product, 0)], None),
                pa.string(),
            ),
            "expansion_arr_usd": pa.array(
                np.where(expanded, np.round(expansion_usd, 2), np.nan), from_pandas=True
            ),
            "target_product_id": pa.array(
                np.where(
                    intents.target_module >= 0,
                    PRODUCT_NAMES[MODULE_PRODUCT[np.maximum(intents.target_module, 0)]],
                    None,
                ),
                pa.string(),
            ),
            "limit_dimension": pa.array(
                np.where(usage, np.array(LIMIT_DIMENSIONS, dtype=object)[intents.dimension], None),
                pa.string(),
            ),
            "planted_signals": signals,
        }
    )


def account_profile_table(
    accounts: Accounts, decline: Decline, outcomes: RenewalOutcomes, end_day: int
) -> pa.Table:
    churned_on = np.full(accounts.n, -1, dtype="int64")
    known = outcomes.churn_day <= end_day
    np.maximum.at(churned_on, outcomes.churn_account[known], outcomes.churn_day[known])
    return pa.table(
        {
            "account_id": accounts.account_id.astype(str),
            "segment": np.array(SEGMENTS)[accounts.segment],
            "onboarded_at": _dates(accounts.onboarded),
            "latent_health": np.round(accounts.health, 4),
            "usage_growth": np.round(accounts.usage_growth, 4),
            "decline_start_date": _dates(decline.start),
            "decline_bottom_date": _dates(decline.bottom),
            "decline_ends_in_churn": decline.churns & (decline.bottom < NEVER),
            "last_churned_on": _dates(churned_on),
        }
    )


def defects_table(defects: list[tuple[str, str, Defect]]) -> pa.Table:
    return pa.table(
        {
            "source": pa.array([s for s, _, _ in defects], pa.string()),
            "file": pa.array([f for _, f, _ in defects], pa.string()),
            "row_number": pa.array([d.row_number for _, _, d in defects], pa.int64()),
            "defect_type": pa.array([d.defect_type for _, _, d in defects], pa.string()),
            "column": pa.array([d.column for _, _, d in defects], pa.string()),
        }
    )
