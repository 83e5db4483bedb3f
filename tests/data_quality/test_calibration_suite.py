"""The calibration suite on hand-made calibration marts, with the real bounds seed.

A trigger that fires for 2%, 10% and 45% of the eligible accounts is quarantined,
passes and is quarantined - a calibration breach never is an error, which would stop
the night; each breach names the threshold to change, from what to what. Segment
rows, the gate and whitespace only ever warn.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from data_quality.calibration_suite import (
    QUARANTINE_NOTICE,
    READINESS_GATE_PASS_RATE,
    READINESS_GATE_RECALL,
    TRIGGER_FIRING_RATE,
    TRIGGER_PRECISION,
    WHITESPACE,
)
from data_quality.evaluation import run_check
from expansion.settings import PROJECT_ROOT

BOUNDS_SEED = PROJECT_ROOT / "seeds" / "quality" / "calibration_bounds.csv"

FIRING_RATES_DDL = """
create table marts.calibration_trigger_firing_rates (
    as_of_date date, trigger_id varchar, segment varchar, evaluation_period varchar,
    window_start date, window_end date, eligible_accounts bigint, firing_accounts bigint,
    firings bigint, expanded_firings bigint, firing_rate decimal(10,4), precision decimal(10,4),
    lift decimal(10,4), calibration_status varchar, precision_status varchar,
    signal_direction varchar, threshold_unit varchar, threshold_value decimal(18,4),
    suggested_threshold_value decimal(18,4), suggested_firing_rate decimal(10,4),
    is_blocking boolean, firing_rate_warn_band varchar, firing_rate_error_band varchar,
    precision_warn_band varchar, precision_error_band varchar
)
"""


def warehouse(path: Path | str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A warehouse holding only the bounds seed (the real CSV) and an empty calibration mart."""
    con = duckdb.connect(str(path))
    con.execute("create schema seeds")
    con.execute("create schema marts")
    con.execute(
        "create table seeds.calibration_bounds as select * from read_csv(?, header = true)",
        [str(BOUNDS_SEED)],
    )
    con.execute(FIRING_RATES_DDL)
    return con


BLOCKING_SAMPLE = (
    duckdb.connect()
    .execute(
        "select sample_size from read_csv(?, header = true) where metric = 'trigger_firing_rate'",
        [str(BOUNDS_SEED)],
    )
    .fetchone()[0]
)
"""The fewest eligible accounts on which the 'All' row blocks (calibration_bounds seed)."""


def band_position(con, value: float | None, metric: str, band: str) -> str | None:
    """Where trigger_backtest places a value against a band of the seed (dbt's macro
    band_position): the verdict the mart hands the suite."""
    low, high = con.execute(
        f"select {band}_min, {band}_max from seeds.calibration_bounds where metric = ?", [metric]
    ).fetchone()
    if value is None:
        return None
    if low is not None and value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "inside"


def place_in_bands(con, table: str, column: str, metric: str) -> None:
    """Add ``<column>_warn_band`` and ``_error_band`` to a hand-made mart keyed by segment,
    as the dbt model computes them."""
    for band in ("warn", "error"):
        con.execute(f"alter table {table} add column {column}_{band}_band varchar")
        for segment, value in con.execute(f"select segment, {column} from {table}").fetchall():
            con.execute(
                f"update {table} set {column}_{band}_band = ? where segment = ?",
                [
                    band_position(con, None if value is None else float(value), metric, band),
                    segment,
                ],
            )


def add_trigger(
    con,
    trigger_id: str,
    firing_accounts: int,
    *,
    segment: str = "All",
    eligible: int = 1000,
    threshold: float = 0.8,
    suggested: float | None = None,
    suggested_rate: float | None = None,
    firings: int | None = None,
    expanded_firings: int | None = None,
    direction: str = "at_least",
    blocking: bool | None = None,
    firing_rate_error_band: str | None = None,
) -> None:
    """One calibration row; ``blocking`` and the band verdicts default to what the marts
    compute (the 'All' row of a book of at least BLOCKING_SAMPLE eligible accounts; the
    rate and precision placed against the seed's bands)."""
    blocking = segment == "All" and eligible >= BLOCKING_SAMPLE if blocking is None else blocking
    firings = firing_accounts if firings is None else firings
    expanded = firings // 2 if expanded_firings is None else expanded_firings
    rate, precision = firing_accounts / eligible, expanded / firings if firings else None
    bands = [
        band_position(con, rate, "trigger_firing_rate", "warn"),
        firing_rate_error_band or band_position(con, rate, "trigger_firing_rate", "error"),
        band_position(con, precision, "trigger_precision", "warn"),
        band_position(con, precision, "trigger_precision", "error"),
    ]
    con.execute(
        """
        insert into marts.calibration_trigger_firing_rates values (
            date '2026-11-21', ?, ?, 'quarter', date '2026-05-26', date '2026-08-23',
            ?, ?, ?, ?, ?, ?, null, null, null, ?, 'share', ?, ?, ?, ?, ?, ?, ?, ?
        )
        """,
        [
            trigger_id,
            segment,
            eligible,
            firing_accounts,
            firings,
            expanded,
            rate,
            precision,
            direction,
            threshold,
            suggested,
            suggested_rate,
            blocking,
            *bands,
        ],
    )


