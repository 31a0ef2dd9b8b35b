"""Statements: list and read by member, and the PDF itself."""
from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from ...serialize.member_data import statement_json
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, listing, member_guid_of, user_of
from ..versioning import V1_PDF_MEDIA_TYPE

BASE = "/users/{user_guid}/members/{member_guid}/statements"


def list_statements(ctx: Ctx):
    user = user_of(ctx)
    found = data_store(ctx).statements(user.guid, member_guid_of(ctx, user))
    return listing(ctx, "statements", found, statement_json)


def _statement(ctx: Ctx):
    user = user_of(ctx)
    return data_store(ctx).statement(user.guid, member_guid_of(ctx, user), ctx.params["statement_guid"])


def read_statement(ctx: Ctx):
    return {"statement": statement_json(_statement(ctx))}


def download_statement(ctx: Ctx) -> Response:
    """The spec's media type, unless the client asked for plain `application/pdf`."""
    statement = _statement(ctx)
    accept = ctx.request.headers.get("accept", "")
    plain = "application/pdf" in accept and V1_PDF_MEDIA_TYPE not in accept
    return Response(statement.pdf, media_type="application/pdf" if plain else V1_PDF_MEDIA_TYPE)


routes = [
    # The `.pdf` route comes first: `{statement_guid}` alone would also match `STA-….pdf`.
    Route(BASE + "/{statement_guid}.pdf", mx_route(download_statement), methods=["GET"]),
    Route(BASE, mx_route(list_statements), methods=["GET"]),
    Route(BASE + "/{statement_guid}", mx_route(read_statement), methods=["GET"]),
]
