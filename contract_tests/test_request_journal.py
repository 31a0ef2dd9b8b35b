"""The request journal (/_sandbox/requests, /_sandbox/requests/count) and the plugin's
`assert_called`, which passes and fails as it should and explains its failures with near misses."""
from __future__ import annotations

import pytest

from contract_tests.journeys import create_member, mxbank_credentials
from contract_tests.test_conventions import assert_mx_error
from sandbox.testing.control import CallMismatch, SandboxControl

pytestmark = pytest.mark.sandbox_only


def journal(mx, **filters) -> dict:
    r = mx.http.get("/_sandbox/requests", params=filters)
    assert r.status_code == 200, r.text
    return r.json()


def count(mx, **body) -> int:
    r = mx.http.post("/_sandbox/requests/count", json=body)
    assert r.status_code == 200, r.text
    return r.json()["count"]


def test_every_call_carries_method_path_route_query_redacted_body_status_and_time(mx):
    mx.freeze()
    user = mx.create_user(id="journal-user", metadata="m")
    create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "s3cret-pass"))
    mx.get(f"/users/{user['guid']}/members", params={"page": "1", "records_per_page": "10"})
    mx.get("/users/USR-missing")
    calls = journal(mx)["requests"]
    assert [(c["method"], c["route"], c["status"]) for c in calls] == [
        ("POST", "/users", 200),
        ("GET", "/institutions/{institution_code}/credentials", 200),
        ("POST", "/users/{user_identifier}/members", 202),
        ("GET", "/users/{user_identifier}/members", 200),
        ("GET", "/users/{user_identifier}", 404),
    ]
    assert calls[0]["body"] == {"user": {"id": "journal-user", "metadata": "m"}}
    posted = calls[2]["body"]["member"]["credentials"]
    assert {c["value"] for c in posted} == {"[REDACTED]"} and len(posted) == 2
    assert "s3cret-pass" not in str(calls) and "mxuser" not in str(calls)
    assert calls[3]["path"] == f"/users/{user['guid']}/members"
    assert calls[3]["query"] == {"page": "1", "records_per_page": "10"}
    assert all(c["duration_ms"] >= 0 and c["at"] and c["fault"] is None for c in calls)
    assert [c["id"] for c in calls] == sorted(c["id"] for c in calls)
    timeline = mx.events(kind="api")  # the same record is on the timeline
    assert timeline[2]["data"]["route"] == "/users/{user_identifier}/members" and timeline[2]["data"]["status"] == 202


def test_password_like_fields_are_redacted(mx):
    mx.post("/users", json={"user": {"id": "p", "metadata": "x", "password": "hunter2", "api_key": "k"}})
    body = journal(mx)["requests"][0]["body"]["user"]
    assert body == {"id": "p", "metadata": "x", "password": "[REDACTED]", "api_key": "[REDACTED]"}


def test_filters_method_path_template_regex_status_and_since(mx):
    mx.freeze("2026-02-01T00:00:00Z")
    a = mx.create_user()
    mx.advance(60)
    b = mx.create_user()
    mx.get(f"/users/{a['guid']}")
    mx.get(f"/users/{b['guid']}")
    mx.get("/users/nobody")
    mx.delete(f"/users/{b['guid']}")
    assert len(journal(mx, method="get")["requests"]) == 3
    assert len(journal(mx, path="/users/{user_guid}")["requests"]) == 4
    assert len(journal(mx, path="/users/{guid}", method="GET")["requests"]) == 3  # any param name
    assert [c["path"] for c in journal(mx, path=f"/users/{a['guid']}")["requests"]] == [f"/users/{a['guid']}"]
    assert len(journal(mx, path="^/users/USR-")["requests"]) == 3
    assert [c["status"] for c in journal(mx, status="4xx")["requests"]] == [404]
    assert len(journal(mx, status="204")["requests"]) == 1
    assert len(journal(mx, since="2026-02-01T00:01:00Z")["requests"]) == 5


def test_cursor_paging(mx):
    for i in range(7):
        mx.get("/users")
    page = journal(mx, limit=3)
    assert len(page["requests"]) == 3 and page["has_more"] is True
    seen = [c["id"] for c in page["requests"]]
    while page["has_more"]:
        page = journal(mx, limit=3, cursor=page["next_cursor"])
        seen += [c["id"] for c in page["requests"]]
    assert len(seen) == 7 == len(set(seen))
    assert journal(mx, cursor=page["next_cursor"])["requests"] == []  # polling: nothing new yet
    mx.get("/users")
    assert len(journal(mx, cursor=page["next_cursor"])["requests"]) == 1
    assert journal(mx)["kept_limit"] >= 1000


