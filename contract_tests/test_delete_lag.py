"""MX's lag of user-level lists after a member delete, opt-in per tenant (sandbox only)."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect
from contract_tests.harness import MX, SandboxProcess, Target, new_client
from contract_tests.journeys import frozen_user
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def user_accounts(mx, user: str) -> list[dict]:
    r = mx.get(f"/users/{user}/accounts")
    assert r.status_code == 200, r.text
    return r.json()["accounts"]


def test_without_lag_a_deleted_members_data_goes_at_once(mx):
    frozen_user(mx)
    assert mx.http.get("/_sandbox/settings").json() == {"delete_lag_seconds": 0}
    bank = connect(mx, ["transactions"])
    assert mx.delete(f"/users/{bank.user}/members/{bank.member}").status_code == 204
    assert user_accounts(mx, bank.user) == []


def test_with_lag_user_level_lists_keep_a_dangling_member_for_a_while(mx):
    frozen_user(mx)
    assert mx.http.put("/_sandbox/settings", json={"delete_lag_seconds": 45}).json() == {"delete_lag_seconds": 45}
    bank = connect(mx, ["transactions"])
    assert mx.delete(f"/users/{bank.user}/members/{bank.member}").status_code == 204
    lingering = user_accounts(mx, bank.user)
    assert lingering and {a["member_guid"] for a in lingering} == {bank.member}
    assert mx.get(f"/users/{bank.user}/transactions").json()["transactions"]
    assert_mx_error(mx.get(f"/users/{bank.user}/members/{bank.member}"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/members/{bank.member}/accounts"), 404)
    mx.advance(44)
    assert user_accounts(mx, bank.user)
    mx.advance(2)
    assert user_accounts(mx, bank.user) == []


def test_settings_refuse_bad_values_and_reset_restores_the_default(mx):
    for body in ({}, {"delete_lag_seconds": -1}, {"delete_lag_seconds": "45"}, {"delete_lag_seconds": 10**6},
                 {"delete_lag_seconds": True}, {"lag": 4}):
        assert_mx_error(mx.http.put("/_sandbox/settings", json=body), 400)
    mx.http.put("/_sandbox/settings", json={"delete_lag_seconds": 30})
    assert mx.http.post("/_sandbox/reset").status_code == 204
    assert mx.http.get("/_sandbox/settings").json() == {"delete_lag_seconds": 0}


def test_the_serve_flag_sets_every_tenants_default(mx_target):
    """`--mx-delete-lag 30` (or MX_SANDBOX_MX_DELETE_LAG=30): tenants start, and reset, with the lag."""
    if mx_target.kind != "sandbox":
        pytest.skip("starts its own sandbox with the flag")
    with SandboxProcess("--mx-delete-lag", "30", "--clock", "frozen") as server:
        target = Target("sandbox", server.url)
        mx = MX(new_client(target, "lagging-tenant"), target, "lagging-tenant")
        assert mx.http.get("/_sandbox/settings").json() == {"delete_lag_seconds": 30}
        bank = connect(mx, ["transactions"])
        assert mx.delete(f"/users/{bank.user}/members/{bank.member}").status_code == 204
        assert user_accounts(mx, bank.user)
        mx.advance(31)
        assert user_accounts(mx, bank.user) == []
        assert mx.http.post("/_sandbox/reset").status_code == 204
        assert mx.http.get("/_sandbox/settings").json() == {"delete_lag_seconds": 30}
