"""Helpers for the console's browser tests: a signed-in page per tenant, and screenshots."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator

from contract_tests.harness import MX
from contract_tests.journeys import create_member, mxbank_credentials

API_KEY = "test-key"  # what `new_client` gives every test tenant
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# `MX_CONSOLE_SCREENSHOTS=docs/console pytest contract_tests/test_console_browser.py` refreshes the
# screenshots README links to; otherwise they go to the test's tmp_path.
SCREENSHOTS = os.environ.get("MX_CONSOLE_SCREENSHOTS")


@contextlib.contextmanager
def console(chromium: Any, base_url: str, client_id: str, api_key: str = API_KEY,
            viewport: dict[str, int] = DESKTOP) -> Iterator[Any]:
    """A page signed in as `client_id`: Playwright answers the server's Basic challenge, as a person
    would answer the browser's prompt. Page errors fail the test at the end."""
    context = chromium.new_context(http_credentials={"username": client_id, "password": api_key}, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base_url}/_sandbox/console")
        page.locator("#clock-now[data-iso]").wait_for()
        yield page
        assert not errors, errors
    finally:
        context.close()


def shoot(page: Any, tmp_path: Path, name: str) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def connected_member(mx: MX, password: str = "password") -> tuple[str, str]:
    """A user with an MX Bank member, CONNECTED and done aggregating (the tenant's clock frozen)."""
    mx.freeze()
    user = mx.create_user()["guid"]
    member = create_member(mx, user, "mxbank", mxbank_credentials(mx, password))
    mx.advance(10)
    assert mx.get(f"/users/{user}/members/{member['guid']}").json()["member"]["connection_status"] == "CONNECTED"
    return user, member["guid"]


def member_row(page: Any, member_guid: str) -> Any:
    return page.locator(f"tr[data-member='{member_guid}']")
