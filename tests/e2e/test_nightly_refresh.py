"""The nightly job end to end, through the real `expansion demo` and `expansion refresh`
commands; alerts go to a local webhook that records every post. What happens when a night
goes wrong - a failed check, a killed run, a re-run, a reader during the run, two refreshes
at once, a failing webhook - is tested on a smaller company in tests/faults/; a calibration
breach, which quarantines a trigger only on a book of 500+ accounts, is tested here."""

from __future__ import annotations

import csv
import subprocess
import sys

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from expansion.contract import SOURCES_BY_NAME
from expansion.generator import GeneratorConfig
from expansion.generator.writer import CSV_OPTIONS
from expansion.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e


def query(database, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def outbox(database) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select dedupe_key, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()


def test_first_refresh_publishes_marts_and_renders_the_overview(company):
    warehouse = company.data_dir / "warehouse.duckdb"
    serving = company.data_dir / "serving.duckdb"
    accounts_loaded = query(warehouse, "select count(*) from raw.accounts")
    rows_rejected = query(
        warehouse,
        "select count(distinct (source, source_file, source_row_number)) from raw._rejects",
    )

    assert 0 < accounts_loaded <= GeneratorConfig().accounts
    assert query(serving, "select count(*) from marts.dim_accounts") == accounts_loaded
    assert rows_rejected > 0, "the generator plants defects; ingestion must reject them"
    assert f"rows rejected: {rows_rejected:,}" in company.first_refresh.stdout
    assert "serving database:" in company.first_refresh.stdout
    index = company.data_dir / "site" / "index.html"
    assert "Overview" in index.read_text()


def test_the_first_night_posts_each_alert_once_and_holds_a_quarantined_triggers(company):
    """Every alert is posted once, except those of a trigger the night's calibration
    quarantined: held in the outbox, never posted."""
    warehouse = company.data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        alerts = con.execute(
            "select trigger_id, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()
        quarantined = {
            trigger_id
            for (trigger_id,) in con.execute(
                "select trigger_id from marts.calibration_trigger_firing_rates where is_quarantined"
            ).fetchall()
        }
    posted = company.first_night_posts

    assert alerts, "the demo company raises alerts on its last night"
    sent = [a for a in alerts if a[0] not in quarantined]
    held = [a for a in alerts if a[0] in quarantined]
    assert {(status, attempts) for _, status, attempts in sent} == {("sent", 1)}
    assert {(status, attempts) for _, status, attempts in held} <= {("held_quarantined", 0)}
    assert len(posted) == len(sent)
    assert len(set(posted)) == len(posted)
    assert not [text for text in posted for trigger in quarantined if f"`{trigger}`" in text]


def compliance_terms() -> set[str]:
    """The ticket tags compliance_ask listens to (its registry row's match_terms)."""
    with (PROJECT_ROOT / "seeds" / "trigger_registry.csv").open(newline="") as registry:
        (row,) = [r for r in csv.DictReader(registry) if r["trigger_id"] == "compliance_ask"]
    return {term.strip() for term in row["match_terms"].split(";") if term.strip()}


def track_compliance_asks_from(landing, first_day: str) -> int:
    """The support export starts tagging compliance requests on ``first_day``: every ticket
    created since then carries ``saml``, none before carries any compliance tag (a newly
    tracked signal). The file is rewritten as the generator writes it (text, nulls as empty
    unquoted fields)."""
    terms = compliance_terms()
    path = landing / "support_tickets" / "support_tickets.csv"
    names = SOURCES_BY_NAME["support_tickets"].column_names
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
        ),
    )
    tickets = table.to_pandas()
    kept = (
        tickets["tags"]
        .fillna("")
        .str.split(";")
        .map(lambda tags: [t for t in tags if t and t not in terms])
    )
    recent = tickets["created_at"].fillna("") >= first_day
    tickets["tags"] = [
        ";".join([*tags, "saml"] if is_recent else tags) or None
        for tags, is_recent in zip(kept, recent, strict=True)
    ]
    pacsv.write_csv(
        pa.Table.from_pandas(tickets, preserve_index=False).cast(table.schema),
        path,
        CSV_OPTIONS,
    )
    return int(recent.sum())


def test_a_trigger_that_never_fired_in_the_backtest_is_quarantined_and_the_night_publishes(
    company_copy, refresh, session_webhook
):
    """A company that started tagging SAML requests a week ago: compliance_ask never fired in
    the backtest window (0% - below the 3% error bound on 776 eligible accounts), but fires
    this week. The night publishes (exit 0), compliance_ask is quarantined and its new alerts
    are held; nothing already sent goes out again, and `expansion check` says what to change
    without failing."""
    warehouse = company_copy.data_dir / "warehouse.duckdb"
    serving = company_copy.data_dir / "serving.duckdb"
    published_before = query(serving, "select published_at from marts.serving_publication")
    posts_before = len(session_webhook.received)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sent_before = con.execute(
            "select count(*) from alerts.outbox where status = 'sent'"
        ).fetchone()[0]
    assert track_compliance_asks_from(company_copy.landing, "2026-11-15") > 0

    result = refresh(company_copy, timeout=900)

    assert result.returncode == 0, result.stdout + result.stderr
    (quarantined,) = [
        line for line in result.stdout.splitlines() if line.startswith("quarantined:")
    ]
    assert "compliance_ask" in quarantined
    assert query(serving, "select published_at from marts.serving_publication") > published_before
    with duckdb.connect(str(serving), read_only=True) as con:
        reason, firing_rate = con.execute(
            "select quarantine_reason, firing_rate from marts.calibration_trigger_firing_rates"
            " where trigger_id = 'compliance_ask' and segment = 'All'"
        ).fetchone()
        recent_firings = con.execute(
            "select count(*), bool_and(is_quarantined) from marts.trigger_firings"
            " where trigger_id = 'compliance_ask' and fired_on >= date '2026-11-15'"
        ).fetchone()
        remedy = con.execute(
            "select remedy from marts.check_results where severity = 'quarantine'"
            " and trigger_id = 'compliance_ask' and not passed"
        ).fetchone()[0]
    assert (reason, float(firing_rate)) == ("too_restrictive", 0.0)
    assert recent_firings[0] > 0 and recent_firings[1]
    assert "check event tracking: compliance_ask fired for 0 of" in remedy
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = con.execute(
            "select count(*) from alerts.outbox"
            " where trigger_id = 'compliance_ask' and status = 'held_quarantined'"
        ).fetchone()[0]
        sent_after = con.execute(
            "select count(*) from alerts.outbox where status = 'sent'"
        ).fetchone()[0]
    assert held > 0, "the week's compliance_ask alerts wait in the outbox"
    assert sent_after == sent_before
    assert not [
        m["text"] for m in session_webhook.received[posts_before:] if "compliance_ask" in m["text"]
    ]
    check = subprocess.run(
        [sys.executable, "-m", "expansion.cli", "check", "--data-dir", str(company_copy.data_dir)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "compliance_ask · All" in check.stdout and "quarantine" in check.stdout
