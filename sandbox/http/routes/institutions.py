"""/institutions: search, read, credentials. The catalog is shared, read-only data."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ...core.institutions import FILTER_ALIASES, PRODUCTS, Institution
from ...core.pagination import paginate, parse_page_request
from ...serialize.institutions import credential_json, institution_json
from ..endpoint import Ctx, mx_route
from ..parsing import query_bool

V1_FLAGS = {
    "supports_account_identification": "identity_verification",
    "supports_account_statement": "statements",
    "supports_account_verification": "account_verification",
    "supports_transaction_history": "transaction_history",
}


def _list_param(ctx: Ctx, name: str) -> list[str]:
    """Arrays arrive as `name=a&name=b`, `name[]=a` or `name=a,b`."""
    values = ctx.query.getlist(name) + ctx.query.getlist(f"{name}[]")
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _countries(ctx: Ctx) -> list[str]:
    return [c.upper() for c in _list_param(ctx, "iso_country_code")]


def _institutions(ctx: Ctx, found: list[Institution]) -> dict:
    page, pagination = paginate(found, parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page")))
    return {"institutions": [institution_json(i, ctx.version) for i in page], "pagination": pagination}


def list_institutions(ctx: Ctx):
    q = ctx.query
    products = _list_param(ctx, "supported_products")
    for product in products:
        if product not in PRODUCTS and product not in FILTER_ALIASES:
            raise BadRequest(f"'{product}' is not a supported product.")
    if not ctx.is_v2025:
        products = [p for flag, p in V1_FLAGS.items() if query_bool(q.get(flag), flag)]
    found = ctx.tenant.catalog.search(name=q.get("name"), countries=_countries(ctx), products=products)
    return _institutions(ctx, found)


def list_favorite_institutions(ctx: Ctx):
    return _institutions(ctx, ctx.tenant.catalog.favorites(_countries(ctx)))


def read_institution(ctx: Ctx):
    inst = ctx.tenant.catalog.get(ctx.params["institution_code"])
    return {"institution": institution_json(inst, ctx.version)}


def list_institution_credentials(ctx: Ctx):
    inst = ctx.tenant.catalog.get_by_code_or_guid(ctx.params["institution_code"])
    page, pagination = paginate(
        list(inst.credentials), parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page"), 1000)
    )
    return {"credentials": [credential_json(c) for c in page], "pagination": pagination}


routes = [
    Route("/institutions", mx_route(list_institutions), methods=["GET"]),
    Route("/institutions/favorites", mx_route(list_favorite_institutions), methods=["GET"]),
    Route("/institutions/{institution_code}", mx_route(read_institution), methods=["GET"]),
    Route("/institutions/{institution_code}/credentials", mx_route(list_institution_credentials), methods=["GET"]),
]
