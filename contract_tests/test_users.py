"""Users: CRUD, partner ids, filters, paging, both versions, spec conformance."""
from __future__ import annotations

import pytest

from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity


def test_create_read_update_delete(mx):
    r = mx.post("/users", json={"user": {"id": "partner-1", "email": "a@example.com", "metadata": '{"k": 1}'}})
    assert r.status_code == 200
    assert_valid(r)
    user = r.json()["user"]
    assert user["guid"].startswith("USR-") and user["id"] == "partner-1" and user["is_disabled"] is False

    r = mx.get(f"/users/{user['guid']}")
    assert_valid(r)
    assert r.json()["user"] == user

    r = mx.put(f"/users/{user['guid']}", json={"user": {"email": "b@example.com", "is_disabled": True}})
    assert r.status_code == 200
    assert_valid(r)
    assert r.json()["user"]["email"] == "b@example.com" and r.json()["user"]["is_disabled"] is True

    assert mx.delete(f"/users/{user['guid']}").status_code == 204
    assert_mx_error(mx.get(f"/users/{user['guid']}"), 404)
    assert_mx_error(mx.delete(f"/users/{user['guid']}"), 404)


def test_v20250224_paths_accept_partner_id_v1_does_not(mx):
    user = mx.create_user(id="partner-xyz")
    r = mx.get("/users/partner-xyz")
    assert r.status_code == 200 and r.json()["user"]["guid"] == user["guid"]
    assert_mx_error(mx.v1.get("/users/partner-xyz"), 404)
    r = mx.v1.get(f"/users/{user['guid']}")
    assert r.status_code == 200
    assert_valid(r, "v20111101")


def test_duplicate_partner_id_conflicts(mx):
    mx.create_user(id="dup")
    assert_mx_error(mx.post("/users", json={"user": {"id": "dup"}}), 409)
    assert mx.get("/users", params={"id": "dup"}).json()["pagination"]["total_entries"] == 1


def test_filters(mx):
    mx.create_user(id="f1", email="x@example.com")
    mx.create_user(id="f2", email="y@example.com", is_disabled=True)
    by_email = mx.get("/users", params={"email": "y@example.com"})
    assert_valid(by_email)
    assert [u["id"] for u in by_email.json()["users"]] == ["f2"]
    assert [u["id"] for u in mx.get("/users", params={"is_disabled": "false"}).json()["users"]] == ["f1"]
    assert_mx_error(mx.get("/users", params={"is_disabled": "maybe"}), 400)


@pytest.mark.sandbox_only
def test_pagination_edges(mx):
    for i in range(23):
        mx.create_user(id=f"p{i:02d}")
    r = mx.get("/users", params={"records_per_page": 10, "page": 3})
    assert_valid(r)
    body = r.json()
    assert [u["id"] for u in body["users"]] == ["p20", "p21", "p22"]
    assert body["pagination"] == {"current_page": 3, "per_page": 10, "total_entries": 23, "total_pages": 3}
    # past the end: empty page, same totals
    assert mx.get("/users", params={"records_per_page": 10, "page": 9}).json()["users"] == []
    # below the minimum → 10; above the max (1000 for users) → the default 25
    assert mx.get("/users", params={"records_per_page": 2}).json()["pagination"]["per_page"] == 10
    assert mx.get("/users", params={"records_per_page": 5000}).json()["pagination"]["per_page"] == 25
    assert mx.get("/users", params={"records_per_page": 1000}).json()["pagination"]["per_page"] == 1000
    assert_mx_error(mx.get("/users", params={"page": "two"}), 400)


def test_user_id_may_not_look_like_a_guid(mx):
    assert_mx_error(mx.post("/users", json={"user": {"id": "USR-123"}}), 400)


@pytest.mark.sandbox_only
def test_same_seed_same_guids(mx_target):
    """Two fresh tenants of the same name (after reset) mint the same guids in the same order."""
    from contract_tests.harness import V2025, new_client

    client = new_client(mx_target, "determinism-check")
    try:
        client.post("/_sandbox/reset")
        first = [client.post("/users", headers=V2025, json={"user": {"id": f"d{i}"}}).json()["user"]["guid"] for i in range(3)]
        assert client.post("/_sandbox/reset").status_code == 204
        assert client.get("/users", headers=V2025).json()["users"] == []
        second = [client.post("/users", headers=V2025, json={"user": {"id": f"d{i}"}}).json()["user"]["guid"] for i in range(3)]
        assert first == second and len(set(first)) == 3
    finally:
        client.close()
