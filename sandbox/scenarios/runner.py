"""Run scenarios against a target and collect per-step results and the tenant's timeline."""
from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from .context import RunContext, StepFailure
from ..tls import shared_tls
from .loader import Scenario
from ..testing.receiver import WebhookReceiver
from .steps import STEPS, check_expect


@dataclass
class Target:
    """Where scenarios run: a sandbox base URL, or int-api with real credentials."""

    base_url: str
    is_sandbox: bool = True
    client_id: str | None = None
    api_key: str | None = None
    make_client: Callable[[tuple[str, str]], httpx.Client] | None = None  # e.g. an in-process client
    tenant: tuple[str, str] | None = None  # run in this sandbox tenant (client_id, api_key), not a fresh one


@dataclass
class StepResult:
    index: int
    line: int
    name: str
    args: Any
    ok: bool
    seconds: float
    message: str = ""
    expected: Any = None
    actual: Any = None
    skipped: bool = False


@dataclass
class ScenarioResult:
    scenario: Scenario
    steps: list[StepResult] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    skipped_reason: str | None = None
    client_id: str = ""

    @property
    def passed(self) -> bool:
        return self.skipped_reason is None and all(s.ok for s in self.steps)

    @property
    def failure(self) -> StepResult | None:
        return next((s for s in self.steps if not s.ok), None)


def _with_run_id(value: Any, run_id: str) -> Any:
    """`{run}` in any string becomes this run's id, so partner ids stay unique on a shared int-api."""
    if isinstance(value, str):
        return value.replace("{run}", run_id)
    if isinstance(value, list):
        return [_with_run_id(v, run_id) for v in value]
    if isinstance(value, dict):
        return {k: _with_run_id(v, run_id) for k, v in value.items()}
    return value


def _client(target: Target, client_id: str) -> httpx.Client:
    auth = (target.client_id or "", target.api_key or "") if not target.is_sandbox else (
        target.tenant or (client_id, "scenario-key"))
    if target.make_client is not None:
        return target.make_client(auth)
    return httpx.Client(base_url=target.base_url, auth=auth, timeout=30.0, verify=shared_tls())


def run_scenario(scenario: Scenario, target: Target, on_step: Callable[[StepResult], None] | None = None) -> ScenarioResult:
    run_id = uuid.uuid4().hex[:8]
    client_id = target.tenant[0] if target.tenant else f"scenario-{scenario.name}-{run_id}"
    result = ScenarioResult(scenario, client_id=client_id)
    if scenario.sandbox_only and not target.is_sandbox:
        result.skipped_reason = "sandbox_only scenario: needs the sandbox control API"
        return result
    started = time.perf_counter()
    with _client(target, client_id) as http, contextlib.ExitStack() as stack:
        ctx = RunContext(http, target.is_sandbox, base_dir=scenario.path.parent)
        if target.is_sandbox:
            clock = ctx.control("POST", "/_sandbox/clock", {"frozen": True, "now": scenario.start})
            if clock.status_code == 400 and target.tenant:  # a tenant holding data: its clock only moves on
                clock = ctx.control("POST", "/_sandbox/clock", {"frozen": True})
            ctx.ok(clock, 200)
        if target.is_sandbox and scenario.uses_webhooks:  # a real receiver on loopback, for this tenant only
            ctx.webhooks = stack.enter_context(WebhookReceiver())
            ctx.ok(ctx.control("PUT", "/_sandbox/webhooks", {"url": ctx.webhooks.url}), 200)
        failed = False
        for index, step in enumerate(scenario.steps):
            name = next(k for k in step if k not in ("expect", "as"))
            line = scenario.step_lines[index] if index < len(scenario.step_lines) else 0
            if failed:
                result.steps.append(StepResult(index, line, name, step[name], True, 0.0, "not run", skipped=True))
                continue
            t0 = time.perf_counter()
            step = _with_run_id(step, run_id)
            try:
                response = STEPS[name](ctx, step[name], step)
                if "expect" in step:
                    check_expect(response, step["expect"])
                elif response is not None and response.status_code >= 400:
                    body = response.json() if response.content else None
                    raise StepFailure(f"{name} answered {response.status_code}", expected="a 2xx (add `expect:` for errors)", actual=body)
                outcome = StepResult(index, line, name, step[name], True, time.perf_counter() - t0)
            except StepFailure as failure:
                outcome = StepResult(index, line, name, step[name], False, time.perf_counter() - t0,
                                     failure.message, failure.expected, failure.actual)
            except (httpx.HTTPError, ValueError, KeyError) as error:
                outcome = StepResult(index, line, name, step[name], False, time.perf_counter() - t0, f"{type(error).__name__}: {error}")
            failed = failed or not outcome.ok
            result.steps.append(outcome)
            if on_step:
                on_step(outcome)
        if target.is_sandbox:
            r = http.get("/_sandbox/events")
            if r.status_code == 200:
                result.events = r.json()["events"]
    result.seconds = time.perf_counter() - started
    return result
