"""The per-tenant virtual clock and the control API (sandbox only)."""
from __future__ import annotations

import pytest

from contract_tests.harness import new_client
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def test_freeze_advance_and_set(mx):
    frozen = mx.freeze(now="2026-03-01T09:00:00Z")
    assert frozen == {"now": "2026-03-01T09:00:00Z", "frozen": True}
    assert mx.clock() == frozen  # frozen clocks do not move with wall time
    assert mx.advance(90)["now"] == "2026-03-01T09:01:30Z"
    r = mx.http.post("/_sandbox/clock", json={"now": "2026-03-02T00:00:00+00:00"})
    assert r.json()["now"] == "2026-03-02T00:00:00Z"


def test_clock_refuses_going_back_and_bad_input(mx):
    mx.freeze(now="2026-03-01T09:00:00Z")
    mx.create_user(id="now-the-tenant-holds-data")
    for body in ({"now": "2026-02-01T00:00:00Z"}, {"advance_seconds": -5}, {"advance_seconds": "ten"},
                 {"now": "yesterday"}, {"frozen": "yes"}, {}, {"warp": 1}):
        assert_mx_error(mx.http.post("/_sandbox/clock", json=body), 400)
    assert mx.clock()["now"] == "2026-03-01T09:00:00Z"


def test_empty_tenant_may_pick_any_start(mx):
    assert mx.freeze(now="2030-01-01T00:00:00Z")["now"] == "2030-01-01T00:00:00Z"
    assert mx.freeze(now="2020-01-01T00:00:00Z")["now"] == "2020-01-01T00:00:00Z"


def test_clock_is_per_tenant_and_reset_wipes_one_tenant(mx):
    mx.freeze(now="2030-01-01T00:00:00Z")
    mx.create_user(id="keep-me-elsewhere")
    other = new_client(mx.target, "clock-other-" + mx.client_id)
    try:
        assert other.get("/_sandbox/clock").json()["now"] != "2030-01-01T00:00:00Z"
        other.post("/users", headers={"Accept-Version": "v20250224"}, json={"user": {"id": "other-user"}})
        assert mx.http.post("/_sandbox/reset").status_code == 204
        assert mx.get("/users").json()["users"] == []
        assert mx.clock()["frozen"] is False
        assert other.get("/users", headers={"Accept-Version": "v20250224"}).json()["pagination"]["total_entries"] == 1
    finally:
        other.close()


def test_control_api_needs_auth(mx):
    assert_mx_error(mx.http.get("/_sandbox/clock", auth=None), 401)


def test_events_timeline_records_api_calls(mx):
    mx.freeze(now="2026-03-01T09:00:00Z")
    mx.create_user(id="evt")
    events = mx.events(kind="api")
    assert events[-1]["type"] == "POST /users" and events[-1]["data"]["status"] == 200
    assert events[-1]["at"] == "2026-03-01T09:00:00Z"
    assert mx.events(kind="api", since="2026-03-01T10:00:00Z") == []
    assert_mx_error(mx.http.get("/_sandbox/events", params={"since": "soon"}), 400)


def test_events_timeline_records_refused_calls(mx):
    """A failed journey is read from the timeline, so 4xx answers are on it too (401s have no tenant)."""
    assert_mx_error(mx.get("/users/USR-nobody"), 404)
    assert_mx_error(mx.post("/users", json={"user": {}}), 400)
    assert_mx_error(mx.get("/users", headers={"Accept-Version": "v1"}), 406)
    calls = [(e["type"], e["data"]["status"]) for e in mx.events(kind="api")]
    assert calls == [("GET /users/USR-nobody", 404), ("POST /users", 400), ("GET /users", 406)]
