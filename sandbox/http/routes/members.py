"""/users/{u}/members: create, list, read, update, delete, status, challenges, resume, credentials."""
from __future__ import annotations

from typing import Any

from starlette.routing import Route

from ...core.errors import BadRequest
from ...core.institutions import PRODUCTS
from ...core.members.job_types import JOB_TYPES
from ...core.members.model import Member
from ...core.members.store import MemberStore
from ...core.pagination import paginate, parse_page_request
from ...serialize.institutions import credential_json
from ...serialize.members import challenge_json, member_json, status_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import field_of, query_bool, require_object
from ..resolve import use_case_members
from .users import resolve_user

# v20111101 has no data_request: its members aggregate transactions and (where the institution has
# them) holdings, as its `include_holdings` default of true says.
V1_PRODUCTS = ("transactions", "investments")
OAUTH_OPTIONS = ("client_redirect_url", "referral_source", "ui_message_webview_url_scheme", "enable_app2app")


def members_of(ctx: Ctx) -> MemberStore:
    return ctx.tenant.members


def resolve_member(ctx: Ctx) -> Member:
    """The member in the path, belonging to the user in the path (guid, or partner id in v20250224)."""
    user = resolve_user(ctx)
    return members_of(ctx).get(user.guid, ctx.params["member_identifier"], allow_partner_id=ctx.is_v2025)


def member_body(ctx: Ctx, member: Member) -> dict[str, Any]:
    user = ctx.tenant.users.get(member.user_guid)
    return {"member": member_json(member, ctx.version, user.id)}


def parse_products(body: dict[str, Any]) -> list[str] | None:
    request = body.get("data_request")
    if request is None:
        return None
    if not isinstance(request, dict) or not isinstance(request.get("products"), list) or not request["products"]:
        raise BadRequest("data_request.products must be a non-empty array.")
    for product in request["products"]:
        if product not in PRODUCTS:
            raise BadRequest(f"'{product}' is not a supported product.")
    return list(request["products"])


def create_member(ctx: Ctx):
    user = resolve_user(ctx)
    fields = require_object(ctx.body, "member")
    assert ctx.body is not None
    products = parse_products(ctx.body) if ctx.is_v2025 else list(V1_PRODUCTS)
    skip = False if ctx.is_v2025 else bool(field_of(fields, "skip_aggregation", bool, False))
    options = {name: ctx.body[name] for name in OAUTH_OPTIONS if name in ctx.body}
    for name in ("client_redirect_url", "referral_source", "ui_message_webview_url_scheme"):
        field_of(options, name, str)
    field_of(options, "enable_app2app", bool)
    code = fields.get("institution_code")
    if ctx.is_v2025 and products and isinstance(code, str):
        institution = ctx.tenant.catalog.get(code)
        lacking = [p for p in products if not institution.supports(p)]
        if lacking:
            raise BadRequest(f"{institution.name} does not support: {', '.join(lacking)}.")
    member = ctx.tenant.lifecycle.create_member(user.guid, fields, products, skip_aggregation=skip,
                                                oauth_options=options)
    return Reply(member_body(ctx, member), 202 if member.is_being_aggregated else 200)


def list_members(ctx: Ctx):
    user = resolve_user(ctx)
    found = sorted(members_of(ctx).list(user.guid), key=lambda m: m.created_at)
    wanted = use_case_members(ctx, user)
    if wanted is not None:
        found = [m for m in found if m.guid in wanted]
    page, pagination = paginate(found, parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page")))
    return {"members": [member_json(m, ctx.version, user.id) for m in page], "pagination": pagination}


def read_member(ctx: Ctx):
    return member_body(ctx, resolve_member(ctx))


def update_member(ctx: Ctx):
    member = resolve_member(ctx)
    fields = require_object(ctx.body, "member")
    skip = False if ctx.is_v2025 else bool(field_of(fields, "skip_aggregation", bool, False))
    members_of(ctx).update(member, fields, skip_aggregation=skip)
    return member_body(ctx, member)


def delete_member(ctx: Ctx):
    ctx.tenant.lifecycle.delete_member(resolve_member(ctx))
    return Reply(None, 204)


def read_status(ctx: Ctx):
    return {"member": status_json(resolve_member(ctx))}


def list_challenges(ctx: Ctx):
    member = resolve_member(ctx)
    if member.connection_status != "CHALLENGED":
        return Reply(None, 204)
    page, pagination = paginate(
        member.challenges, parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page"), 1000)
    )
    return {"challenges": [challenge_json(c) for c in page], "pagination": pagination}


def resume(ctx: Ctx):
    member = resolve_member(ctx)
    fields = require_object(ctx.body, "member")
    raw = fields.get("challenges")
    if not isinstance(raw, list) or not all(
        isinstance(c, dict) and isinstance(c.get("guid"), str) and isinstance(c.get("value"), str) for c in raw
    ):
        raise BadRequest("member.challenges must be an array of {guid, value} strings.")
    members_of(ctx).jobs.resume(member, [(c["guid"], c["value"]) for c in raw], ctx.tenant.clock.now())
    return Reply(member_body(ctx, member), 202)


def list_member_credentials(ctx: Ctx):
    member = resolve_member(ctx)
    page, pagination = paginate(
        list(member.institution.credentials),
        parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page"), 1000),
    )
    return {"credentials": [credential_json(c) for c in page], "pagination": pagination}


def job_endpoint(job_type: str, status: int):
    def start_job(ctx: Ctx):
        member = resolve_member(ctx)
        include = {}
        if job_type == "aggregate" and not ctx.is_v2025:  # v20111101's query flags, both default true
            for name in ("include_transactions", "include_holdings"):
                value = query_bool(ctx.query.get(name), name)
                include[name] = True if value is None else value
        members_of(ctx).jobs.request(member, job_type, ctx.tenant.clock.now(), **include)
        return Reply(member_body(ctx, member), status)

    start_job.__name__ = job_type
    return start_job



MEMBER = "/users/{user_identifier}/members/{member_identifier}"
routes = [
    Route("/users/{user_identifier}/members", mx_route(list_members), methods=["GET"]),
    Route("/users/{user_identifier}/members", mx_route(create_member), methods=["POST"]),
    Route(MEMBER, mx_route(read_member), methods=["GET"]),
    Route(MEMBER, mx_route(update_member), methods=["PUT"]),
    Route(MEMBER, mx_route(delete_member), methods=["DELETE"]),
    Route(f"{MEMBER}/status", mx_route(read_status), methods=["GET"]),
    Route(f"{MEMBER}/challenges", mx_route(list_challenges), methods=["GET"]),
    Route(f"{MEMBER}/resume", mx_route(resume), methods=["PUT"]),
    Route(f"{MEMBER}/credentials", mx_route(list_member_credentials), methods=["GET"]),
    *[Route(f"{MEMBER}/{job.name}", mx_route(job_endpoint(job.name, job.success_status)), methods=["POST"])
      for job in JOB_TYPES.values()],
]
