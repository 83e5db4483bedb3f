"""The alerts outbox: queue each alert once, deliver it to a webhook, record what happened.

dbt decides *which* alerts are due (``marts.alert_candidates``: firings on
gate-passing, unsuppressed accounts, each with a stable ``dedupe_key``, and
whether the trigger is quarantined by a calibration breach). This module keeps
the outbox, ``alerts.outbox`` in the warehouse, which is the only state that
must survive from one night to the next:

- :func:`queue_alerts` inserts candidates whose ``dedupe_key`` is not in the
  outbox yet, so re-running a night queues nothing twice - an alert of a
  quarantined trigger as ``held_quarantined``, never sent; on a later night a
  held alert that is still a candidate and whose trigger is no longer
  quarantined becomes ``pending`` (and a pending one whose trigger became
  quarantined is held);
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
HELD = "held_quarantined"
"""The status of an alert whose trigger is quarantined: kept, not sent."""
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


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent: int
    failed: int
    pending: int
    held: int = 0
    """Alerts held in the outbox because their trigger is quarantined."""


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
            f"Next: {alert.recommended_action} (talk track `{alert.talk_track_id}`). "
            f"Owner: {alert.owner}. First outreach by {alert.due_date:%Y-%m-%d}."
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


def queue_alerts(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> int:
    """Add candidates not yet in the outbox - held when their trigger is quarantined - and
    hold or release the unsent ones as their trigger's quarantine changed; returns how many
    were added."""
    ensure_outbox(con)
    columns = ", ".join(_ALERT_COLUMNS)
    before = con.execute(f"select count(*) from {OUTBOX_TABLE}").fetchone()[0]
    con.execute(
        f"""
        insert into {OUTBOX_TABLE}
            (alert_id, {columns}, status, attempts, queued_at)
        select
            'alert_' || left(dedupe_key, 16), {columns},
            case when is_quarantined then '{HELD}' else 'pending' end, 0, ?
        from {CANDIDATES_TABLE}
        where dedupe_key not in (select dedupe_key from {OUTBOX_TABLE})
        """,
        [now],
    )
    con.execute(
        f"""
        update {OUTBOX_TABLE} set status = '{HELD}'
        where status in {DELIVERABLE}
            and dedupe_key in (select dedupe_key from {CANDIDATES_TABLE} where is_quarantined)
        """
    )
    con.execute(
        f"""
        update {OUTBOX_TABLE} set status = 'pending'
        where status = '{HELD}'
            and dedupe_key in (select dedupe_key from {CANDIDATES_TABLE} where not is_quarantined)
        """
    )
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
    held = con.execute(f"select count(*) from {OUTBOX_TABLE} where status = ?", [HELD]).fetchone()
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
    return DeliveryReport(queued=len(rows), sent=sent, failed=failed, pending=pending, held=held[0])


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
