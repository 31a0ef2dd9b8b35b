"""pytest plugin (entry point `mx_sandbox`): test your own MX integration against the sandbox.

Fixtures:
- `mx_sandbox`: a real `mx-sandbox serve` on a free loopback port, started once per session (per
  xdist worker), or the server at `--mx-sandbox-url` / `MX_SANDBOX_URL` shared by all workers. Each
  test gets a fresh tenant: `url`, `client_id`, `api_key`, `clock`, `reset()`, `events()`,
  `force_status()`, `widget()`, the request journal (`requests()`, `count_requests()`,
  `assert_called(method, path, times=...)`, whose failure lists the near misses) and fault rules
  (`add_fault(...)`, `faults()`, `clear_faults()`).
- `mx_webhooks`: a real webhook receiver on a loopback port, registered for `mx_sandbox`'s tenant:
  `wait_for(type=..., member_guid=..., timeout=...)`, `received` (the bodies), `fail(times, status)`,
  `hang()`, `deliveries()`.
- `mx_httpx_mock`: httpx traffic to https://int-api.mx.com goes into the sandbox in-process (respx),
  so the app needs no base-URL change. The app's own client_id is the tenant; every tenant a test
  touched is wiped when the test ends.

On a failing test the tenant's `/_sandbox/events` timeline is attached as a report section.
Importing this module needs neither respx nor pytest-xdist; `mx_httpx_mock` needs respx.
"""
from __future__ import annotations

import os
import uuid
from typing import Any, Iterator

import pytest

from sandbox.testing.control import SandboxControl, events_report
from sandbox.testing.receiver import WebhookReceiver

SECTION = "mx-sandbox events"


class MXSandbox(SandboxControl):
    """One test's tenant on a running sandbox."""

    def __init__(self, url: str, client_id: str, api_key: str) -> None:
        import httpx

        self.url = url
        self.client_id = client_id
        self.api_key = api_key
        from .tls import shared_tls

        super().__init__(httpx.Client(base_url=url, auth=(client_id, api_key), timeout=30.0, verify=shared_tls()))

    @property
    def auth(self) -> tuple[str, str]:
        return (self.client_id, self.api_key)

    def close(self) -> None:
        self.http.close()


class MXHttpxMock:
    """The in-process sandbox behind `https://int-api.mx.com`, for one test."""

    def __init__(self, inprocess: Any) -> None:
        self.inprocess = inprocess
        self.url = inprocess.base_url
        self.app = inprocess.app

    def control(self, client_id: str, api_key: str | None = None) -> SandboxControl:
        """Clock, events, reset and forced states for tenant `client_id` (your app's client_id)."""
        return SandboxControl(self.inprocess.client(client_id, api_key))

    def touched(self) -> list[str]:
        """The client_ids that sent requests during this test."""
        return self.inprocess.touched()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mx-sandbox")
    group.addoption(
        "--mx-sandbox-url",
        default=os.environ.get("MX_SANDBOX_URL"),
        help="use this running sandbox for `mx_sandbox` instead of starting one (env MX_SANDBOX_URL)",
    )


@pytest.fixture(scope="session")
def mx_sandbox_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL of the sandbox `mx_sandbox` uses: the given one, or a server started for this session."""
    given = request.config.getoption("--mx-sandbox-url")
    if given:
        yield given.rstrip("/")
        return
    from sandbox.process import SandboxProcess

    with SandboxProcess() as server:
        yield server.url


@pytest.fixture
def mx_sandbox(mx_sandbox_url: str) -> Iterator[MXSandbox]:
    """A fresh tenant on a running sandbox; point your app at `mx_sandbox.url` with its credentials."""
    handle = MXSandbox(mx_sandbox_url, f"pytest-{uuid.uuid4().hex[:16]}", "pytest-key")
    yield handle
    handle.close()


class MXWebhooks(WebhookReceiver):
    """A loopback receiver that the test's tenant sends its webhooks to."""

    control: SandboxControl

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        return self.control.webhook_deliveries(**filters)


@pytest.fixture
def mx_webhooks(mx_sandbox: MXSandbox) -> Iterator[MXWebhooks]:
    """Every webhook of `mx_sandbox`'s tenant, received for real on a loopback port."""
    receiver = MXWebhooks()
    receiver.control = mx_sandbox
    try:
        mx_sandbox.configure_webhooks(receiver.url)
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def mx_httpx_mock() -> Iterator[MXHttpxMock]:
    """Route httpx calls to https://int-api.mx.com into the sandbox in-process, for this test."""
    pytest.importorskip("respx", reason="mx_httpx_mock needs respx: pip install 'mx-sandbox[pytest]'")
    from sandbox.testing.inprocess import shared

    inprocess = shared()
    inprocess.reset_touched()  # requests made outside any test must not leak into this one
    yield MXHttpxMock(inprocess)
    inprocess.reset_touched()


def pytest_unconfigure(config: pytest.Config) -> None:
    import sys

    module = sys.modules.get("sandbox.testing.inprocess")
    if module is not None:
        module.stop_shared()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    controls: list[SandboxControl] = []
    if isinstance(funcargs.get("mx_sandbox"), MXSandbox):
        controls.append(funcargs["mx_sandbox"])
    mock = funcargs.get("mx_httpx_mock")
    if isinstance(mock, MXHttpxMock):
        controls.extend(mock.control(cid) for cid in mock.touched())
    text = events_report(controls)
    if isinstance(mock, MXHttpxMock):
        for control in controls:
            control.http.close()
    if text:
        report.sections.append((SECTION, text))
