"""Scenario steps about webhooks, received for real by the run's loopback receiver (sandbox only).

- `expect_webhook: {type, member?, body?, count?, attempts?, timeout?}` waits (real time, default
  10 s) until a webhook of `type` for the member (default: the current one; `member: any` for
  none) whose body contains `body` has arrived `count` times; with `attempts`, the sandbox must
  have needed exactly that many attempts to deliver it.
- `webhook_receiver_fails: {times: N, status: 500}`: the receiver refuses the next N deliveries.
"""
from __future__ import annotations

import time
from typing import Any

from ..core.members.scripts import describe_duration, parse_duration
from ..testing.receiver import WebhookReceiver
from .context import RunContext, StepFailure
from .matching import subset_mismatch


def _member_guid(ctx: RunContext, args: dict[str, Any]) -> str | None:
    name = args.get("member")
    if name == "any" or (name is None and (ctx.current_member is None or args.get("type") == "MICRODEPOSIT")):
        return None
    return ctx.member(name)


def expect_webhook(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    receiver = ctx.receiver()
    kind, member_guid = args["type"], _member_guid(ctx, args)
    wanted, count = args.get("body", {}), int(args.get("count", 1))
    timeout = parse_duration(args.get("timeout", "10s"))

    def found(r: WebhookReceiver) -> list[Any]:
        return [b for b in r.matching(kind, member_guid) if subset_mismatch(wanted, b) is None]

    try:
        receiver.wait_until(lambda r: len(found(r)) >= count, timeout)
    except AssertionError:
        raise StepFailure(f"no {kind} webhook matching within {describe_duration(timeout)}",
                          expected={"type": kind, "member_guid": member_guid, "body": wanted, "count": count},
                          actual=receiver.matching(kind, member_guid)[-5:] or receiver.received[-5:]) from None
    if "attempts" in args:
        _check_attempts(ctx, found(receiver)[count - 1], int(args["attempts"]), timeout)


def _check_attempts(ctx: RunContext, body: Any, attempts: int, timeout: float) -> None:
    """The receiver has the body a moment before the sandbox records its answer: poll briefly."""
    deadline = time.monotonic() + timeout
    while True:
        deliveries = ctx.ok(ctx.control("GET", "/_sandbox/webhooks/deliveries"), 200)["deliveries"]
        match = next((d for d in deliveries if d["body"] == body and d["state"] == "delivered"), None)
        if match is not None:
            if len(match["attempts"]) != attempts:
                raise StepFailure("the webhook took a different number of attempts", expected=attempts,
                                  actual=[(a["at"], a["status"], a["error"]) for a in match["attempts"]])
            return
        if time.monotonic() > deadline:
            raise StepFailure(f"the sandbox never recorded the delivery within {describe_duration(timeout)}",
                              expected="delivered", actual=None)
        time.sleep(0.02)


def webhook_receiver_fails(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    ctx.receiver().fail(int(args.get("times", 1)), int(args.get("status", 500)))
