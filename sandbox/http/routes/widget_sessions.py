"""/_sandbox/widget_sessions: drive a widget session headlessly, with the page's own actions."""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.routing import Route

from ...core.errors import BadRequest, NotFound
from ...serialize.widget import messages_json, session_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import field_of
from .widget_urls import widget_path


def _scheme(ctx: Ctx, session) -> str | None:
    return session.config.scheme if session.config.is_mobile_webview else None


def open_session(ctx: Ctx):
    """`{"url": widget_url}` consumes the URL exactly like the browser's first GET would."""
    url = field_of(ctx.body or {}, "url", str)
    if not url:
        raise BadRequest("url is required: the widget_url.url from POST /users/{user_guid}/widget_urls.")
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    widgets = ctx.tenant.widget
    link = widgets.links.get(token)
    if link is None or not urlsplit(url).path.endswith(widget_path(link)):
        raise NotFound()
    session = widgets.open(token)
    return Reply({"widget_session": session_json(session, history=True),
                  "events": messages_json(session.messages, _scheme(ctx, session))}, 201)


def read_session(ctx: Ctx):
    session = ctx.tenant.widget.session(ctx.params["session_guid"])
    return {"widget_session": session_json(session, history=True)}


def act(ctx: Ctx):
    widgets = ctx.tenant.widget
    session = widgets.session(ctx.params["session_guid"])
    emitted = widgets.act(session, ctx.body or {})
    return {"step": session.step, "events": messages_json(emitted, _scheme(ctx, session)),
            "widget_session": session_json(session)}


BASE = "/_sandbox/widget_sessions"
routes = [
    Route(BASE, mx_route(open_session, versioned=False, record=False), methods=["POST"]),
    Route(f"{BASE}/{{session_guid}}", mx_route(read_session, versioned=False, record=False), methods=["GET"]),
    Route(f"{BASE}/{{session_guid}}/actions", mx_route(act, versioned=False, record=False), methods=["POST"]),
]
