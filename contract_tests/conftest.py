"""Fixtures shared by the browser tests: Debian's Chromium (one per module) and a partner host page."""
from __future__ import annotations

import pytest

from contract_tests import browser


@pytest.fixture(scope="module")
def context(mx_target):
    if mx_target.kind not in ("sandbox", "url"):
        pytest.skip("browser tests need the sandbox on a real socket (--mx-target=sandbox or a URL)")
    yield from browser.chromium_context()


@pytest.fixture(scope="module")
def chromium(mx_target):
    """One browser per module (Playwright's sync API keeps an event loop running in this thread while
    it lives, which later tests' asyncio.run refuses); each test makes its own contexts from it."""
    if mx_target.kind not in ("sandbox", "url"):
        pytest.skip("browser tests need the sandbox on a real socket (--mx-target=sandbox or a URL)")
    yield from browser.chromium_browser()


@pytest.fixture(scope="module")
def host():
    yield from browser.host_server()


@pytest.fixture
def page(context):
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page  # closed with the context: closing pages one by one now and then hung Playwright
