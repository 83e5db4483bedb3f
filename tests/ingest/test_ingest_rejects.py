"""One test per contract violation: the reject row it produces, or the refusal."""

from __future__ import annotations

import pytest

from expansion.contract import source_named
from expansion.ingest import ingest_landing_zone, ingest_source

ACCOUNTS = source_named("accounts")
USAGE = source_named("usage_daily")
FEATURES = source_named("features")


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("account_id", "", "null_key"),
        ("usage_date", "2026-13-01", "bad_date"),
        ("events", "12.5", "bad_number"),
        ("storage_gb", "1,25", "bad_number"),
        ("api_calls", "-3", "negative_value"),
        ("account_id", "acc_404", "unknown_account"),
    ],
)
def test_usage_row_breaking_a_rule_is_rejected_not_loaded(
    con, zone, landing, write_accounts, write_csv, rejects, usage, column, value, rule
):
    write_accounts("acc_1")
    bad = {**usage, "usage_date": "2026-11-22", column: value}
    write_csv("usage_daily/2026-11-21.csv", [usage, bad])
    result = ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])[1]
    assert (result.rows_loaded, result.rows_rejected, result.rejects_by_rule) == (1, 1, {rule: 1})
    assert rejects(con) == [(rule, "usage_daily/2026-11-21.csv", 2, column, bad)]
    assert con.execute("select count(*) from raw.usage_daily").fetchone() == (1,)


@pytest.mark.parametrize(
    ("column", "value", "rule", "message"),
    [
        (
            "onboarded_at",
            "2026-01-15 10:00:00",
            "bad_date",
            "onboarded_at '2026-01-15 10:00:00' does not match its type (date, YYYY-MM-DD)",
        ),
        (
            "updated_at",
            "yesterday",
            "bad_timestamp",
            "updated_at 'yesterday' does not match its type (timestamp, YYYY-MM-DD HH:MM:SS)",
        ),
        (
            "segment",
            "Mid Market",
            "not_accepted_value",
            "segment 'Mid Market' is not one of: SMB, Mid-Market, Enterprise",
        ),
        (
            "fiscal_year_start_month",
            "13",
            "out_of_range",
            "fiscal_year_start_month '13' is outside 1..12",
        ),
        ("onboarded_at", "", "null_key", "onboarded_at is empty but must not be null"),
    ],
)
def test_account_reject_carries_a_readable_message(
    con, zone, landing, write_csv, account, column, value, rule, message
):
    write_csv("accounts/accounts.csv", [account, {**account, "account_id": "acc_2", column: value}])
    ingest_source(zone, landing, ACCOUNTS)
    assert con.execute(
        "select rule, source_row_number, column_name, message from raw._rejects"
    ).fetchall() == [(rule, 2, column, message)]


def test_bad_boolean(con, zone, landing, write_csv, rejects):
    feature = {
        "feature_id": "feat_sso",
        "feature_name": "SSO",
        "is_core": "maybe",
        "unlocking_product_id": "prod_enterprise",
        "use_case": "security",
    }
    write_csv("features/features.csv", [feature])
    ingest_source(zone, landing, FEATURES)
    assert rejects(con) == [("bad_boolean", "features/features.csv", 1, "is_core", feature)]


def test_blank_segment_is_null_not_a_reject(con, zone, landing, write_csv, account):
    write_csv("accounts/accounts.csv", [{**account, "segment": ""}])
    result = ingest_source(zone, landing, ACCOUNTS)
    assert (result.rows_loaded, result.rows_rejected) == (1, 0)
    assert con.execute("select segment from raw.accounts").fetchone() == (None,)


def test_row_breaking_two_rules_gets_one_reject_per_rule(con, zone, landing, write_csv, account):
    write_csv("accounts/accounts.csv", [{**account, "segment": "Tiny", "onboarded_at": "soon"}])
    result = ingest_source(zone, landing, ACCOUNTS)
    assert result.rows_rejected == 1
    assert result.rejects_by_rule == {"not_accepted_value": 1, "bad_date": 1}


