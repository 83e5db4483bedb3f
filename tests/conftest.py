"""Fixtures shared across test tiers: a headless Chromium driven over the DevTools
protocol, and a local Slack-compatible webhook on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,1000",
)
PAGE_STATE = """JSON.stringify({
    title: document.title,
    plots: document.querySelectorAll(".chart .js-plotly-plot").length,
    drawn: document.querySelector(".chart .main-svg") !== null,
    bars: document.querySelectorAll(".chart .barlayer .point").length,
    bigValues: [...document.querySelectorAll(".big-value-number")].map(e => e.textContent),
    tableRows: document.querySelectorAll(".data-table tbody tr").length,
})"""


class DevTools:
    """Just enough of the Chrome DevTools Protocol: commands, and the events seen meanwhile."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.events: list[dict] = []
        self._last_id = 0

    def call(self, method: str, **params) -> dict:
        self._last_id += 1
        self.socket.send(json.dumps({"id": self._last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=30))
            if message.get("id") == self._last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for_event(self, method: str) -> dict:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=30)))
        return next(e for e in self.events if e.get("method") == method)

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"][
            "value"
        ]

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors seen so far."""
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled" and params["type"] == "error":
                found.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"]["text"])
            elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found


@contextmanager
def chromium(profile: Path) -> Iterator[DevTools]:
    from websockets.sync.client import connect

    profile.mkdir()
    browser = subprocess.Popen(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = _devtools_port(profile / "DevToolsActivePort")
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], proxy=None, max_size=None) as socket:
            yield DevTools(socket)
    finally:
        browser.terminate()
        browser.wait(timeout=30)


def _devtools_port(port_file: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while not (port_file.exists() and port_file.read_text().strip()):
        if time.monotonic() > deadline:
            raise TimeoutError("chromium did not open its DevTools port")
        time.sleep(0.1)
    return int(port_file.read_text().splitlines()[0])


def artifacts_dir(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("EXPANSION_ARTIFACTS_DIR") or tmp_path / "artifacts")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@dataclass(frozen=True)
class PageVisit:
    state: dict
    """What PAGE_STATE found in the loaded page."""
    errors: list[str]
    screenshot: Path


@pytest.fixture
def browse(tmp_path) -> Callable[[Path, str], PageVisit]:
    """Open a local HTML file in headless Chromium, wait for it to load, read the page's
    state, save a full-page screenshot to the artifacts folder and collect console errors."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (run scripts/install_system_packages.sh)")
    pytest.importorskip("websockets", reason="the DevTools client needs the websockets package")

    def visit(page: Path, screenshot_name: str) -> PageVisit:
        with chromium(tmp_path / f"profile-{screenshot_name}") as devtools:
            for domain in ("Runtime", "Log", "Page"):
                devtools.call(f"{domain}.enable")
            devtools.call("Page.navigate", url=page.as_uri())
            devtools.wait_for_event("Page.loadEventFired")
            state = json.loads(devtools.evaluate(PAGE_STATE))
            size = devtools.call("Page.getLayoutMetrics")["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            shot = devtools.call(
                "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
            )
            screenshot = artifacts_dir(tmp_path) / f"{screenshot_name}.png"
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            return PageVisit(state=state, errors=devtools.errors(), screenshot=screenshot)

    return visit


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
