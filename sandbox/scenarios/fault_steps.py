"""Scenario steps for fault rules and the request journal (sandbox only).

- `fault: {...}` adds a rule (`POST /_sandbox/faults`), as its fields are documented; `member: name`
  (default: the current member, for `kind: aggregation` without an institution) becomes
  `member_guid`, and `user: true` the current user's guid.
- `clear_faults:` deletes every rule.
- `expect_requests: {method, path, count, body_contains, status}`: the journal holds that many
  matching calls (`count` a number or `">= 1"`, default `">= 1"`); a failure lists the near misses.
"""
from __future__ import annotations

from typing import Any

import httpx

from .context import RunContext, StepFailure
from .matching import check_count


def fault(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    rule = {k: v for k, v in args.items() if k not in ("member", "user")}
    if "member" in args or (rule.get("kind") == "aggregation" and "institution_code" not in rule
                            and "member_guid" not in rule):
        rule["member_guid"] = ctx.member(args.get("member"))
    if args.get("user"):
        rule["user_guid"] = ctx.user()
    return ctx.control("POST", "/_sandbox/faults", rule)


def clear_faults(ctx: RunContext, args: Any, step: dict[str, Any]) -> httpx.Response:
    return ctx.control("DELETE", "/_sandbox/faults")


def expect_requests(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    wanted = args.get("count", ">= 1")
    query = {k: args[k] for k in ("method", "path", "body_contains", "status") if k in args}
    found = ctx.ok(ctx.control("POST", "/_sandbox/requests/count", {**query, "near_misses": True}), 200)
    if not check_count(found["count"], wanted):
        raise StepFailure(f"{found['count']} matching requests, expected {wanted}", expected={**query, "count": wanted},
                          actual=[f"{c['method']} {c['path']} → {c['status']} ({c['reason']})" for c in found["near_misses"]])


def retrying(ctx: RunContext, send: Any, retries: int) -> httpx.Response:
    """Send, and resend after a 429 or 5xx up to `retries` times, waiting Retry-After (virtual time
    on the sandbox) as an integration's retry loop would."""
    response = send()
    for _ in range(retries):
        if response.status_code != 429 and response.status_code < 500:
            break
        ctx.wait(float(response.headers.get("retry-after", "0") or 0))
        response = send()
    return response