def test_count_by_method_path_and_body(mx):
    mx.post("/users", json={"user": {"id": "alpha"}})
    mx.post("/users", json={"user": {"id": "beta"}})
    mx.get("/users")
    assert count(mx, method="POST", path="/users") == 2
    assert count(mx, method="POST", path="/users", body_contains='"id":"alpha"') == 1
    assert count(mx, path="^/users$") == 3
    assert count(mx, method="DELETE", path="/users") == 0
    assert count(mx) == 3


BAD_QUERIES = [
    ({"limit": "0"}, "limit must be"),
    ({"limit": "5000"}, "limit must be"),
    ({"cursor": "-1"}, "cursor must be"),
    ({"status": "teapot"}, "status must be"),
    ({"since": "yesterday"}, "since must be"),
    ({"path": "users"}, "must start with /"),
    ({"path": "^(x*)*$"}, "nested quantifiers"),
    ({"path": "^(?P<"}, "not a valid regular expression"),
]


@pytest.mark.parametrize("params, message", BAD_QUERIES, ids=[m for _, m in BAD_QUERIES])
def test_bad_filters_are_mx_shaped_400s(mx, params, message):
    assert message in assert_mx_error(mx.http.get("/_sandbox/requests", params=params), 400)


@pytest.mark.parametrize("body, message", [
    ({"colour": "red"}, "Unknown fields"),
    ({"method": 5}, "wrong type"),
    ({"path": "^(a|b"}, "not a valid regular expression"),
    ({"status": True}, "status must be"),
])
def test_bad_counts_are_mx_shaped_400s(mx, body, message):
    assert message in assert_mx_error(mx.http.post("/_sandbox/requests/count", json=body), 400)


# -- assert_called ----------------------------------------------------------------------------------
@pytest.fixture
def control(mx) -> SandboxControl:
    return SandboxControl(mx.http)


def test_assert_called_passes(mx, control):
    user = mx.create_user()
    mx.get(f"/users/{user['guid']}")
    mx.get(f"/users/{user['guid']}")
    control.assert_called("POST", "/users")
    control.assert_called("POST", "/users", times=1)
    control.assert_called("GET", "/users/{user_guid}", times=2)
    control.assert_called("GET", "^/users/USR-", times=2, status=200)
    control.assert_called("DELETE", "/users/{user_guid}", times=0)


def test_assert_called_fails_on_the_wrong_count_and_lists_the_calls(mx, control):
    mx.create_user()
    with pytest.raises(CallMismatch) as failure:
        control.assert_called("POST", "/users", times=2)
    message = str(failure.value)
    assert message.startswith("expected POST /users to be called 2 times, but it was called 1 time")
    assert "matching calls:\n  #1 " in message and "POST /users → 200" in message


def test_assert_called_failure_lists_near_misses(mx, control):
    user = mx.create_user(id="near")
    mx.get(f"/users/{user['guid']}/members")  # same path, other method
    mx.post(f"/users/{user['guid']}/member", json={"member": {}})  # a typo'd path: 404
    mx.post(f"/users/{user['guid']}/members", json={"member": {"institution_code": "nowhere"}})
    with pytest.raises(CallMismatch) as failure:
        control.assert_called("POST", "/users/{user_guid}/members", times=1, body_contains="mxbank")
    lines = str(failure.value).splitlines()
    assert lines[0] == ("expected POST /users/{user_guid}/members, body_contains 'mxbank' to be called 1 time, "
                        "but it was called 0 times")
    near = lines[lines.index("near misses:") + 1:]
    assert "POST /users/" in near[0] and near[0].endswith("/members → 404  (body does not contain 'mxbank')")
    assert near[1].endswith("/members → 200  (method GET, not POST)")
    assert any(line.endswith("/member → 404  (similar path)") for line in near[2:])
    assert not any(" /users → " in line for line in near)  # POST /users is not close enough to list


def test_assert_called_says_when_nothing_came_close(control):
    with pytest.raises(CallMismatch) as failure:
        control.assert_called("GET", "/users")
    assert str(failure.value) == ("expected GET /users to be called at least once, but it was called 0 times\n"
                                  "near misses: none")


def test_plugin_fixture_offers_assert_called(mx_sandbox):
    import httpx

    with httpx.Client(base_url=mx_sandbox.url, auth=mx_sandbox.auth) as http:
        http.get("/users", headers={"Accept-Version": "v20250224"})
    mx_sandbox.assert_called("GET", "/users", times=1)
    with pytest.raises(AssertionError, match="method GET, not POST"):
        mx_sandbox.assert_called("POST", "/users")
