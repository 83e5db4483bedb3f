"""The alerts outbox queues each alert once and delivers it once, with retries; the alerts
of a quarantined trigger, or of an account under an outreach hold, are held, and released
once neither holds them; every alert carries its filled-in talk track."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from expansion.alerts import OUTBOX_DDL, deliver_pending, queue_alerts

NIGHT = dt.datetime(2026, 11, 21, 2, 0)


def clock() -> dt.datetime:
    return NIGHT


def no_sleep(_seconds: float) -> None:
    pass


@pytest.fixture
def warehouse():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.alert_candidates as
        select * from (values
            ('k-acme-seat', 'acc_1', 'Acme', 'Enterprise', 120000.00, 'seat_saturation',
             date '2026-11-20', 0.9100, 0.8500, 'Team growth discussion', 'tt_team_growth',
             'csm_1 + ae_1', date '2026-11-27', false),
            ('k-bolt-usage', 'acc_2', 'Bolt', 'SMB', 9000.00, 'usage_ceiling',
             date '2026-11-21', 0.8400, 0.8000, 'Usage review', 'tt_usage_review',
             'csm_2', date '2026-11-28', false)
        ) as t(dedupe_key, account_id, account_name, segment, arr_usd, trigger_id, fired_on,
               signal_value, threshold_value, recommended_action, talk_track_id, owner, due_date,
               is_quarantined)
        """
    )
    con.execute(
        """
        create table marts.alert_briefs as
        select * from (values
            ('k-acme-seat', 'buyer', 'Hi Ana, 91% of your paid seats were active for 14 days.',
             false, cast(null as varchar)),
            ('k-bolt-usage', 'operator', 'Hi Bo, you are at 84% of a plan limit.', false, null)
        ) as t(dedupe_key, persona, talk_track_text, is_held, hold_reasons)
        """
    )
    yield con
    con.close()


def statuses(con) -> dict[str, tuple[str, int]]:
    rows = con.execute("select dedupe_key, status, attempts from alerts.outbox").fetchall()
    return {key: (status, attempts) for key, status, attempts in rows}


def test_queueing_the_same_night_twice_adds_nothing(warehouse):
    assert queue_alerts(warehouse, NIGHT) == 2
    assert queue_alerts(warehouse, NIGHT) == 0
    alert_ids = [r[0] for r in warehouse.execute("select alert_id from alerts.outbox").fetchall()]
    assert sorted(alert_ids) == ["alert_k-acme-seat", "alert_k-bolt-usage"]


def test_without_a_webhook_alerts_wait_in_the_outbox(warehouse):
    queue_alerts(warehouse, NIGHT)
    report = deliver_pending(warehouse, None, clock)
    assert (report.sent, report.pending) == (0, 2)
    assert statuses(warehouse) == {"k-acme-seat": ("pending", 0), "k-bolt-usage": ("pending", 0)}


def test_each_alert_is_posted_once_even_when_the_night_is_rerun(warehouse, webhook):
    queue_alerts(warehouse, NIGHT)
    first = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)
    queue_alerts(warehouse, NIGHT)
    second = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (first.sent, second.sent) == (2, 0)
    assert len(webhook.received) == 2
    acme = next(m["text"] for m in webhook.received if "Acme" in m["text"])
    assert "$120,000" in acme
    assert "seat_saturation" in acme
    assert "signal 0.9100 vs threshold 0.8500" in acme
    assert "Owner: csm_1 + ae_1" in acme
    assert "by 2026-11-27" in acme
    assert "Talk track (buyer): Hi Ana, 91% of your paid seats were active for 14 days." in acme
    assert "tt_team_growth" not in acme
    assert statuses(warehouse) == {"k-acme-seat": ("sent", 1), "k-bolt-usage": ("sent", 1)}


def test_transient_failures_are_retried_with_backoff(warehouse, webhook):
    webhook.failures_to_answer = [503, 429]
    waits: list[float] = []
    queue_alerts(warehouse, NIGHT)

    report = deliver_pending(
        warehouse, webhook.url, clock, max_attempts=3, backoff_seconds=0.5, sleep=waits.append
    )

    assert report.sent == 2
    assert waits == [0.5, 1.0]  # the first alert needed three tries
    assert statuses(warehouse)["k-acme-seat"] == ("sent", 3)


def test_a_permanent_failure_is_recorded_and_retried_the_next_night(warehouse, webhook):
    webhook.failures_to_answer = [404]
    queue_alerts(warehouse, NIGHT)

    first = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)
    error = warehouse.execute(
        "select last_error from alerts.outbox where dedupe_key = 'k-acme-seat'"
    ).fetchone()[0]
    second = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (first.sent, first.failed) == (1, 1)
    assert error == "HTTP 404 from the webhook"
    assert (second.sent, second.failed) == (1, 0)
    assert len(webhook.received) == 2


