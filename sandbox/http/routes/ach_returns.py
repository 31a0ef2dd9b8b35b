"""ACH returns: create, read and list, checked against the account numbers the sandbox issued."""
from __future__ import annotations

from starlette.routing import Route

from ...core.processor.ach import AchReturnStore
from ...serialize.processor import ach_return_json
from ..endpoint import Ctx, mx_route
from ..parsing import require_object
from ..resolve import listing

FILTERS = ("institution_guid", "returned_at", "resolved_status_at", "return_code", "return_status")


def store_of(ctx: Ctx) -> AchReturnStore:
    return ctx.tenant.ach_returns


def create_ach_return(ctx: Ctx):
    record = store_of(ctx).create(require_object(ctx.body, "ach_return"))
    return {"ach_return": ach_return_json(record)}


def read_ach_return(ctx: Ctx):
    return {"ach_return": ach_return_json(store_of(ctx).get(ctx.params["ach_return_guid"]))}


def list_ach_returns(ctx: Ctx):
    filters = {name: ctx.query[name] for name in FILTERS if ctx.query.get(name)}
    return listing(ctx, "ach_returns", store_of(ctx).list(filters), ach_return_json)


routes = [
    Route("/ach_returns", mx_route(create_ach_return), methods=["POST"]),
    Route("/ach_returns", mx_route(list_ach_returns), methods=["GET"]),
    Route("/ach_returns/{ach_return_guid}", mx_route(read_ach_return), methods=["GET"]),
]
