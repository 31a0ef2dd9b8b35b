"""Tags and taggings: a user's labels and which transactions carry them."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.pfm import tag_json, tagging_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import data_store, listing, user_of


def list_tags(ctx: Ctx):
    return listing(ctx, "tags", ctx.tenant.pfm.tags.tags(user_of(ctx).guid), tag_json)


def create_tag(ctx: Ctx):
    user = user_of(ctx)
    return {"tag": tag_json(ctx.tenant.pfm.tags.create_tag(user.guid, require_object(ctx.body, "tag")))}


def read_tag(ctx: Ctx):
    return {"tag": tag_json(ctx.tenant.pfm.tags.tag(user_of(ctx).guid, ctx.params["tag_guid"]))}


def update_tag(ctx: Ctx):
    tags = ctx.tenant.pfm.tags
    tag = tags.tag(user_of(ctx).guid, ctx.params["tag_guid"])
    return {"tag": tag_json(tags.update_tag(tag, require_object(ctx.body, "tag")))}


def delete_tag(ctx: Ctx):
    tags = ctx.tenant.pfm.tags
    tags.delete_tag(tags.tag(user_of(ctx).guid, ctx.params["tag_guid"]))
    return Reply(None, 204)


def list_taggings(ctx: Ctx):
    return listing(ctx, "taggings", ctx.tenant.pfm.tags.taggings(user_of(ctx).guid), tagging_json)


def create_tagging(ctx: Ctx):
    user = user_of(ctx)
    fields = require_object(ctx.body, "tagging")
    tagging = ctx.tenant.pfm.tags.create_tagging(user.guid, fields, lambda guid: data_store(ctx).transaction(user.guid, guid))
    return {"tagging": tagging_json(tagging)}


def read_tagging(ctx: Ctx):
    return {"tagging": tagging_json(ctx.tenant.pfm.tags.tagging(user_of(ctx).guid, ctx.params["tagging_guid"]))}


def update_tagging(ctx: Ctx):
    tags = ctx.tenant.pfm.tags
    tagging = tags.tagging(user_of(ctx).guid, ctx.params["tagging_guid"])
    return {"tagging": tagging_json(tags.update_tagging(tagging, require_object(ctx.body, "tagging")))}


def delete_tagging(ctx: Ctx):
    tags = ctx.tenant.pfm.tags
    tags.delete_tagging(tags.tagging(user_of(ctx).guid, ctx.params["tagging_guid"]))
    return Reply(None, 204)


TAG = "/users/{user_guid}/tags/{tag_guid}"
TAGGING = "/users/{user_guid}/taggings/{tagging_guid}"
routes = [
    Route("/users/{user_guid}/tags", mx_route(list_tags), methods=["GET"]),
    Route("/users/{user_guid}/tags", mx_route(create_tag), methods=["POST"]),
    Route(TAG, mx_route(read_tag), methods=["GET"]),
    Route(TAG, mx_route(update_tag), methods=["PUT"]),
    Route(TAG, mx_route(delete_tag), methods=["DELETE"]),
    Route("/users/{user_guid}/taggings", mx_route(list_taggings), methods=["GET"]),
    Route("/users/{user_guid}/taggings", mx_route(create_tagging), methods=["POST"]),
    Route(TAGGING, mx_route(read_tagging), methods=["GET"]),
    Route(TAGGING, mx_route(update_tagging), methods=["PUT"]),
    Route(TAGGING, mx_route(delete_tagging), methods=["DELETE"]),
]
