"""The QA console: `/` links to it; `/_sandbox/console` is one page for a signed-in tenant.

The page is a Jinja2 shell (autoescaped; its data in a `\\u003c`-escaped JSON block) plus static JS
per view, under the widget page's strict CSP. The JS calls the MX API and the `/_sandbox/*` control
routes like any client, with the browser's Basic credentials: this module adds only the page, its
assets and the tenant list.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...core.errors import MXError, Unauthorized
from ...core.members.model import STATUSES
from ..auth import client_id_from
from ..endpoint import CHALLENGE, Ctx, error_response, mx_route
from ..widget_html import HEADERS, script_json
from .widget_page import static_assets

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"


@functools.cache  # Jinja2 loads on the first console page, not at start-up
def _templates() -> "Jinja2Templates":
    from starlette.templating import Jinja2Templates

    return Jinja2Templates(directory=str(TEMPLATE_DIR))


ASSETS = {name: "text/javascript" for name in (
    "console.js", "console-members.js", "console-member.js", "console-timeline.js", "console-clock.js",
    "console-widget.js", "console-scenarios.js")}
ASSETS["console.css"] = "text/css"
MAX_LISTED_TENANTS = 200  # the picker lists at most this many, most recently used first
PRODUCTS = ("transactions", "account_verification", "identity_verification", "statements", "investments", "rewards")


def _csp(request: Request) -> str:
    """The widget page's policy, plus frames from this server (its public URL may be another origin)."""
    public = urlsplit(request.app.state.config.base_url)
    frames = "'self'" + (f" {public.scheme}://{public.netloc}" if public.scheme in ("http", "https") else "")
    # mx: lets a WebView-mode widget's mx:// navigations reach its frame's sandbox, which refuses to
    # launch them (rather than the policy turning the frame into an error page).
    return HEADERS["Content-Security-Policy"] + f"; frame-src {frames} mx:"


def _page(request: Request, template: str, context: dict, status: int = 200) -> Response:
    headers = {**HEADERS, "Content-Security-Policy": _csp(request)}
    if status == 401:
        headers.update(CHALLENGE)
    return _templates().TemplateResponse(request, template, context, status_code=status, headers=headers)


async def index(request: Request) -> Response:
    """`/` for people: what this server is and where the console is. API clients keep MX's 404."""
    if "text/html" not in request.headers.get("accept", ""):
        return error_response(MXError("Invalid route", 404))
    return _page(request, "console/index.html", {})


async def to_console(request: Request) -> Response:
    return RedirectResponse("/_sandbox/console", 307)


async def console(request: Request) -> Response:
    """The console for the signed-in tenant; without valid Basic credentials a 401 that makes the
    browser ask (and a page that says why, should the person cancel)."""
    state = request.app.state
    try:
        client_id = client_id_from(request.headers, state.credentials)
    except Unauthorized:
        return _page(request, "console/sign_in.html", {}, status=401)
    boot = {
        "client_id": client_id,
        "picker": state.credentials is None,
        "public_url": state.config.base_url,
        "statuses": list(STATUSES),
        "products": list(PRODUCTS),
        "credentials": state.tenants.fixtures.book.test_credentials(),
    }
    return _page(request, "console/console.html", {"client_id": client_id, "boot": script_json(boot)})


def list_tenants(ctx: Ctx):
    """The tenants this server holds, for the picker: every one only when any pair is accepted
    (`--credentials` off: anyone may sign in as any of them); otherwise the caller's alone."""
    state = ctx.request.app.state
    if state.credentials is not None:
        return {"tenants": [ctx.tenant.client_id], "picker": False}
    recent = [t.client_id for t in reversed(state.tenants.all())][:MAX_LISTED_TENANTS]
    return {"tenants": recent, "picker": True}


def member_products(ctx: Ctx):
    """`?member_guid=…` (repeated, at most 100): the products each member was asked for, which MX's
    member JSON does not carry. Unknown guids are left out."""
    guids = ctx.query.getlist("member_guid")[:100]
    found = {}
    for guid in guids:
        try:
            found[guid] = sorted(ctx.tenant.members.get_any(guid).products)
        except MXError:
            continue
    return {"products": found}


routes = [
    Route("/", index, methods=["GET"]),
    Route("/_sandbox", to_console, methods=["GET"]),
    Route("/_sandbox/console", console, methods=["GET"]),
    Route("/_sandbox/console/assets/{name}", static_assets(ASSETS), methods=["GET"]),
    Route("/_sandbox/console/tenants", mx_route(list_tenants, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/console/products", mx_route(member_products, versioned=False, record=False), methods=["GET"]),
]
