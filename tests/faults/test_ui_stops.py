"""``expansion ui`` stopped with SIGTERM, as a service manager or a container runtime
stops it (issue 19, point 7): the Dagster webserver, daemon and code servers go with it,
promptly, even the ones that ignore SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from expansion.settings import PROJECT_ROOT
from expansion.ui import STOP_GRACE_SECONDS, stop_process_group

pytestmark = pytest.mark.e2e


def parent_pids() -> dict[int, int]:
    """pid -> parent pid of every running process (zombies excluded)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int) -> set[int]:
    parents, found, frontier = parent_pids(), set(), {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def alive(pids: set[int]) -> set[int]:
    return pids & set(parent_pids())


STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
if sys.argv[1] == "parent":
    subprocess.Popen([sys.executable, sys.argv[0], "child"])
print("ready", flush=True)
time.sleep(600)
"""


def test_a_process_group_that_ignores_sigterm_is_killed_after_the_grace(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    group = subprocess.Popen(
        [sys.executable, str(script), "parent"], stdout=subprocess.PIPE, text=True, process_group=0
    )
    assert group.stdout.readline().strip() == "ready"
    time.sleep(0.5)  # the child is up too
    members = {group.pid} | descendants(group.pid)
    assert len(members) == 2

    started = time.monotonic()
    stop_process_group(group, grace_seconds=1.0)

    assert 1.0 <= time.monotonic() - started < 3
    assert alive(members) == set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_webserver(port: int, ui: subprocess.Popen, timeout: float = 240) -> None:
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert ui.poll() is None, ui.stdout.read()
        try:
            with no_proxy.open(f"http://127.0.0.1:{port}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError("the Dagster webserver did not answer")


def test_expansion_ui_stopped_with_sigterm_takes_webserver_daemon_and_code_servers_with_it(
    tmp_path,
):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    port = free_port()
    command = ["ui", "--data-dir", str(tmp_path / "data"), "--port", str(port)]
    ui = subprocess.Popen(
        [sys.executable, "-m", "expansion.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        start_new_session=True,  # so that the test can clean up whatever is left
    )
    services: set[int] = set()
    try:
        wait_for_webserver(port, ui)
        time.sleep(2)  # let the daemon start its code server too
        services = descendants(ui.pid)
        assert len(services) >= 3, "dagster dev, its webserver and its daemon"

        ui.send_signal(signal.SIGTERM)
        started = time.monotonic()
        ui.wait(timeout=STOP_GRACE_SECONDS + 10)
        seconds = time.monotonic() - started
        leftovers = alive(services)
    finally:
        for pid in alive(services | descendants(ui.pid) | {ui.pid}):
            os.kill(pid, signal.SIGKILL)

    assert ui.returncode == 0
    assert seconds <= STOP_GRACE_SECONDS + 2
    assert leftovers == set()
