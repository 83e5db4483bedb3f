"""Small pure functions the orchestration relies on."""

from __future__ import annotations

import os
import threading
import time

import pytest

from expansion.settings import DataDir
from orchestration.dbt_invocation import (
    build_fingerprint,
    dbt_build_args,
    dbt_environment,
    environment,
    manifest_is_stale,
    parse_when_stale,
    rebuild_reasons,
)
from orchestration.defs.jobs import landing_fingerprint


def test_the_nightly_build_leaves_the_unit_tests_to_ci_and_passes_no_vars():
    # no --vars: a var that changes every night would make dbt re-parse the whole project
    assert dbt_build_args() == ["build", "--exclude", "resource_type:unit_test"]


def test_the_manifest_is_stale_when_missing_or_older_than_a_model(tmp_path):
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    manifest = tmp_path / "dbt_project" / "target" / "manifest.json"
    assert manifest_is_stale(manifest, tmp_path)

    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    os.utime(model, (1_000, 1_000))
    os.utime(manifest, (2_000, 2_000))
    assert not manifest_is_stale(manifest, tmp_path)

    os.utime(model, (3_000, 3_000))
    assert manifest_is_stale(manifest, tmp_path)


def test_files_under_target_do_not_make_the_manifest_stale(tmp_path):
    manifest = tmp_path / "dbt_project" / "target" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    os.utime(manifest, (2_000, 2_000))
    (manifest.parent / "run_results.json").write_text("{}")  # newer, but dbt's own output
    assert not manifest_is_stale(manifest, tmp_path)


