"""/_sandbox/faults: add, list and delete the tenant's fault rules (core/faults.py). Not MX's."""
from __future__ import annotations

from starlette.routing import Route

from ...core.faults import MAX_RULES
from ..endpoint import Ctx, Reply, mx_route


def add_fault(ctx: Ctx):
    rule = ctx.tenant.faults.add(ctx.body)
    return Reply({"fault": rule.to_json(ctx.tenant.clock.now())}, 201)


def list_faults(ctx: Ctx):
    return {"faults": ctx.tenant.faults.list(), "limit": MAX_RULES}


def read_fault(ctx: Ctx):
    return {"fault": ctx.tenant.faults.get(ctx.params["fault_id"]).to_json(ctx.tenant.clock.now())}


def delete_faults(ctx: Ctx):
    ctx.tenant.faults.delete()
    return Reply(None, 204)


def delete_fault(ctx: Ctx):
    ctx.tenant.faults.delete(ctx.params["fault_id"])
    return Reply(None, 204)


def _control(handler):
    return mx_route(handler, versioned=False, record=False)


routes = [
    Route("/_sandbox/faults", _control(add_fault), methods=["POST"]),
    Route("/_sandbox/faults", _control(list_faults), methods=["GET"]),
    Route("/_sandbox/faults", _control(delete_faults), methods=["DELETE"]),
    Route("/_sandbox/faults/{fault_id}", _control(read_fault), methods=["GET"]),
    Route("/_sandbox/faults/{fault_id}", _control(delete_fault), methods=["DELETE"]),
]
