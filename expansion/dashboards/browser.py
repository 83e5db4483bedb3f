"""Drive headless Chromium over the DevTools protocol: open the site's pages, read what
they show, take screenshots. Used by ``scripts/screenshots.sh`` and the browser tests.

One browser and one tab serve every page; pages are served by a local HTTP server on
127.0.0.1 (so Chromium caches plotly.js between pages), and any request to another
host is recorded.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
)


def chromium_path() -> str | None:
    return shutil.which("chromium")


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
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self._last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for_event(self, method: str, timeout: float = 60, **params) -> dict:
        """The first event ``method`` seen (since ``events`` was last cleared) whose
        parameters include ``params``."""

        def matches(event: dict) -> bool:
            given = event.get("params", {})
            return event.get("method") == method and all(
                given.get(k) == v for k, v in params.items()
            )

        deadline = time.monotonic() + timeout
        while not any(matches(e) for e in self.events):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.events.append(json.loads(self.socket.recv(timeout=remaining)))
        return next(e for e in self.events if matches(e))

    def evaluate(self, expression: str):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "evaluation failed"))
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors seen so far."""
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled" and params["type"] == "error":
                found.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(details.get("exception", {}).get("description") or details["text"])
            elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]


@contextmanager
def chromium(profile: Path, width: int = 1400, height: int = 900) -> Iterator[DevTools]:
    """A headless Chromium with one tab, its Runtime, Log, Page and Network domains on."""
    from websockets.sync.client import connect

    binary = chromium_path()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (scripts/install_system_packages.sh)")
    profile.mkdir(parents=True, exist_ok=True)
    browser = subprocess.Popen(
        [
            binary,
            *CHROMIUM_FLAGS,
            f"--window-size={width},{height}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
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
            devtools = DevTools(socket)
            for domain in ("Runtime", "Log", "Page", "Network"):
                devtools.call(f"{domain}.enable")
            devtools.call("Page.setLifecycleEventsEnabled", enabled=True)
            yield devtools
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


class _QuietHandler(SimpleHTTPRequestHandler):
    served_empty: frozenset[str] = frozenset()

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        if self.path.lstrip("/") in self.served_empty:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return io.BytesIO()
        return super().send_head()


@contextmanager
def serve(directory: Path, served_empty: Iterable[str] = ()) -> Iterator[str]:
    """The directory on a local HTTP server; yields its base URL (``http://127.0.0.1:N/``).
    Files at the ``served_empty`` paths (relative to the directory) are served empty."""
    empty = frozenset(served_empty)
    handler_class = type("Handler", (_QuietHandler,), {"served_empty": empty})
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Visit:
    url: str
    state: dict
    errors: list[str]
    requests: list[str] = field(default_factory=list)


def open_page(devtools: DevTools, url: str, probe: str, in_place: bool = False) -> Visit:
    """Load ``url`` in the tab, wait for it and its charts, and evaluate ``probe`` (JSON).

    ``in_place`` writes the page into the tab's current document instead of navigating
    (``WRITE_IN_PLACE``): for a page of the same site, the same HTML, styles and scripts
    at the same address, for half the CPU time of a navigation."""
    devtools.events.clear()
    if in_place:
        devtools.evaluate(f"({WRITE_IN_PLACE})({json.dumps(url)})")
    else:
        # the load of this navigation: a page written in place before it reports a load
        # of its own, which can arrive after the navigation started. (A change of the
        # address's #fragment only has no loader: the page reloads itself, site.js.)
        loader = devtools.call("Page.navigate", url=url).get("loaderId")
        if loader:
            devtools.wait_for_event("Page.lifecycleEvent", name="load", loaderId=loader)
        else:
            devtools.wait_for_event("Page.loadEventFired")
    state = json.loads(devtools.evaluate(probe))
    return Visit(url, state, devtools.errors(), devtools.requests())


WRITE_IN_PLACE = """async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const html = await response.text();
  history.replaceState(null, "", url);
  document.open();
  document.write(html);
  document.close();
  if (document.readyState !== "complete") {
    await new Promise((loaded) => window.addEventListener("load", loaded, { once: true }));
  }
}"""
"""Replace the tab's document with the page at ``url`` (same origin) and wait for its load:
a new document tree parsed from the page's HTML at the page's address, its styles and
scripts run again, without the cost of a navigation (a new document and its frame)."""


def screenshot(devtools: DevTools, path: Path, width: int) -> None:
    """A full-page PNG of the current page at ``width`` CSS pixels."""
    devtools.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    devtools.evaluate(
        "new Promise(r => { window.dispatchEvent(new Event('resize')); setTimeout(r, 300); })"
    )
    size = devtools.call("Page.getLayoutMetrics")["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 1}
    shot = devtools.call(
        "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def take_screenshots(
    site: Path, out_dir: Path, widths: tuple[int, ...] = (1400, 800)
) -> list[Path]:
    """A screenshot of every page of the site that is not an account page, and of the
    first account page, at each width: ``<page>-<width>.png`` in ``out_dir``."""
    pages = sorted(p.relative_to(site) for p in site.rglob("index.html"))
    accounts = [p for p in pages if p.parts[0] == "accounts"]
    chosen = [p for p in pages if p.parts[0] != "accounts"] + accounts[:1]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with (
        serve(site) as base,
        tempfile.TemporaryDirectory() as profile,
        chromium(Path(profile) / "profile") as devtools,
    ):
        for page in chosen:
            name = "-".join(page.parent.parts) or "overview"
            if page.parts[0] == "accounts":
                name = "account"
            open_page(devtools, base + page.as_posix(), "'{}'")
            for width in widths:
                path = out_dir / f"{name}-{width}.png"
                screenshot(devtools, path, width)
                written.append(path)
    return written
