"""Assemble the Starlette app: tenants, the catalog and every resource's routes."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .config import SandboxConfig
from .core.clock import parse_instant
from .core.errors import MXError
from .core.institutions import Catalog
from .core import data as _data  # noqa: F401  (registers the tenant's `data` component)
from .core import oauth as _oauth  # noqa: F401  (registers the tenant component)
from .core.data.profiles import check_catalog, load_profiles
from .core.members.behavior import default_book
from .core.members.scripts import ScriptBook
from .core.microdeposits.rules import default_rules
from .core.tenant import TenantRegistry, TenantSettings
from .http.auth import load_credentials
from .http.endpoint import error_response
from .http.request_log import RequestLog
from .paths import SCENARIOS_DIR
from .http.routes import (
    account_numbers,
    account_owners,
    accounts,
    control,
    holdings,
    institutions,
    members,
    microdeposits,
    oauth,
    rewards,
    statements,
    transactions,
    users,
    widget_page,
    widget_sessions,
    widget_urls,
)
from .http.versioning import requested_version

ROUTE_MODULES = [
    control, users, institutions, members, oauth, microdeposits,
    accounts, transactions, account_numbers, account_owners, statements, holdings, rewards,
    widget_urls, widget_sessions, widget_page,
]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    version = requested_version(request.headers)
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
    default_book()  # parse fixtures at start-up, not on the first request
    default_rules()
    check_catalog(load_profiles(), {i.profile for i in catalog.all()})
    settings = TenantSettings(
        seed=config.seed,
        clock_mode=config.clock,
        start=parse_instant(config.start) if config.start else None,
        public_url=config.base_url,
    )
    app = Starlette(
        routes=[route for module in ROUTE_MODULES for route in module.routes],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    # MX has no trailing-slash redirects: `/users/` (e.g. an empty partner id) is an unknown route, not
    # a 307 to the user list.
    app.router.redirect_slashes = False
    app.add_middleware(RequestLog)
    app.state.config = config
    scripts = ScriptBook.load(config.scenarios or SCENARIOS_DIR)
    app.state.tenants = TenantRegistry(catalog, settings, scripts)
    app.state.credentials = load_credentials(config.credentials) if config.credentials else None
    return app
