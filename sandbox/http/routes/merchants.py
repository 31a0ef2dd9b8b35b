"""Merchants and merchant locations: MX's global directory, as far as the profiles' merchants go."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.pfm import location_json, merchant_json
from ..endpoint import Ctx, mx_route
from ..resolve import listing


def list_merchants(ctx: Ctx):
    return listing(ctx, "merchants", ctx.tenant.fixtures.merchants.list(ctx.query.get("name")), merchant_json)


def read_merchant(ctx: Ctx):
    return {"merchant": merchant_json(ctx.tenant.fixtures.merchants.get(ctx.params["merchant_guid"]))}


def read_merchant_location(ctx: Ctx):
    location = ctx.tenant.fixtures.merchants.location(ctx.params["merchant_location_guid"])
    return {"merchant_location": location_json(location)}


routes = [
    Route("/merchants", mx_route(list_merchants), methods=["GET"]),
    Route("/merchants/{merchant_guid}", mx_route(read_merchant), methods=["GET"]),
    Route("/merchant_locations/{merchant_location_guid}", mx_route(read_merchant_location), methods=["GET"]),
]
