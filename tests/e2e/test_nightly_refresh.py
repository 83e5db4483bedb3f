"""The nightly job end to end, through the real `expansion demo` and `expansion refresh`
commands; alerts go to a local webhook that records every post. What happens when a night
goes wrong - a failed check, a killed run, a re-run, a reader during the run, two refreshes
at once, a failing webhook - is tested on a smaller company in tests/faults/; a calibration
breach, which quarantines a trigger only on a book of 500+ accounts, is tested here."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from expansion.generator import GeneratorConfig
from expansion.ingest import RawZone, attach_raw_zone
from expansion.settings import PROJECT_ROOT
from tests.e2e.conftest import COMPLIANCE_TAGS_FROM

pytestmark = pytest.mark.e2e


def query(database, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def query_raw(data_dir, sql: str):
    """``sql`` over the data directory's raw zone, which DuckDB reads as ``raw.<source>``."""
    with duckdb.connect() as con:
        attach_raw_zone(con, RawZone(data_dir / "raw"))
        return con.execute(sql).fetchone()[0]


def outbox(database) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select dedupe_key, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()


def test_first_refresh_publishes_marts_and_renders_the_overview(company):
    serving = company.data_dir / "serving.duckdb"
    accounts_loaded = query_raw(company.data_dir, "select count(*) from raw.accounts")
    rows_rejected = query_raw(
        company.data_dir,
        "select count(distinct (source, source_file, source_row_number)) from raw._rejects",
    )

    assert 0 < accounts_loaded <= GeneratorConfig().accounts
    assert query(serving, "select count(*) from marts.account_profiles") == accounts_loaded
    assert rows_rejected > 0, "the generator plants defects; ingestion must reject them"
    assert f"rows rejected: {rows_rejected:,}" in company.first_refresh.stdout
    assert "serving database:" in company.first_refresh.stdout
    index = company.data_dir / "site" / "index.html"
    assert "Overview" in index.read_text()
    # the code and seeds the warehouse was built from, for the next night to compare
    fingerprint = json.loads((company.data_dir / "build_fingerprint.json").read_text())
    assert "seed.expansion.trigger_registry" in fingerprint["nodes"]


def test_the_first_night_posts_each_alert_once_and_holds_a_quarantined_triggers(company):
    """Every alert is posted once, with its filled-in talk track, except those of a trigger
    the night's calibration quarantined or of an account under an outreach hold: held in the
    outbox, never posted."""
    warehouse = company.data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        alerts = con.execute(
            "select trigger_id, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()
        outreach_held = con.execute(
            "select count(*) from alerts.outbox where status = 'held_outreach'"
            " and hold_reasons is not null and talk_track_text is not null"
        ).fetchone()[0]
        quarantined = {
            trigger_id
            for (trigger_id,) in con.execute(
                "select trigger_id from marts.calibration_trigger_firing_rates where is_quarantined"
            ).fetchall()
        }
    posted = company.first_night_posts

    assert alerts, "the demo company raises alerts on its last night"
    sent = [a for a in alerts if a[0] not in quarantined and a[1] != "held_outreach"]
    held = [a for a in alerts if a[0] in quarantined]
    assert {(status, attempts) for _, status, attempts in sent} == {("sent", 1)}
    assert {(status, attempts) for _, status, attempts in held} <= {("held_quarantined", 0)}
    assert outreach_held == len(alerts) - len(sent) - len(held)
    assert len(posted) == len(sent)
    assert all("Talk track (" in text for text in posted)
    assert len(set(posted)) == len(posted)
    assert not [text for text in posted for trigger in quarantined if f"`{trigger}`" in text]


def test_a_trigger_that_never_fired_in_the_backtest_is_quarantined_and_the_night_publishes(
    company,
):
    """The demo company's support team tags compliance requests only from 2026-11-15
    (COMPLIANCE_TAGS_FROM, a generator option): compliance_ask never fired in the backtest
    window (0% of 700+ eligible accounts, below the 3% bound) but fires this week. The first
    night published (exit 0) with compliance_ask quarantined and its firings marked; any alert
    of it is held, none is posted (on this company the week's firings fall on accounts that
    did not pass their readiness gate that day, so none is due: holding and releasing are
    pinned by tests/orchestration/test_calibration_quarantine.py on a Dagster run); and
    `expansion check` says what to change without failing."""
    warehouse = company.data_dir / "warehouse.duckdb"
    serving = company.data_dir / "serving.duckdb"
    (quarantined,) = [
        line
        for line in company.first_refresh.stdout.splitlines()
        if line.startswith("quarantined:")
    ]
    with duckdb.connect(str(serving), read_only=True) as con:
        reason, firing_rate, eligible = con.execute(
            "select quarantine_reason, firing_rate, eligible_accounts"
            " from marts.calibration_trigger_firing_rates"
            " where trigger_id = 'compliance_ask' and segment = 'All'"
        ).fetchone()
        recent_firings = con.execute(
            "select count(*), bool_and(is_quarantined) from marts.trigger_firings"
            f" where trigger_id = 'compliance_ask' and fired_on >= date '{COMPLIANCE_TAGS_FROM}'"
        ).fetchone()
        remedy = con.execute(
            "select remedy from marts.check_results where severity = 'quarantine'"
            " and trigger_id = 'compliance_ask' and not passed"
        ).fetchone()[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = {
            status
            for (status,) in con.execute(
                "select status from alerts.outbox where trigger_id = 'compliance_ask'"
            ).fetchall()
        }

    assert company.first_refresh.returncode == 0
    assert "compliance_ask" in quarantined
    assert (reason, float(firing_rate)) == ("too_restrictive", 0.0) and eligible >= 500
    assert recent_firings[0] > 0 and recent_firings[1]
    assert "check event tracking: compliance_ask fired for 0 of" in remedy
    assert statuses <= {"held_quarantined"}
    assert not [text for text in company.first_night_posts if "compliance_ask" in text]
    check = subprocess.run(
        [sys.executable, "-m", "expansion.cli", "check", "--data-dir", str(company.data_dir)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "compliance_ask · All" in check.stdout and "quarantine" in check.stdout
