"""The benchmark's per-step figures: which step a Dagster step belongs to, the windows
read from a run log and from dbt's artifacts, and the peak memory inside windows."""

from __future__ import annotations

import datetime as dt
import json
import os
import time

from expansion.refresh_steps import (
    ProcessTreeSampler,
    Window,
    dbt_windows,
    measure,
    peak_mb,
    step_group,
    step_windows,
    tree_rss_bytes,
)

DAY = "2026-12-04"
RUN_LOG = """\
2026-12-04 10:22:44,870 DEBUG   nightly_refresh - 5c09748b - 27935 - raw__accounts - STEP_START - Started execution of step "raw__accounts".
2026-12-04 10:22:45,611 DEBUG   nightly_refresh - 5c09748b - 27935 - raw__accounts - STEP_SUCCESS - Finished execution of step "raw__accounts" in 669ms.
2026-12-04 10:22:45,700 INFO    nightly_refresh - 5c09748b - 27935 - raw__accounts - ASSET_MATERIALIZATION - Materialized value raw accounts.
2026-12-04 10:22:46,000 DEBUG   nightly_refresh - 5c09748b - 27935 - warehouse_dbt_models - STEP_START - Started execution of step "warehouse_dbt_models".
2026-12-04 10:23:16,500 DEBUG   nightly_refresh - 5c09748b - 27935 - warehouse_dbt_models - STEP_FAILURE - Execution of step "warehouse_dbt_models" failed.
"""  # noqa: E501


def local_seconds(stamp: str) -> float:
    return dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def test_each_step_of_the_run_log_becomes_a_window_from_its_start_to_its_end():
    windows = step_windows(RUN_LOG)
    assert [w.name for w in windows] == ["raw__accounts", "warehouse_dbt_models"]
    assert windows[0].start == local_seconds("2026-12-04 10:22:44,870")
    assert round(windows[0].seconds, 3) == 0.741
    assert round(windows[1].seconds, 1) == 30.5  # a failed step ends too


def test_a_source_step_is_ingest_and_the_suites_are_checks():
    sources = ["usage_daily", "accounts"]
    assert step_group("raw__usage_daily", sources) == "ingest"
    assert step_group("raw_accounts_checks", sources) == "checks"
    assert step_group("raw_quality_checks", sources) == "checks"
    assert step_group("warehouse_quality_checks", sources) == "checks"
    assert step_group("warehouse_dbt_models", sources) == "dbt build"
    assert step_group("serving_database", sources) == "publish"
    assert step_group("dashboard_site", sources) == "dashboards"
    assert step_group("alerts_outbox", sources) == "alerts"


def test_a_steps_seconds_add_up_its_windows_and_its_peak_is_the_largest_sample_inside():
    windows = [Window("a", 10.0, 12.0), Window("b", 20.0, 20.5)]
    samples = [(9.0, 900 * 2**20), (11.0, 100 * 2**20), (20.2, 300 * 2**20), (30.0, 50 * 2**20)]
    assert peak_mb(samples, windows) == 300
    step = measure("two windows", windows, samples)
    assert (step.seconds, step.peak_rss_mb, step.count) == (2.5, 300, 2)


def test_dbt_windows_read_the_invocations_parse_and_node_timings(tmp_path):
    invocation = "inv-1"
    (tmp_path / "run_results.json").write_text(
        json.dumps(
            {
                "metadata": {
                    "invocation_id": invocation,
                    "invocation_started_at": "2026-12-04T10:00:00Z",
                },
                "results": [
                    {
                        "unique_id": "model.expansion.int_account_days",
                        "timing": [
                            {"started_at": f"{DAY}T10:00:05", "completed_at": f"{DAY}T10:00:06"},
                            {"started_at": f"{DAY}T10:00:06", "completed_at": f"{DAY}T10:00:09"},
                        ],
                    },
                    {"unique_id": "test.expansion.not_null_x", "timing": []},
                ],
            }
        )
    )
    log_line = {
        "info": {"name": "FoundStats", "invocation_id": invocation, "ts": "2026-12-04T10:00:04Z"}
    }
    older_invocation = {
        "info": {"name": "UnableToPartialParse", "invocation_id": "inv-0", "ts": f"{DAY}T09:00:01Z"}
    }
    log = [json.dumps(older_invocation), json.dumps(log_line)]
    (tmp_path / "dbt.log").write_text("\n".join(log) + "\n")

    windows, how = dbt_windows(tmp_path)
    assert [w.name for w in windows] == ["parse", "model.expansion.int_account_days"]
    assert windows[0].seconds == 4.0
    assert windows[1].seconds == 4.0  # compile and execute
    assert how == "partial"  # the full parse was another invocation's

    (tmp_path / "dbt.log.1").write_text(
        json.dumps({"info": {**older_invocation["info"], "invocation_id": invocation}}) + "\n"
    )
    assert dbt_windows(tmp_path)[1] == "full"


def test_the_process_tree_of_this_process_has_resident_memory():
    assert tree_rss_bytes(os.getpid()) > 10 * 2**20
    assert tree_rss_bytes(2**22 + 1) == 0  # no such process


def test_the_sampler_records_the_memory_of_a_process_tree_until_stopped():
    sampler = ProcessTreeSampler(os.getpid(), interval=0.01)
    sampler.start()
    while not sampler.samples:
        time.sleep(0.01)
    samples = sampler.stop()
    assert not sampler.is_alive()
    assert all(rss > 10 * 2**20 for _, rss in samples)
