"""One function per scenario step. Each takes the run context and the step's arguments."""
from __future__ import annotations

from typing import Any, Callable

import httpx

from ..core.members.job_types import JOB_TYPES
from ..core.members.scripts import describe_duration, parse_duration
from .context import RunContext, StepFailure
from .fault_steps import clear_faults, expect_requests, fault, retrying
from .managed_steps import load_managed
from .matching import check_count, subset_mismatch
from .processor_steps import processor_hand_off, processor_request, revoke_token
from .snapshot_steps import load_snapshot
from .webhook_steps import expect_webhook, webhook_receiver_fails

Step = Callable[[RunContext, Any, dict[str, Any]], "httpx.Response | None"]
RETRIEVABLE = {
    "accounts": "accounts", "transactions": "transactions", "account_numbers": "account_numbers",
    "account_owners": "account_owners", "statements": "statements", "holdings": "investment_holdings",
    "rewards": "rewards",
}


def credentials(ctx: RunContext, institution: str, values: dict[str, str]) -> list[dict[str, str]]:
    """Field names (LOGIN, PASSWORD, ...) → the institution's credential guids."""
    fields = ctx.ok(ctx.call("GET", f"/institutions/{institution}/credentials"), 200)["credentials"]
    by_name = {f["field_name"]: f["guid"] for f in fields}
    unknown = set(values) - set(by_name)
    if unknown:
        raise StepFailure(f"{institution} has no credential fields {sorted(unknown)}", expected=sorted(by_name), actual=sorted(values))
    return [{"guid": by_name[name], "value": value} for name, value in values.items()]


