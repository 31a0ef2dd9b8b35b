"""What the console stands on, over HTTP: the timeline cursor, the tenant list, member products,
scenario runs and their reports, and the widget page's banner, credential hint and default results."""
from __future__ import annotations

import re
import time

import httpx
import pytest

from contract_tests.console_support import connected_member
from contract_tests.harness import SandboxProcess, new_client
from contract_tests.widget_support import mint, open_session

pytestmark = pytest.mark.sandbox_only


def test_the_timeline_cursor_returns_only_newer_events(mx):
    mx.freeze()
    user = mx.create_user()["guid"]
    first = mx.http.get("/_sandbox/events").json()
    assert [e["seq"] for e in first["events"]] == list(range(1, first["cursor"] + 1))
    assert mx.get(f"/users/{user}").status_code == 200
    newer = mx.http.get("/_sandbox/events", params={"after": first["cursor"]}).json()
    assert [(e["seq"], e["type"]) for e in newer["events"]] == [(first["cursor"] + 1, f"GET /users/{user}")]
    assert newer["cursor"] == first["cursor"] + 1
    # filters keep the cursor moving even when nothing matches
    none = mx.http.get("/_sandbox/events", params={"after": newer["cursor"], "kind": "member"}).json()
    assert none == {"events": [], "cursor": newer["cursor"]}
    last = mx.http.get("/_sandbox/events", params={"limit": 1}).json()["events"]
    assert [e["seq"] for e in last] == [newer["cursor"]]
    for bad in ("-1", "x", "1.5", "٣", "9" * 20):
        r = mx.http.get("/_sandbox/events", params={"after": bad})
        assert r.status_code == 400 and "after" in r.json()["error"]["message"]


def test_member_products_and_the_tenant_list(mx, mx_target):
    user, member = connected_member(mx)
    r = mx.http.get("/_sandbox/console/products", params=[("member_guid", member), ("member_guid", "MBR-nope")])
    assert r.json() == {"products": {member: ["transactions"]}}
    tenants = mx.http.get("/_sandbox/console/tenants").json()
    assert tenants["picker"] is True and tenants["tenants"][0] == mx.client_id  # most recently used first


def test_scenarios_are_listed_and_run_in_the_callers_tenant(mx):
    listed = mx.http.get("/_sandbox/scenarios").json()
    names = {s["name"] for s in listed["scenarios"]}
    assert {"mxbank-connected", "mxbank-mfa-text"} <= names and listed["invalid"] == []
    assert mx.http.post("/_sandbox/scenarios/runs", json={"name": "no-such"}).status_code == 404
    assert mx.http.post("/_sandbox/scenarios/runs", json={}).status_code == 400
    started = mx.http.post("/_sandbox/scenarios/runs", json={"name": "mxbank-connected"})
    assert started.status_code == 202 and started.json()["run"]["state"] == "running"
    again = mx.http.post("/_sandbox/scenarios/runs", json={"name": "mxbank-connected"})
    assert again.status_code == 409  # one at a time per tenant
    run = _latest_run(mx)
    assert run["state"] == "passed" and run["steps_done"] == run["steps"], run
    assert mx.get("/users").json()["pagination"]["total_entries"] == 1  # it ran here, not in a fresh tenant
    report = httpx.get(f"{mx.target.base_url}{run['report_url']}")
    # The only script allowed is the report's filter box, by its hash; nothing from the run can run.
    csp = report.headers["content-security-policy"]
    assert report.status_code == 200 and re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'$", csp), csp
    assert report.text.count("<script") == 1 and "mxbank-connected" in report.text
    assert httpx.get(f"{mx.target.base_url}/_sandbox/scenarios/reports/{'0' * 48}").status_code == 404
    with new_client(mx.target) as other:
        assert other.get("/_sandbox/scenarios/runs").json() == {"runs": []}  # another tenant sees none of them


def _finished_run(mx, name: str) -> dict:
    assert mx.http.post("/_sandbox/scenarios/runs", json={"name": name}).status_code == 202
    return _latest_run(mx)


def _latest_run(mx) -> dict:
    """The tenant's newest run, once it has finished."""
    deadline = time.monotonic() + 30
    while (run := mx.http.get("/_sandbox/scenarios/runs").json()["runs"][0])["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return run


def test_a_webhook_scenario_leaves_no_receiver_behind(mx):
    run = _finished_run(mx, "webhooks-connection")
    assert run["state"] == "passed", run
    assert mx.http.get("/_sandbox/webhooks").json()["webhooks"]["default"] is None


def test_the_widget_page_says_sandbox_and_lists_mx_bank_credentials(mx):
    user = mx.create_user()["guid"]
    page = httpx.get(mint(mx, user)).text
    assert 'id="sandbox-banner"' in page and "Dismiss the sandbox banner" in page
    hint = re.search(r'<details class="hint">.*?</details>', page).group(0)
    assert "<code>mxuser</code>" in hint
    for password, outcome in (("challenge", "CHALLENGED (TEXT)"), ("LOCKED", "LOCKED"), ("UNAUTHORIZED", "DENIED")):
        assert f"<td><code>{password}</code></td><td>{outcome}</td>" in hint
    quiet = httpx.get(mint(mx, user) + "?hint=0").text
    assert 'id="sandbox-banner"' in quiet and 'class="hint"' not in quiet


def test_mx_bank_leads_the_default_results(mx):
    user = mx.create_user()["guid"]
    session = open_session(mx, mint(mx, user))["widget_session"]
    codes = [i["code"] for i in session["institutions"]]
    assert codes[0] == "mxbank"
    assert codes.index("mx_bank_oauth") < codes.index("synth_aspen_bank")


def test_with_credentials_the_picker_shows_only_the_signed_in_tenant(tmp_path):
    creds = tmp_path / "creds.yml"
    creds.write_text("alpha: alpha-key\nbeta: beta-key\n")
    with SandboxProcess("--credentials", str(creds), env={"MX_SANDBOX_WIDGET_HINT": "false"}) as server:
        with httpx.Client(base_url=server.url, auth=("beta", "beta-key")) as beta:
            assert beta.get("/_sandbox/console/tenants").json() == {"tenants": ["beta"], "picker": False}
        with httpx.Client(base_url=server.url, auth=("alpha", "alpha-key"), headers={"Accept-Version": "v20250224"}) as alpha:
            assert alpha.get("/_sandbox/console/tenants").json() == {"tenants": ["alpha"], "picker": False}
            page = alpha.get("/_sandbox/console")
            assert page.status_code == 200 and '"picker":false' in page.text
            user = alpha.post("/users", json={"user": {"id": "a"}}).json()["user"]["guid"]
            url = alpha.post(f"/users/{user}/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}}).json()
            widget = httpx.get(url["widget_url"]["url"]).text
            assert 'id="sandbox-banner"' in widget and 'class="hint"' not in widget  # MX_SANDBOX_WIDGET_HINT=false
        refused = httpx.get(f"{server.url}/_sandbox/console", auth=("alpha", "wrong"))
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")


def test_the_root_links_people_to_the_console_and_keeps_mxs_404_for_api_clients(mx_target):
    page = httpx.get(f"{mx_target.base_url}/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'href="/_sandbox/console"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    api = httpx.get(f"{mx_target.base_url}/", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json() == {"error": {"message": "Invalid route"}}
    assert httpx.get(f"{mx_target.base_url}/_sandbox").headers["location"] == "/_sandbox/console"
