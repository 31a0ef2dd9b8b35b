"""Assemble the Starlette app: tenants, the catalog and every resource's routes."""
from __future__ import annotations

import contextlib
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from .config import SandboxConfig
from .core.clock import parse_instant
from .core.errors import MXError
from .core.institutions import Catalog
from .core.data.profiles import check_catalog, load_profiles
from .core.members.behavior import default_book
from .core.members.scripts import ScriptBook
from .core.microdeposits.rules import default_rules
from .core.tenant import Fixtures, TenantSettings
from .core.tenants import TenantRegistry
from .http.auth import load_credentials
from .http.driver import TimeDriver
from .http.persist import open_recorder, restore_all
from .http.webhook_sender import WebhookSender
from .http.endpoint import error_response
from .http.request_journal import record_unrouted
from .http.front import Front
from .http.router import IndexedRouter
from .paths import SCENARIOS_DIR
from .console import scenario_routes
from .http.routes import (
    account_numbers,
    account_owners,
    accounts,
    ach_returns,
    budgets,
    card_products,
    cash_flow,
    categories,
    console,
    control,
    faults,
    goals,
    holdings,
    insights,
    institutions,
    managed,
    journal,
    members,
    merchants,
    microdeposits,
    notifications,
    oauth,
    processor,
    rewards,
    snapshot,
    spending_plans,
    statements,
    tags,
    transaction_activity,
    transaction_rules,
    transactions,
    users,
    verifiable_credentials,
    widget_page,
    widget_sessions,
    webhooks,
    widget_urls,
)
from .http.versioning import policy_of, requested_version

ROUTE_MODULES = [
    control, users, institutions, members, oauth, microdeposits,
    accounts, transactions, account_numbers, account_owners, statements, holdings, rewards,
    categories, merchants, tags, transaction_rules,
    budgets, goals, spending_plans, cash_flow,
    transaction_activity, insights, notifications, managed,
    widget_urls, widget_sessions, widget_page, webhooks, snapshot, faults, journal,
    processor, ach_returns, verifiable_credentials, card_products,
    console, scenario_routes,
]


class AppState(State):
    """`app.state` with its values as plain attributes. Starlette's `State` reaches each one through
    `__getattr__`, i.e. after a failed lookup (about 1 µs), and the request path reads several."""

    def __setattr__(self, key: str, value: object) -> None:
        object.__setattr__(self, key, value)
        self._state[key] = value

    def __delattr__(self, key: str) -> None:
        object.__delattr__(self, key)
        del self._state[key]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    version = requested_version(request.headers, policy_of(request.app))
    if exc.status_code in (404, 405):
        await record_unrouted(request, exc.status_code)
    if exc.status_code == 404:
        return error_response(MXError("Invalid route", 404), version)
    if exc.status_code == 405:
        return error_response(MXError("Method not allowed for this route.", 405), version)
    return error_response(MXError(str(exc.detail), exc.status_code), version)


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(MXError("Internal server error.", 500))


def build_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    catalog = Catalog.load(config.institutions)
    profiles = load_profiles()  # parse every fixture at start-up, not on the first request
    check_catalog(profiles, {i.profile for i in catalog.all()})
    fixtures = Fixtures(catalog, ScriptBook.load(config.scenarios or SCENARIOS_DIR), default_book(),
                        default_rules(), profiles)
    settings = TenantSettings(
        seed=config.seed,
        clock_mode=config.clock,
        start=parse_instant(config.start) if config.start else None,
        public_url=config.base_url,
        delete_lag_seconds=config.delete_lag_seconds,
        webhook_url=config.webhook_url,
    )
    credentials = load_credentials(config.credentials) if config.credentials else None
    tenants = TenantRegistry(fixtures, settings, evict=credentials is None,
                             idle_seconds=config.tenant_idle_seconds, max_tenants=config.max_tenants)
    tenants.recorder = recorder = open_recorder(config.state_dir)  # every tenant's log (--state-dir: on disk)
    driver = TimeDriver(tenants)
    sender = WebhookSender(tenants)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if driver.running:  # already running on another loop (in-process mode; a test client's
            yield           # per-call lifespan): leave them to whoever started them
            return
        await restore_all(app)  # with a state dir: every tenant rebuilt before the first request
        driver.start()  # time moves by itself while the server runs (in-process mode starts both itself)
        sender.start()  # webhooks go out from background tasks, never from a request
        try:
            yield
        finally:
            await sender.stop()
            await driver.stop()

    app = Starlette(
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        middleware=[Middleware(Front)],  # request id, access log, head limits, persistence capture
    )
    # MX has no trailing-slash redirects: `/users/` (e.g. an empty partner id) is an unknown route, not
    # a 307 to the user list.
    app.router = IndexedRouter(routes=[route for module in ROUTE_MODULES for route in module.routes],
                               redirect_slashes=False, lifespan=lifespan)
    app.state = AppState()
    app.state.config = config
    app.state.versioning = config.versioning
    app.state.stopping = None  # `serve` sets it: a catch-up in progress gives way to SIGTERM
    app.state.tenants = tenants
    app.state.recorder = recorder
    app.state.driver = driver
    app.state.webhook_sender = sender
    app.state.credentials = credentials
    return app
