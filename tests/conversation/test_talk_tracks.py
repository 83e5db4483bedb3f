"""Every talk track (seeds/conversation/talk_tracks.csv) and every QBR agenda item
(seeds/conversation/qbr_agenda_items.csv) fills in completely.

The templates are data a RevOps team rewrites; a placeholder the SQL does not know (a
typo, `{seats}` for `{seat_use}`) would reach a customer conversation as written. The
test compiles the project's own macro fill_talk_track (the nested replace() that
alert_briefs runs) through dbt, runs it in DuckDB over every template for a hand-made
account, and requires no `{...}` left and every value in place.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
TALK_TRACKS = PROJECT_ROOT / "seeds" / "conversation" / "talk_tracks.csv"
QBR_AGENDA_ITEMS = PROJECT_ROOT / "seeds" / "conversation" / "qbr_agenda_items.csv"
REGISTRY = PROJECT_ROOT / "seeds" / "triggers" / "trigger_registry.csv"
PARTS = ("opener", "evidence", "question", "offer", "next_step")
PERSONAS = {"operator", "manager", "buyer"}

HAND_MADE_ACCOUNT = {
    "contact_name": "Maya",
    "account_name": "Lumenbridge Systems",
    "seat_use": "92%",
    "usage_trend": "+12%",
    "health_score": "83",
    "renewal_date": "2027-01-14",
    "signal": "14",
    "threshold": "3",
    "window_length": "30",
    "motion": "seat expansion",
    "estimated_acv": "$18.5K",
    "owner": "Chloe Garcia",
    "due_date": "2026-11-27",
}


def _compile(tmp_path: Path, inline_sql: str) -> str:
    result = dbtRunner().invoke(
        [
            "compile",
            "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target", "lint",
            "--target-path", str(tmp_path / "target"),
            "--log-path", str(tmp_path / "logs"),
            "--inline", inline_sql,
            "--quiet",
        ]
    )  # fmt: skip
    assert result.success, result.exception
    return result.result.results[0].node.compiled_code


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    tmp_path = tmp_path_factory.mktemp("talk_tracks")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        placeholders = _compile(tmp_path, "{{ talk_track_placeholders() | join(',') }}")
        assert set(placeholders.strip().split(",")) == set(HAND_MADE_ACCOUNT)
        fills = ", ".join(
            f"{{{{ fill_talk_track('tracks.{part}', 'account') }}}} as {part}" for part in PARTS
        )
        sql = _compile(
            tmp_path,
            f"select tracks.trigger_id, tracks.persona, {fills} from tracks cross join account",
        )
    con = duckdb.connect()
    con.execute(
        "create table tracks as select * from read_csv(?, all_varchar = true)", [str(TALK_TRACKS)]
    )
    columns = ", ".join(f"? as {name}" for name in HAND_MADE_ACCOUNT)
    con.execute(f"create table account as select {columns}", list(HAND_MADE_ACCOUNT.values()))
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_every_template_fills_in_with_no_placeholder_left(rendered):
    with TALK_TRACKS.open(newline="") as seed:
        templates = list(csv.DictReader(seed))
    assert len(rendered) == len(templates)
    for row in rendered:
        for part in PARTS:
            assert row[part], (row["trigger_id"], row["persona"], part)
            assert not re.search(r"[{}]", row[part]), (row["trigger_id"], row["persona"], row[part])


def test_the_account_s_values_reach_the_text(rendered):
    seat_saturation_buyer = next(
        r for r in rendered if (r["trigger_id"], r["persona"]) == ("seat_saturation", "buyer")
    )
    assert seat_saturation_buyer["opener"].startswith("Hi Maya, a quick check-in ahead of your")
    assert "renewal on 2027-01-14" in seat_saturation_buyer["opener"]
    assert "active for at least 30 days" in seat_saturation_buyer["evidence"]
    assert "seat expansion, estimated at $18.5K a year" in seat_saturation_buyer["offer"]
    assert "Chloe Garcia" in seat_saturation_buyer["next_step"]


def test_every_enabled_trigger_has_a_talk_track_for_each_persona():
    with REGISTRY.open(newline="") as registry:
        enabled = {r["trigger_id"] for r in csv.DictReader(registry) if r["is_enabled"] == "true"}
    with TALK_TRACKS.open(newline="") as seed:
        tracks = [(r["trigger_id"], r["persona"]) for r in csv.DictReader(seed)]
    assert {trigger for trigger, _ in tracks} == enabled
    for trigger in enabled:
        assert {persona for t, persona in tracks if t == trigger} == PERSONAS, trigger


HAND_MADE_AGENDA_VALUES = {
    "health_score": "82",
    "health_band": "Healthy",
    "seat_use": "92%",
    "signal": "seats nearly full",
    "more_signals": " (and 1 more)",
    "heads_up": "Events at 75% of the plan limit",
    "product_family": "Analytics",
    "whitespace_score": "72",
    "motion": "seat expansion",
    "estimated_acv": "$30.0K",
    "failed_criteria": "nps, health_score",
}


def test_every_qbr_agenda_item_fills_in_with_no_placeholder_left(tmp_path):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        placeholders = _compile(tmp_path, "{{ qbr_agenda_placeholders() | join(',') }}")
        assert set(placeholders.strip().split(",")) == set(HAND_MADE_AGENDA_VALUES)
        sql = _compile(
            tmp_path,
            "select items.item, {{ fill_talk_track('items.template', 'account',"
            " qbr_agenda_placeholders()) }} as text from items cross join account",
        )
    con = duckdb.connect()
    con.execute(
        "create table items as select * from read_csv(?, all_varchar = true)",
        [str(QBR_AGENDA_ITEMS)],
    )
    columns = ", ".join(f"? as {name}" for name in HAND_MADE_AGENDA_VALUES)
    con.execute(f"create table account as select {columns}", list(HAND_MADE_AGENDA_VALUES.values()))
    texts = dict(con.execute(sql).fetchall())

    assert set(texts) == {"results", "signals", "capacity", "cross_sell", "proposal", "fix_first"}
    for item, text in texts.items():
        assert text and not re.search(r"[{}]", text), (item, text)
    assert texts["signals"] == "Since the last review: seats nearly full (and 1 more)."
    assert texts["proposal"].startswith("seat expansion, about $30.0K a year")
