"""`load_managed`: a partner loads held data through the managed data API, in one step.

`load_managed: {institution, id?, name?, metadata?, accounts: [{<account fields>, transactions: [...]}]}`
creates a managed member (named by the step's `as`, default `managed`), then each account and its
transactions, in order. Any refusal fails the step with the request and the answer.
"""
from __future__ import annotations

from typing import Any

from .context import RunContext

MEMBER_FIELDS = ("id", "name", "metadata")


def load_managed(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    member = {"institution_code": args["institution"], **{k: args[k] for k in MEMBER_FIELDS if k in args}}
    base = f"/users/{ctx.user()}/managed_members"
    guid = ctx.ok(ctx.call("POST", base, {"member": member}), 202)["member"]["guid"]
    name = step.get("as", "managed")
    ctx.members[name] = guid
    ctx.institutions[name] = args["institution"]
    ctx.current_member = name
    for account in args.get("accounts", []):
        fields = {k: v for k, v in account.items() if k != "transactions"}
        created = ctx.ok(ctx.call("POST", f"{base}/{guid}/accounts", {"account": fields}), 200)["account"]
        path = f"{base}/{guid}/accounts/{created['guid']}/transactions"
        for txn in account.get("transactions", []):
            ctx.ok(ctx.call("POST", path, {"transaction": txn}), 200)
    return None
