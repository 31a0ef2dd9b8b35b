"""The pytest plugin's fixtures, used as a user would: `mx_sandbox` over a real socket, `mx_httpx_mock`
in-process with the app's own httpx code unchanged."""
from __future__ import annotations

import asyncio
import time

import httpx
import pytest

V2025 = {"Accept-Version": "v20250224"}
INT_API = "https://int-api.mx.com"


def create_member(http: httpx.Client, user_guid: str) -> dict:
    creds = http.get("/institutions/mxbank/credentials", headers=V2025).json()["credentials"]
    values = {"LOGIN": "mxuser", "PASSWORD": "password"}
    body = {"member": {"institution_code": "mxbank",
                       "credentials": [{"guid": c["guid"], "value": values[c["field_name"]]} for c in creds]}}
    r = http.post(f"/users/{user_guid}/members", headers=V2025, json=body)
    assert r.status_code in (200, 202), r.text
    return r.json()["member"]


def test_mx_sandbox_is_a_real_server_with_a_fresh_tenant(mx_sandbox):
    assert mx_sandbox.url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=mx_sandbox.url, auth=(mx_sandbox.client_id, mx_sandbox.api_key)) as http:
        assert http.get("/users", headers=V2025).json()["users"] == []
        r = http.post("/users", headers=V2025, json={"user": {"id": "plugin-user"}})
        assert r.status_code == 200
    assert [e["type"] for e in mx_sandbox.events(kind="api")] == ["GET /users", "POST /users"]
    mx_sandbox.reset()
    assert mx_sandbox.events() == []


def test_mx_sandbox_clock(mx_sandbox):
    frozen = mx_sandbox.clock.freeze("2026-05-01T08:00:00Z")
    assert frozen.isoformat() == "2026-05-01T08:00:00+00:00"
    assert mx_sandbox.clock.advance(3600).isoformat() == "2026-05-01T09:00:00+00:00"
    assert mx_sandbox.clock.now() == mx_sandbox.clock.advance(0)


def test_mx_sandbox_force_status(mx_sandbox):
    with httpx.Client(base_url=mx_sandbox.url, auth=mx_sandbox.auth) as http:
        user = http.post("/users", headers=V2025, json={"user": {"id": "forced"}}).json()["user"]
        member = create_member(http, user["guid"])
        forced = mx_sandbox.force_status(member["guid"], "DEGRADED")
        assert forced["connection_status"] == "DEGRADED"
        status = http.get(f"/users/{user['guid']}/members/{member['guid']}/status", headers=V2025).json()
        assert status["member"]["connection_status"] == "DEGRADED"
    assert mx_sandbox.events(kind="member", member_guid=member["guid"])


def list_user_ids(client_id: str) -> list[str]:
    """An app's own integration code: no sandbox knowledge, MX's real base URL."""
    with httpx.Client(base_url=INT_API, auth=(client_id, "secret")) as mx:
        return [u["id"] for u in mx.get("/users", headers=V2025).json()["users"]]


def test_mx_httpx_mock_routes_int_api_into_the_sandbox(mx_httpx_mock):
    with httpx.Client(base_url=INT_API, auth=("my-app", "secret")) as mx:
        assert mx.post("/users", headers=V2025, json={"user": {"id": "u1"}}).status_code == 200
    assert list_user_ids("my-app") == ["u1"]
    assert "my-app" in mx_httpx_mock.touched()
    control = mx_httpx_mock.control("my-app")
    assert [e["type"] for e in control.events(kind="api")][:1] == ["POST /users"]


def test_mx_httpx_mock_starts_each_test_empty(mx_httpx_mock):
    """Same client_id as the test above: its user is gone, whatever the order."""
    assert list_user_ids("my-app") == []


def test_mx_httpx_mock_serves_async_clients(mx_httpx_mock):
    async def app_code() -> int:
        async with httpx.AsyncClient(base_url=INT_API, auth=("async-app", "k")) as mx:
            r = await mx.get("/institutions/mxbank", headers=V2025)
            return r.status_code

    assert asyncio.run(app_code()) == 200


