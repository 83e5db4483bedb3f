"""`expansion check`: the suites on the published marts, a table of failures, exit 1 on a
data-integrity error; a quarantined trigger says what to change and exits 0."""

from __future__ import annotations

import duckdb

from expansion.check import CheckRow, format_check_table
from expansion.cli import main
from expansion.settings import PROJECT_ROOT

BOUNDS_SEED = PROJECT_ROOT / "seeds" / "quality" / "calibration_bounds.csv"


def publish(data_dir, firing_accounts: int, segment_firing_accounts: int = 10) -> None:
    """A serving database with the published bounds and one trigger's calibration rows, its
    rate and precision placed against the bands as dbt places them (macro band_position)."""
    con = duckdb.connect(str(data_dir / "serving.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.calibration_bounds as select * from read_csv(?, header = true)",
        [str(BOUNDS_SEED)],
    )
    con.execute(
        """
        create table marts.calibration_trigger_firing_rates as
        with rows as (
            select
                trigger_id, segment, date '2026-05-26' as window_start,
                date '2026-08-23' as window_end, eligible_accounts, firing_accounts,
                firing_accounts as firings, firing_accounts // 2 as expanded_firings,
                firing_accounts / eligible_accounts as firing_rate, 0.5 as precision,
                'at_least' as signal_direction, 0.8 as threshold_value,
                0.95 as suggested_threshold_value, 0.1 as suggested_firing_rate,
                segment = 'All' and eligible_accounts >= 500 as is_blocking
            from (values ('usage_ceiling', 'All', 1000, ?), ('usage_ceiling', 'SMB', 100, ?))
                as t(trigger_id, segment, eligible_accounts, firing_accounts)
        )
        select
            rows.*,
            case when firing_rate < rate.warn_min then 'below'
                when firing_rate > rate.warn_max then 'above' else 'inside' end
                as firing_rate_warn_band,
            case when firing_rate < rate.error_min then 'below'
                when firing_rate > rate.error_max then 'above' else 'inside' end
                as firing_rate_error_band,
            'inside' as precision_warn_band,
            case when precision < prec.error_min then 'below' else 'inside' end
                as precision_error_band
        from rows
        cross join marts.calibration_bounds as rate
        cross join marts.calibration_bounds as prec
        where rate.metric = 'trigger_firing_rate' and prec.metric = 'trigger_precision'
        """,
        [firing_accounts, segment_firing_accounts],
    )
    con.close()


def test_a_quarantined_trigger_says_why_and_what_to_change_and_exits_0(tmp_path, capsys):
    publish(tmp_path, firing_accounts=450)

    code = main(["check", "--data-dir", str(tmp_path)])

    out = capsys.readouterr().out
    assert code == 0
    header, _rule, first, *_ = out.splitlines()
    assert header.split() == ["check", "subject", "severity", "observed", "bounds", "remedy"]
    assert first.split()[:11] == [
        "calibration_trigger_firing_rate",
        "usage_ceiling",
        "·",
        "All",
        "·",
        "2026-05-26",
        "quarantine",
        "45.0%",
        "3%",
        "to",
        "40%",
    ]
    assert "quarantined - its alerts are held until it is recalibrated" in first
    assert "raise threshold of usage_ceiling from 0.8 to 0.95" in first
    assert out.count("usage_ceiling · All") == 1  # the worst failure per subject, once
    assert "1 quarantining, 0 failed" in out.splitlines()[-1]


def test_a_data_integrity_error_exits_1_and_prints_the_remedy(tmp_path, capsys):
    publish(tmp_path, firing_accounts=100)
    con = duckdb.connect(str(tmp_path / "serving.duckdb"))
    con.execute(
        """
        create table marts.segment_nrr as select
            'SMB' as segment, date '2026-10-31' as month_end_date, 40 as cohort_accounts,
            8.5 as nrr, 1000.0 as starting_arr_usd, 8500.0 as ending_arr_usd
        """
    )
    con.close()

    code = main(["check", "--data-dir", str(tmp_path)])

    out = capsys.readouterr().out
    assert code == 1
    (row,) = [line for line in out.splitlines() if line.startswith("mart_segment_nrr_range")]
    assert row.split()[1:6] == ["SMB", "·", "2026-10-31", "error", "8.5"]
    assert "1 failed" in out.splitlines()[-1]


def test_warnings_alone_exit_0(tmp_path, capsys):
    publish(tmp_path, firing_accounts=100, segment_firing_accounts=45)  # SMB 45%: warn only

    assert main(["check", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "usage_ceiling · SMB · 2026-05-26" in out
    assert " warn " in out


def test_no_serving_database_is_a_usage_error(tmp_path, capsys):
    assert main(["check", "--data-dir", str(tmp_path)]) == 2
    assert "run `expansion refresh` first" in capsys.readouterr().err


def test_the_table_pads_every_column_but_the_remedy():
    rows = [
        CheckRow("c", "a · All", "error", "2.0%", "3% to 40%", "lower it"),
        CheckRow("check_two", "b", "warn", "9%", "≥ 15%", "relax it"),
    ]
    assert format_check_table(rows).splitlines() == [
        "check      subject  severity  observed  bounds     remedy",
        "---------  -------  --------  --------  ---------  ------",
        "c          a · All  error     2.0%      3% to 40%  lower it",
        "check_two  b        warn      9%        ≥ 15%      relax it",
    ]
    assert format_check_table([]) == "Every expectation passed."
