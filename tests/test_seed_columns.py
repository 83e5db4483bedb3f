"""Every seed column is a setting the SQL reads, or it is named below with the reason it
reads nothing: a setting that is documented but ignored is a defect (issue 13, point 11:
core_feature_window_days, ticket_trend_window_days, owner_rule and the typical NRR bands
were such columns)."""

from __future__ import annotations

import csv
import re

from expansion.settings import PROJECT_ROOT

LABELS = {
    ("calibration_bounds", "remedy"): "prose for whoever edits the seed; remedies are worded "
    "from the failing row (data_quality/calibration_suite.py)",
    ("motion_uplift_ranges", "uplift_group"): "the SPEC's uplift group, for people",
    ("signal_points", "value_unit"): "the unit of the row's threshold, for people",
    ("trigger_registry", "secondary_threshold_unit"): "the unit of the secondary threshold",
    ("trigger_registry", "expansion_type"): "the SPEC's expansion type, for people",
    ("objection_responses", "objection_id"): "the key; the account page reads the seed",
    ("objection_responses", "display_order"): "read by the account page (dashboards)",
    ("objection_responses", "objection"): "text shown on the account page (dashboards)",
    ("objection_responses", "question_to_ask"): "text shown on the account page (dashboards)",
    ("objection_responses", "what_we_supply"): "text shown on the account page (dashboards)",
}
"""Columns that describe a row for people and change no figure."""

NOT_YET_COMPUTED: set[tuple[str, str]] = set()
"""Settings documented but read by no model yet: none (the SPEC 10 playbook targets are
measured by segment_playbook_outcomes since issue 18)."""


def sql_code() -> str:
    """The project's SQL without comments and Jinja docstrings (a column a docstring names
    is not read)."""
    texts = []
    for folder in ("models", "macros"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.sql")):
            text = re.sub(r"\{#.*?#\}", " ", path.read_text(), flags=re.S)
            texts.append(re.sub(r"--[^\n]*", " ", text))
    return "\n".join(texts)


def seed_columns() -> list[tuple[str, str]]:
    columns = []
    for path in sorted((PROJECT_ROOT / "seeds").rglob("*.csv")):
        with path.open(newline="") as seed:
            columns += [(path.stem, column) for column in next(csv.reader(seed))]
    return columns


def test_every_seed_column_is_read_by_the_sql_or_says_why_not():
    code = sql_code()
    unread = {
        (seed, column)
        for seed, column in seed_columns()
        if not re.search(rf"\b{re.escape(column)}\b", code)
    }

    assert unread - LABELS.keys() - NOT_YET_COMPUTED == set()
    assert (LABELS.keys() | NOT_YET_COMPUTED) - unread == set(), "now read: remove the entry"
