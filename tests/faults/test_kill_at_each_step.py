"""SIGKILL at each step of the night, at the worst moment of each, on components run in a
child process that pauses there (a kill during dbt, through the real job, is in
test_nightly_faults.py). After each kill: what readers see is unchanged, nothing is
half-written, and running the step again converges."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from expansion.alerts import deliver_pending, queue_alerts
from expansion.ingest import ingest_landing_zone
from expansion.publish import Publication, publish_serving_database
from expansion.settings import PROJECT_ROOT

PAUSE = "PAUSED"


@contextmanager
def paused_child(script: str, *args: str) -> Iterator[subprocess.Popen]:
    """Run ``script`` in a child process until it prints PAUSED; SIGKILL it on exit."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        line = child.stdout.readline().strip()
        assert line == PAUSE, line + child.stderr.read()
        yield child
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


INGEST_PAUSED_AROUND_THE_COMMIT = f"""
import sys, time
from pathlib import Path
from expansion.ingest import RawZone, ingest_landing_zone

zone, landing, point = RawZone(Path(sys.argv[1])), Path(sys.argv[2]), sys.argv[3]
commit_ledger, settle = RawZone.commit_ledger, RawZone.settle
settled = []

def pause() -> None:
    print("{PAUSE}", flush=True)
    time.sleep(600)

def commit_after_a_pause(self, source_name, ledger):
    if source_name == "usage_daily":
        pause()  # the new version staged (hidden), the ledger not yet renamed
    commit_ledger(self, source_name, ledger)

def pause_before_settling(self, source_name, loaded):
    settled.append(source_name)
    if settled.count("usage_daily") == 2:
        pause()  # the ledger renamed (committed), the staged files not yet in place
    return settle(self, source_name, loaded)

if point == "before the commit":
    RawZone.commit_ledger = commit_after_a_pause
else:
    RawZone.settle = pause_before_settling
ingest_landing_zone(zone, landing)
"""


@pytest.mark.parametrize("point", ["before the commit", "after the commit"])
def test_ingestion_killed_around_its_commit_keeps_readers_on_the_old_version_and_converges(
    point, zone, raw, landing_copy, facts
):
    corrected = landing_copy / "usage_daily" / "2026-02-27.csv"
    header, *rows = corrected.read_text().splitlines()
    corrected.write_text("\n".join([header, *rows[:-1]]) + "\n")  # one row fewer
    before = facts.snapshot(raw)

    with paused_child(INGEST_PAUSED_AROUND_THE_COMMIT, str(zone.root), str(landing_copy), point):
        pass

    assert facts.snapshot(raw) == before, "readers still see the old version, whole"
    (result,) = [r for r in ingest_landing_zone(zone, landing_copy) if r.files_loaded] or [None]
    if point == "before the commit":  # the batch never happened: it loads now
        assert (result.source, result.files_loaded, result.rows_loaded) == (
            "usage_daily",
            1,
            len(rows) - 1,
        )
    else:  # the batch was committed: the next run only puts its files in place
        assert result is None
    day = raw.execute(
        "select count(*) from raw.usage_daily where _source_file = 'usage_daily/2026-02-27.csv'"
    ).fetchone()
    assert day == (len(rows) - 1,)
    assert facts.gaps(raw) == []
    assert not [path.name for path in zone.root.rglob(".*")]


PUBLISH_PAUSED_BEFORE_THE_RENAME = f"""
import sys, time
from pathlib import Path
import expansion.publish as publish

record = publish._record_publication
def record_then_pause(con, schema, publication):
    record(con, schema, publication)
    print("{PAUSE}", flush=True)  # every table copied into the new file, not yet swapped in
    time.sleep(600)
publish._record_publication = record_then_pause
publish.publish_serving_database(
    Path(sys.argv[1]), Path(sys.argv[2]), publish.Publication(as_of_date=None, run_id="killed")
)
"""