def test_mx_httpx_mock_leaves_other_hosts_alone(mx_httpx_mock, mx_sandbox):
    """Traffic to anything but int-api (here a real loopback sandbox) passes through."""
    r = httpx.get(f"{mx_sandbox.url}/_sandbox/health")
    assert r.status_code == 200


def test_mx_httpx_mock_defers_to_a_users_own_respx_router(mx_httpx_mock):
    respx = pytest.importorskip("respx")
    with respx.mock(assert_all_called=True) as router:
        router.get("https://hooks.example.com/ping").respond(204)
        assert httpx.get("https://hooks.example.com/ping").status_code == 204
        assert list_user_ids("still-routed") == []


def test_mx_httpx_mock_links_lead_back_into_the_app(mx_httpx_mock):
    """OAuth (and widget) URLs the in-process sandbox hands out are reachable through the same route."""
    with httpx.Client(base_url=INT_API, auth=("link-app", "k"), headers=V2025) as mx:
        user = mx.post("/users", json={"user": {"id": "linked"}}).json()["user"]
        body = {"member": {"institution_code": "mx_bank_oauth", "is_oauth": True, "credentials": []}}
        member = mx.post(f"/users/{user['guid']}/members", json=body).json()["member"]
    assert member["oauth_window_uri"].startswith(f"{INT_API}/oauth/")
    assert httpx.get(member["oauth_window_uri"]).status_code == 200


def test_mx_sandbox_widget_driver(mx_sandbox):
    """The headless driver a user's test gets: open a real widget URL and click through it."""
    mx_sandbox.clock.freeze()
    with httpx.Client(base_url=mx_sandbox.url, auth=(mx_sandbox.client_id, mx_sandbox.api_key)) as http:
        user = http.post("/users", headers=V2025, json={"user": {"id": "widget-user"}}).json()["user"]
        url = http.post(f"/users/{user['guid']}/widget_urls", headers=V2025, json={"widget_url": {
            "widget_type": "connect_widget", "data_request": {"products": ["transactions"]}}}).json()["widget_url"]["url"]
    widget = mx_sandbox.widget(url)
    assert widget.state()["step"] == "search"
    state = widget.act("select_institution", code="mxbank")
    assert state["step"] == "enterCreds"
    fields = {c["field_name"]: c["guid"] for c in state["institution"]["credentials"]}
    widget.act("submit_credentials", credentials=[{"guid": fields["LOGIN"], "value": "mxuser"},
                                                  {"guid": fields["PASSWORD"], "value": "password"}])
    mx_sandbox.clock.advance(5)
    assert widget.state()["step"] == "connected"
    connected = [e for e in mx_sandbox.events(kind="widget") if e["type"] == "mx/connect/memberConnected"]
    assert len(connected) == 1


def test_mx_webhooks_receives_the_tenants_webhooks(mx_sandbox, mx_webhooks):
    with httpx.Client(base_url=mx_sandbox.url, auth=mx_sandbox.auth) as http:
        user = http.post("/users", headers=V2025, json={"user": {"id": "hooked"}}).json()["user"]
        member = create_member(http, user["guid"])
    mx_sandbox.clock.advance(10)
    body = mx_webhooks.wait_for(type="AGGREGATION", member_guid=member["guid"], timeout=10)
    assert body["user_id"] == "hooked" and body in mx_webhooks.received
    deadline = time.monotonic() + 5  # the receiver has the body a moment before the sandbox has its answer
    while mx_webhooks.deliveries(type="AGGREGATION")[0]["state"] != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    fired = mx_sandbox.fire_webhook("CONNECTION_STATUS", member["guid"])
    assert mx_webhooks.wait_for(type="CONNECTION_STATUS", member_guid=member["guid"]) == fired["body"]
