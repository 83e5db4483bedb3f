"""``expansion ui``: the Dagster UI, stopped promptly and completely.

``dagster dev`` starts a webserver, a daemon and code servers (and the daemon
starts runs), all as children in its process group. Stopped with SIGTERM - as a
service manager or a container runtime stops it - it asks each child to shut
down and waits up to a minute for each, and a child that ignores SIGTERM keeps
running after its parent is gone. So the command line does not become
``dagster dev``: it starts it in a process group of its own and, on SIGTERM,
SIGINT or SIGHUP, sends SIGTERM to the whole group, waits at most
:data:`STOP_GRACE_SECONDS` for it to empty, then SIGKILLs whatever is left.
A refresh running in the UI at that moment is killed with it; the refresh lock
is released by the kernel and the last published version stays in place.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence

from expansion.processes import group_has_live_members

STOP_GRACE_SECONDS = 5.0
KILL_SETTLE_SECONDS = 2.0
"""How long a SIGKILLed member may take to finish exiting (the kernel frees its memory
first) before :func:`stop_process_group` returns."""
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def serve(command: Sequence[str], grace_seconds: float = STOP_GRACE_SECONDS) -> int:
    """Run ``command`` in its own process group until it exits or a stop signal arrives.

    Returns the command's exit code, or 0 when it was stopped by a signal.
    """
    received: list[int] = []

    def request_stop(signum: int, _frame) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
    try:
        process = subprocess.Popen(list(command), process_group=0)
        while process.poll() is None and not received:
            time.sleep(0.2)
        stop_process_group(process, grace_seconds)  # on its own exit too: what it left behind
        return 0 if received else process.returncode
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_process_group(process: subprocess.Popen, grace_seconds: float) -> None:
    """SIGTERM the process's group, then SIGKILL it if anything is left after the grace;
    returns once no member is left running."""
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        process.wait()
        return
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline:
        process.poll()  # reap the group leader, so that it does not count as alive
        if not group_has_live_members(group):
            break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    process.wait()
    settled = time.monotonic() + KILL_SETTLE_SECONDS
    while group_has_live_members(group) and time.monotonic() < settled:
        time.sleep(0.05)
