"""Scenario steps for a processor hand-off (sandbox only: the runner holds no processor credentials
for int-api, and MX documents no revocation call).

- `processor_hand_off: {member?, accounts?: [CHECKING]}`: the client requests an authorization code
  for the member's first account of each listed type; the processor exchanges it for a token, which
  the run keeps. The step's response is the exchange (or the refused code request).
- `processor_request: {method?: GET, path, account?: SAVINGS, version?}`: a processor call with
  the token; `account` asks for the member's first account of that type (`?account_guid=`).
- `revoke_token: {}`: the client revokes the token.
"""
from __future__ import annotations

from typing import Any

import httpx

from .context import V1, V2025, RunContext, StepFailure

PROCESSOR_AUTH = ("scenario-processor", "scenario-key")


def _account_guid(ctx: RunContext, member: str | None, kind: str) -> str:
    accounts = ctx.ok(ctx.call("GET", f"{ctx.member_path(member)}/accounts"), 200)["accounts"]
    found = next((a["guid"] for a in accounts if a["type"] == kind), None)
    if found is None:
        raise StepFailure(f"the member has no {kind} account", expected=kind, actual=sorted({a["type"] for a in accounts}))
    return found


def processor_hand_off(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> httpx.Response:
    args = args or {}
    member = args.get("member")
    accounts = [_account_guid(ctx, member, kind) for kind in args.get("accounts", ["CHECKING"])]
    scope = " ".join([f"user-guid:{ctx.user()}", f"member-guid:{ctx.member(member)}",
                      *(f"account-guid:{guid}" for guid in accounts), "read-protected"])
    r = ctx.call("POST", "/authorization_code", {"authorization_code": {"scope": scope}})
    if r.status_code != 200:
        return r
    ctx.requests += 1
    r = ctx.http.post("/token", params={"grant_type": "authorization_code", "code": r.json()["authorization_code"]["code"]},
                      auth=PROCESSOR_AUTH)
    if r.status_code == 200:
        ctx.processor_token = r.json()["access_token"]
    return r


def _token(ctx: RunContext) -> str:
    if ctx.processor_token is None:
        raise StepFailure("no processor token yet: add a processor_hand_off step first")
    return ctx.processor_token


def processor_request(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    params = {"account_guid": _account_guid(ctx, None, args["account"])} if args.get("account") else {}
    headers = {**(V1 if args.get("version") == "v20111101" else V2025), "Authorization": f"Bearer {_token(ctx)}"}
    ctx.requests += 1
    return ctx.http.request(args.get("method", "GET"), args["path"], params=params, headers=headers, auth=None)


def revoke_token(ctx: RunContext, args: Any, step: dict[str, Any]) -> httpx.Response:
    return ctx.call("DELETE", f"/tokens/{_token(ctx)}")
