"""The real-feed shapes the generator can write, each off by default: accounts whose usage
feed goes dark, a business-day or monthly fx file, Starter usage-ceiling intents on the one
environment, compliance tags tracked from a given day. Each leaves the rest of the company
as it was."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from expansion.generator import GeneratorConfig, generate
from tests.generator.conftest import read_source

SMALL = {"accounts": 120, "days": 90, "seed": 5, "defect_rate": 0.0}


def company(tmp_path: Path, name: str, **options) -> Path:
    out = tmp_path / name / "landing"
    generate(GeneratorConfig(**{**SMALL, **options}, out=out))
    return out


def usage_keys(landing: Path) -> set[tuple[str, str]]:
    usage = read_source(landing, "usage_daily")
    return set(zip(usage["account_id"], usage["usage_date"], strict=True))


def test_dark_accounts_have_no_usage_rows_in_their_spells_and_the_rest_is_unchanged(tmp_path):
    plain = company(tmp_path, "plain")
    dark = company(tmp_path, "dark", dark_account_share=0.2)
    spells = pd.read_csv(dark.with_name("landing_truth") / "dark_spells.csv")
    spell_days = {
        (row.account_id, day.date().isoformat())
        for row in spells.itertuples()
        for day in pd.date_range(row.first_dark_date, row.last_dark_date)
    }

    assert spells["account_id"].nunique() >= 10  # 20% of 120 accounts, give or take
    lengths = pd.to_datetime(spells["last_dark_date"]) - pd.to_datetime(spells["first_dark_date"])
    assert lengths.dt.days.between(2, 34).all()  # 3 to 35 days
    plain_keys, dark_keys = usage_keys(plain), usage_keys(dark)
    assert dark_keys == plain_keys - spell_days
    assert plain_keys & spell_days, "the spells silence days the account had usage on"
    features = read_source(dark, "feature_usage_daily")
    assert not set(zip(features["account_id"], features["usage_date"], strict=True)) & spell_days
    for source in ("subscriptions", "users", "support_tickets"):
        assert (dark / source / f"{source}.csv").read_bytes() == (
            plain / source / f"{source}.csv"
        ).read_bytes()


@pytest.mark.parametrize(
    ("feed", "kept"),
    [
        ("business_day", lambda day: day.weekday() < 5),
        ("monthly", lambda day: day.day == 1),
    ],
    ids=["business_day", "monthly"],
)
def test_a_sparse_fx_file_keeps_the_daily_files_rates_on_its_days(tmp_path, feed, kept):
    daily = read_source(company(tmp_path, "daily"), "fx_rates")
    sparse = read_source(company(tmp_path, feed, fx_feed=feed), "fx_rates")
    columns = ["currency", "rate_date", "usd_per_unit"]

    dates = pd.to_datetime(sparse["rate_date"])
    assert dates.map(kept).all()
    expected = daily[pd.to_datetime(daily["rate_date"]).map(kept)]
    assert sparse[columns].to_numpy().tolist() == expected[columns].to_numpy().tolist()
    assert len(sparse) < len(daily)


def test_starter_intents_can_press_on_the_one_environment_without_going_past_it(tmp_path):
    landing = company(tmp_path, "starter", starter_environment_intents=True, accounts=600, days=200)
    intents = pd.read_csv(landing.with_name("landing_truth") / "expansion_intent.csv")
    subscriptions = read_source(landing, "subscriptions")
    starter = set(
        subscriptions.loc[subscriptions["product_id"] == "prod_core_starter", "account_id"]
    )
    usage = read_source(landing, "usage_daily")
    starter_usage = usage[usage["account_id"].isin(starter)]

    pressing = intents[
        (intents["limit_dimension"] == "environments") & intents["account_id"].isin(starter)
    ]
    assert len(pressing) > 0, "some Starter usage-ceiling intents press on environments"
    assert set(starter_usage["environments"].astype(int)) == {1}  # the one environment, 1 of 1


COMPLIANCE = {"saml", "scim", "audit_log", "dedicated_env"}


def tag_sets(tickets: pd.DataFrame) -> list[set[str]]:
    return [
        set(filter(None, tags.split(";"))) if isinstance(tags, str) else set()
        for tags in tickets["tags"]
    ]


def test_compliance_tags_tracked_from_a_day_leave_earlier_tickets_without_them(tmp_path):
    plain = read_source(company(tmp_path, "plain"), "support_tickets")
    late = read_source(
        company(tmp_path, "late", compliance_tags_from=datetime.date(2026, 10, 1)),
        "support_tickets",
    )
    late_tags, plain_tags = tag_sets(late), tag_sets(plain)
    early = (late["created_at"] < "2026-10-01").tolist()

    assert late.drop(columns="tags").equals(plain.drop(columns="tags"))
    assert all(
        tags == (was - COMPLIANCE if is_early else was)
        for tags, was, is_early in zip(late_tags, plain_tags, early, strict=True)
    )
    assert any(
        was & COMPLIANCE for was, is_early in zip(plain_tags, early, strict=True) if is_early
    )
    assert any(
        tags & COMPLIANCE for tags, is_early in zip(late_tags, early, strict=True) if not is_early
    )


def test_the_default_company_writes_none_of_these_shapes(tmp_path):
    landing = company(tmp_path, "default")
    spells = pd.read_csv(landing.with_name("landing_truth") / "dark_spells.csv")
    fx = read_source(landing, "fx_rates")

    assert spells.empty
    days = pd.to_datetime(fx["rate_date"])
    assert days.dt.day_of_week.max() == 6 and days.dt.day.max() > 1  # every day of the week


def test_an_unknown_fx_feed_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown fx feed 'weekly'"):
        generate(GeneratorConfig(**SMALL, out=tmp_path / "landing", fx_feed="weekly"))


def test_the_spells_lie_in_the_window(tmp_path):
    landing = company(tmp_path, "window", dark_account_share=0.5)
    spells = pd.read_csv(landing.with_name("landing_truth") / "dark_spells.csv")
    first = pd.to_datetime(spells["first_dark_date"]).dt.date
    window_start = datetime.date(2026, 11, 21) - datetime.timedelta(days=SMALL["days"] - 1)
    assert first.between(window_start, datetime.date(2026, 11, 21)).all()