def make_warehouse(path: Path, accounts: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute(
            "create or replace table marts.account_profiles as"
            " select 'acc_' || i as account_id from range(?) as t(i)",
            [accounts],
        )


def published(serving: Path) -> list[tuple]:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(
            "select (select count(*) from marts.account_profiles), run_id"
            " from marts.serving_publication"
        ).fetchall()


def test_publishing_killed_before_the_swap_leaves_serving_as_it_was_and_the_next_run_publishes(
    tmp_path,
):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, accounts=3)
    publish_serving_database(warehouse, serving, Publication(as_of_date=None, run_id="night 1"))
    make_warehouse(warehouse, accounts=5)
    before = serving.read_bytes()

    with paused_child(PUBLISH_PAUSED_BEFORE_THE_RENAME, str(warehouse), str(serving)):
        assert published(serving) == [(3, "night 1")], "a reader opens the old version"

    assert serving.read_bytes() == before
    assert published(serving) == [(3, "night 1")]
    publish_serving_database(warehouse, serving, Publication(as_of_date=None, run_id="night 2"))
    assert published(serving) == [(5, "night 2")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "warehouse.duckdb"]


ALERTS_PAUSED_BETWEEN_TWO_POSTS = f"""
import datetime as dt, sys, time
import duckdb
from expansion.alerts import deliver_pending, http_post

posted = []
def post_then_pause(url, body):
    if posted:
        print("{PAUSE}", flush=True)  # the first alert is sent and recorded, the second not
        time.sleep(600)
    http_post(url, body)
    posted.append(body)
con = duckdb.connect(sys.argv[1])
deliver_pending(con, sys.argv[2], lambda: dt.datetime(2026, 11, 22, 2), post=post_then_pause)
"""


def test_alert_delivery_killed_between_two_posts_loses_nothing_and_sends_nothing_twice(
    tmp_path, webhook
):
    import datetime as dt

    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.alert_candidates as select
                'key_' || i as dedupe_key, 'acc_' || i as account_id, 'Acme ' || i as account_name,
                'SMB' as segment, 1000.0 as arr_usd, 'usage_ceiling' as trigger_id,
                date '2026-11-20' as fired_on, 0.9 as signal_value, 0.8 as threshold_value,
                'usage review' as recommended_action, 'tt_usage' as talk_track_id,
                'csm@example.com' as owner, date '2026-11-27' as due_date,
                false as is_quarantined
            from range(3) as t(i)
            """
        )
        con.execute(
            "create table marts.alert_briefs as select dedupe_key, 'manager' as persona,"
            " 'Hi, a quick check-in.' as talk_track_text, false as is_held,"
            " cast(null as varchar) as hold_reasons from marts.alert_candidates"
        )
        queue_alerts(con, dt.datetime(2026, 11, 22, 2))

    with paused_child(ALERTS_PAUSED_BETWEEN_TWO_POSTS, str(warehouse), webhook.url):
        pass

    with duckdb.connect(str(warehouse)) as con:
        statuses = con.execute(
            "select status, count(*) from alerts.outbox group by status order by status"
        ).fetchall()
        assert statuses == [("pending", 2), ("sent", 1)]
        report = deliver_pending(con, webhook.url, lambda: dt.datetime(2026, 11, 23, 2))
    assert (report.sent, report.failed) == (2, 0)
    assert len(webhook.received) == 3 == len({m["text"] for m in webhook.received})


DASHBOARDS_PAUSED_WHILE_RENDERING = f"""
import sys, time
from pathlib import Path
import orchestration.defs.serving as serving
from orchestration.resources import WarehouseResource

render = serving.render_site
def render_then_pause(**kwargs):
    report = render(**kwargs)
    print("{PAUSE}", flush=True)  # the new site is written beside the old one, not swapped in
    time.sleep(600)
serving.render_site = render_then_pause
data_dir = str(Path(sys.argv[1]))
serving.dashboard_site(warehouse=WarehouseResource(data_dir=data_dir, landing_dir=data_dir))
"""


def test_dashboards_killed_while_rendering_leave_the_old_site_and_the_next_run_replaces_it(
    tmp_path,
):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last night's dashboards")
    with duckdb.connect(str(tmp_path / "serving.duckdb")) as con:
        con.execute("create schema marts")

    with paused_child(DASHBOARDS_PAUSED_WHILE_RENDERING, str(tmp_path)):
        assert (tmp_path / "site.rendering" / "index.html").exists()

    assert (site / "index.html").read_text() == "last night's dashboards"
    from orchestration.defs.serving import dashboard_site
    from orchestration.resources import WarehouseResource

    dashboard_site(warehouse=WarehouseResource(data_dir=str(tmp_path), landing_dir=str(tmp_path)))
    assert "last night's dashboards" not in (site / "index.html").read_text()
    assert not (tmp_path / "site.rendering").exists()
