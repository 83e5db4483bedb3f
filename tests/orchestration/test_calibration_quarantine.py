"""A calibration breach quarantines a trigger instead of stopping the night: the night
publishes, the breach is recorded with what to change, the trigger's alerts are held and
the others queued. A data-integrity error still holds the night back.

The real check step, serving asset and alerts asset run in-process against a
prepared warehouse; a stand-in for the dbt step "builds" the marts (the tables are
made by hand, as dbt would make them: the quarantine flag on the candidate alerts
comes from calibration_trigger_firing_rates), so no dbt runs and the test takes
seconds.
"""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from data_quality.calibration_suite import QUARANTINE_NOTICE, TRIGGER_FIRING_RATE
from data_quality.evaluation import BOUNDS_RELATION
from data_quality.marts_suite import SEGMENT_NRR_RANGE
from expansion.settings import PROJECT_ROOT
from orchestration.defs.alerts import alerts_outbox
from orchestration.defs.quality import build_warehouse_checks
from orchestration.defs.serving import EXTRA_TABLES, serving_database
from orchestration.resources import WarehouseResource

SEEDS_DIR = PROJECT_ROOT / "seeds"
SEEDS_READ_AT_NIGHT = sorted(
    {BOUNDS_RELATION} | {r for r in EXTRA_TABLES.values() if r.startswith("seeds.")}
)
"""The calibration check reads its bounds; the publish copies these seeds to serving."""
CALIBRATION_MART = dg.AssetKey(["marts", "calibration_trigger_firing_rates"])
SEGMENT_NRR_MART = dg.AssetKey(["marts", "segment_nrr"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(CALIBRATION_MART),
        dg.AssetSpec(SEGMENT_NRR_MART),
        dg.AssetSpec(["marts", "alert_candidates"]),
    ]
)
def prepared_marts():
    """Stands in for the dbt step: the marts were written by the test."""
    yield dg.MaterializeResult(asset_key=CALIBRATION_MART)
    yield dg.MaterializeResult(asset_key=SEGMENT_NRR_MART)
    yield dg.MaterializeResult(asset_key=["marts", "alert_candidates"])


def prepare_warehouse(data_dir, firing_accounts: int, nrr: float = 1.05) -> None:
    """usage_ceiling fires for firing_accounts of 1000 (outside the warn band 5%-15% and the
    error band 3%-40% of the seed, quarantined, as dbt places and marks it); seat_saturation
    is fine. Each has one alert candidate."""
    quarantined = not 30 <= firing_accounts <= 400
    warn_band, error_band = (
        "below" if firing_accounts < low else "above" if firing_accounts > high else "inside"
        for low, high in ((50, 150), (30, 400))
    )
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    con.execute("create schema seeds")
    con.execute("create schema marts")
    for relation in SEEDS_READ_AT_NIGHT:
        (seed,) = SEEDS_DIR.rglob(relation.removeprefix("seeds.") + ".csv")
        con.execute(
            f"create table {relation} as select * from read_csv(?, header = true)", [str(seed)]
        )
    con.execute(
        """
        create table marts.calibration_trigger_firing_rates as
        select
            'usage_ceiling' as trigger_id, 'All' as segment, date '2026-05-26' as window_start,
            date '2026-08-23' as window_end, 1000 as eligible_accounts, ? as firing_accounts,
            ? as firings, 50 as expanded_firings, ? / 1000 as firing_rate, 0.5 as precision,
            'at_least' as signal_direction, 0.8 as threshold_value,
            0.95 as suggested_threshold_value, 0.1 as suggested_firing_rate,
            true as is_blocking, ? as is_quarantined, ? as firing_rate_warn_band,
            ? as firing_rate_error_band, 'inside' as precision_warn_band,
            'inside' as precision_error_band
        """,
        [firing_accounts, firing_accounts, firing_accounts, quarantined, warn_band, error_band],
    )
    con.execute(
        """
        create table marts.segment_nrr as select
            'All' as segment, date '2026-10-31' as month_end_date, 40 as cohort_accounts,
            ? as nrr, 1000.0 as starting_arr_usd, 1050.0 as ending_arr_usd
        """,
        [nrr],
    )
    con.execute(
        """
        create table marts.alert_candidates as select * from (values
            ('k1', 'a1', 'Acme', 'SMB', 1000.0, 'usage_ceiling', date '2026-11-20', 0.9, 0.8,
             'usage review', 'tt_usage', 'csm@example.com', date '2026-11-27', ?),
            ('k2', 'a2', 'Bolt', 'SMB', 2000.0, 'seat_saturation', date '2026-11-20', 0.9, 0.85,
             'team growth', 'tt_team', 'csm@example.com', date '2026-11-27', false)
        ) as t(dedupe_key, account_id, account_name, segment, arr_usd, trigger_id, fired_on,
               signal_value, threshold_value, recommended_action, talk_track_id, owner, due_date,
               is_quarantined)
        """,
        [quarantined],
    )
    con.execute(
        "create table marts.alert_briefs as select dedupe_key, 'manager' as persona,"
        " 'Hi, a quick check-in.' as talk_track_text, false as is_held,"
        " cast(null as varchar) as hold_reasons from marts.alert_candidates"
    )
    con.close()


