"""One writer per data directory: the refresh lock.

Every refresh of a data directory - ``expansion refresh`` and ``expansion demo``
from a shell or cron, the Dagster schedule and sensor, a materialisation started
from the Dagster UI - holds ``DATA_DIR/refresh.lock`` for its whole run. The
lock is an ``flock`` on that file: the kernel releases it when the process
exits, however it exits, so a refresh killed with SIGKILL (or by the OOM
killer, or a power cut) never leaves a stale lock behind. While holding it the
refresh writes its pid and start time into the file, which is how a second
refresh can say who is in its way: "a refresh is already running (pid 4242,
started at 2026-11-22 02:00:03 UTC)".

A second refresh waits up to ``wait_seconds`` for the lock, then gives up
with :class:`RefreshAlreadyRunning` without having touched anything in the
data directory. ``EXPANSION_REFRESH_WAIT_SECONDS`` sets the wait (default 0:
give up at once); ``expansion refresh --wait`` overrides it.

The lock is re-entrant within a process: the command line takes it before it
starts the Dagster job, and the job's warehouse resource takes it again (a
no-op then), so that a run started by Dagster alone is covered too.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from expansion.clock import utc_now

LOCK_FILE_NAME = "refresh.lock"
WAIT_SECONDS_ENV = "EXPANSION_REFRESH_WAIT_SECONDS"
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class LockHolder:
    """What the running refresh wrote into the lock file."""

    pid: int | None
    started_at: str | None

    def describe(self) -> str:
        if self.pid is None:
            return "a refresh is already running (it has not recorded its pid yet)"
        return f"a refresh is already running (pid {self.pid}, started at {self.started_at})"


class RefreshAlreadyRunning(Exception):
    """Another process holds the data directory's refresh lock."""

    def __init__(self, lock_file: Path, holder: LockHolder, waited_seconds: float) -> None:
        self.lock_file = lock_file
        self.holder = holder
        self.waited_seconds = waited_seconds
        waited = f" (waited {waited_seconds:g} s)" if waited_seconds else ""
        super().__init__(f"{holder.describe()}{waited}; lock file {lock_file}")


def wait_seconds_from_env(default: float = 0.0) -> float:
    """``EXPANSION_REFRESH_WAIT_SECONDS`` as a number of seconds (``default`` when unset)."""
    text = os.environ.get(WAIT_SECONDS_ENV, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{WAIT_SECONDS_ENV} must be a number of seconds, got {text!r}") from None
    if seconds < 0:
        raise ValueError(f"{WAIT_SECONDS_ENV} must not be negative, got {text!r}")
    return seconds


def read_holder(lock_file: Path) -> LockHolder:
    """The pid and start time recorded in a lock file (None where unreadable)."""
    try:
        record = json.loads(lock_file.read_text() or "{}")
    except (OSError, ValueError):
        record = {}
    pid = record.get("pid")
    return LockHolder(
        pid=pid if isinstance(pid, int) else None, started_at=record.get("started_at")
    )


_held: set[Path] = set()
"""The lock files this process holds."""


@contextmanager
def hold_refresh_lock(data_dir: Path, wait_seconds: float = 0.0) -> Iterator[Path]:
    """Hold ``data_dir``'s refresh lock for the block; yields the lock file's path.

    Raises :class:`RefreshAlreadyRunning` when another process still holds it
    after ``wait_seconds``. Creates ``data_dir`` when it does not exist yet. Inside
    a block that already holds it (in this process), it is a no-op.
    """
    lock_file = (Path(data_dir) / LOCK_FILE_NAME).resolve()
    if lock_file in _held:
        yield lock_file
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = _acquire(lock_file, wait_seconds)
    _held.add(lock_file)
    try:
        _record_holder(fd)
        yield lock_file
    finally:
        _held.discard(lock_file)
        os.ftruncate(fd, 0)  # nobody holds it any more; the kernel drops the flock on close
        os.close(fd)


def _acquire(lock_file: Path, wait_seconds: float) -> int:
    """An open descriptor of ``lock_file`` holding an exclusive flock."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    started = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            waited = time.monotonic() - started
            if waited >= wait_seconds:
                os.close(fd)
                raise RefreshAlreadyRunning(
                    lock_file, read_holder(lock_file), wait_seconds
                ) from None
            time.sleep(min(POLL_SECONDS, wait_seconds - waited))


def _record_holder(fd: int) -> None:
    started_at = utc_now().strftime("%Y-%m-%d %H:%M:%S UTC")
    record = json.dumps({"pid": os.getpid(), "started_at": started_at}).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, record + b"\n", 0)