def test_an_unreachable_webhook_fails_after_its_attempts(warehouse, webhook):
    queue_alerts(warehouse, NIGHT)
    closed_port = "http://127.0.0.1:9/nothing-listens-here"

    report = deliver_pending(warehouse, closed_port, clock, max_attempts=2, sleep=no_sleep)

    assert report.failed == 2
    assert statuses(warehouse) == {"k-acme-seat": ("failed", 2), "k-bolt-usage": ("failed", 2)}


def quarantine(con, trigger_id: str, quarantined: bool = True) -> None:
    con.execute(
        "update marts.alert_candidates set is_quarantined = ? where trigger_id = ?",
        [quarantined, trigger_id],
    )


def test_a_quarantined_triggers_alerts_are_held_not_sent(warehouse, webhook):
    quarantine(warehouse, "usage_ceiling")
    queue_alerts(warehouse, NIGHT)

    report = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (report.sent, report.held) == (1, 1)
    assert [m["text"] for m in webhook.received if "usage_ceiling" in m["text"]] == []
    assert statuses(warehouse) == {
        "k-acme-seat": ("sent", 1),
        "k-bolt-usage": ("held_quarantined", 0),
    }


def test_a_held_alert_is_sent_once_its_trigger_is_recalibrated(warehouse, webhook):
    quarantine(warehouse, "usage_ceiling")
    queue_alerts(warehouse, NIGHT)
    deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)
    quarantine(warehouse, "usage_ceiling", quarantined=False)  # the next night

    queue_alerts(warehouse, NIGHT)
    report = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (report.sent, report.held) == (1, 0)
    assert statuses(warehouse)["k-bolt-usage"] == ("sent", 1)
    assert len(webhook.received) == 2


def test_an_unsent_alert_is_held_when_its_trigger_becomes_quarantined(warehouse):
    queue_alerts(warehouse, NIGHT)  # no webhook: both wait
    quarantine(warehouse, "seat_saturation")  # the next night

    queue_alerts(warehouse, NIGHT)

    assert statuses(warehouse) == {
        "k-acme-seat": ("held_quarantined", 0),
        "k-bolt-usage": ("pending", 0),
    }


def hold_outreach(con, dedupe_key: str, reasons: str | None) -> None:
    con.execute(
        "update marts.alert_briefs set is_held = ?, hold_reasons = ? where dedupe_key = ?",
        [reasons is not None, reasons, dedupe_key],
    )


def test_an_alert_of_an_account_under_an_outreach_hold_is_held_with_its_reason(warehouse, webhook):
    hold_outreach(warehouse, "k-bolt-usage", "No one has spoken to the account for 60 days")
    queue_alerts(warehouse, NIGHT)

    report = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (report.sent, report.held, report.held_outreach) == (1, 0, 1)
    assert [m["text"] for m in webhook.received if "Bolt" in m["text"]] == []
    assert warehouse.execute(
        "select status, hold_reasons, talk_track_text from alerts.outbox"
        " where dedupe_key = 'k-bolt-usage'"
    ).fetchone() == (
        "held_outreach",
        "No one has spoken to the account for 60 days",
        "Hi Bo, you are at 84% of a plan limit.",
    )


def test_an_alert_held_for_outreach_is_sent_once_the_hold_lifts(warehouse, webhook):
    hold_outreach(warehouse, "k-bolt-usage", "The last days of our own fiscal quarter")
    queue_alerts(warehouse, NIGHT)
    deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)
    hold_outreach(warehouse, "k-bolt-usage", None)  # the next night: the quarter turned

    queue_alerts(warehouse, NIGHT)
    report = deliver_pending(warehouse, webhook.url, clock, sleep=no_sleep)

    assert (report.sent, report.held_outreach) == (1, 0)
    assert statuses(warehouse)["k-bolt-usage"] == ("sent", 1)


def test_an_outbox_from_before_the_talk_tracks_gains_their_columns(warehouse):
    warehouse.execute("create schema alerts")
    warehouse.execute(OUTBOX_DDL)  # the outbox as its first version created it

    queue_alerts(warehouse, NIGHT)

    assert warehouse.execute(
        "select persona, talk_track_text from alerts.outbox where dedupe_key = 'k-acme-seat'"
    ).fetchone() == ("buyer", "Hi Ana, 91% of your paid seats were active for 14 days.")


def test_an_unsent_alert_queued_without_a_talk_track_gets_it_the_next_night(warehouse):
    queue_alerts(warehouse, NIGHT)
    warehouse.execute("update alerts.outbox set persona = null, talk_track_text = null")

    queue_alerts(warehouse, NIGHT)

    assert warehouse.execute(
        "select talk_track_text from alerts.outbox where dedupe_key = 'k-bolt-usage'"
    ).fetchone() == ("Hi Bo, you are at 84% of a plan limit.",)
