"""The nightly job under fire, through the real ``expansion refresh``, on one small company
over two nights (issue 19). The scenario (``two_nights`` in conftest.py) runs once; each
test asserts one part of it:

1. Night 1 (2026-02-25; the daily files of later days held back): the company has a
   one-account Enterprise NRR cohort above 3, which used to stop every night (point 5);
   the alerts webhook is down all night (HTTP 503 to every attempt).
2. Night 2's files arrive, with faults in the landing zone: a header-only file replacing
   a loaded day (point 2), a semicolon-delimited re-send (point 8), a dangling symbolic
   link and a directory named like a data file (point 4), no cs_costs folder (point 6).
3. A refresh of night 2 is stopped with SIGTERM (as a scheduler's timeout stops it)
   while dbt builds. (SIGKILL at each step, on the components, is in
   test_kill_at_each_step.py.)
4. Night 2 again: the webhook fails once (HTTP 500), then recovers; a second refresh is
   started beside it (point 1); a reader queries serving.duckdb throughout.
5. Night 2 re-run as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from expansion.ingest import RawZone, attach_raw_zone
from expansion.runner import ExitCode

pytestmark = pytest.mark.e2e


def test_a_one_account_cohort_with_an_nrr_above_3_warns_and_the_first_night_publishes(
    two_nights,
):
    night = two_nights.night_1

    assert night.returncode == ExitCode.PUBLISHED, night.stdout + night.stderr
    assert "  warn:  marts/segment_nrr · mart_segment_nrr_range" in night.stdout
    log = (two_nights.data_dir / "logs" / "last_refresh.log").read_text()
    assert "Enterprise NRR for the 12 months to 2022-05-31 is 3.43" in log
    assert "over a cohort of 1 account, outside 0 to 3, and the cohort is smaller" in log


def test_alerts_wait_in_the_outbox_while_the_webhook_is_down(two_nights):
    night = two_nights.night_1

    assert night.outbox, "the company raises alerts on its first night"
    assert night.posts == []
    assert {(status, attempts, error) for _, status, attempts, error in night.outbox} == {
        ("failed", 3, "HTTP 503 from the webhook")
    }


def test_a_refresh_stopped_with_sigterm_while_dbt_builds_stops_dbt_and_publishes_nothing(
    two_nights,
):
    stopped = two_nights.stopped

    assert stopped.returncode == ExitCode.NOT_PUBLISHED, stopped.stdout
    assert "staging/stg_" in stopped.stdout
    assert (
        "NOT PUBLISHED (kept the last published version): warehouse_dbt_models: interrupted "
        "(SIGTERM or Ctrl-C); dbt was stopped"
    ) in stopped.stdout
    assert two_nights.dbt_of_the_stopped_run, "dbt was running when the signal came"
    assert two_nights.dbt_left_by_the_stopped_run == set()
    assert two_nights.serving_after_stop == two_nights.serving_after_night_1


def query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def query_raw(data_dir: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    """``sql`` over the data directory's raw zone (``raw.<source>``, ``raw._load_ledger``)."""
    with duckdb.connect() as con:
        attach_raw_zone(con, RawZone(data_dir / "raw"))
        return con.execute(sql, parameters or []).fetchall()


