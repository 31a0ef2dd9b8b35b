"""Root pytest configuration: choose where the contract suite points with `--mx-target`.

- `sandbox` (default): start `mx-sandbox serve` as a real subprocess on a free loopback port, one
  per test session (under xdist, one per worker: a sandbox serves on one core, and a single one
  shared by every worker was the suite's bottleneck); each test gets its own tenant (client_id).
- `inprocess`: the ASGI app in this process, through httpx, no socket.
- `int-api`: https://int-api.mx.com with MX_CLIENT_ID / MX_API_KEY; skipped without them.
- any `http(s)://` URL: an already running sandbox (or anything MX-shaped).
"""
from __future__ import annotations

import uuid

import pytest

from contract_tests.harness import INT_API, MX, SandboxProcess, Target, int_api_credentials, new_client
from sandbox.testing.control import SandboxControl, events_report

pytest_plugins = ["pytester"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--mx-target", default="sandbox", help="sandbox | inprocess | int-api | URL")


def pytest_report_header(config: pytest.Config) -> str:
    target = config.getoption("--mx-target")
    if target == "int-api" and int_api_credentials() is None:
        return "mx-target: int-api — MX_CLIENT_ID and MX_API_KEY are not set, so every test is skipped"
    return f"mx-target: {target}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--mx-target") == "int-api" and int_api_credentials() is not None:
        skip = pytest.mark.skip(reason="needs the sandbox control API; not available on int-api")
        for item in items:
            if "sandbox_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _int_api_needs_credentials(request: pytest.FixtureRequest) -> None:
    """Without credentials every test skips from this one place, so the report says it in one line."""
    if request.config.getoption("--mx-target") == "int-api" and int_api_credentials() is None:
        pytest.skip("int-api target needs MX_CLIENT_ID and MX_API_KEY in the environment")


@pytest.fixture(scope="session")
def mx_target(request: pytest.FixtureRequest):
    choice = request.config.getoption("--mx-target")
    if choice == "sandbox":
        server = SandboxProcess()
        yield Target("sandbox", server.url)
        server.stop()
    elif choice == "inprocess":
        from sandbox.testing.inprocess import shared

        inprocess = shared()  # the same respx route the plugin's `mx_httpx_mock` uses
        yield Target("inprocess", inprocess.base_url, app=inprocess.app)
    elif choice == "int-api":
        creds = int_api_credentials()
        if creds is None:
            pytest.skip("int-api target needs MX_CLIENT_ID and MX_API_KEY in the environment")
        yield Target("int-api", INT_API, client_id=creds[0], api_key=creds[1])
    else:
        yield Target("url", choice.rstrip("/"))


@pytest.fixture(scope="session")
def mx_sandbox_url(mx_target: Target):
    """The plugin's `mx_sandbox` uses the suite's server when there is one, rather than a second."""
    if mx_target.kind in ("sandbox", "url"):
        yield mx_target.base_url
    else:
        with SandboxProcess() as server:
            yield server.url


@pytest.fixture
def mx(mx_target: Target):
    """A client on a fresh tenant, speaking v20250224 (use `mx.v1` for v20111101)."""
    client_id = f"test-{uuid.uuid4().hex[:16]}"
    http = new_client(mx_target, client_id)
    yield MX(http, mx_target, client_id)
    http.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """A failed test that used `mx` gets its tenant's event timeline as the section "mx-sandbox events"."""
    outcome = yield
    report = outcome.get_result()
    mx = getattr(item, "funcargs", {}).get("mx")
    if report.when == "call" and report.failed and isinstance(mx, MX) and mx.target.is_sandbox:
        text = events_report([SandboxControl(mx.http)])
        if text:
            report.sections.append(("mx-sandbox events", text))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Print what the conformance run covered and what tests measured (image size, install size, ...);
    tests record both as user properties, so xdist works."""
    cases = bad_inputs = 0
    lines: list[str] = []
    measured: list[str] = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for key, value in getattr(report, "user_properties", ()):
                if key == "mx_fuzz_cases":
                    cases += int(value)
                elif key == "mx_operations":
                    lines.append(str(value))
                elif key == "mx_bad_input_cases":
                    bad_inputs += int(value)
                elif key == "mx_measured":
                    measured.append(str(value))
    if cases or lines or bad_inputs:
        terminalreporter.section("mx-sandbox spec conformance")
        for line in sorted(set(lines)):
            terminalreporter.write_line(line)
        if cases:
            terminalreporter.write_line(f"{cases} schemathesis-generated requests checked")
        if bad_inputs:
            terminalreporter.write_line(f"{bad_inputs} bad-input corpus cases refused in MX's shape")
    if measured:
        terminalreporter.section("mx-sandbox measurements")
        for line in sorted(measured):
            terminalreporter.write_line(line)
