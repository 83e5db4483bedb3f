"""The alerts outbox: queue each alert once, deliver it to a webhook, record what happened.

dbt decides *which* alerts are due (``marts.alert_candidates``: firings on
gate-passing, unsuppressed accounts, each with a stable ``dedupe_key``, and
whether the trigger is quarantined by a calibration breach) and what the owner
says (``marts.alert_briefs``: the talk track filled in for the account's
primary contact, and the outreach holds in force on the account). This module keeps
the outbox, ``alerts.outbox`` in the warehouse, which is the only state that
must survive from one night to the next:

- :func:`queue_alerts` inserts candidates whose ``dedupe_key`` is not in the
  outbox yet, so re-running a night queues nothing twice - an alert of a
  quarantined trigger as ``held_quarantined``, never sent; on a later night a
  held alert that is still a candidate and whose trigger is no longer
  quarantined becomes ``pending`` (and a pending one whose trigger became
  quarantined is held); an alert of an account under an outreach hold (an open
  problem, gone quiet, no contact for 60 days, our quarter's last days, an
  opt-out) is queued as ``held_outreach`` with the reasons, and released the
  same way once no hold is in force;
- :func:`deliver_pending` posts every queued alert that was not delivered yet to
  a Slack-compatible incoming webhook, retrying transient failures (network
  errors, HTTP 429 and 5xx) with exponential backoff, and records the status
  (``sent``, ``failed`` after the last attempt, or ``pending`` when no webhook
  is configured) with the number of attempts and the last error. A ``sent``
  alert is never posted again, a ``held_quarantined`` one not while it is held.

The webhook URL comes from ``EXPANSION_ALERT_WEBHOOK_URL``; none is configured
by default and alerts then wait in the outbox (visible on the dashboards).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

WEBHOOK_URL_ENV = "EXPANSION_ALERT_WEBHOOK_URL"
OUTBOX_TABLE = "alerts.outbox"
CANDIDATES_TABLE = "marts.alert_candidates"
BRIEFS_TABLE = "marts.alert_briefs"
HELD = "held_quarantined"
"""The status of an alert whose trigger is quarantined: kept, not sent."""
HELD_OUTREACH = "held_outreach"
"""The status of an alert whose account is under an outreach hold: kept, not sent."""
DELIVERABLE = ("pending", "failed")

OUTBOX_DDL = f"""
create table if not exists {OUTBOX_TABLE} (
    alert_id varchar not null,
    dedupe_key varchar primary key,
    account_id varchar not null,
    account_name varchar,
    segment varchar,
    arr_usd decimal(18,2),
    trigger_id varchar not null,
    fired_on date not null,
    signal_value decimal(18,4),
    threshold_value decimal(18,4),
    recommended_action varchar,
    talk_track_id varchar,
    owner varchar not null,
    due_date date not null,
    status varchar not null,
    attempts integer not null,
    last_error varchar,
    queued_at timestamp not null,
    last_attempt_at timestamp,
    sent_at timestamp
)
"""

OUTBOX_ADDED_COLUMNS = (
    ("persona", "varchar"),
    ("talk_track_text", "varchar"),
    ("hold_reasons", "varchar"),
)
"""Columns added to the outbox after its first version: ``ensure_outbox`` adds them to an
outbox created before them (the rows queued then keep nulls)."""

_ALERT_COLUMNS = (
    "dedupe_key",
    "account_id",
    "account_name",
    "segment",
    "arr_usd",
    "trigger_id",
    "fired_on",
    "signal_value",
    "threshold_value",
    "recommended_action",
    "talk_track_id",
    "owner",
    "due_date",
    "persona",
    "talk_track_text",
)


@dataclass(frozen=True)
class Alert:
    dedupe_key: str
    account_id: str
    account_name: str | None
    segment: str | None
    arr_usd: float | None
    trigger_id: str
    fired_on: dt.date
    signal_value: float | None
    threshold_value: float | None
    recommended_action: str | None
    talk_track_id: str | None
    owner: str
    due_date: dt.date
    persona: str | None = None
    talk_track_text: str | None = None


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent: int
    failed: int
    pending: int
    held: int = 0
    """Alerts held in the outbox because their trigger is quarantined."""
    held_outreach: int = 0
    """Alerts held in the outbox because their account is under an outreach hold."""


class TransientDeliveryError(Exception):
    """A failure worth retrying: the network, HTTP 429 or a 5xx answer."""


class PermanentDeliveryError(Exception):
    """A failure no retry will fix, such as HTTP 400 or 404."""


Post = Callable[[str, bytes], None]


def slack_message(alert: Alert) -> dict[str, str]:
    """The webhook payload: one readable message with everything a CSM needs to act."""
    arr = f"${alert.arr_usd:,.0f}" if alert.arr_usd is not None else "ARR unknown"
    return {
        "text": (
            f"*{alert.account_name or alert.account_id}* ({alert.segment}, {arr}) — "
            f"trigger `{alert.trigger_id}` fired on {alert.fired_on:%Y-%m-%d}: "
            f"signal {alert.signal_value} vs threshold {alert.threshold_value}.\n"
            f"Next: {alert.recommended_action}. "
            f"Owner: {alert.owner}. First outreach by {alert.due_date:%Y-%m-%d}."
            + (
                f"\nTalk track ({alert.persona}): {alert.talk_track_text}"
                if alert.talk_track_text
                else ""
            )
        )
    }


def http_post(url: str, body: bytes, timeout: float = 10.0) -> None:
    """POST JSON; raise a transient or permanent delivery error on failure."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return
    except urllib.error.HTTPError as error:
        message = f"HTTP {error.code} from the webhook"
        if error.code == 429 or error.code >= 500:
            raise TransientDeliveryError(message) from error
        raise PermanentDeliveryError(message) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TransientDeliveryError(f"webhook unreachable: {error}") from error