def test_after_the_stop_the_next_refresh_publishes_night_2_and_names_every_refusal(two_nights):
    n = two_nights
    night, landing = n.night_2, n.landing
    ((kept_rows,),) = query_raw(
        n.data_dir,
        "select rows_in_file from raw._load_ledger where source_file = ? and status = 'loaded'",
        [n.HEADER_ONLY],
    )

    assert night.returncode == ExitCode.PUBLISHED_NEEDS_ATTENTION == 3, night.stdout
    refused = sorted(line for line in night.stdout.splitlines() if line.startswith("  refused: "))
    assert refused == sorted(
        [
            f"  refused: {n.DANGLING_LINK}: a symbolic link to {landing / 'exports'}"
            "/crm_2026-03-02.csv, which does not exist; nothing of it was loaded",
            f"  refused: cs_costs: required source folder {landing / 'cs_costs'} is missing",
            f"  refused: {n.DIRECTORY}: a directory, not a file; nothing of it was loaded",
            f"  refused: {n.SEMICOLON_RESEND}: the header is separated by semicolons "
            "('account_id;usage_date;active_users;events;api_calls;stora...'), not commas: "
            "export the file comma-separated (read with commas, it lacks 8 of its 8 required "
            "columns)",
            f"  refused: {n.HEADER_ONLY}: header only, no data rows; it would replace version "
            f"1 and delete its {kept_rows} rows, so version 1 stays loaded. If the rows must "
            "go, create 2026-02-20.csv.confirm-empty beside it and run again",
        ]
    )
    assert kept_rows > 0
    assert "  warn:  raw/cs_costs · raw_cs_costs_load_outcome" in night.stdout
    assert "PUBLISHED WITHOUT 5 ENTRIES OF THE LANDING ZONE (refused above)" in night.stdout
    assert "exit code 3: published, but something needs attention (above)" in night.stdout
    assert query(
        n.data_dir / "serving.duckdb", "select max(as_of_date) from marts.account_profiles"
    ) == [(n.NIGHT_2,)]


def test_every_refusal_is_in_the_ledger_and_no_row_went_missing_without_a_message(
    two_nights, facts
):
    n = two_nights
    refused = query_raw(
        n.data_dir,
        "select source_file from raw._load_ledger where status = 'refused' order by source_file",
    )

    assert refused == sorted(
        [
            (n.DANGLING_LINK,),
            ("cs_costs/",),
            (n.DIRECTORY,),
            (n.SEMICOLON_RESEND,),
            (n.HEADER_ONLY,),
        ]
    )
    with facts.reader(RawZone(n.data_dir / "raw")) as con:
        assert facts.gaps(con) == []


def test_a_second_refresh_beside_the_first_exits_75_at_once_and_the_first_completes(two_nights):
    second = two_nights.second_refresh

    assert second.returncode == ExitCode.ALREADY_RUNNING == 75
    assert f"a refresh is already running (pid {two_nights.first_pid}, started at " in (
        second.stderr
    )
    assert second.seconds < 20, "it does not wait for the first (no --wait given)"
    assert second.posts == []
    assert two_nights.night_2.returncode == 3


def test_a_reader_queries_serving_throughout_the_refresh_and_sees_only_complete_versions(
    two_nights,
):
    assert two_nights.reader_errors == []
    assert {as_of for _, as_of in two_nights.reader_saw} == {two_nights.NIGHT_1}, (
        "a connection opened before the refresh keeps reading the version it opened"
    )


def test_over_two_nights_and_a_failing_webhook_every_alert_is_sent_exactly_once(two_nights):
    night_1, night_2 = two_nights.night_1, two_nights.night_2
    first_night_keys = {key for key, *_ in night_1.outbox}
    statuses = {key: (status, attempts) for key, status, attempts, _ in night_2.outbox}

    assert first_night_keys < set(statuses), "night 2 raises alerts of its own"
    assert {status for status, _ in statuses.values()} == {"sent"}
    # nothing lost: the alerts the webhook refused on night 1 went out on night 2
    assert all(statuses[key][1] >= 4 for key in first_night_keys)
    # the 500 cost one retry, not a duplicate
    assert sum(attempts for _, attempts in statuses.values()) == (
        3 * len(first_night_keys) + len(statuses) + 1
    )
    posts = night_1.posts + night_2.posts + two_nights.second_refresh.posts
    assert len(posts) == len(statuses) == len(set(posts))


def test_a_rerun_of_the_night_loads_nothing_sends_nothing_and_publishes_the_same_marts(
    two_nights,
):
    rerun = two_nights.rerun

    assert rerun.returncode == ExitCode.PUBLISHED_NEEDS_ATTENTION, rerun.stdout
    assert "rows loaded: 0   rows rejected: 0" in rerun.stdout
    assert rerun.posts == []
    assert rerun.outbox == two_nights.night_2.outbox
    assert two_nights.published_rerun == two_nights.published_night_2