def test_key_repeated_within_a_file_keeps_the_first_row(
    con, zone, landing, write_csv, rejects, account
):
    write_csv("accounts/accounts.csv", [account, {**account, "account_name": "Acme again"}])
    ingest_source(zone, landing, ACCOUNTS)
    assert con.execute("select account_name, _source_row_number from raw.accounts").fetchall() == [
        ("Acme", 1)
    ]
    assert con.execute("select rule, source_row_number, message from raw._rejects").fetchall() == [
        ("duplicate_key", 2, "key (account_id) = (acc_1) repeats accounts/accounts.csv row 1")
    ]


def test_key_repeated_by_another_file_in_the_same_run_is_rejected(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage])
    write_csv("usage_daily/2026-11-21_resend.csv", [usage])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    assert con.execute("select source_file, message from raw._rejects").fetchall() == [
        (
            "usage_daily/2026-11-21_resend.csv",
            "key (account_id, usage_date) = (acc_1, 2026-11-21) repeats "
            "usage_daily/2026-11-21.csv row 1",
        )
    ]


def test_key_already_loaded_from_another_file_is_rejected(
    con, zone, landing, write_accounts, write_csv, usage
):
    write_accounts("acc_1")
    write_csv("usage_daily/2026-11-21.csv", [usage])
    ingest_landing_zone(zone, landing, [ACCOUNTS, USAGE])
    write_csv("usage_daily/2026-11-22.csv", [{**usage, "events": "999"}])
    result = ingest_source(zone, landing, USAGE)
    assert (result.files_loaded, result.rows_loaded, result.rejects_by_rule) == (
        1,
        0,
        {"duplicate_key": 1},
    )
    assert con.execute("select message from raw._rejects").fetchone() == (
        "key (account_id, usage_date) = (acc_1, 2026-11-21) was already loaded from "
        "usage_daily/2026-11-21.csv row 1",
    )
    assert con.execute("select events from raw.usage_daily").fetchall() == [(340,)]


def test_duplicates_are_found_across_batches(con, zone, landing, write_csv, account):
    write_csv("accounts/accounts_a.csv", [account])
    write_csv("accounts/accounts_b.csv", [account])
    result = ingest_source(zone, landing, ACCOUNTS, batch_rows=1)
    assert (result.rows_loaded, result.rejects_by_rule) == (1, {"duplicate_key": 1})


def test_a_rejected_first_occurrence_does_not_shadow_a_valid_repeat(
    con, zone, landing, write_csv, account
):
    write_csv("accounts/accounts.csv", [{**account, "onboarded_at": "soon"}, account])
    result = ingest_source(zone, landing, ACCOUNTS)
    assert result.rejects_by_rule == {"bad_date": 1}
    assert con.execute("select _source_row_number from raw.accounts").fetchall() == [(2,)]


def test_file_missing_a_required_column_is_refused_whole(
    con, zone, landing, write_csv, ledger, account
):
    del account["onboarded_at"]
    write_csv("accounts/accounts.csv", [account])
    result = ingest_source(zone, landing, ACCOUNTS)
    message = "accounts/accounts.csv: missing required column 'onboarded_at' (date, YYYY-MM-DD)"
    assert (result.files_refused, result.refusals) == (1, (message,))
    assert con.execute("select count(*) from raw.accounts").fetchone() == (0,)
    assert ledger(con) == [("accounts/accounts.csv", 1, "refused", None, None, None, message)]


def test_missing_optional_column_loads_as_null(con, zone, landing, write_csv, account):
    del account["fiscal_year_start_month"]
    write_csv("accounts/accounts.csv", [account])
    result = ingest_source(zone, landing, ACCOUNTS)
    assert (result.rows_loaded, result.files_refused) == (1, 0)
    assert con.execute("select fiscal_year_start_month from raw.accounts").fetchone() == (None,)


def test_extra_columns_are_ignored(con, zone, landing, write_csv, account):
    write_csv("accounts/accounts.csv", [{**account, "favourite_colour": "teal"}])
    result = ingest_source(zone, landing, ACCOUNTS)
    assert (result.rows_loaded, result.rows_rejected, result.files_refused) == (1, 0, 0)
