"""Evidence's fmt= formats, the column-name defaults, and column headings."""

import datetime as dt
from decimal import Decimal

import pytest

from expansion.dashboards.formats import (
    FormatError,
    column_format,
    column_title,
    format_value,
    parse_format,
    plotly_format,
)


@pytest.mark.parametrize(
    ("fmt", "value", "text"),
    [
        ("usd0", Decimal("242500.40"), "$242,500"),
        ("usd0", Decimal("-1200.40"), "-$1,200"),
        ("usd2", 7043.123, "$7,043.12"),
        ("usd1k", 64301.12, "$64.3k"),
        ("usd2m", 4564301.12, "$4.56M"),
        ("pct1", Decimal("1.169"), "116.9%"),
        ("pct0", 0.731, "73%"),
        ("pct", 0.731, "73.1%"),
        ("num0", 11.6, "12"),
        ("num2", Decimal("72.5"), "72.50"),
        ("mult2", 5.321, "5.32x"),
        ("id", 921594675, "921594675"),
        ("longdate", dt.date(2026, 11, 21), "November 21, 2026"),
        ("date", dt.date(2024, 1, 31), "2024-01-31"),
    ],
)
def test_evidence_formats(fmt, value, text):
    assert format_value(value, parse_format(fmt)) == text


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("current_arr_usd", Decimal("242500.00"), "$242,500"),
        ("churn_pct", Decimal("0.031"), "3.1%"),
        # no format tag: Evidence would not show a ratio as percent, and neither do we
        ("nrr", Decimal("1.18"), "1.18"),
        ("active_accounts", 12345, "12,345"),
        ("is_active", True, "Yes"),
        ("segment", None, "—"),
        ("segment", "SMB", "SMB"),
    ],
)
def test_defaults_follow_evidence_format_tags(column, value, text):
    assert format_value(value, column_format(column)) == text


def test_an_unknown_format_is_an_error():
    with pytest.raises(FormatError, match="fmt='percent' is not a supported format"):
        parse_format("percent")


def test_axis_formats():
    assert plotly_format(parse_format("usd0")) == "$,.0f"
    # significant digits, not decimals: $1.5M must not round to $2M beside $2M
    assert plotly_format(parse_format("usd0m")) == "$.3~s"
    assert plotly_format(parse_format("num1k")) == ".3~s"
    assert plotly_format(parse_format("pct0")) == ".0%"
    assert plotly_format(column_format("accounts")) is None


@pytest.mark.parametrize(
    ("column", "title"),
    [
        ("current_arr_usd", "Current ARR"),
        ("csm_owner", "CSM owner"),
        ("nrr", "NRR"),
        ("expansion_cac", "Expansion CAC"),
        ("account_id", "Account ID"),
    ],
)
def test_column_title(column, title):
    assert column_title(column) == title
