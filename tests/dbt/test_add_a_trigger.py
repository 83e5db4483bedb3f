"""The "Adding a trigger" recipe of the README works, end to end.

The dbt project (models, seeds, macros, dbt_project, tests/dbt) is copied to a
temporary folder; the recipe is applied there - one trigger model
``trg_api_burst`` (API calls on the day at or above the threshold), one row in
``seeds/trigger_registry.csv`` and its ``-- depends_on`` line in
``int_trigger_evaluations`` - and the copy is built (one dbt invocation) on a
tiny generated company. The new trigger's firings in ``trigger_firings`` must
be exactly the rising edges of "api_calls >= threshold" with the 30-day
cooldown, computed here in Python from the raw rows, and the registry
consistency test must pass. The backtest's threshold sweep picks the new
trigger up too: its firings at a candidate threshold are the same rising
edges at that threshold.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.generator import GeneratorConfig, generate
from expansion.ingest import RawZone, attach_raw_zone, ingest_landing_zone

REPO_ROOT = Path(__file__).resolve().parents[2]
COPIED = ("models", "seeds", "macros", "dbt_project", "tests/dbt")
COOLDOWN_DAYS = 30

TRIGGER_MODEL = """\
{#- api_burst: API calls on the day at or above the threshold. -#}
with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

thresholds as (

    {{ trigger_thresholds('api_burst') }}

),

final as (

    select
        usage.account_id,
        usage.usage_date as evaluated_on,
        cast(usage.api_calls as decimal(18, 4)) as signal_value,
        thresholds.threshold_value
    from usage
    cross join thresholds
    where
        usage.api_calls >= thresholds.threshold_value
        and usage.usage_date between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
"""


def _copy_project(root: Path) -> Path:
    for relative in COPIED:
        shutil.copytree(
            REPO_ROOT / relative,
            root / relative,
            ignore=shutil.ignore_patterns("target", "logs", "__pycache__", "*.duckdb"),
        )
    return root / "dbt_project"


def _add_trigger(root: Path, threshold: int) -> None:
    (root / "models/intermediate/triggers/trg_api_burst.sql").write_text(TRIGGER_MODEL)
    registry = root / "seeds/trigger_registry.csv"
    with registry.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    new_row = dict(rows[0])
    new_row.update(
        trigger_id="api_burst",
        description="API calls burst",
        signal="API calls on the day",
        threshold_value=f"{threshold}.0000",
        threshold_unit="api_calls",
        signal_direction="at_least",
        window_value="",
        window_unit="",
        match_terms="",
        response="Usage review",
        talk_track_id="tt_usage_review",
        cooldown_days=str(COOLDOWN_DAYS),
    )
    with registry.open("a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n").writerow(new_row)
    union = root / "models/intermediate/triggers/int_trigger_evaluations.sql"
    text = union.read_text()
    anchor = "-- depends_on: {{ ref('trg_api_growth') }}\n"
    assert anchor in text
    union.write_text(text.replace(anchor, anchor + "-- depends_on: {{ ref('trg_api_burst') }}\n"))


def _expected_firings(usage: list[tuple[str, dt.date, int]], threshold: float) -> set[tuple]:
    """Rising edges of api_calls >= threshold, then a greedy 30-day cooldown."""
    days: dict[str, set[dt.date]] = {}
    for account_id, usage_date, api_calls in usage:
        if api_calls is not None and api_calls >= threshold:
            days.setdefault(account_id, set()).add(usage_date)
    firings = set()
    for account_id, true_days in days.items():
        last_fired = None
        for day in sorted(true_days):
            is_edge = day - dt.timedelta(days=1) not in true_days
            if is_edge and (last_fired is None or (day - last_fired).days >= COOLDOWN_DAYS):
                firings.add((account_id, day))
                last_fired = day
    return firings


USAGE_QUERY = (
    "select account_id, usage_date, api_calls from intermediate.int_product_usage_account_daily"
)


def _query(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse))
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("add_a_trigger")
    landing = root / "landing"
    generate(
        GeneratorConfig(
            accounts=25,
            days=200,
            seed=5,
            end_date=dt.date(2026, 11, 21),
            out=landing,
            defect_rate=0.0,
        )
    )
    warehouse, zone = root / "warehouse.duckdb", RawZone(root / "raw")
    ingest_landing_zone(zone, landing)
    con = duckdb.connect()
    try:
        attach_raw_zone(con, zone)
        threshold = int(
            con.execute("select quantile_disc(api_calls, 0.9) from raw.usage_daily").fetchall()[0][
                0
            ]
        )
    finally:
        con.close()
    project = _copy_project(root)
    _add_trigger(root, threshold)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
        env.setenv("EXPANSION_RAW_DIR", str(zone.root))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir", str(project),
                "--profiles-dir", str(project),
                "--select", "+trigger_firings",
                "assert_every_enabled_trigger_has_a_model_and_vice_versa",
                "--indirect-selection", "empty",
                "--no-partial-parse",
                "--quiet",
            ]
        )  # fmt: skip
    assert result.exception is None, result.exception
    assert result.success, [(r.node.unique_id, r.message) for r in result.result if r.message]
    return warehouse, threshold


def test_the_new_trigger_fires_on_its_rising_edges_with_the_cooldown(
    built_copy: tuple[Path, int],
) -> None:
    warehouse, threshold = built_copy
    usage = _query(warehouse, USAGE_QUERY)
    fired = _query(
        warehouse,
        "select account_id, fired_on, signal_value, threshold_value"
        " from marts.trigger_firings where trigger_id = 'api_burst'",
    )
    expected = _expected_firings(usage, threshold)
    assert expected, "the threshold must let the new trigger fire at least once"
    assert {(account_id, fired_on) for account_id, fired_on, _, _ in fired} == expected
    assert all(signal >= threshold == threshold_value for _, _, signal, threshold_value in fired)


def test_the_new_trigger_is_swept_at_the_candidate_thresholds(
    built_copy: tuple[Path, int],
) -> None:
    """The candidate at 0.8 x the threshold (a threshold_sweep scale; api_calls has no
    threshold_step, so no rounding), evaluated from evaluated_from (the as-of date less the
    90-day horizon, the 90-day window and the 30-day cooldown: before the 200 days of data)
    through the window's last day (the as-of date less the horizon): its firings are the
    rising edges at the candidate up to that day."""
    warehouse, threshold = built_copy
    candidate = Decimal(threshold) * Decimal("0.8")
    usage = _query(warehouse, USAGE_QUERY)
    fired = _query(
        warehouse,
        "select account_id, fired_on from intermediate.int_trigger_threshold_firings"
        " where trigger_id = 'api_burst' and threshold_value = ? and not is_current_threshold",
        [candidate],
    )
    window_end = max(day for _, day, _ in usage) - dt.timedelta(days=90)
    usage_to_window_end = [row for row in usage if row[1] <= window_end]
    expected = _expected_firings(usage_to_window_end, candidate)
    assert expected, "the candidate must fire at least once"
    assert expected != _expected_firings(usage_to_window_end, threshold), "must differ"
    assert set(fired) == expected
