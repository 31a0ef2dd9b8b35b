"""Rewards (points, miles) gathered by `fetch_rewards`: list and read by member."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.member_data import reward_json
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, listing, member_guid_of, user_of


def list_rewards(ctx: Ctx):
    user = user_of(ctx)
    found = data_store(ctx).rewards(user.guid, member_guid_of(ctx, user))
    return listing(ctx, "rewards", found, reward_json)


def read_reward(ctx: Ctx):
    user = user_of(ctx)
    reward = data_store(ctx).reward(user.guid, member_guid_of(ctx, user), ctx.params["reward_guid"])
    return {"reward": reward_json(reward)}


routes = [
    Route("/users/{user_guid}/members/{member_guid}/rewards", mx_route(list_rewards), methods=["GET"]),
    Route("/users/{user_guid}/members/{member_guid}/rewards/{reward_guid}", mx_route(read_reward), methods=["GET"]),
]
