"""Scenario runs started from the console: each in its own thread, against this server over loopback,
in the caller's tenant, so the console's timeline shows the journey as it happens.

Bounded: at most `MAX_RUNS` runs are kept (the oldest, with its report, is forgotten first) and a
tenant runs one scenario at a time. A report is reached by its run's 192-bit token, as a widget URL is.
"""
from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..core.errors import Conflict
from ..core.tokens import new_token
from ..scenarios.loader import Scenario
from ..scenarios.report import failure_text
from ..scenarios.report_html import write_html
from ..scenarios.runner import ScenarioResult, StepResult, Target, run_scenario

MAX_RUNS = 200


@dataclass
class Run:
    token: str
    client_id: str
    scenario: Scenario
    state: str = "running"  # running | passed | failed | skipped | error
    steps_done: int = 0
    message: str = ""
    started: float = field(default_factory=time.time)
    seconds: float = 0.0
    report: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.token, "name": self.scenario.name, "state": self.state, "steps_done": self.steps_done,
                "steps": len(self.scenario.steps), "message": self.message, "seconds": round(self.seconds, 3),
                "report_url": f"/_sandbox/scenarios/reports/{self.token}" if self.report is not None else None}


class ScenarioRuns:
    def __init__(self, limit: int = MAX_RUNS) -> None:
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def start(self, scenario: Scenario, base_url: str, credentials: tuple[str, str]) -> Run:
        with self._lock:
            if any(r.client_id == credentials[0] and r.state == "running" for r in self._runs.values()):
                raise Conflict("A scenario is already running in this tenant; wait for it to finish.")
            run = Run(new_token(), credentials[0], scenario)
            self._runs[run.token] = run
            while len(self._runs) > self._limit:
                self._runs.popitem(last=False)
        target = Target(base_url, tenant=credentials)
        threading.Thread(target=self._run, args=(run, target), name=f"scenario-{scenario.name}", daemon=True).start()
        return run

    def _run(self, run: Run, target: Target) -> None:
        def step_done(step: StepResult) -> None:
            run.steps_done = step.index + 1

        try:
            result = run_scenario(run.scenario, target, on_step=step_done)
        except Exception as error:  # a crash is this run's outcome, never the server's
            run.state, run.message, run.seconds = "error", f"{type(error).__name__}: {error}", time.time() - run.started
            return
        finally:
            if run.scenario.uses_webhooks:  # the run's receiver has closed: stop sending this tenant's webhooks to it
                with contextlib.suppress(httpx.HTTPError):
                    httpx.delete(f"{target.base_url}/_sandbox/webhooks", auth=target.tenant, timeout=10)
        run.report = _report(result)
        run.seconds = result.seconds
        run.message = result.skipped_reason or failure_text(result)
        run.state = "skipped" if result.skipped_reason else ("passed" if result.passed else "failed")

    def for_tenant(self, client_id: str) -> list[Run]:
        with self._lock:
            return [r for r in reversed(self._runs.values()) if r.client_id == client_id]

    def report(self, token: str) -> str | None:
        run = self._runs.get(token)
        return run.report if run is not None else None


def _report(result: ScenarioResult) -> str:
    with tempfile.TemporaryDirectory(prefix="mx-scenario-report-") as folder:
        path = Path(folder) / "report.html"
        write_html([result], path)
        return path.read_text(encoding="utf-8")