@pytest.mark.parametrize(
    ("firing_accounts", "suggested", "suggested_rate", "severity", "remedy"),
    [
        (
            20,
            0.65,
            0.096,
            "quarantine",
            QUARANTINE_NOTICE
            + "lower threshold of usage_ceiling from 0.8 to 0.65 (the backtest's suggested "
            "threshold, at which it would have fired for 9.6%): usage_ceiling fired for 20 of "
            "1000 eligible accounts (2.0%)",
        ),
        (100, 0.8, 0.1, None, None),
        (
            450,
            0.95,
            0.11,
            "quarantine",
            QUARANTINE_NOTICE
            + "raise threshold of usage_ceiling from 0.8 to 0.95 (the backtest's suggested "
            "threshold, at which it would have fired for 11.0%), or add a health gate: "
            "usage_ceiling fired for 450 of 1000 eligible accounts (45.0%)",
        ),
    ],
    ids=["fires-for-2%", "fires-for-10%", "fires-for-45%"],
)
def test_a_trigger_firing_for_2_10_and_45_percent_is_quarantined_passes_and_is_quarantined(
    firing_accounts, suggested, suggested_rate, severity, remedy
):
    con = warehouse()
    add_trigger(
        con, "usage_ceiling", firing_accounts, suggested=suggested, suggested_rate=suggested_rate
    )

    report = run_check(con, TRIGGER_FIRING_RATE)

    assert report.severity == severity
    if remedy is None:
        assert report.failures == ()
        return
    quarantined = [o for o in report.failures if o.severity == "quarantine"]
    assert len(quarantined) == 1
    assert not [o for o in report.failures if o.severity == "error"]
    (row,) = quarantined[0].failed_rows
    assert row.subject == "usage_ceiling · All · 2026-05-26"
    assert row.observed == pytest.approx(firing_accounts / 1000)
    assert row.remedy.startswith(remedy)
    assert quarantined[0].bounds.min_value == pytest.approx(0.03)  # from the seed, not Python
    assert quarantined[0].bounds.max_value == pytest.approx(0.40)


def test_a_too_restrictive_trigger_whose_sweep_finds_nothing_nearer_says_so():
    con = warehouse()
    add_trigger(con, "compliance_ask", 14, eligible=773, threshold=1, suggested=1)

    (breach,) = [
        o for o in run_check(con, TRIGGER_FIRING_RATE).failures if o.severity == "quarantine"
    ]

    assert breach.failed_rows[0].remedy.startswith(
        QUARANTINE_NOTICE
        + "lower threshold of compliance_ask below 1 (no threshold of the backtest's sweep fires "
        "nearer the target), or check event tracking"
    )
    assert "fired for 14 of 773 eligible accounts (1.8%)" in breach.failed_rows[0].remedy


def test_a_trigger_that_never_fires_points_at_event_tracking_first():
    con = warehouse()
    add_trigger(con, "champion_promoted", 0, threshold=1)

    (breach,) = [
        o for o in run_check(con, TRIGGER_FIRING_RATE).failures if o.severity == "quarantine"
    ]

    assert breach.failed_rows[0].remedy.startswith(
        QUARANTINE_NOTICE + "check event tracking: champion_promoted fired"
    )


def test_an_at_most_trigger_is_tightened_by_lowering_its_threshold():
    con = warehouse()
    add_trigger(con, "contract_milestone", 450, threshold=60, suggested=30, direction="at_most")

    (breach,) = [
        o for o in run_check(con, TRIGGER_FIRING_RATE).failures if o.severity == "quarantine"
    ]

    assert breach.failed_rows[0].remedy.startswith(
        QUARANTINE_NOTICE + "lower threshold of contract_milestone from 60 to 30"
    )


