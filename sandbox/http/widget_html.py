"""Server-rendered HTML for the widget: the Connect shell, the expired page, the placeholder.

Everything dynamic is escaped (`html.escape`, or `\\u003c`-escaped JSON inside a non-executable
script tag); the page's behaviour lives in static/connect.js, and the CSP forbids inline script.
"""
from __future__ import annotations

import html
import json
from typing import Any

from starlette.responses import HTMLResponse, Response

from ..core.errors import MXError
from .endpoint import error_response

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'")
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Content-Type-Options": "nosniff"}


def script_json(data: Any) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _shell(title: str, body: str, lang: str = "en-US", theme: str = "light", status: int = 200) -> HTMLResponse:
    page = (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}" data-theme="{html.escape(theme)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="/md/assets/connect.css">\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return HTMLResponse(page, status_code=status, headers=HEADERS)


def _banner(hint: dict[str, Any] | None) -> str:
    """The dismissible "sandbox" banner; with `hint`, MX Bank's test credentials in a disclosure."""
    e = html.escape
    table = ""
    if hint:
        rows = "".join(f"<tr><td><code>{e(r['password'])}</code></td><td>{e(r['outcome'])}</td></tr>"
                       for r in hint["rows"] if r["password"] is not None)
        default = next(r["outcome"] for r in hint["rows"] if r["password"] is None)
        table = (f'<details class="hint"><summary>MX Bank test credentials</summary>'
                 f"<p>Username <code>{e(hint['username'] or 'any')}</code>; the password decides:</p>"
                 f'<table><thead><tr><th scope="col">Password</th><th scope="col">Result</th></tr></thead>'
                 f"<tbody>{rows}<tr><td>anything else</td><td>{e(default)}</td></tr></tbody></table>"
                 "<p>Answer a challenge with <code>correct</code>.</p></details>")
    return ('<aside class="sandbox-banner" id="sandbox-banner" aria-label="Sandbox">'
            '<p><strong>Sandbox</strong> · mx-sandbox stands in for the Connect widget; no real bank is contacted.</p>'
            f'{table}<button type="button" class="banner-close" id="sandbox-banner-close" '
            'aria-label="Dismiss the sandbox banner">×</button></aside>\n')


def connect_page(boot: dict[str, Any], lang: str, theme: str, hint: dict[str, Any] | None = None) -> HTMLResponse:
    body = (
        _banner(hint)
        + '<main id="app" class="widget" aria-live="polite"><p class="muted">Loading…</p></main>\n'
        f'<script type="application/json" id="mx-boot">{script_json(boot)}</script>\n'
        # banner.js before connect.js: in WebView mode connect.js navigates (mx://load) at once, which
        # would stop the parser before a later script
        '<script src="/md/assets/dom.js"></script>\n<script src="/md/assets/banner.js"></script>\n'
        '<script src="/md/assets/connect.js"></script>'
    )
    return _shell("Connect your account", body, lang, theme)


def placeholder_page(widget_type: str) -> HTMLResponse:
    body = (
        '<main class="widget"><h1>Widget placeholder</h1>'
        f"<p>mx-sandbox does not emulate the <code>{html.escape(widget_type)}</code>. "
        "Only the Connect widget is interactive here.</p></main>"
    )
    return _shell(widget_type, body)


def problem_page(request_accept: str, error: MXError) -> Response:
    """410 / 404 for a widget URL: JSON in MX's error shape when asked for, else a human page."""
    if "application/json" in request_accept:
        return error_response(error)
    heading = "This link has expired" if error.status == 410 else "Widget not found"
    body = (
        f'<main class="widget"><h1>{html.escape(heading)}</h1><p>{html.escape(error.message)}</p>'
        "<p class=\"muted\">Ask the app you came from to open the widget again.</p></main>"
    )
    return _shell(heading, body, status=error.status)
