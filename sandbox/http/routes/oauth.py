"""OAuth over HTTP: the fake bank's consent page, the "OAuth complete" page, `oauth_window_uri`, and
the control-API decision.

The HTML routes take no Basic auth (a browser has none): the `state` alone leads to its tenant.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...core.errors import BadRequest, MXError
from ...core.oauth import DECISIONS, KNOWN_ERROR_REASONS, STATE_KIND, OAuthComponent
from ...serialize.members import member_json
from .. import oauth_html
from ..driver import catch_up, gate
from ..endpoint import Ctx, mx_route
from ..parsing import field_of, query_bool
from .members import resolve_member

MAX_FORM_BYTES = 16 * 1024
_MEMBER_GUID = re.compile(r"^MBR-[0-9A-Za-z-]{1,64}$")


def oauth_of(tenant) -> OAuthComponent:
    return tenant.oauth


async def _read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body (the consent page's); first value per name."""
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_FORM_BYTES:
            raise BadRequest("The form is too large.")
    try:
        parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("The form could not be read.") from None
    return {name: values[0] for name, values in parsed.items()}


def _tenant_for(request: Request, state: str):
    tenant = request.app.state.tenants.owner_of(STATE_KIND, state) if state else None
    if tenant is None:
        raise MXError("This OAuth link is not valid. Request a new oauth_window_uri.", 404)
    return tenant


async def consent_page(request: Request) -> Response:
    code = request.path_params["institution_code"]
    state = request.query_params.get("state", "")
    try:
        tenant = _tenant_for(request, state)
        async with gate(tenant):
            await catch_up(tenant, getattr(request.app.state, "stopping", None))
            _, member = oauth_of(tenant).live_grant(state, code)
            institution, products = member.institution, sorted(member.products)
    except MXError as error:
        return oauth_html.error_page(error.status, error.message)
    return oauth_html.consent_page(institution.name, products, state)


async def consent_submit(request: Request) -> Response:
    code = request.path_params["institution_code"]
    try:
        form = await _read_form(request)
        state, decision = form.get("state", ""), form.get("decision", "")
        if decision not in DECISIONS:
            raise BadRequest("Choose Authorize, Deny or Cancel.")
        tenant = _tenant_for(request, state)
        async with gate(tenant):
            await catch_up(tenant, getattr(request.app.state, "stopping", None))
            outcome = oauth_of(tenant).complete(state, code, decision)
    except MXError as error:
        return oauth_html.error_page(error.status, error.message)
    return RedirectResponse(outcome.redirect_url, status_code=303)


async def complete_page(request: Request) -> Response:
    """Browser mode's last stop. It only relays its own query, so it needs no tenant."""
    q = request.query_params
    status, member_guid, reason = q.get("status", ""), q.get("member_guid", ""), q.get("error_reason") or None
    if status not in ("success", "error") or not _MEMBER_GUID.match(member_guid) or (
            reason is not None and reason not in KNOWN_ERROR_REASONS):
        return oauth_html.error_page(400, "This OAuth completion link is malformed.")
    return oauth_html.complete_page(member_guid, status, reason if status == "error" else None)


# -- MX API: a fresh window URI --------------------------------------------------------------------
WINDOW_OPTIONS = ("referral_source", "client_redirect_url", "ui_message_webview_url_scheme")


def request_window_uri(ctx: Ctx):
    member = resolve_member(ctx)
    raw: dict[str, object] = {name: ctx.query[name] for name in WINDOW_OPTIONS if ctx.query.get(name)}
    for name in ("skip_aggregation", "enable_app2app"):
        value = query_bool(ctx.query.get(name), name)
        if value is not None:
            raw[name] = value
    uri = oauth_of(ctx.tenant).reissue(member, raw)
    return {"member": {"guid": member.guid, "oauth_window_uri": uri}}


# -- control API: decide without the page ----------------------------------------------------------
def decide(ctx: Ctx):
    """`{"decision": "authorize" | "deny" | "cancel"}`, exactly as the consent page's buttons."""
    decision = field_of(ctx.body or {}, "decision", str)
    if decision is None:
        raise BadRequest("decision is required: authorize, deny or cancel.")
    member = ctx.tenant.members.get_any(ctx.params["member_guid"])
    outcome = oauth_of(ctx.tenant).decide(member, decision)
    return {"member": member_json(member, "v20250224"), "oauth": outcome.to_json()}


routes = [
    Route("/oauth/redirect_from", complete_page, methods=["GET"]),
    Route("/oauth/{institution_code}/authorize", consent_page, methods=["GET"]),
    Route("/oauth/{institution_code}/authorize", consent_submit, methods=["POST"]),
    Route("/users/{user_identifier}/members/{member_identifier}/oauth_window_uri",
          mx_route(request_window_uri), methods=["GET"]),
    Route("/_sandbox/members/{member_guid}/oauth", mx_route(decide, versioned=False, record=False), methods=["POST"]),
]