def test_segment_rows_only_warn_and_the_all_row_alone_decides():
    con = warehouse()
    add_trigger(con, "usage_ceiling", 100)  # All: 10%, fine
    add_trigger(con, "usage_ceiling", 45, segment="Enterprise", eligible=100, suggested=0.95)

    report = run_check(con, TRIGGER_FIRING_RATE)

    assert report.severity == "warn"
    failed = {(o.column, r.subject) for o in report.failures for r in o.failed_rows}
    assert failed == {
        ("firing_rate", "usage_ceiling · Enterprise · 2026-05-26"),
        ("firing_rate_segment", "usage_ceiling · Enterprise · 2026-05-26"),
    }


def test_the_bounds_are_read_from_the_seed_at_run_time():
    con = warehouse()
    con.execute(
        "update seeds.calibration_bounds set error_max = 0.5 where metric = 'trigger_firing_rate'"
    )
    add_trigger(con, "usage_ceiling", 450, suggested=0.95)  # dbt: 45% is inside 3%-50%

    report = run_check(con, TRIGGER_FIRING_RATE)

    assert report.severity == "warn"
    (warned,) = report.failures
    assert warned.failed_rows[0].remedy.endswith("bounds 5% to 15%")
    (error_band,) = [o for o in report.outcomes if o.column == "firing_rate_blocking"]
    assert error_band.success
    assert error_band.bounds.max_value == pytest.approx(0.5)


def test_the_suite_reports_dbts_verdict_and_never_compares_the_rate_itself():
    con = warehouse()
    # 10% is inside every band; a verdict of "above" can only have come from dbt
    add_trigger(con, "usage_ceiling", 100, suggested=0.95, firing_rate_error_band="above")

    report = run_check(con, TRIGGER_FIRING_RATE)

    assert report.severity == "quarantine"
    (row,) = [r for o in report.failures for r in o.failed_rows]
    assert row.observed == pytest.approx(0.1)
    assert row.remedy.startswith(QUARANTINE_NOTICE + "raise threshold of usage_ceiling")


def test_low_precision_on_all_accounts_quarantines_naming_the_tighter_threshold():
    con = warehouse()
    add_trigger(
        con, "api_growth", 100, firings=103, expanded_firings=21, threshold=0.4, suggested=0.6
    )

    report = run_check(con, TRIGGER_PRECISION)

    assert report.severity == "quarantine"
    (row,) = [r for o in report.failures for r in o.failed_rows]
    assert row.remedy.startswith(
        QUARANTINE_NOTICE
        + "raise threshold of api_growth from 0.4 to 0.6 (the backtest's suggested threshold) "
        "or add a health gate, and check event tracking: only 21 of 103 firings"
    )


GATE_DDL = """
create table marts.calibration_readiness_gate as
select * from (values
    ('All', 806, 158, 0.196, 'active_user_seat_ratio', 451, 20, 8, 0.40, 'ticket_trend', 6,
        null, null, null, null, 'per_segment'),
    ('Enterprise', 99, 9, 0.0909, 'active_user_seat_ratio', 66, 20, 17, 0.85, 'nps', 3,
        'nps_at_least', 8.0, null, 0.85, 'recall_at_target'),
    ('SMB', 500, 120, 0.24, 'nps', 200, 20, 10, 0.50, 'active_user_seat_ratio', 7,
        'active_user_seat_ratio_above', 0.6, 0.45, 0.80, 'criterion_sweep')
) as t(
    segment, active_accounts, gate_passed_accounts, gate_pass_rate, most_failed_criterion,
    most_failed_criterion_accounts, expanded_accounts_sampled, passed_before_expansion_accounts,
    gate_recall, recall_most_failed_criterion, recall_most_failed_criterion_accounts,
    recall_criterion_setting, recall_criterion_threshold_value, recall_suggested_threshold_value,
    recall_at_suggested_value, recall_suggestion_basis
)
"""


