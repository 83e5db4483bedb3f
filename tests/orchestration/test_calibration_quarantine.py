"""A calibration error holds the night back: no publish, no alerts, but the history records it.

The real check step, serving asset and alerts asset run in-process against a
prepared warehouse; a stand-in for the dbt step "builds" the calibration mart
(the tables are made by hand), so no dbt runs and the test takes seconds.
"""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from data_quality.calibration_suite import TRIGGER_FIRING_RATE
from expansion.settings import PROJECT_ROOT
from orchestration.defs.alerts import alerts_outbox
from orchestration.defs.quality import build_warehouse_checks
from orchestration.defs.serving import serving_database
from orchestration.resources import WarehouseResource

BOUNDS_SEED = PROJECT_ROOT / "seeds" / "calibration_bounds.csv"
CALIBRATION_MART = dg.AssetKey(["marts", "calibration_trigger_firing_rates"])


@dg.multi_asset(specs=[dg.AssetSpec(CALIBRATION_MART), dg.AssetSpec(["marts", "alert_candidates"])])
def prepared_marts():
    """Stands in for the dbt step: the marts were written by the test."""
    yield dg.MaterializeResult(asset_key=CALIBRATION_MART)
    yield dg.MaterializeResult(asset_key=["marts", "alert_candidates"])


def prepare_warehouse(data_dir, firing_accounts: int) -> None:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    con.execute("create schema seeds")
    con.execute("create schema marts")
    con.execute(
        "create table seeds.calibration_bounds as select * from read_csv(?, header = true)",
        [str(BOUNDS_SEED)],
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
            true as is_blocking
        """,
        [firing_accounts, firing_accounts, firing_accounts],
    )
    con.execute(
        """
        create table marts.alert_candidates as select
            'k1' as dedupe_key, 'a1' as account_id, 'Acme' as account_name, 'SMB' as segment,
            1000.0 as arr_usd, 'usage_ceiling' as trigger_id, date '2026-11-20' as fired_on,
            0.9 as signal_value, 0.8 as threshold_value, 'usage review' as recommended_action,
            'tt_usage' as talk_track_id, 'csm@example.com' as owner, date '2026-11-27' as due_date
        """
    )
    con.close()


def run_night(data_dir):
    return dg.materialize(
        [
            prepared_marts,
            build_warehouse_checks((TRIGGER_FIRING_RATE,)),
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


def test_a_trigger_firing_for_45_percent_blocks_publish_and_alerts_but_is_recorded(tmp_path):
    prepare_warehouse(tmp_path, firing_accounts=450)
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"yesterday's published marts")

    result = run_night(tmp_path)

    assert not result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert serving.read_bytes() == b"yesterday's published marts"
    warehouse = tmp_path / "warehouse.duckdb"
    outbox = query(
        warehouse,
        "select count(*) from information_schema.tables where table_schema = 'alerts'",
    )
    assert outbox == [(0,)], "the alerts step must not even queue"
    history = query(
        warehouse,
        "select severity, passed, remedy from quality.check_results "
        "where not passed order by severity",
    )
    assert [(s, p) for s, p, _ in history] == [("error", False), ("warn", False)]
    assert history[0][2].startswith("raise threshold of usage_ceiling from 0.8 to 0.95")
    assert (tmp_path / "data_docs" / "index.html").exists()


@pytest.mark.parametrize(
    ("firing_accounts", "failed"),
    [(100, []), (160, [("warn", "usage_ceiling · All · 2026-05-26")])],
    ids=["fires-for-10%", "fires-for-16%-warns"],
)
def test_a_calibrated_or_warned_trigger_publishes_the_history_and_queues_alerts(
    tmp_path, firing_accounts, failed
):
    prepare_warehouse(tmp_path, firing_accounts=firing_accounts)

    result = run_night(tmp_path)

    assert result.success
    serving = tmp_path / "serving.duckdb"
    # the warn and the error band of the one 'All' row, each recorded and published
    assert query(serving, "select count(*) from marts.check_results") == [(2,)]
    assert (
        query(serving, "select severity, subject from marts.check_results where not passed")
        == failed
    )
    assert query(tmp_path / "warehouse.duckdb", "select status from alerts.outbox") == [
        ("pending",)
    ]