def ensure_outbox(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists alerts")
    con.execute(OUTBOX_DDL)
    for name, sql_type in OUTBOX_ADDED_COLUMNS:
        con.execute(f"alter table {OUTBOX_TABLE} add column if not exists {name} {sql_type}")


def queue_alerts(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> int:
    """Add candidates not yet in the outbox - held when their trigger is quarantined or their
    account is under an outreach hold - and hold or release the unsent ones as their
    trigger's quarantine and their account's holds changed; returns how many were added."""
    ensure_outbox(con)
    columns = ", ".join(_ALERT_COLUMNS)
    candidate_columns = ", ".join(
        f"briefs.{c}" if c in ("persona", "talk_track_text") else f"candidates.{c}"
        for c in _ALERT_COLUMNS
    )
    con.execute(
        f"""
        create or replace temp table _alert_states as
        select
            candidates.dedupe_key,
            case
                when candidates.is_quarantined then '{HELD}'
                when coalesce(briefs.is_held, false) then '{HELD_OUTREACH}'
                else 'pending'
            end as status,
            briefs.hold_reasons
        from {CANDIDATES_TABLE} as candidates
        left join {BRIEFS_TABLE} as briefs on candidates.dedupe_key = briefs.dedupe_key
        """
    )
    before = con.execute(f"select count(*) from {OUTBOX_TABLE}").fetchone()[0]
    con.execute(
        f"""
        insert into {OUTBOX_TABLE}
            (alert_id, {columns}, hold_reasons, status, attempts, queued_at)
        select
            'alert_' || left(candidates.dedupe_key, 16), {candidate_columns},
            states.hold_reasons, states.status, 0, ?
        from {CANDIDATES_TABLE} as candidates
        left join {BRIEFS_TABLE} as briefs on candidates.dedupe_key = briefs.dedupe_key
        inner join _alert_states as states on candidates.dedupe_key = states.dedupe_key
        where candidates.dedupe_key not in (select dedupe_key from {OUTBOX_TABLE})
        """,
        [now],
    )
    con.execute(
        f"""
        update {OUTBOX_TABLE} set status = states.status, hold_reasons = states.hold_reasons
        from _alert_states as states
        where {OUTBOX_TABLE}.dedupe_key = states.dedupe_key
            and {OUTBOX_TABLE}.status in {(*DELIVERABLE, HELD, HELD_OUTREACH)}
            and {OUTBOX_TABLE}.status != states.status
            and not ({OUTBOX_TABLE}.status = 'failed' and states.status = 'pending')
        """
    )
    con.execute(
        f"""
        update {OUTBOX_TABLE} set persona = briefs.persona, talk_track_text = briefs.talk_track_text
        from {BRIEFS_TABLE} as briefs
        where {OUTBOX_TABLE}.dedupe_key = briefs.dedupe_key and {OUTBOX_TABLE}.status != 'sent'
        """
    )  # an unsent alert says what today's data says (and one queued before talk tracks gets one)
    con.execute("drop table _alert_states")
    return con.execute(f"select count(*) from {OUTBOX_TABLE}").fetchone()[0] - before


def deliver_pending(
    con: duckdb.DuckDBPyConnection,
    webhook_url: str | None,
    now: Callable[[], dt.datetime],
    post: Post = http_post,
    max_attempts: int = 3,
    backoff_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Post every alert not yet sent and not held; each gets up to ``max_attempts`` tries
    this run."""
    ensure_outbox(con)
    rows = con.execute(
        f"select {', '.join(_ALERT_COLUMNS)} from {OUTBOX_TABLE} "
        f"where status in {DELIVERABLE} order by fired_on, dedupe_key"
    ).fetchall()
    held, held_outreach = con.execute(
        f"select count(*) filter (where status = ?), count(*) filter (where status = ?) "
        f"from {OUTBOX_TABLE}",
        [HELD, HELD_OUTREACH],
    ).fetchone()
    sent = failed = 0
    for row in rows:
        alert = Alert(*row)
        if webhook_url is None:
            continue
        error, attempts = _deliver(alert, webhook_url, post, max_attempts, backoff_seconds, sleep)
        _record_attempts(con, alert.dedupe_key, error, attempts, now())
        sent += error is None
        failed += error is not None
    pending = len(rows) if webhook_url is None else 0
    return DeliveryReport(
        queued=len(rows),
        sent=sent,
        failed=failed,
        pending=pending,
        held=held,
        held_outreach=held_outreach,
    )


def _deliver(
    alert: Alert,
    url: str,
    post: Post,
    max_attempts: int,
    backoff_seconds: float,
    sleep: Callable[[float], None],
) -> tuple[str | None, int]:
    """(None, attempts) when delivered; else (the last error, attempts)."""
    body = json.dumps(slack_message(alert)).encode()
    attempt = 0
    while True:
        attempt += 1
        try:
            post(url, body)
            return None, attempt
        except PermanentDeliveryError as error:
            return str(error), attempt
        except TransientDeliveryError as error:
            if attempt == max_attempts:
                return str(error), attempt
            sleep(backoff_seconds * 2 ** (attempt - 1))


def _record_attempts(
    con: duckdb.DuckDBPyConnection,
    dedupe_key: str,
    error: str | None,
    attempts: int,
    at: dt.datetime,
) -> None:
    con.execute(
        f"""
        update {OUTBOX_TABLE}
        set status = ?,
            attempts = attempts + ?,
            last_error = ?,
            last_attempt_at = ?,
            sent_at = case when ? then ? else sent_at end
        where dedupe_key = ?
        """,
        [
            "sent" if error is None else "failed",
            attempts,
            error,
            at,
            error is None,
            at,
            dedupe_key,
        ],
    )
