"""The served widget: GET /md/connect/{token} and the JSON calls its page makes.

The browser has no Basic auth: the URL token (and then the session secret embedded in the page)
leads back to the tenant through the app-level TokenDirectory (`TenantRegistry.owner_of`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ...core.errors import MXError, NotFound
from ...core.tenant import Tenant
from ...core.widget.session import WidgetSession
from ...core.widget.store import SESSION_KIND, URL_KIND
from ...serialize.widget import messages_json, session_json
from ..driver import catch_up, gate
from ..endpoint import error_response, json_response
from ..parsing import read_json
from ..widget_html import connect_page, placeholder_page, problem_page
from .widget_urls import widget_path

STATIC = Path(__file__).resolve().parents[1] / "static"
ASSETS = {"connect.js": "text/javascript", "connect.css": "text/css", "banner.js": "text/javascript",
          "dom.js": "text/javascript"}
API = "/md/api/sessions"


def tenant_for(request: Request, kind: str, token: str) -> Tenant:
    tenant = request.app.state.tenants.owner_of(kind, token)
    if tenant is None:
        raise NotFound()
    return tenant


async def open_widget(request: Request) -> Response:
    """The single use of a widget URL: 200 with the page, else 410 (used or expired) or 404."""
    token = request.path_params["token"]
    accept = request.headers.get("accept", "")
    try:
        tenant = tenant_for(request, URL_KIND, token)
        async with gate(tenant):
            await catch_up(tenant, getattr(request.app.state, "stopping", None))
            widgets = tenant.widget
            link = widgets.links.get(token)
            if link is None or widget_path(link) != request.url.path:
                raise NotFound()
            session = widgets.open(token)  # claims the link; nothing awaits in between
            if not session.config.is_connect:
                return placeholder_page(session.config.widget_type)
            boot = {"api": f"{API}/{session.secret}", "session": session_json(session),
                    "events": messages_json(session.messages, None), "ping_ms": 30000, "poll_ms": 1000}
            show_hint = request.app.state.config.widget_hint and request.query_params.get("hint") != "0"
            hint = request.app.state.tenants.fixtures.book.test_credentials() if show_hint else None
            return connect_page(boot, session.config.language, session.config.color_scheme, hint)
    except MXError as error:
        return problem_page(accept, error)


def page_api(handler: Callable[[Tenant, WidgetSession, dict[str, Any]], Any]):
    """Page JSON calls: authorised by the session secret; answer with the view and the events
    after the page's cursor `since`, so whatever a settle emitted is delivered too."""

    async def endpoint(request: Request) -> Response:
        secret = request.path_params["secret"]
        try:
            body = (await read_json(request) if request.method == "POST" else None) or {}
            tenant = tenant_for(request, SESSION_KIND, secret)
            async with gate(tenant):
                await catch_up(tenant, getattr(request.app.state, "stopping", None))
                session = tenant.widget.by_secret(secret)
                cursor = _cursor(body.get("since", request.query_params.get("since", "0")))
                handler(tenant, session, body)
                out = {"widget_session": session_json(session), "events": messages_json(session.messages_since(cursor), None)}
            return json_response(out, 200, None)
        except MXError as error:
            return error_response(error)

    return endpoint


def _cursor(since: Any) -> int:
    """The page's event cursor: a JSON integer or a string of ASCII digits (not `٣`), at least 0."""
    if isinstance(since, int) and not isinstance(since, bool) and since >= 0:
        return since
    if isinstance(since, str) and since.isascii() and since.isdigit():
        return int(since)
    raise MXError("since must be a non-negative integer.", 400)


def _poll(tenant: Tenant, session: WidgetSession, body: dict[str, Any]) -> None:
    return None


def _act(tenant: Tenant, session: WidgetSession, body: dict[str, Any]) -> None:
    tenant.widget.act(session, {k: v for k, v in body.items() if k != "since"})


def static_assets(assets: dict[str, str]) -> Callable[[Request], Any]:
    """An endpoint serving the named files of static/ (and nothing else) with their media types."""

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return error_response(MXError("Invalid route", 404))
        return FileResponse(STATIC / name, media_type=assets[name], headers={"X-Content-Type-Options": "nosniff"})

    return asset


routes = [
    Route("/md/assets/{name}", static_assets(ASSETS), methods=["GET"]),
    Route(f"{API}/{{secret}}", page_api(_poll), methods=["GET"]),
    Route(f"{API}/{{secret}}/actions", page_api(_act), methods=["POST"]),
    Route("/md/{kind}/{token}", open_widget, methods=["GET"]),
]