def test_a_currency_without_rates_and_a_line_dated_in_the_future_stop_the_night_by_name(
    two_nights, cli, tmp_path, session_webhook
):
    """Issue 19, point 3: the console names the check, the rows (currency, line id, date)
    and the remedy, and the log has the detail. (A line ending the day it starts, which
    stopped the night before too, is named the same way.)"""
    landing, data_dir = tmp_path / "landing", tmp_path / "data"
    shutil.copytree(two_nights.landing, landing, symlinks=True)
    shutil.copytree(two_nights.data_dir, data_dir)
    lines = query_raw(
        data_dir,
        "select line_id, account_id, start_date, _source_row_number from raw.subscriptions"
        " where currency = 'USD' order by _source_row_number limit 3",
    )
    (xyz_line, xyz_account, xyz_start, xyz_row), (future_line, _, _, future_row) = lines[:2]
    ending_line, ending_account, ending_start, ending_row = lines[2]
    future = dt.date.today() + dt.timedelta(days=400)
    subscriptions = landing / "subscriptions" / "subscriptions.csv"
    with subscriptions.open(newline="") as stream:
        header, *rows = list(csv.reader(stream))
    rows[xyz_row - 1][header.index("currency")] = "XYZ"
    rows[future_row - 1][header.index("start_date")] = future.isoformat()
    rows[future_row - 1][header.index("end_date")] = ""
    rows[ending_row - 1][header.index("end_date")] = ending_start.isoformat()
    with subscriptions.open("w", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    serving_before = (data_dir / "serving.duckdb").read_bytes()
    posts_before = len(session_webhook.received)

    result = cli.run(cli.refresh_args(landing, data_dir))

    assert result.returncode == ExitCode.NOT_PUBLISHED, result.stdout + result.stderr
    console = result.stdout
    xyz = (
        "error: currency XYZ (lines_without_fx_rate = 1): 1 subscription line is billed in XYZ, "
        f"which has no rate in fx_rates: {xyz_line} (account {xyz_account}, from {xyz_start}; "
        f"subscriptions/subscriptions.csv row {xyz_row}). Add XYZ rates to the fx_rates export"
    )
    in_the_future = (
        "error: raw.subscriptions (rows_in_the_future = 1): 1 subscriptions row is dated after "
        f"today ({dt.date.today()}), latest first: subscriptions/subscriptions.csv row "
        f"{future_row}: line_id {future_line}, start_date {future}. A clock or time-zone bug"
    )
    ending = (
        "error: lines ending on or before their start (lines_ending_before_start = 1): 1 "
        f"subscription line ends on or before its start date: {ending_line} (account "
        f"{ending_account}, from {ending_start} to {ending_start}; subscriptions/"
        f"subscriptions.csv row {ending_row}). ARR would be misstated: fix the billing export"
    )
    assert "  error: raw/subscriptions · raw_subscriptions_integrity" in console
    assert xyz in console
    assert ending in console
    assert "  error: raw/subscriptions · raw_subscriptions_load_outcome" in console
    assert in_the_future in console
    (not_published,) = [line for line in console.splitlines() if line.startswith("NOT PUB")]
    assert not_published.startswith(
        "NOT PUBLISHED (kept the last published version): raw_quality_checks: blocking check "
        "failed: raw/subscriptions: raw_subscriptions_load_outcome, raw_subscriptions_integrity"
    )
    log = (data_dir / "logs" / "last_refresh.log").read_text()
    assert xyz in log and in_the_future in log
    assert "DagsterAssetCheckFailedError" in log, "the failed step's whole error"
    assert (data_dir / "serving.duckdb").read_bytes() == serving_before
    assert len(session_webhook.received) == posts_before
