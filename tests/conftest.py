"""Shared across test tiers: each pytest-xdist worker's own Dagster home, and a local
Slack-compatible webhook on 127.0.0.1.
(The browser tests drive Chromium through ``expansion.dashboards.browser``.)"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (``-n``), each worker process keeps its Dagster runs in its own
    home, a folder of the ``DAGSTER_HOME`` it was given with the same settings.

    And its ``__main__`` names a file: a worker's is execnet's bootstrap, given on the
    command line, and pyspark (which Great Expectations imports when the spark extra is
    installed) takes a ``__main__`` without one for its own doctest runner and exits the
    process (``pyspark.sql.connect.utils.check_dependencies``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    main = sys.modules["__main__"]
    if not hasattr(main, "__file__"):
        main.__file__ = "<pytest-xdist worker>"
    shared_home = os.environ.get("DAGSTER_HOME")
    if shared_home:
        home = os.path.join(shared_home, worker)
        os.makedirs(home, exist_ok=True)
        settings = os.path.join(shared_home, "dagster.yaml")
        if os.path.exists(settings):
            shutil.copyfile(settings, os.path.join(home, "dagster.yaml"))
        os.environ["DAGSTER_HOME"] = home


@dataclass
class Webhook:
    url: str
    received: list[dict] = field(default_factory=list)
    failures_to_answer: list[int] = field(default_factory=list)
    """HTTP statuses to answer, in order, before answering 200 again."""


@contextmanager
def local_webhook() -> Iterator[Webhook]:
    """A Slack-compatible incoming webhook on 127.0.0.1 that records what it receives."""
    hook = Webhook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = hook.failures_to_answer.pop(0) if hook.failures_to_answer else 200
            if status == 200:
                hook.received.append(json.loads(body))
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"error")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_port}/hooks/expansion"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with local_webhook() as hook:
        yield hook


@pytest.fixture(scope="session")
def session_webhook() -> Iterator[Webhook]:
    """One webhook for the whole run, for end-to-end tests that span several refreshes."""
    with local_webhook() as hook:
        yield hook
