"""Credit card products of reward accounts: MX's read, and a sandbox look-up from an account.

MX says the product guid is on the account, but its account schema has no such field, so the
sandbox offers `GET /_sandbox/credit_card_products?user_guid=…&account_guid=…` to find it.
"""
from __future__ import annotations

from starlette.routing import Route

from ...core.data.card_products import CardProducts
from ...core.errors import BadRequest
from ...serialize.processor import card_product_json
from ..endpoint import Ctx, mx_route


def products_of(ctx: Ctx) -> CardProducts:
    products = ctx.tenant.fixtures.card_products
    assert products is not None
    return products


def read_product(ctx: Ctx):
    return {"credit_card_product": card_product_json(products_of(ctx).get(ctx.params["credit_card_product_guid"]))}


def find_products(ctx: Ctx):
    """Every product, or the one of an account (`user_guid` and `account_guid`; none if it earns no rewards)."""
    user_guid, account_guid = ctx.query.get("user_guid"), ctx.query.get("account_guid")
    if not account_guid:
        return {"credit_card_products": [card_product_json(p) for p in products_of(ctx).all()]}
    if not user_guid:
        raise BadRequest("user_guid is required with account_guid.")
    account = ctx.tenant.data.account(user_guid, account_guid)
    member = ctx.tenant.members.get(user_guid, account.member_guid, allow_partner_id=False)
    product = products_of(ctx).for_template(member.institution.profile, account.key)
    return {"credit_card_products": [card_product_json(product)] if product else []}


routes = [
    Route("/credit_card_products/{credit_card_product_guid}", mx_route(read_product), methods=["GET"]),
    Route("/_sandbox/credit_card_products", mx_route(find_products, versioned=False, record=False), methods=["GET"]),
]