def test_the_gate_pass_rate_and_recall_warn_with_the_criterion_to_relax():
    con = warehouse()
    con.execute(GATE_DDL)
    place_in_bands(
        con, "marts.calibration_readiness_gate", "gate_pass_rate", "readiness_gate_pass_rate"
    )
    place_in_bands(con, "marts.calibration_readiness_gate", "gate_recall", "readiness_gate_recall")

    pass_rate = run_check(con, READINESS_GATE_PASS_RATE)
    recall = run_check(con, READINESS_GATE_RECALL)

    assert (pass_rate.severity, recall.severity) == ("warn", "warn")
    (low_pass,) = [r for o in pass_rate.failures for r in o.failed_rows]
    assert low_pass.subject == "Enterprise"
    assert low_pass.remedy == (
        "relax the Enterprise gate criteria in readiness_gate_criteria, starting with "
        "active_user_seat_ratio (failed by 66 of them): 9 of 99 active Enterprise accounts (9%) "
        "pass the readiness gate (bounds 15% to 60%)"
    )
    low_recall = {r.subject: r.remedy for o in recall.failures for r in o.failed_rows}
    assert sorted(low_recall) == ["All", "SMB"]
    assert low_recall["All"] == (
        "relax the gate criteria that failed, starting with ticket_trend: of the 20 most "
        "recently expanded accounts only 8 (40%) passed the gate the day before expanding; "
        "ticket_trend stopped 6 of them the day before (bound ≥ 80%)"
    )
    assert low_recall["SMB"] == (
        "set active_user_seat_ratio_above of SMB in readiness_gate_criteria from 0.6 to 0.45 "
        "(recall there: 80%): of the 20 most recently expanded SMB accounts only 10 (50%) "
        "passed the gate the day before expanding; active_user_seat_ratio stopped 7 of them "
        "the day before (bound ≥ 80%)"
    )


def test_whitespace_coverage_reads_the_agreed_contract_and_is_skipped_when_absent():
    con = warehouse()
    assert run_check(con, WHITESPACE).missing == ("marts.whitespace_coverage",)

    con.execute(
        """
        create table marts.whitespace_coverage as select * from (values
            (date '2026-11-21', 'All', 400, 100, 0.25),
            (date '2026-11-21', 'SMB', 0, 0, null)
        ) as t(as_of_date, segment, healthy_accounts, accounts_with_opportunity, coverage)
        """
    )
    place_in_bands(con, "marts.whitespace_coverage", "coverage", "whitespace_coverage")
    report = run_check(con, WHITESPACE)

    assert report.severity == "warn"  # the seed sets a warn bound only
    (row,) = [r for o in report.failures for r in o.failed_rows]
    assert row.subject == "All"  # SMB has no healthy accounts: null coverage, not evaluated
    assert "only 100 of 400 healthy accounts (25%) show a cross-sell opportunity" in row.remedy


def test_an_at_most_trigger_without_a_suggestion_is_told_to_go_below_its_threshold():
    con = warehouse()
    add_trigger(con, "contract_milestone", 450, threshold=60, direction="at_most")

    (breach,) = [
        o for o in run_check(con, TRIGGER_FIRING_RATE).failures if o.severity == "quarantine"
    ]

    assert breach.failed_rows[0].remedy.startswith(
        QUARANTINE_NOTICE
        + "lower threshold of contract_milestone below 60 (no threshold of the backtest's sweep "
        "fires nearer the target), or add a health gate"
    )


def test_a_suggestion_the_other_way_is_named_when_the_sweep_found_it_nearer_the_target():
    # contract_milestone fires in a 30-day band from N days out: at 120 days out it fired
    # for fewer accounts than at 60, so the sweep's nearer rate lies above the threshold.
    con = warehouse()
    add_trigger(
        con,
        "contract_milestone",
        450,
        threshold=60,
        direction="at_most",
        suggested=120,
        suggested_rate=0.155,
    )

    (breach,) = [
        o for o in run_check(con, TRIGGER_FIRING_RATE).failures if o.severity == "quarantine"
    ]

    assert breach.failed_rows[0].remedy.startswith(
        QUARANTINE_NOTICE
        + "raise threshold of contract_milestone from 60 to 120 (the backtest's suggested "
        "threshold, at which it would have fired for 15.5%), or add a health gate"
    )


def test_on_a_book_too_small_to_block_the_all_row_only_warns():
    con = warehouse()
    add_trigger(con, "compliance_ask", 2, eligible=77)  # 2.6%: quarantined on a large book

    report = run_check(con, TRIGGER_FIRING_RATE)

    assert report.severity == "warn"
    assert report.failures[0].failed_rows[0].subject.startswith("compliance_ask · All")
