"""Finding and stopping child processes, from ``/proc`` (Linux).

Two commands start long-lived children they must not leave behind:
``expansion ui`` (``dagster dev`` and its webserver, daemon and code servers,
all in one process group) and ``expansion refresh`` (dbt, which keeps writing
the warehouse if it outlives an interrupted refresh).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable


def _stat_fields(pid: str) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name: state, ppid, pgrp, ...; None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _live_processes() -> Iterable[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process that is not a zombie."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(entry.name)
            if fields is not None and fields[0] != "Z":
                yield int(entry.name), int(fields[1]), int(fields[2])


def live_children(parent: int, running: str | None = None) -> set[int]:
    """The live child processes of ``parent``; with ``running``, only those whose command
    line has that argument (an executable's path)."""
    return {
        pid
        for pid, ppid, _ in _live_processes()
        if ppid == parent and (running is None or running in _command_line(pid))
    }


def _command_line(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().decode(errors="replace").split("\0")
    except OSError:
        return []


def group_has_live_members(group: int) -> bool:
    return any(pgrp == group for _, _, pgrp in _live_processes())


def stop_processes(pids: set[int], grace_seconds: float, first: int = signal.SIGTERM) -> None:
    """Send ``first`` to each process, then SIGKILL those still alive after the grace."""
    for pid in pids:
        _send(pid, first)
    deadline = time.monotonic() + grace_seconds
    while pids and time.monotonic() < deadline:
        alive = {pid for pid, _, _ in _live_processes()}
        pids = pids & alive
        time.sleep(0.1)
    for pid in pids:
        _send(pid, signal.SIGKILL)


def _send(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
