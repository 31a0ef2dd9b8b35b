"""The console's other controls in Chromium: the tenant picker, timeline filters, setting the clock,
aggregate and delete, the widget host's WebView mode and the widget page's banner."""
from __future__ import annotations

import re

import pytest

from contract_tests.console_support import connected_member, console, member_row
from contract_tests.harness import MX, new_client

pytestmark = pytest.mark.sandbox_only


def test_the_picker_switches_tenant_and_shows_only_that_ones_data(chromium, mx_target, mx):
    mx.create_user(id="first-tenant-user")
    with new_client(mx_target, "picked-" + mx.client_id) as http:
        picked = MX(http, mx_target, "picked-" + mx.client_id)
        picked.create_user(id="picked-tenant-user")
        with console(chromium, mx_target.base_url, mx.client_id) as page:
            page.locator("section.user", has_text="first-tenant-user").wait_for()
            picker = page.get_by_label("Tenant", exact=True)
            picker.focus()  # lists the server's tenants (no --credentials here)
            page.locator(f"#tenant-picker option[value='{picked.client_id}']").wait_for(state="attached")
            picker.select_option(picked.client_id)
            page.locator("section.user", has_text="picked-tenant-user").wait_for()
            assert "first-tenant-user" not in page.locator("#users").inner_text()
            page.get_by_role("button", name="Create user").click()  # acts on the picked tenant
            page.locator("section.user").nth(1).wait_for()
        assert picked.get("/users").json()["pagination"]["total_entries"] == 2
    assert mx.get("/users").json()["pagination"]["total_entries"] == 1


def test_timeline_kind_filter_set_time_aggregate_and_delete(chromium, mx_target, mx):
    user, member = connected_member(mx)
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        row = member_row(page, member)
        row.locator(".badge[data-status=CONNECTED]").wait_for()
        page.get_by_label("api", exact=True).uncheck()
        assert page.locator("#timeline-list li[data-kind=api]").count() == 0
        assert page.locator("#timeline-list li[data-kind=member]").count() > 0

        page.get_by_label("Set time (UTC)").fill("2031-02-03T04:05:06")
        page.get_by_role("button", name="Set", exact=True).click()
        page.locator("#clock-now[data-iso^='2031-02-03T04:05:06']").wait_for()
        assert mx.clock()["now"] == "2031-02-03T04:05:06Z"

        row.get_by_role("button", name=re.compile("^Aggregate")).click()
        row.locator(".badge .spinner").wait_for()  # aggregating again
        page.get_by_role("button", name="Advance 1 minute").click()
        row.locator(".badge[data-status=CONNECTED]:not(:has(.spinner))").wait_for()
        row.get_by_role("button", name=re.compile("^Delete")).click()
        row.wait_for(state="detached")
    assert mx.get(f"/users/{user}/members").json()["members"] == []


def test_webview_mode_lists_the_urls_a_native_sdk_would_catch_and_the_banner_dismisses(chromium, mx_target, mx):
    mx.freeze()
    mx.create_user(id="webview-user")
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        page.locator("section.user").wait_for()
        page.get_by_role("link", name="Widget host").click()
        page.get_by_label("WebView (mx:// URLs)").check()
        page.get_by_label("Color scheme").select_option("dark")
        page.get_by_role("button", name="Mint and open").click()
        frame = page.frame_locator("#widget-frame")
        frame.locator("#search").wait_for()
        assert frame.locator("html").get_attribute("data-theme") == "dark"
        first = frame.locator("#results button.result").first
        assert first.get_attribute("data-code") == "mxbank"  # MX Bank leads the default results
        frame.locator("summary", has_text="MX Bank test credentials").click()
        assert frame.locator(".hint code").get_by_text("challenge", exact=True).count() == 1
        frame.get_by_role("button", name="Dismiss the sandbox banner").click()
        frame.locator("#sandbox-banner").wait_for(state="detached")
        loaded = page.locator("#widget-events li[data-type='mx/connect/loaded']")
        loaded.wait_for()
        assert "mx://connect/loaded" in loaded.inner_text()
        frame.locator("#search").fill("MX Bank")  # the frame survived its mx:// navigations
        frame.locator("#search").press("Enter")
        page.locator("#widget-events li[data-type='mx/connect/institutionSearch']").wait_for()
