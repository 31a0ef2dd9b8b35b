"""POST /users/{user_guid}/widget_urls (both versions) and v1's deprecated connect_widget_url."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import NotFound
from ...core.widget.config import parse_config
from ...core.widget.links import Link
from ...core.widget.store import WidgetComponent
from ...serialize.widget import widget_url_json
from ..endpoint import Ctx, mx_route
from ..parsing import require_object


def widget_path(link: Link) -> str:
    """Connect lives at MX's `/md/connect/<token>`; other widget types at a placeholder path."""
    kind = "connect" if link.config.is_connect else link.config.widget_type
    return f"/md/{kind}/{link.token}"


def _mint(ctx: Ctx, fields: dict) -> tuple[Link, str, str | None]:
    user = ctx.tenant.users.get(ctx.params["user_guid"], allow_partner_id=False)  # the USR- guid only
    config = parse_config(fields, ctx.is_v2025, ctx.request.headers.get("accept-language"))
    widgets: WidgetComponent = ctx.tenant.widget
    link = widgets.mint(user.guid, config)
    return link, f"{ctx.tenant.settings.public_url}{widget_path(link)}", user.id


def request_widget_url(ctx: Ctx):
    link, url, user_id = _mint(ctx, require_object(ctx.body, "widget_url"))
    return widget_url_json(link, url, user_id)


def request_connect_widget_url(ctx: Ctx):
    """v20111101's deprecated form: `{"config": {...}}` → `{"user": {"connect_widget_url", "guid"}}`."""
    if ctx.is_v2025:
        raise NotFound("Invalid route")
    config = require_object(ctx.body, "config", allow_empty=True) if ctx.body else {}
    link, url, _ = _mint(ctx, {**config, "widget_type": "connect_widget"})
    return {"user": {"connect_widget_url": url, "guid": link.user_guid}}


routes = [
    Route("/users/{user_guid}/widget_urls", mx_route(request_widget_url), methods=["POST"]),
    Route("/users/{user_guid}/connect_widget_url", mx_route(request_connect_widget_url), methods=["POST"]),
]
