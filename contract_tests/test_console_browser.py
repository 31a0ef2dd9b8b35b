"""The QA console in Debian's Chromium: sign-in, members, the live timeline, the clock, the widget
host and scenarios, each against a real tenant of the running sandbox."""
from __future__ import annotations

import re
import uuid

import httpx
import pytest

from contract_tests.console_support import PHONE, connected_member, console, member_row, shoot

pytestmark = pytest.mark.sandbox_only


def test_the_console_asks_the_browser_to_sign_in(chromium, mx_target, mx, tmp_path):
    context = chromium.new_context()  # no credentials: headless Chromium cancels the prompt it is asked for
    try:
        page = context.new_page()
        assert page.goto(f"{mx_target.base_url}/").status == 200
        assert page.get_by_role("link", name="QA console").get_attribute("href") == "/_sandbox/console"
        with pytest.raises(Exception, match="ERR_INVALID_AUTH_CREDENTIALS"):  # the browser asked; nobody answered
            page.goto(f"{mx_target.base_url}/_sandbox/console")
    finally:
        context.close()
    for path in ("/_sandbox/console", "/_sandbox/events", "/users"):
        r = httpx.get(mx_target.base_url + path, headers={"Accept": "text/html"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == 'Basic realm="mx-sandbox", charset="UTF-8"'
        assert ("Sign in to the mx-sandbox console" in r.text) == (path == "/_sandbox/console")
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        assert page.locator("#signed-in").inner_text() == f"signed in as {mx.client_id}"


def test_create_a_user_connect_mx_bank_with_challenge_and_answer_in_the_embedded_widget(chromium, mx_target, mx, tmp_path):
    mx.freeze()
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        page.get_by_label("Partner user id").fill("qa-ada")
        page.get_by_role("button", name="Create user").click()
        card = page.locator("section.user")
        card.wait_for()
        user = mx.get("/users").json()["users"][0]
        assert user["id"] == "qa-ada" and card.get_attribute("data-user") == user["guid"]

        page.evaluate("window.notReloaded = true")
        card.get_by_label("MX Bank password").select_option("challenge")
        card.get_by_role("button", name="Connect MX Bank").click()
        row = page.locator("tr[data-member]")
        row.locator(".badge .spinner").wait_for()  # CREATED, aggregating
        page.get_by_role("button", name="Advance 3 seconds").click()
        row.locator(".badge[data-status=CHALLENGED]").wait_for()
        member_guid = row.get_attribute("data-member")
        shoot(page, tmp_path, "console-members")

        row.get_by_role("button", name=re.compile("^Answer in widget")).click()
        frame = page.frame_locator("#widget-frame")
        answer = frame.get_by_label("What city were you born in?")
        answer.fill("correct")
        answer.press("Enter")
        frame.locator("[data-step=connecting]").wait_for()
        page.get_by_role("button", name="Advance 1 minute").click()
        frame.locator("[data-step=connected]").wait_for()
        page.locator("#widget-events li[data-type='mx/connect/memberConnected']").wait_for()
        shoot(page, tmp_path, "console-widget-host")
        panel = page.locator("#widget-events li").evaluate_all("items => items.map(i => i.dataset.type)")
        for wanted in ["mx/connect/submitMFA", "mx/connect/memberStatusUpdate", "mx/connect/memberConnected"]:
            assert wanted in panel
        assert panel.index("mx/connect/submitMFA") < panel.index("mx/connect/memberConnected")
        # the host got what the server recorded for that session, in order
        recorded = [e["data"]["message"]["type"] for e in mx.events(kind="widget")]
        assert recorded[:len(panel)] == panel

        page.get_by_role("link", name="Members").click()
        connected = member_row(page, member_guid)
        connected.locator(".badge[data-status=CONNECTED]:not(:has(.spinner))").wait_for()
        connected.locator("td[data-count=accounts]", has_text="6").wait_for()
        assert int(connected.locator("td[data-count=transactions]").inner_text()) > 0
        assert page.evaluate("window.notReloaded") is True  # it all arrived live
        timeline = page.locator("#timeline-list li[data-kind=member][data-type=connection_status]")
        assert "RESUMED → CONNECTED" in " ".join(timeline.all_inner_texts())

        connected.get_by_role("button", name=re.compile("^Details")).click()
        page.locator("#member-detail-body table").first.wait_for()
        assert page.locator("#member-detail-h").evaluate("h => h === document.activeElement")
        shoot(page, tmp_path, "console-member-detail")


def test_advancing_the_clock_shows_a_background_aggregation(chromium, mx_target, mx, tmp_path):
    user, member = connected_member(mx)
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        before = page.locator("#clock-now").get_attribute("data-iso")
        page.get_by_role("button", name="Advance 1 day").click()
        page.locator("#timeline-list li[data-kind=member][data-type=job_started]", has_text="background").wait_for()
        after = page.locator("#clock-now").get_attribute("data-iso")
        assert after[:10] > before[:10]
        page.locator("#timeline-member").select_option(member)
        kinds = set(page.locator("#timeline-list li").evaluate_all("items => items.map(i => i.dataset.kind)"))
        assert kinds <= {"member", "webhook"}  # only events about that member; API calls name no member
        shoot(page, tmp_path, "console-timeline")


def test_forcing_degraded_changes_the_badge(chromium, mx_target, mx):
    user, member = connected_member(mx)
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        row = member_row(page, member)
        row.locator(".badge[data-status=CONNECTED]").wait_for()
        row.get_by_label(re.compile("^Status to force")).select_option("DEGRADED")
        row.get_by_role("button", name=re.compile("^Force")).click()
        row.locator(".badge[data-status=DEGRADED]").wait_for()
    assert mx.get(f"/users/{user}/members/{member}").json()["member"]["connection_status"] == "DEGRADED"


def test_polling_runs_are_folded_on_the_timeline(chromium, mx_target, mx):
    user, member = connected_member(mx)
    for _ in range(5):
        assert mx.get(f"/users/{user}/members/{member}/status").status_code == 200
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        folded = page.locator("#timeline-list li[data-kind=api]", has_text="/status")
        folded.wait_for()
        assert folded.count() == 1 and folded.locator(".count").get_attribute("data-count") == "5"


def test_run_a_scenario_from_the_page(chromium, mx_target, mx, tmp_path):
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        page.get_by_role("link", name="Scenarios").click()
        page.get_by_role("button", name="Run mxbank-connected", exact=True).click()
        run = page.locator("li[data-run=mxbank-connected]")
        run.and_(page.locator("[data-state=passed]")).wait_for(timeout=30_000)
        page.locator("#timeline-list li[data-kind=member][data-type=connection_status]").first.wait_for()
        shoot(page, tmp_path, "console-scenarios")
        report = run.get_by_role("link", name="HTML report").get_attribute("href")
    r = httpx.get(mx_target.base_url + report)  # the run's token opens it, like a widget URL
    assert r.status_code == 200 and "mxbank-connected" in r.text and "PASSED" in r.text
    assert any(e["type"] == "connection_status" for e in mx.events(kind="member"))


def test_another_tenants_data_never_appears(chromium, mx_target, mx):
    other = f"test-{uuid.uuid4().hex[:16]}"
    with console(chromium, mx_target.base_url, mx.client_id) as mine, console(chromium, mx_target.base_url, other) as theirs:
        mine.get_by_label("Partner user id").fill("mine-only")
        mine.get_by_role("button", name="Create user").click()
        mine.locator("section.user").wait_for()
        theirs.get_by_label("Partner user id").fill("theirs-only")
        theirs.get_by_role("button", name="Create user").click()
        theirs.locator("section.user").wait_for()
        mine.reload()
        mine.locator("section.user").wait_for()
        theirs.locator("#timeline-list li").first.wait_for()
        for page, foreign in ((mine, "theirs-only"), (theirs, "mine-only")):
            page.wait_for_timeout(1200)  # a poll or two more
            assert page.locator("section.user").count() == 1
            assert foreign not in page.locator("body").inner_text()
        mine_guid = mine.locator("section.user").get_attribute("data-user")
        assert mine_guid not in theirs.locator("body").inner_text()


def test_keyboard_and_labels_at_desktop_and_phone_sizes(chromium, mx_target, mx, tmp_path):
    connected_member(mx)
    for viewport, name in (({"width": 1280, "height": 800}, "desktop"), (PHONE, "phone")):
        with console(chromium, mx_target.base_url, mx.client_id, viewport=viewport) as page:
            page.locator("tr[data-member]").first.wait_for()
            unlabelled = page.evaluate("""() => [...document.querySelectorAll('button, select, input, a[href]')]
                .filter(el => el.type !== 'hidden' && el.getClientRects().length)
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
                .map(el => el.outerHTML.slice(0, 80))""")
            assert unlabelled == []
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
            if name == "phone":
                shoot(page, tmp_path, "console-phone")
    with console(chromium, mx_target.base_url, mx.client_id) as page:
        page.locator("#tenant-picker").focus()
        page.keyboard.press("Tab")  # the clock's first button follows the tenant picker
        assert page.evaluate("document.activeElement.id") == "clock-freeze"
        assert page.locator("#clock-freeze").inner_text() == "Unfreeze"  # connected_member froze it
        page.keyboard.press("Enter")
        page.locator("#clock-freeze[aria-pressed=false]").wait_for()
        assert mx.clock()["frozen"] is False
        page.get_by_label("Partner user id").focus()
        page.keyboard.type("typed-user")
        page.keyboard.press("Enter")  # submits the form from the keyboard
        page.locator("section.user", has_text="typed-user").wait_for()
        page.get_by_role("link", name="Widget host").focus()
        page.keyboard.press("Enter")
        assert page.locator("#widget").is_visible() and not page.locator("#members").is_visible()
