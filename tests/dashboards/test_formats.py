"""Display formats from column-name suffixes, and column headings."""

import datetime as dt
from decimal import Decimal

import pytest

from expansion.dashboards.formats import column_title, format_value, plotly_axis_format


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("current_arr_usd", Decimal("242500.00"), "$242,500"),
        ("expansion_arr_usd", Decimal("-1200.40"), "-$1,200"),
        ("nrr", Decimal("1.18"), "118.0%"),
        ("target_nrr", 1.1, "110.0%"),
        ("grr", 0.925, "92.5%"),
        ("firing_rate", 0.04, "4.0%"),
        ("churn_pct", Decimal("0.031"), "3.1%"),
        ("active_accounts", 12345, "12,345"),
        ("health_score", Decimal("72.5000"), "72.50"),
        ("is_active", True, "true"),
        ("onboarded_date", dt.date(2024, 1, 31), "2024-01-31"),
        ("segment", None, "—"),
        ("segment", "SMB", "SMB"),
    ],
)
def test_format_value(column, value, text):
    assert format_value(column, value) == text


def test_axis_formats_follow_the_same_suffixes():
    assert plotly_axis_format("arr_usd")["tickformat"] == "$,.0f"
    assert plotly_axis_format("nrr")["tickformat"] == ".0%"
    assert plotly_axis_format("accounts") == {}


@pytest.mark.parametrize(
    ("column", "title"),
    [
        ("current_arr_usd", "Current ARR"),
        ("csm_owner", "CSM owner"),
        ("nrr", "NRR"),
        ("usd", "USD"),
        ("account_id", "Account ID"),
    ],
)
def test_column_title(column, title):
    assert column_title(column) == title