def create_user(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> httpx.Response:
    r = ctx.call("POST", "/users", {"user": args or {"metadata": "scenario"}})
    ctx.user_guid = ctx.ok(r, 200)["user"]["guid"]
    return r


def create_member(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    name = step.get("as", "member")
    member: dict[str, Any] = {"institution_code": args["institution"]}
    if args.get("oauth"):
        member.update(is_oauth=True, credentials=[])
    else:
        member["credentials"] = credentials(ctx, args["institution"], args.get("credentials", {}))
    if "id" in args:
        member["id"] = args["id"]
    body: dict[str, Any] = {"member": member}
    if args.get("products"):
        body["data_request"] = {"products": args["products"]}
    r = ctx.call("POST", f"/users/{ctx.user()}/members", body, headers=webhook_headers(args))
    if r.status_code in (200, 202):
        ctx.members[name] = r.json()["member"]["guid"]
        ctx.institutions[name] = args["institution"]
        ctx.current_member = name
    return r


def webhook_headers(args: dict[str, Any]) -> dict[str, str]:
    """`callback_payload` → X-CALLBACK-PAYLOAD; `skip_webhook: true` → MX-Skip-Webhook."""
    headers = {}
    if args.get("callback_payload") is not None:
        headers["X-CALLBACK-PAYLOAD"] = str(args["callback_payload"])
    if args.get("skip_webhook"):
        headers["MX-Skip-Webhook"] = "true"
    return headers


def update_credentials(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    name = args.get("member") or ctx.current_member
    creds = credentials(ctx, ctx.institutions.get(name or "", "mxbank"), args["credentials"])
    return ctx.call("PUT", ctx.member_path(name), {"member": {"credentials": creds}})


def member_status(ctx: RunContext, name: str | None) -> dict[str, Any]:
    return ctx.ok(ctx.call("GET", f"{ctx.member_path(name)}/status"), 200)["member"]


def wait_for(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    wanted = {k: args[k] for k in ("connection_status", "is_being_aggregated") if k in args}
    timeout = parse_duration(args.get("timeout", "120s"))
    step_seconds = 1.0 if ctx.is_sandbox else ctx.poll_seconds
    waited = 0.0
    while True:
        current = member_status(ctx, args.get("member"))
        if all(current.get(k) == v for k, v in wanted.items()):
            return None
        if waited >= timeout:
            raise StepFailure(f"member did not reach the state within {describe_duration(timeout)}",
                              expected=wanted, actual={k: current.get(k) for k in ("connection_status", "is_being_aggregated")})
        ctx.wait(step_seconds)
        waited += step_seconds


def answer_mfa(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    path = ctx.member_path(args.get("member"))
    r = ctx.call("GET", f"{path}/challenges")
    if r.status_code == 204:
        raise StepFailure("the member has no open challenge", expected="CHALLENGED",
                          actual=member_status(ctx, args.get("member"))["connection_status"])
    challenges = ctx.ok(r, 200)["challenges"]
    value = args.get("value", "correct")
    return ctx.call("PUT", f"{path}/resume", {"member": {"challenges": [{"guid": c["guid"], "value": value} for c in challenges]}})


def job(kind: str) -> Step:
    def run(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> httpx.Response:
        return ctx.call("POST", f"{ctx.member_path((args or {}).get('member'))}/{kind}")

    return run


def delete_member(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> httpx.Response:
    return ctx.call("DELETE", ctx.member_path((args or {}).get("member")))


def advance_clock(ctx: RunContext, args: Any, step: dict[str, Any]) -> httpx.Response:
    if isinstance(args, dict):
        seconds = args.get("seconds", 0) + 60 * args.get("minutes", 0) + 3600 * args.get("hours", 0) + 86400 * args.get("days", 0)
    else:
        seconds = parse_duration(args)
    return ctx.control("POST", "/_sandbox/clock", {"advance_seconds": seconds})


def force_status(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    body = {k: v for k, v in args.items() if k != "member"}
    return ctx.control("PUT", f"/_sandbox/members/{ctx.member(args.get('member'))}", body)


def oauth(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    return ctx.control("POST", f"/_sandbox/members/{ctx.member(args.get('member'))}/oauth", {"decision": args["decision"]})


def request_widget_url(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> httpx.Response:
    fields = dict(args or {})
    products = fields.pop("products", None)
    headers = webhook_headers({k: fields.pop(k) for k in ("callback_payload", "skip_webhook") if k in fields})
    body: dict[str, Any] = {"widget_type": "connect_widget", **fields}
    if products:
        body["data_request"] = {"products": products}
    r = ctx.call("POST", f"/users/{ctx.user()}/widget_urls", {"widget_url": body}, headers=headers)
    if r.status_code == 200:
        ctx.widget_url = r.json()["widget_url"]["url"]
    return r


def widget(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    """Drive the headless widget: `open` uses up the URL; other actions go to the session.

    Conveniences: `submit_credentials` takes `{LOGIN: .., PASSWORD: ..}`; `answer_mfa` takes
    `value` and answers every open challenge with it.
    """
    action = args["action"]
    if action == "open":
        if not ctx.widget_url:
            raise StepFailure("no widget URL yet: add a request_widget_url step first")
        r = ctx.control("POST", "/_sandbox/widget_sessions", {"url": ctx.widget_url})
        if r.status_code == 201:
            ctx.widget_session = r.json()["widget_session"]["guid"]
        return r
    if ctx.widget_session is None:
        raise StepFailure("the widget is not open: add a `widget: {action: open}` step first")
    body = dict(args)
    session_path = f"/_sandbox/widget_sessions/{ctx.widget_session}"
    if action == "submit_credentials" and isinstance(args.get("credentials"), dict):
        state = ctx.ok(ctx.control("GET", session_path), 200)["widget_session"]
        fields = {c["field_name"]: c["guid"] for c in (state.get("institution") or {}).get("credentials", [])}
        body["credentials"] = [{"guid": fields.get(name, name), "value": value} for name, value in args["credentials"].items()]
    if action == "answer_mfa" and "value" in args:
        state = ctx.ok(ctx.control("GET", session_path), 200)["widget_session"]
        body = {"action": "answer_mfa", "challenges": [{"guid": c["guid"], "value": args["value"]} for c in state["challenges"]]}
    r = ctx.control("POST", f"{session_path}/actions", body)
    if r.status_code == 200:
        member = r.json()["widget_session"].get("member")
        if member:
            ctx.members["widget"] = member["guid"]
            ctx.current_member = ctx.current_member or "widget"
    return r


def expect_events(ctx: RunContext, args: list[Any], step: dict[str, Any]) -> None:
    from .matching import match_subsequence

    events = ctx.ok(ctx.control("GET", "/_sandbox/events"), 200)["events"]
    missing = match_subsequence(args, [e for e in events if e["kind"] != "api"])
    if missing is not None:
        raise StepFailure(f"event {missing!r} not found in order",
                          expected=args, actual=[f"{e['kind']}:{e['type']}:{e['data'].get('new', '')}" for e in events if e["kind"] != "api"][-30:])


def retrieve(ctx: RunContext, args: dict[str, Any] | None, step: dict[str, Any]) -> None:
    args = args or {}
    path = ctx.member_path(args.get("member"))
    for name, expectation in (args.get("expect") or {"accounts": ">= 1"}).items():
        if name not in RETRIEVABLE:
            raise StepFailure(f"cannot retrieve {name!r}", expected=sorted(RETRIEVABLE), actual=name)
        r = ctx.call("GET", f"{path}/{RETRIEVABLE[name]}?records_per_page=1000")
        total = ctx.ok(r, 200)["pagination"]["total_entries"]
        if not check_count(total, expectation):
            raise StepFailure(f"{name}: {total} does not satisfy {expectation!r}", expected=expectation, actual=total)


def create_microdeposit(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    r = ctx.call("POST", f"/users/{ctx.user()}/micro_deposits", {"micro_deposit": args})
    if r.status_code == 200:
        ctx.microdeposit = r.json()["micro_deposit"]["guid"]
    return r


def _microdeposit(ctx: RunContext) -> str:
    if ctx.microdeposit is None:
        raise StepFailure("no microdeposit yet: add a create_microdeposit step first")
    return ctx.microdeposit


def wait_for_microdeposit(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> None:
    timeout, waited = parse_duration(args.get("timeout", "5m")), 0.0
    while True:
        body = ctx.ok(ctx.call("GET", f"/users/{ctx.user()}/micro_deposits/{_microdeposit(ctx)}"), 200)["micro_deposit"]
        if body["status"] == args["status"]:
            return None
        if waited >= timeout:
            raise StepFailure(f"microdeposit did not reach the status within {describe_duration(timeout)}",
                              expected=args["status"], actual=body["status"])
        ctx.wait(5.0 if ctx.is_sandbox else ctx.poll_seconds)
        waited += 5.0 if ctx.is_sandbox else ctx.poll_seconds


def verify_microdeposit(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    """`amounts: correct` reads the deposited amounts through the control API; or give two numbers."""
    guid = _microdeposit(ctx)
    amounts = args.get("amounts", "correct")
    if amounts == "correct":
        secret = ctx.ok(ctx.control("GET", f"/_sandbox/micro_deposits/{guid}"), 200)["micro_deposit"]
        amounts = [secret["deposit_amount_1"], secret["deposit_amount_2"]]
    return ctx.call("PUT", f"/micro_deposits/{guid}/verify",
                    {"micro_deposit": {"deposit_amount_1": amounts[0], "deposit_amount_2": amounts[1]}})


def request(ctx: RunContext, args: dict[str, Any], step: dict[str, Any]) -> httpx.Response:
    """`retries: N` resends after a 429 or 5xx, waiting Retry-After (fault_steps.retrying)."""
    path = ctx.expand(args["path"])
    return retrying(ctx, lambda: ctx.call(args["method"], path, args.get("body"), args.get("version", "v20250224")),
                    int(args.get("retries", 0)))


STEPS: dict[str, Step] = {
    "create_user": create_user, "create_member": create_member, "update_credentials": update_credentials,
    "wait_for": wait_for, "answer_mfa": answer_mfa, "delete_member": delete_member,
    "advance_clock": advance_clock, "force_status": force_status, "oauth": oauth,
    "request_widget_url": request_widget_url, "widget": widget, "expect_events": expect_events,
    "retrieve": retrieve, "request": request, **{kind: job(kind) for kind in JOB_TYPES},
    "create_microdeposit": create_microdeposit, "wait_for_microdeposit": wait_for_microdeposit,
    "verify_microdeposit": verify_microdeposit, "expect_webhook": expect_webhook,
    "webhook_receiver_fails": webhook_receiver_fails, "load_snapshot": load_snapshot,
    "load_managed": load_managed,
    "fault": fault, "clear_faults": clear_faults, "expect_requests": expect_requests,
    "processor_hand_off": processor_hand_off, "processor_request": processor_request, "revoke_token": revoke_token,
}


def check_expect(response: httpx.Response | None, expect: dict[str, Any]) -> None:
    if response is None:
        raise StepFailure("`expect` needs a step that makes a request")
    if "status" in expect and response.status_code != expect["status"]:
        raise StepFailure("unexpected status code", expected=expect["status"], actual=response.status_code)
    if "body" in expect:
        body = response.json() if response.content else None
        mismatch = subset_mismatch(expect["body"], body)
        if mismatch:
            raise StepFailure(f"response body differs at {mismatch}", expected=expect["body"], actual=body)