def run_night(data_dir):
    return dg.materialize(
        [
            prepared_marts,
            build_warehouse_checks((TRIGGER_FIRING_RATE, SEGMENT_NRR_RANGE)),
            serving_database,
            alerts_outbox,
        ],
        resources={
            "warehouse": WarehouseResource(
                data_dir=str(data_dir),
                landing_dir=str(data_dir / "landing"),
                as_of_date="2026-11-21",
            )
        },
        raise_on_error=False,
    )


def query(database, sql):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(autouse=True)
def no_webhook(monkeypatch):
    from expansion.alerts import WEBHOOK_URL_ENV

    monkeypatch.delenv(WEBHOOK_URL_ENV, raising=False)


def test_a_trigger_firing_for_45_percent_is_quarantined_and_the_night_publishes(tmp_path):
    prepare_warehouse(tmp_path, firing_accounts=450)

    result = run_night(tmp_path)

    assert result.success
    firing_rate, _nrr = sorted(result.get_asset_check_evaluations(), key=lambda e: e.check_name)
    assert (firing_rate.passed, firing_rate.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert firing_rate.metadata["quarantined"].value == "usage_ceiling"
    serving = tmp_path / "serving.duckdb"
    history = query(
        serving,
        "select severity, remedy from marts.check_results where not passed order by severity",
    )
    assert [severity for severity, _ in history] == ["quarantine", "warn"]
    assert history[0][1].startswith(
        QUARANTINE_NOTICE + "raise threshold of usage_ceiling from 0.8 to 0.95"
    )
    outbox = query(
        tmp_path / "warehouse.duckdb", "select trigger_id, status from alerts.outbox order by 1"
    )
    assert outbox == [("seat_saturation", "pending"), ("usage_ceiling", "held_quarantined")]


def test_a_warned_trigger_publishes_the_history_and_queues_its_alerts(tmp_path):
    prepare_warehouse(tmp_path, firing_accounts=160)  # 16%: above the 5-15% warn band

    result = run_night(tmp_path)

    assert result.success
    serving = tmp_path / "serving.duckdb"
    assert query(serving, "select severity, subject from marts.check_results where not passed") == [
        ("warn", "usage_ceiling · All · 2026-05-26")
    ]
    assert query(tmp_path / "warehouse.duckdb", "select distinct status from alerts.outbox") == [
        ("pending",)
    ]


def test_a_data_integrity_error_still_blocks_publish_and_alerts_but_is_recorded(tmp_path):
    prepare_warehouse(tmp_path, firing_accounts=100, nrr=8.5)
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"yesterday's published marts")

    result = run_night(tmp_path)

    assert not result.success
    errors = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [(e.check_name, e.severity) for e in errors] == [
        ("mart_segment_nrr_range", dg.AssetCheckSeverity.ERROR)
    ]
    assert serving.read_bytes() == b"yesterday's published marts"
    outbox = query(
        tmp_path / "warehouse.duckdb",
        "select count(*) from information_schema.tables where table_schema = 'alerts'",
    )
    assert outbox == [(0,)], "the alerts step must not even queue"
    history = query(
        tmp_path / "warehouse.duckdb",
        "select check_name, severity from quality.check_results where not passed",
    )
    assert history == [("mart_segment_nrr_range", "error")]
