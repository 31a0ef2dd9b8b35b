"""/users/{u}/micro_deposits, /micro_deposits/{m}/verify, /users/{u}/account_verifications, and the
control API's view of the deposit amounts.

The spec names these path parameters `user_guid` in both versions, so partner user ids are not
accepted here (unlike /users/{user_identifier}/members).
"""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ...core.microdeposits.store import Microdeposit, MicrodepositStore
from ...core.pagination import paginate, parse_page_request
from ...serialize.microdeposits import microdeposit_json, microdeposit_summary, secrets_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object


def store_of(ctx: Ctx) -> MicrodepositStore:
    return ctx.tenant.microdeposits


def user_guid_of(ctx: Ctx) -> str:
    return ctx.tenant.users.get(ctx.params["user_guid"], allow_partner_id=False).guid


def one(ctx: Ctx, md: Microdeposit):
    return {"micro_deposit": microdeposit_json(md, ctx.version)}


def create(ctx: Ctx):
    fields = require_object(ctx.body, "micro_deposit")
    return one(ctx, store_of(ctx).create(user_guid_of(ctx), fields))


def list_all(ctx: Ctx):
    found = store_of(ctx).list(user_guid_of(ctx))
    page, pagination = paginate(found, parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page")))
    return {"micro_deposits": [microdeposit_summary(m, ctx.version) for m in page], "pagination": pagination}


def read(ctx: Ctx):
    return one(ctx, store_of(ctx).get(ctx.params["micro_deposit_guid"], user_guid_of(ctx)))


def delete(ctx: Ctx):
    store = store_of(ctx)
    store.delete(store.get(ctx.params["micro_deposit_guid"], user_guid_of(ctx)))
    return Reply(None, 204)


def _amount(fields: dict, name: str) -> float:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1_000_000:
        raise BadRequest(f"{name} is required and must be a number, e.g. 0.07.")
    return float(value)


def verify(ctx: Ctx):
    fields = require_object(ctx.body, "micro_deposit")
    store = store_of(ctx)
    md = store.get(ctx.params["micro_deposit_guid"])
    store.verify(md, _amount(fields, "deposit_amount_1"), _amount(fields, "deposit_amount_2"))
    return one(ctx, md)


def account_verifications(ctx: Ctx):
    """The spec answers with MicrodepositResponseBody, whose `micro_deposit` holds `items`: a list."""
    return {"micro_deposit": [microdeposit_json(m, ctx.version) for m in store_of(ctx).list(user_guid_of(ctx))]}


def control_read(ctx: Ctx):
    store = store_of(ctx)
    return {"micro_deposit": secrets_json(store.get(ctx.params["micro_deposit_guid"]), store.rules.max_verify_attempts)}


MD = "/users/{user_guid}/micro_deposits"
routes = [
    Route(MD, mx_route(list_all), methods=["GET"]),
    Route(MD, mx_route(create), methods=["POST"]),
    Route(MD + "/{micro_deposit_guid}", mx_route(read), methods=["GET"]),
    Route(MD + "/{micro_deposit_guid}", mx_route(delete), methods=["DELETE"]),
    Route("/micro_deposits/{micro_deposit_guid}/verify", mx_route(verify), methods=["PUT"]),
    Route("/users/{user_guid}/account_verifications", mx_route(account_verifications), methods=["GET"]),
    Route("/_sandbox/micro_deposits/{micro_deposit_guid}", mx_route(control_read, versioned=False, record=False),
          methods=["GET"]),
]
