"""Processor tokens: the client's authorization codes, token list and revocation; the processor's
code-for-token exchange and its reads with `Authorization: Bearer <access_token>`.

The processor has no `client_id`: its secret (the code, then the token) alone leads to the tenant,
through the app's token directory, as a widget URL does for a browser.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ...core.errors import BadRequest, Unauthorized
from ...core.processor.grants import CODE_KIND, INVALID_TOKEN, TOKEN_KIND, AccessToken, ProcessorTokens
from ...core.processor.scope import parse_scope
from ...core.tenant import Tenant
from ...serialize.members import member_json
from ...serialize.processor import (
    exchange_json, payment_account_json, processor_number_json, processor_owner_json, token_json,
)
from ..auth import basic_credentials
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import check_text, field_of, require_object
from ..resolve import listing

GUID_FIELDS = ("user_guid", "member_guid", "account_guid")


def processor_of(ctx: Ctx) -> ProcessorTokens:
    return ctx.tenant.processor


# -- the client ------------------------------------------------------------------------------------
def request_code(ctx: Ctx):
    fields = require_object(ctx.body, "authorization_code")
    scope = field_of(fields, "scope", str)
    if not scope:
        raise BadRequest("authorization_code.scope is required.")
    code = processor_of(ctx).issue_code(parse_scope(check_text(scope, "scope", 4096)))
    return {"authorization_code": {"code": code.code}}


def request_code_deprecated(ctx: Ctx):
    """v20111101's older form: the three guids as fields instead of a scope string."""
    fields = require_object(ctx.body, "payment_processor_authorization_code")
    guids = {name: field_of(fields, name, str) for name in GUID_FIELDS}
    missing = [name for name, value in guids.items() if not value]
    if missing:
        raise BadRequest(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required.")
    text = f"user-guid:{guids['user_guid']} member-guid:{guids['member_guid']} account-guid:{guids['account_guid']}"
    code = processor_of(ctx).issue_code(parse_scope(check_text(text, "scope", 4096)))
    return {"payment_processor_authorization_code": {"authorization_code": code.code}}


def list_tokens(ctx: Ctx):
    """Filtered by `scope` in the JSON body (MX's form) or by the same names in the query."""
    scope = (ctx.body or {}).get("scope") or {}
    if not isinstance(scope, dict):
        raise BadRequest("scope must be an object.")
    filters = {}
    for name in GUID_FIELDS:
        value = scope.get(name, ctx.query.get(name))
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"scope.{name} must be a string.")
        filters[name] = value or None
    now = ctx.tenant.clock.now()
    return {"tokens": [token_json(t, now) for t in processor_of(ctx).list(**filters)]}


def revoke_token(ctx: Ctx):
    """Sandbox route (MX documents no revocation call): the token stops working at once."""
    processor_of(ctx).revoke(ctx.params["access_token"])
    return Reply(None, 204)


# -- the processor: exchange ----------------------------------------------------------------------
def _tenant_by(request: Request, kind: str, secret: str, message: str) -> Tenant:
    tenant = request.app.state.tenants.owner_of(kind, secret) if secret else None
    if tenant is None:
        raise Unauthorized(message) if kind == TOKEN_KIND else BadRequest(message)
    return tenant


def _code_tenant(request: Request) -> Tenant:
    basic_credentials(request.headers)  # the processor's `processor_id:api_key`
    code = request.query_params.get("code", "")
    return _tenant_by(request, CODE_KIND, code, "The authorization code is invalid or has already been used.")


def exchange(ctx: Ctx):
    if ctx.query.get("grant_type") != "authorization_code":
        raise BadRequest("grant_type must be authorization_code.")
    processor_id, _ = basic_credentials(ctx.request.headers)
    token = processor_of(ctx).exchange(ctx.query.get("code", ""), processor_id)
    return exchange_json(token)


# -- the processor: reads ---------------------------------------------------------------------------
def _bearer(request: Request) -> str:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("An access token is required: send 'Authorization: Bearer <access_token>'.")
    return token.strip()


def _bearer_tenant(request: Request) -> Tenant:
    return _tenant_by(request, TOKEN_KIND, _bearer(request), INVALID_TOKEN)


def _token(ctx: Ctx) -> AccessToken:
    return processor_of(ctx).resolve(_bearer(ctx.request))


def _covered(ctx: Ctx, token: AccessToken):
    """The covered accounts, or the one `?account_guid=` names (403 when the token does not cover it)."""
    wanted = ctx.query.get("account_guid") or None
    return processor_of(ctx).accounts(token, check_text(wanted, "account_guid") if wanted else None)


def read_account_numbers(ctx: Ctx):
    token = _token(ctx)
    data, user = ctx.tenant.data, token.scope.user_guid
    numbers = [n for a in _covered(ctx, token) for n in data.account_numbers(user, account_guid=a.guid)]
    return {"account_numbers": [processor_number_json(n) for n in numbers]}


def read_payment_account(ctx: Ctx):
    token = _token(ctx)
    account = _covered(ctx, token)[0]
    numbers = ctx.tenant.data.account_numbers(account.user_guid, account_guid=account.guid)
    return {"payment_account": payment_account_json(account, numbers[0] if numbers else None)}


def check_balance(ctx: Ctx):
    """A real-time balance check of the token's member (MX answers with the member)."""
    token = _token(ctx)
    _covered(ctx, token)
    scope = token.scope
    member = ctx.tenant.members.get(scope.user_guid, scope.member_guid, allow_partner_id=False)
    ctx.tenant.members.jobs.request(member, "check_balance", ctx.tenant.clock.now())
    user = ctx.tenant.users.get(scope.user_guid, allow_partner_id=False)
    return {"member": member_json(member, ctx.version, user.id)}


def read_owners(ctx: Ctx):
    token = _token(ctx)
    scope = token.scope
    covered = {a.guid for a in _covered(ctx, token)}
    owners = [o for o in ctx.tenant.data.account_owners(scope.user_guid, scope.member_guid) if o.account_guid in covered]
    return listing(ctx, "account_owners", owners, processor_owner_json)


def _bearer_route(handler):
    return mx_route(handler, tenant_of=_bearer_tenant)


routes = [
    Route("/authorization_code", mx_route(request_code), methods=["POST"]),
    Route("/payment_processor_authorization_code", mx_route(request_code_deprecated), methods=["POST"]),
    Route("/tokens", mx_route(list_tokens, body_on_get=True), methods=["GET"]),
    Route("/tokens/{access_token}", mx_route(revoke_token), methods=["DELETE"]),
    Route("/token", mx_route(exchange, versioned=False, tenant_of=_code_tenant), methods=["POST"]),
    Route("/payment_processor_token", mx_route(exchange, versioned=False, tenant_of=_code_tenant), methods=["POST"]),
    Route("/account/account_numbers", _bearer_route(read_account_numbers), methods=["GET"]),
    Route("/payment_account", _bearer_route(read_payment_account), methods=["GET"]),
    Route("/account/check_balance", _bearer_route(check_balance), methods=["POST"]),
    Route("/account/transactions", _bearer_route(read_owners), methods=["GET"]),
]
