"""One writer per data directory (issue 19, point 1): the refresh lock, from the lock
itself to the command line and the Dagster job. The whole nightly job with a second
refresh started beside it is in test_nightly_faults.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from expansion.refresh_lock import (
    LOCK_FILE_NAME,
    WAIT_SECONDS_ENV,
    RefreshAlreadyRunning,
    hold_refresh_lock,
)
from expansion.runner import ExitCode, root_cause
from expansion.settings import PROJECT_ROOT
from orchestration.resources import WarehouseResource

HOLDER = """
import sys, time
from pathlib import Path
from expansion.refresh_lock import hold_refresh_lock
with hold_refresh_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(600)
"""


@contextmanager
def lock_held_by_another_process(data_dir: Path) -> Iterator[subprocess.Popen]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_second_holder_is_told_who_holds_the_lock_and_since_when(tmp_path):
    with lock_held_by_another_process(tmp_path) as holder:
        recorded = json.loads((tmp_path / LOCK_FILE_NAME).read_text())
        with pytest.raises(RefreshAlreadyRunning) as refused, hold_refresh_lock(tmp_path):
            pass

    assert recorded["pid"] == holder.pid
    assert str(refused.value).startswith(
        f"a refresh is already running (pid {holder.pid}, started at {recorded['started_at']})"
    )
    assert recorded["started_at"].endswith(" UTC")


def test_a_second_holder_waits_the_time_it_was_given_and_no_longer(tmp_path):
    with lock_held_by_another_process(tmp_path):
        started = time.monotonic()
        with (
            pytest.raises(RefreshAlreadyRunning, match=r"\(waited 1.5 s\)"),
            hold_refresh_lock(tmp_path, wait_seconds=1.5),
        ):
            pass
        waited = time.monotonic() - started

    assert 1.5 <= waited < 3


def test_a_waiting_holder_gets_the_lock_as_soon_as_the_first_is_killed(tmp_path):
    with lock_held_by_another_process(tmp_path) as holder:
        os.kill(holder.pid, signal.SIGKILL)  # no chance to clean up: the kernel releases it
        holder.wait()
        with hold_refresh_lock(tmp_path, wait_seconds=5) as lock_file:
            recorded = json.loads(lock_file.read_text())

    assert recorded["pid"] == os.getpid()


def test_the_lock_is_reentrant_in_one_process_and_released_after_the_outer_block(tmp_path):
    with hold_refresh_lock(tmp_path), hold_refresh_lock(tmp_path):
        pass
    with lock_held_by_another_process(tmp_path):
        pass  # another process could take it: this one let it go


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "expansion.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
    )


def test_a_refresh_exits_75_at_once_naming_the_running_one_and_touches_nothing(tmp_path):
    data_dir, landing = tmp_path / "data", tmp_path / "landing"
    landing.mkdir()
    (data_dir / "logs").mkdir(parents=True)
    (data_dir / "logs" / "last_refresh.log").write_text("the running refresh's log\n")

    with lock_held_by_another_process(data_dir) as holder:
        started = time.monotonic()
        busy = run_cli("refresh", "--landing", str(landing), "--data-dir", str(data_dir))
        seconds = time.monotonic() - started
        waited = run_cli(
            "refresh",
            "--landing",
            str(landing),
            "--data-dir",
            str(data_dir),
            **{WAIT_SECONDS_ENV: "1"},
        )

    assert busy.returncode == ExitCode.ALREADY_RUNNING == 75
    assert f"a refresh is already running (pid {holder.pid}, started at " in busy.stderr
    assert "nothing was done, try again later" in busy.stderr
    assert seconds < 15, "it gives up before starting Dagster"
    assert (data_dir / "logs" / "last_refresh.log").read_text() == "the running refresh's log\n"
    assert sorted(p.name for p in data_dir.iterdir()) == ["logs", LOCK_FILE_NAME]
    assert waited.returncode == 75
    assert "(waited 1 s)" in waited.stderr


def test_the_demo_does_not_rewrite_a_landing_zone_that_a_refresh_is_reading(tmp_path):
    with lock_held_by_another_process(tmp_path):
        busy = run_cli("demo", "--data-dir", str(tmp_path), "--accounts", "5", "--days", "5")

    assert busy.returncode == 75
    assert not (tmp_path / "landing").exists()


def test_every_step_of_the_nightly_job_needs_the_warehouse_and_so_takes_the_lock():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("nightly_refresh")
    steps = job.graph.node_defs
    assert steps
    assert {step.name for step in steps if "warehouse" not in step.required_resource_keys} == set()


def test_a_dagster_run_fails_at_start_naming_the_refresh_that_holds_the_data_dir(tmp_path):
    @dg.asset
    def writes_the_warehouse(warehouse: WarehouseResource) -> None:
        raise AssertionError("must not run while another refresh holds the data directory")

    with lock_held_by_another_process(tmp_path) as holder:
        result = dg.materialize(
            [writes_the_warehouse],
            resources={
                "warehouse": WarehouseResource(
                    data_dir=str(tmp_path), landing_dir=str(tmp_path / "landing")
                )
            },
            raise_on_error=False,
        )

    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE"]
    assert root_cause(failure.event_specific_data.error).startswith(
        f"expansion.refresh_lock.RefreshAlreadyRunning: a refresh is already running "
        f"(pid {holder.pid}, started at "
    )
    assert not result.get_asset_materialization_events()