def test_two_processes_finding_the_manifest_stale_parse_it_once(tmp_path):
    # CI once ran the tests and a benchmark side by side on a clean clone: both parsed,
    # both wrote manifest.json, and the manifest each then read was two JSON documents.
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.sql").write_text("select 1")
    manifest = tmp_path / "dbt_project" / "target" / "manifest.json"
    parses = []

    def slow_parse():
        parses.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other caller to find the manifest missing
        manifest.write_text("{}")

    callers = [
        threading.Thread(target=parse_when_stale, args=(manifest, tmp_path, slow_parse))
        for _ in range(2)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert len(parses) == 1
    assert manifest.read_text() == "{}"


def test_dbt_reads_its_target_raw_zone_and_folders_from_the_data_directory(tmp_path):
    data = DataDir(tmp_path / "data")
    duckdb_environment = dbt_environment(data, "duckdb")
    assert duckdb_environment == {
        "EXPANSION_ENGINE": "duckdb",
        "EXPANSION_RAW_DIR": str(tmp_path / "data" / "raw"),
        "EXPANSION_WAREHOUSE_PATH": str(tmp_path / "data" / "warehouse.duckdb"),
    }
    assert dbt_environment(data, "spark") == {
        **duckdb_environment,
        "EXPANSION_ENGINE": "spark",
        "SPARK_LOCAL_IP": "127.0.0.1",
        "EXPANSION_SPARK_WAREHOUSE_DIR": str(tmp_path / "data" / "spark" / "warehouse"),
        "EXPANSION_SPARK_METASTORE_DIR": str(tmp_path / "data" / "spark" / "metastore_db"),
    }


def test_environment_sets_and_restores_variables(monkeypatch):
    monkeypatch.setenv("EXPANSION_TEST_KEPT", "before")
    monkeypatch.delenv("EXPANSION_TEST_NEW", raising=False)
    with environment({"EXPANSION_TEST_KEPT": "during", "EXPANSION_TEST_NEW": "x"}):
        assert os.environ["EXPANSION_TEST_KEPT"] == "during"
        assert os.environ["EXPANSION_TEST_NEW"] == "x"
    assert os.environ["EXPANSION_TEST_KEPT"] == "before"
    assert "EXPANSION_TEST_NEW" not in os.environ


def test_the_landing_fingerprint_changes_when_a_file_is_added_or_replaced(tmp_path):
    (tmp_path / "usage_daily").mkdir()
    day_one = tmp_path / "usage_daily" / "2026-11-20.csv"
    day_one.write_text("account_id\nacc_1\n")
    first = landing_fingerprint(tmp_path)
    assert landing_fingerprint(tmp_path) == first

    (tmp_path / "usage_daily" / "2026-11-21.csv").write_text("account_id\nacc_1\n")
    second = landing_fingerprint(tmp_path)
    assert second != first

    day_one.write_text("account_id\nacc_2\nacc_3\n")
    assert landing_fingerprint(tmp_path) != second


def test_an_absent_or_empty_landing_zone_has_no_fingerprint(tmp_path):
    (tmp_path / "empty" / "accounts").mkdir(parents=True)
    assert landing_fingerprint(tmp_path / "missing") is None
    assert landing_fingerprint(tmp_path / "empty") is None


def test_a_step_failure_is_reported_by_its_innermost_cause():
    from dagster._utils.error import SerializableErrorInfo

    from expansion.runner import root_cause

    dbt_error = SerializableErrorInfo(
        "DbtCliError: dbt build failed on model account_profiles\n", [], "DbtCliError"
    )
    wrapper = SerializableErrorInfo(
        'Error occurred while executing op "warehouse_dbt_models":\n',
        [],
        "StepError",
        cause=dbt_error,
    )
    assert root_cause(wrapper) == "DbtCliError: dbt build failed on model account_profiles"


def test_a_failed_blocking_check_is_reported_by_name_not_by_dagsters_empty_colon():
    from dagster._utils.error import SerializableErrorInfo

    from expansion.runner import root_cause

    failed = SerializableErrorInfo(
        "dagster._core.errors.DagsterAssetCheckFailedError: 3 blocking asset checks failed "
        "with ERROR severity:\nraw/subscriptions: raw_subscriptions_load_outcome,"
        "raw_subscriptions_integrity\nraw/usage_daily: raw_usage_daily_continuity\n",
        [],
        "DagsterAssetCheckFailedError",
    )

    assert root_cause(failed) == (
        "blocking check failed: raw/subscriptions: raw_subscriptions_load_outcome, "
        "raw_subscriptions_integrity; raw/usage_daily: raw_usage_daily_continuity"
    )


def test_an_interrupted_run_says_so():
    from dagster._utils.error import SerializableErrorInfo

    from expansion.runner import root_cause

    interrupted = SerializableErrorInfo(
        "dagster._core.errors.DagsterExecutionInterruptedError\n",
        [],
        "DagsterExecutionInterruptedError",
    )

    assert root_cause(interrupted) == "interrupted (SIGTERM or Ctrl-C); dbt was stopped"


def test_the_summary_names_the_failing_rows_and_says_the_last_published_version_was_kept(
    tmp_path,
):
    from collections import Counter

    from expansion.runner import CheckOutcome, ExitCode, RefreshSummary
    from expansion.settings import DataDir

    data_dir = DataDir(tmp_path)
    data_dir.serving.write_bytes(b"published yesterday")
    summary = RefreshSummary(
        rows_loaded=1200,
        rows_rejected=3,
        rejects_by_rule=Counter({"bad_date": 2, "null_key": 1}),
        checks_passed=10,
        check_outcomes=[
            CheckOutcome(
                "raw/subscriptions · raw_subscriptions_integrity",
                "error",
                tuple(
                    f"error: currency C{i} (lines_without_fx_rate = 1): add rates" for i in range(7)
                ),
            ),
            CheckOutcome("raw/cs_costs · raw_cs_costs_load_outcome", "warn", ("warn: detail",)),
        ],
        failure="raw_subscriptions_integrity: blocking check failed",
        log_file=tmp_path / "logs" / "last_refresh.log",
    )

    lines = summary.render(data_dir).splitlines()

    assert summary.exit_code == ExitCode.NOT_PUBLISHED
    assert lines == [
        "rows loaded: 1,200   rows rejected: 3  (bad_date 2, null_key 1)",
        "checks: 10 passed, 1 warned, 1 failed",
        "  warn:  raw/cs_costs · raw_cs_costs_load_outcome",
        "  error: raw/subscriptions · raw_subscriptions_integrity",
        *(
            f"           error: currency C{i} (lines_without_fx_rate = 1): add rates"
            for i in range(5)
        ),
        f"           … and 2 more in {tmp_path / 'logs' / 'last_refresh.log'}",
        "NOT PUBLISHED (kept the last published version): "
        "raw_subscriptions_integrity: blocking check failed",
        f"full log (dbt output included): {tmp_path / 'logs' / 'last_refresh.log'}",
        "exit code 1: not published",
    ]
    full = summary.render(data_dir, details_shown=None)
    assert "currency C6" in full and "warn: detail" in full


@pytest.mark.parametrize(
    ("published", "refusals", "failure", "code"),
    [
        (True, [], None, 0),
        (False, [], "a step failed", 1),
        (False, ["accounts/accounts.csv: empty file"], "a step failed", 1),
        (True, ["cs_costs: required source folder /x/cs_costs is missing"], None, 3),
        (True, [], "dashboard_site: render failed", 3),
    ],
)
def test_the_exit_code_says_whether_the_night_was_published_and_whether_someone_must_look(
    published, refusals, failure, code
):
    from expansion.runner import RefreshSummary

    summary = RefreshSummary(published=published, refusals=refusals, failure=failure)

    assert summary.exit_code == code


def test_a_quarantined_trigger_is_named_and_the_night_still_exits_0(tmp_path):
    from expansion.runner import CheckOutcome, ExitCode, RefreshSummary
    from expansion.settings import DataDir

    summary = RefreshSummary(
        checks_passed=20,
        check_outcomes=[
            CheckOutcome(
                "marts/calibration_trigger_firing_rates · calibration_trigger_firing_rate",
                "warn",
                ("quarantine: multi_team_adoption · All · 2026-05-26 (...): quarantined - ...",),
            )
        ],
        quarantined={"sustained_usage_ceiling", "multi_team_adoption"},
        published=True,
    )

    lines = summary.render(DataDir(tmp_path)).splitlines()

    assert summary.exit_code == ExitCode.PUBLISHED
    assert (
        "quarantined: multi_team_adoption, sustained_usage_ceiling - published and marked, "
        "their alerts held until recalibrated (`expansion check` says what to change)"
    ) in lines
    assert lines[-1] == "exit code 0: published"


def _manifest(registry_checksum: str = "r1", macro_sql: str = "{% macro m() %}1{% endmacro %}"):
    return {
        "metadata": {"dbt_version": "1.11.16"},
        "nodes": {
            "seed.expansion.trigger_registry": {
                "resource_type": "seed",
                "checksum": {"checksum": registry_checksum},
                "config": {},
            },
            "model.expansion.int_trigger_current_days": {
                "resource_type": "model",
                "checksum": {"checksum": "m1"},
                "config": {"materialized": "incremental"},
            },
            "test.expansion.not_null_x": {"resource_type": "test", "checksum": {"checksum": "t1"}},
        },
        "macros": {"macro.expansion.m": {"package_name": "expansion", "macro_sql": macro_sql}},
    }


def test_a_night_rebuilds_in_full_only_when_code_seeds_or_dbt_changed():
    built = build_fingerprint(_manifest(), "duckdb")
    assert rebuild_reasons(built, build_fingerprint(_manifest(), "duckdb")) == []
    assert dbt_build_args(full_refresh=True)[-1] == "--full-refresh"
    # a threshold changed in the registry seed: its file checksum changes
    changed_seed = build_fingerprint(_manifest(registry_checksum="r2"), "duckdb")
    assert rebuild_reasons(built, changed_seed) == ["changed seed.expansion.trigger_registry"]
    assert rebuild_reasons(built, build_fingerprint(_manifest(macro_sql="2"), "duckdb")) == [
        "changed macros of package expansion"
    ]
    # an upgrade: a new model (a new trigger has no history yet), a model's config, dbt itself
    upgraded = _manifest()
    upgraded["metadata"]["dbt_version"] = "1.12.0"
    upgraded["nodes"]["model.expansion.trg_new"] = {
        "resource_type": "model",
        "checksum": {"checksum": "n1"},
        "config": {},
    }
    upgraded["nodes"]["model.expansion.int_trigger_current_days"]["config"]["unique_key"] = ["d"]
    assert rebuild_reasons(built, build_fingerprint(upgraded, "duckdb")) == [
        "dbt 1.11.16 -> 1.12.0",
        "changed model.expansion.int_trigger_current_days",
        "new model.expansion.trg_new",
    ]
    # tests do not change tables; a data directory never built (or built before
    # fingerprints) is rebuilt once
    assert "test.expansion.not_null_x" not in built["nodes"]
    assert rebuild_reasons(None, built) == [
        "no fingerprint of a previous successful build in this data directory"
    ]
    # the engine changed back: its own tables are as old as its last night on it
    assert rebuild_reasons(build_fingerprint(_manifest(), "spark"), built) == [
        "engine spark -> duckdb"
    ]
