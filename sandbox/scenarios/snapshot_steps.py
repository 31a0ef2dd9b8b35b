"""`load_snapshot: path.json`: start a scenario from a saved tenant (`mx-sandbox snapshot save`).

The path is relative to the scenario file. Afterwards the scenario's user is the snapshot's first
user and its members are named by their partner `id` when they have one, else `member`, `member2`, …
in the order MX lists them, so later steps (`wait_for`, `advance_clock`, …) act on them.
"""
from __future__ import annotations

from typing import Any

import httpx

from .context import RunContext, StepFailure


def load_snapshot(ctx: RunContext, args: Any, step: dict[str, Any]) -> httpx.Response:
    path = ctx.base_dir / (args["file"] if isinstance(args, dict) else str(args))
    try:
        content = path.read_bytes()
    except OSError as error:
        raise StepFailure(f"cannot read the snapshot {path}: {error.strerror or error}") from None
    if not ctx.is_sandbox:
        raise StepFailure("load_snapshot needs the sandbox control API")
    ctx.requests += 1
    r = ctx.http.put("/_sandbox/snapshot", content=content, headers={"Content-Type": "application/json"})
    if r.status_code != 200:
        return r
    users = ctx.ok(ctx.call("GET", "/users"), 200)["users"]
    ctx.user_guid = users[0]["guid"] if users else None
    ctx.members.clear()
    ctx.current_member = None
    if ctx.user_guid:
        members = ctx.ok(ctx.call("GET", f"/users/{ctx.user_guid}/members"), 200)["members"]
        for n, member in enumerate(members, 1):
            name = member.get("id") or ("member" if n == 1 else f"member{n}")
            ctx.members[name] = member["guid"]
            ctx.institutions[name] = member["institution_code"]
            ctx.current_member = ctx.current_member or name
    return r
