"""Path parameters → domain objects, as MX resolves them, shared by the data routes.

v20250224 templates named `{x_identifier}` accept a guid or the partner `id`; templates named
`{x_guid}`, and every v20111101 path, accept the guid only.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence, TypeVar

from ..core.data.store import DataStore
from ..core.errors import BadRequest, NotFound
from ..core.pagination import paginate, parse_page_request
from ..core.users import User
from ..serialize.accounts import PartnerIds
from .endpoint import Ctx

T = TypeVar("T")


def _param(ctx: Ctx, kind: str) -> tuple[str, bool]:
    """The value of `{kind}_identifier` or `{kind}_guid`, and whether a partner id may stand in."""
    if f"{kind}_identifier" in ctx.params:
        return ctx.params[f"{kind}_identifier"], ctx.is_v2025
    return ctx.params[f"{kind}_guid"], False


def data_store(ctx: Ctx) -> DataStore:
    return ctx.tenant.data


def user_of(ctx: Ctx) -> User:
    identifier, allow = _param(ctx, "user")
    return ctx.tenant.users.get(identifier, allow_partner_id=allow)


def member_guid_of(ctx: Ctx, user: User) -> str:
    """The member's guid; 404 at once when it does not exist (or was deleted)."""
    identifier, allow = _param(ctx, "member")
    if identifier == data_store(ctx).manual_member_guid(user.guid):
        return identifier
    return ctx.tenant.members.get(user.guid, identifier, allow_partner_id=allow).guid


def account_param(ctx: Ctx) -> tuple[str, bool]:
    return _param(ctx, "account")


def partner_ids(ctx: Ctx, user: User, member_guids: Iterable[str]) -> PartnerIds:
    """`user_id` and each member's `member_id`, looked up once per response."""
    ids: dict[str, Any] = {}
    for guid in set(member_guids):
        try:
            ids[guid] = ctx.tenant.members.get(user.guid, guid, allow_partner_id=False).id
        except NotFound:
            ids[guid] = None
    return PartnerIds(user.id, ids)


USE_CASES = ("PFM", "MONEY_MOVEMENT")


def use_case_members(ctx: Ctx, user: User) -> set[str] | None:
    """`?use_case=`: the guids of the user's members created for it; None without it; else 400."""
    use_case = ctx.query.get("use_case")
    if not use_case:
        return None
    if use_case not in USE_CASES:
        raise BadRequest("use_case must be PFM or MONEY_MOVEMENT.")
    return {m.guid for m in ctx.tenant.members.list(user.guid) if use_case in (m.use_cases or [])}


def page(ctx: Ctx, items: Sequence[T]) -> tuple[list[T], dict[str, int]]:
    """MX paging with `records_per_page` up to 1000 (`recordsPerPageMax1000`)."""
    return paginate(items, parse_page_request(ctx.query.get("page"), ctx.query.get("records_per_page"), 1000))


def listing(ctx: Ctx, key: str, items: Sequence[T], to_json: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """MX's list body: `{key: [one page], "pagination": {...}}`."""
    chunk, pagination = page(ctx, items)
    return {key: [to_json(item) for item in chunk], "pagination": pagination}


def view_listing(ctx: Ctx, key: str, items: Sequence[T], views: Callable[[list[T]], list[Any]],
                 to_json: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """`listing` for records read through views computed once per page (budgets, goals, plan items)."""
    chunk, pagination = page(ctx, items)
    return {key: [to_json(view) for view in views(chunk)], "pagination": pagination}
