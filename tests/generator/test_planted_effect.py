"""The planted cause and effect is real, measured on the generated files alone.

For every planted intent whose signals started in the window (with 90 days
left to observe), compare the account's subscription ARR on the signal start
with its ARR 90 days later. The baseline applies the same reference dates to
accounts with no intent within 90 days either side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from expansion.generator import GenerationReport
from tests.generator.conftest import END_DATE, read_defects, read_source, without_defects

HORIZON = pd.Timedelta(days=90)


def _arr_on(lines: pd.DataFrame, account: pd.Series, day: pd.Series) -> np.ndarray:
    """Subscription ARR (account currency) of each (account, day): start <= day < end."""
    pairs = pd.DataFrame({"account_id": account.to_numpy(), "day": day.to_numpy()})
    pairs["pair"] = range(len(pairs))
    joined = pairs.merge(lines, on="account_id")
    live = joined[(joined["start"] <= joined["day"]) & (joined["day"] < joined["end"])]
    total = live.groupby("pair")["arr"].sum()
    return total.reindex(range(len(pairs)), fill_value=0.0).to_numpy()


def _expansion_share(lines: pd.DataFrame, account: pd.Series, day: pd.Series) -> float:
    before = _arr_on(lines, account, day)
    after = _arr_on(lines, account, day + HORIZON)
    customer = before > 0
    return float((after[customer] > before[customer] + 0.01).mean())


def test_accounts_with_a_planted_signal_expand_at_least_three_times_as_often(
    company: GenerationReport,
) -> None:
    raw = without_defects(
        read_source(company.out, "subscriptions"), read_defects(company.truth_out)
    )
    lines = pd.DataFrame(
        {
            "account_id": raw["account_id"],
            "arr": pd.to_numeric(raw["arr"]),
            "start": pd.to_datetime(raw["start_date"]),
            "end": pd.to_datetime(raw["end_date"]).fillna(pd.Timestamp.max),
        }
    )
    intents = pd.read_csv(
        company.truth_out / "expansion_intent.csv", parse_dates=["signal_start_date"]
    )
    window_start = pd.Timestamp(END_DATE) - pd.Timedelta(days=399)
    observable = intents[
        (intents["signal_start_date"] >= window_start)
        & (intents["signal_start_date"] + HORIZON <= pd.Timestamp(END_DATE))
    ]
    signalled = _expansion_share(lines, observable["account_id"], observable["signal_start_date"])

    reference_days = observable["signal_start_date"].drop_duplicates().sort_values()
    accounts = read_source(company.out, "accounts")["account_id"].dropna().drop_duplicates()
    pairs = pd.merge(accounts.to_frame(), reference_days.to_frame(), how="cross")
    near = pairs.merge(
        intents[["account_id", "signal_start_date"]].rename(
            columns={"signal_start_date": "intent_day"}
        ),
        on="account_id",
        how="left",
    )
    near = near[(near["intent_day"] - near["signal_start_date"]).abs() <= HORIZON]
    quiet = pairs.merge(
        near[["account_id", "signal_start_date"]].drop_duplicates(), how="left", indicator=True
    )
    quiet = quiet[quiet["_merge"] == "left_only"]
    baseline = _expansion_share(lines, quiet["account_id"], quiet["signal_start_date"])

    assert len(observable) >= 100
    assert signalled >= 3 * baseline, (signalled, baseline)
