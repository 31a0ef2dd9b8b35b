"""/_sandbox/scenarios: the shipped scenarios, and runs of them in the caller's tenant (the console's
Scenarios view). Reports open by their run's token, like widget URLs, so a plain link works."""
from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..core.store.recorder import CAPTURE
from ..core.errors import BadRequest, Conflict, MXError, NotFound
from ..paths import SCENARIOS_DIR
from ..scenarios.report_script import FILTER_JS_HASH
from ..http.auth import credentials_from
from ..http.endpoint import Ctx, Reply, error_response, mx_route
from ..http.parsing import field_of

if TYPE_CHECKING:  # the runner (httpx, jsonschema, rich) loads on the first scenario call, not at start-up
    from ..scenarios.loader import Scenario
    from .runs import ScenarioRuns

# The report's one script is its filter box, allowed by hash: nothing else in the page may run.
REPORT_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                                             f"script-src '{FILTER_JS_HASH}'",
                  "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def _shipped(ctx: Ctx) -> tuple[list[Scenario], list[str]]:
    from ..scenarios.loader import ScenarioError, discover, load

    folder = ctx.request.app.state.config.scenarios or SCENARIOS_DIR
    scenarios, invalid = [], []
    for path in discover([folder]):
        try:
            scenarios.append(load(path))
        except ScenarioError as error:
            invalid.append(str(error))
    return scenarios, invalid


def _runs(ctx: Ctx) -> ScenarioRuns:
    state = ctx.request.app.state
    if getattr(state, "scenario_runs", None) is None:
        from .runs import ScenarioRuns

        state.scenario_runs = ScenarioRuns()
    return state.scenario_runs


def list_scenarios(ctx: Ctx):
    scenarios, invalid = _shipped(ctx)
    return {"scenarios": [{"name": s.name, "description": s.description, "target": s.target, "tags": s.tags,
                           "steps": len(s.steps), "file": s.path.name} for s in scenarios], "invalid": invalid}


def start_run(ctx: Ctx):
    """`{"name": "mxbank-connected"}`: run it now in this tenant (its clock is frozen for the run)."""
    name = field_of(ctx.body or {}, "name", str)
    if not name:
        raise BadRequest("name is required: one of GET /_sandbox/scenarios.")
    scenario = next((s for s in _shipped(ctx)[0] if s.name == name), None)
    if scenario is None:
        raise NotFound(f"No scenario named {name!r}.")
    server = ctx.request.scope.get("server")
    if not server:
        raise Conflict("Scenario runs need the server on a socket (not the in-process mode).")
    host, port = server
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else (f"[{host}]" if ":" in host else host))
    credentials = credentials_from(ctx.request.headers, ctx.request.app.state.credentials)
    capture = CAPTURE.get()
    if capture is not None:
        capture.skip = True  # the run's own calls are logged one by one; replaying this would run it twice
    run = _runs(ctx).start(scenario, f"http://{host}:{port}", credentials)
    return Reply({"run": run.to_json()}, 202)


def list_runs(ctx: Ctx):
    return {"runs": [r.to_json() for r in _runs(ctx).for_tenant(ctx.tenant.client_id)]}


async def report(request: Request) -> Response:
    runs = getattr(request.app.state, "scenario_runs", None)
    html = runs.report(request.path_params["token"]) if runs is not None else None
    if html is None:
        return error_response(MXError("Invalid route", 404))
    return HTMLResponse(html, headers=REPORT_HEADERS)


routes = [
    Route("/_sandbox/scenarios", mx_route(list_scenarios, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/scenarios/runs", mx_route(list_runs, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/scenarios/runs", mx_route(start_run, versioned=False, record=False), methods=["POST"]),
    Route("/_sandbox/scenarios/reports/{token}", report, methods=["GET"]),
]
