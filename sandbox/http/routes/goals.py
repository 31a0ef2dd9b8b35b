"""Goals: CRUD and reposition; progress comes from the goal's account."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ...serialize.planning import goal_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import user_of, view_listing


def _one(ctx: Ctx, goal) -> dict:
    return {"goal": goal_json(ctx.tenant.pfm.planning.goal_views(goal.user_guid, [goal])[0])}


def _goal(ctx: Ctx):
    return ctx.tenant.pfm.planning.goals.get(user_of(ctx).guid, ctx.params["goal_guid"])


def list_goals(ctx: Ctx):
    user = user_of(ctx)
    planning = ctx.tenant.pfm.planning
    return view_listing(ctx, "goals", planning.goals.list(user.guid),
                        lambda chunk: planning.goal_views(user.guid, chunk), goal_json)


def create_goal(ctx: Ctx):
    user = user_of(ctx)
    return _one(ctx, ctx.tenant.pfm.planning.create_goal(user.guid, require_object(ctx.body, "goal")))


def read_goal(ctx: Ctx):
    return _one(ctx, _goal(ctx))


def update_goal(ctx: Ctx):
    goal = _goal(ctx)
    return _one(ctx, ctx.tenant.pfm.planning.update_goal(goal, require_object(ctx.body, "goal")))


def delete_goal(ctx: Ctx):
    planning = ctx.tenant.pfm.planning
    planning.goals.delete(_goal(ctx))
    return Reply(None, 204)


def reposition_goals(ctx: Ctx):
    user = user_of(ctx)
    if ctx.body is None:
        raise BadRequest("A request body is required.")
    planning = ctx.tenant.pfm.planning
    goals = planning.goals.reposition(user.guid, ctx.body.get("goals"))
    return {"goals": [goal_json(v) for v in planning.goal_views(user.guid, goals)]}


ONE = "/users/{user_guid}/goals/{goal_guid}"
routes = [
    Route("/users/{user_guid}/goals/reposition", mx_route(reposition_goals), methods=["PUT"]),
    Route("/users/{user_guid}/goals", mx_route(list_goals), methods=["GET"]),
    Route("/users/{user_guid}/goals", mx_route(create_goal), methods=["POST"]),
    Route(ONE, mx_route(read_goal), methods=["GET"]),
    Route(ONE, mx_route(update_goal), methods=["PUT"]),
    Route(ONE, mx_route(delete_goal), methods=["DELETE"]),
]
