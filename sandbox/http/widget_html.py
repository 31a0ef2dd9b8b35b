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


def _script_json(data: Any) -> str:
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


def connect_page(boot: dict[str, Any], lang: str, theme: str) -> HTMLResponse:
    body = (
        '<main id="app" class="widget" aria-live="polite"><p class="muted">Loading…</p></main>\n'
        f'<script type="application/json" id="mx-boot">{_script_json(boot)}</script>\n'
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
