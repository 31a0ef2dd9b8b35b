"""MX's cross-cutting conventions: auth, versions, error shape, bad input, routing."""
from __future__ import annotations

import httpx
import pytest

from contract_tests.harness import V1, V2025, new_client

pytestmark = pytest.mark.parity


def assert_mx_error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]["message"]


def test_missing_auth_is_401(mx):
    r = mx.http.get("/users", headers=V2025, auth=None)
    assert_mx_error(r, 401)


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!notbase64", "Basic " + "bm9jb2xvbg==", "Basic", "Digest abc"])
def test_malformed_auth_is_401(mx, header):
    assert_mx_error(mx.get("/users", headers={"Authorization": header}, auth=None), 401)


def test_no_version_is_406(mx):
    r = mx.http.get("/users", headers={"Accept": "application/json"})
    assert_mx_error(r, 406)


@pytest.mark.parametrize("version", ["v20990101", "v1", "latest"])
def test_unknown_version_is_406(mx, version):
    assert_mx_error(mx.get("/users", headers={"Accept-Version": version}), 406)


def test_v1_media_type_is_echoed(mx):
    r = mx.v1.get("/users")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.mx.api.v1+json")
    r = mx.get("/users")
    assert r.headers["content-type"].startswith("application/json")


def test_unknown_route_is_404(mx):
    assert_mx_error(mx.get("/no/such/route"), 404)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_trailing_slash_is_an_unknown_route_not_a_redirect(mx, method):
    """Found by schemathesis: `/users/` (an empty partner id in the path) was a 307 to the user list."""
    r = mx.request(method, "/users/", json={"user": {"metadata": "x"}} if method == "PUT" else None, follow_redirects=False)
    assert_mx_error(r, 404)


@pytest.mark.parametrize("mx_headers", [V1, V2025], ids=["v20111101", "v20250224"])
def test_errors_before_negotiation_use_the_requested_media_type(mx, mx_headers):
    """Found by schemathesis: a v20111101 client got its 401 and unknown-route 404 as application/json."""
    expected = "application/vnd.mx.api.v1+json" if mx_headers is V1 else "application/json"
    r = mx.http.get("/users", headers=mx_headers, auth=None)
    assert_mx_error(r, 401)
    assert r.headers["content-type"].startswith(expected)
    r = mx.http.get("/no/such/route", headers=mx_headers)
    assert_mx_error(r, 404)
    assert r.headers["content-type"].startswith(expected)


def test_wrong_method_is_4xx_with_mx_body(mx):
    r = mx.request("PATCH", "/users")
    assert r.status_code in (404, 405)
    assert "message" in r.json()["error"]


@pytest.mark.parametrize(
    "content, content_type, status",
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'"text"', "application/json", 400),
        (b'{"user": "x"}', "application/json", 400),
        (b'{"user": {}}', "application/json", 400),
        (b"{}", "application/json", 400),
        (b'{"user": {"email": 5}}', "application/json", 400),
        (b'{"user": {"is_disabled": "yes"}}', "application/json", 400),
        (b'{"user": {"email": "a@b.co"}}', "text/plain", 415),
        (b"\xff\xfe\x00", "application/json", 400),
    ],
)
def test_bad_bodies_get_4xx_and_leave_state_intact(mx, content, content_type, status):
    before = mx.get("/users").json()["pagination"]["total_entries"]
    r = mx.post("/users", content=content, headers={"Content-Type": content_type})
    assert_mx_error(r, status)
    assert mx.get("/users").json()["pagination"]["total_entries"] == before


@pytest.mark.sandbox_only
def test_body_over_one_mib_is_413(mx):
    big = b'{"user": {"metadata": "' + b"x" * (1024 * 1024 + 10) + b'"}}'
    assert_mx_error(mx.post("/users", content=big, headers={"Content-Type": "application/json"}), 413)
    assert mx.get("/users").json()["users"] == []


def test_put_with_empty_body_is_400(mx):
    user = mx.create_user(email="empty@example.com")
    assert_mx_error(mx.put(f"/users/{user['guid']}"), 400)


@pytest.mark.sandbox_only
def test_tenants_are_isolated(mx):
    user = mx.create_user(id="shared-id")
    other = new_client(mx.target, "another-tenant-" + mx.client_id)
    try:
        r = other.get(f"/users/{user['guid']}", headers=V2025)
        assert_mx_error(r, 404)
        assert other.get("/users", headers=V2025).json()["users"] == []
        # the same partner id is free in the other tenant
        assert other.post("/users", headers=V2025, json={"user": {"id": "shared-id"}}).status_code == 200
    finally:
        other.close()


@pytest.mark.sandbox_only
def test_credentials_file_restricts_pairs(tmp_path):
    from contract_tests.harness import SandboxProcess

    creds = tmp_path / "creds.yml"
    creds.write_text("good-client: good-key\n")
    server = SandboxProcess("--credentials", str(creds))
    try:
        ok = httpx.get(f"{server.url}/users", auth=("good-client", "good-key"), headers=V2025)
        assert ok.status_code == 200
        assert_mx_error(httpx.get(f"{server.url}/users", auth=("good-client", "bad"), headers=V2025), 401)
        assert_mx_error(httpx.get(f"{server.url}/users", auth=("other", "good-key"), headers=V2025), 401)
    finally:
        server.stop()


def test_v1_headers_only_work_without_accept_version(mx):
    r = mx.get("/institutions/mxbank", headers={**V1, "Accept-Version": "v20250224"})
    assert r.status_code == 200
    assert "supported_products" in r.json()["institution"]
