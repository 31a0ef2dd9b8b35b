"""A real browser for the widget tests: Debian's Chromium driven by Playwright, and a host page
on its own origin that iframes the widget and records every message it receives."""
from __future__ import annotations

import http.server
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# The partner's page: iframes ?src=<widget url> and keeps every message event's data, in order.
HOST_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body>
<script>
window.received = [];
window.addEventListener("message", function (e) { window.received.push(e.data); });
var frame = document.createElement("iframe");
frame.id = "widget"; frame.width = "440"; frame.height = "680"; frame.title = "Connect";
frame.src = new URLSearchParams(location.search).get("src");
document.body.appendChild(frame);
</script></body></html>"""


class _Host(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(HOST_PAGE)

    def log_message(self, *args: Any) -> None:
        pass


def host_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_context() -> Iterator[Any]:
    """One headless Chromium with a fresh profile; skips (with the reason) when it cannot run."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    profile = tempfile.mkdtemp(prefix="mx-widget-chromium-")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=ARGS, viewport={"width": 480, "height": 720})
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def chromium_browser() -> Iterator[Any]:
    """One headless Chromium for a whole worker, for tests that open several contexts (one per tenant)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
