"""expansion.backtest: the pure table formatter and the read-only reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from expansion.backtest import format_backtest_table, read_backtest

WINDOW = {
    "window_start": dt.date(2026, 5, 26),
    "window_end": dt.date(2026, 8, 23),
    "outcome_horizon_days": 90,
}


def row(trigger_id, segment, rate, precision, lift, status, suggested=None, suggested_rate=None):
    return {
        "trigger_id": trigger_id,
        "segment": segment,
        **WINDOW,
        "eligible_accounts": 1000,
        "firing_accounts": int(rate * 1000),
        "firing_rate": Decimal(str(rate)),
        "calibration_status": status,
        "precision": None if precision is None else Decimal(str(precision)),
        "lift": None if lift is None else Decimal(str(lift)),
        "threshold_value": Decimal("0.8000"),
        "suggested_threshold_value": None if suggested is None else Decimal(str(suggested)),
        "suggested_firing_rate": None if suggested_rate is None else Decimal(str(suggested_rate)),
    }


def test_the_table_shows_ratios_as_percentages_and_lift_as_a_multiple():
    text = format_backtest_table(
        [row("seat_saturation", "All", 0.0443, 0.6269, 6.29, "warn_low", 0.765, 0.0992)]
    )
    lines = text.splitlines()
    assert lines[0] == "Trigger backtest 2026-05-26 to 2026-08-23, outcome horizon 90 days"
    assert lines[1].split() == [
        "trigger",
        "segment",
        "eligible",
        "firing",
        "rate",
        "calibration",
        "precision",
        "lift",
        "threshold",
        "suggested",
        "rate_there",
    ]
    assert lines[3].split() == [
        "seat_saturation",
        "All",
        "1000",
        "44",
        "4.4%",
        "warn_low",
        "62.7%",
        "6.29x",
        "0.8",
        "0.765",
        "9.9%",
    ]


def test_a_trigger_without_firings_shows_dashes_not_zeros():
    silent = row("champion_promoted", "SMB", 0.0, None, None, "too_restrictive")
    text = format_backtest_table([silent])
    assert text.splitlines()[3].split()[-5:] == ["-", "-", "0.8", "-", "-"]


def test_no_rows_explains_what_to_do():
    assert "expansion refresh" in format_backtest_table([])


@pytest.fixture
def serving_db(tmp_path):
    path = tmp_path / "serving.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.trigger_backtest as
        select * from (values
            ('usage_ceiling', 'All', 0.15, 0.20, 1.9),
            ('seat_saturation', 'All', 0.04, 0.62, 6.3),
            ('seat_saturation', 'SMB', 0.05, 0.60, 6.0)
        ) as t(trigger_id, segment, firing_rate, precision, lift)
        """
    )
    con.close()
    return path


def test_read_backtest_returns_the_all_rows_best_lift_first(serving_db):
    rows = read_backtest(serving_db)
    assert [(r["trigger_id"], r["segment"]) for r in rows] == [
        ("seat_saturation", "All"),
        ("usage_ceiling", "All"),
    ]


def test_read_backtest_can_return_every_segment_and_leaves_the_file_writable(serving_db):
    assert len(read_backtest(serving_db, segment=None)) == 3
    duckdb.connect(str(serving_db)).close()  # no lock left behind
