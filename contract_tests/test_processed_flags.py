"""`has_processed_*` after every product combination, and after later jobs (docs/decisions.md, Members).

A new connection (create, update, a partner's job, background) resets the flags its jobs set; the
follow-up jobs it queues for its products do not, so one connection's flags describe all it did.
"""
from __future__ import annotations


import pytest

from contract_tests.aggregated import connect
from contract_tests.journeys import connected, frozen_user, wait_for

pytestmark = pytest.mark.sandbox_only

PREMIUM = ["account_verification", "identity_verification", "transaction_history", "statements", "rewards"]
COMBINATIONS = [[]] + [[p] for p in PREMIUM] + [PREMIUM, ["identity_verification", "transaction_history"]]


def flags(mx, c) -> tuple[bool, bool, bool]:
    m = mx.get(f"/users/{c.user}/members/{c.member}/status").json()["member"]
    return m["has_processed_accounts"], m["has_processed_transactions"], m["has_processed_account_numbers"]


@pytest.mark.parametrize("premium", COMBINATIONS, ids=lambda c: "+".join(c) or "transactions-only")
def test_flags_after_each_product_combination(mx, premium):
    frozen_user(mx)
    c = connect(mx, ["transactions", *premium])
    assert flags(mx, c) == (True, True, "account_verification" in premium)
    numbers = mx.get(f"/users/{c.user}/members/{c.member}/account_numbers").json()["account_numbers"]
    assert bool(numbers) == ("account_verification" in premium)


def test_later_jobs_keep_what_they_do_not_redo(mx):
    frozen_user(mx)
    c = connect(mx, ["transactions", "account_verification"])
    mx.advance(4 * 3600)  # past MX's 3-hour throttle
    for job in ("identify", "aggregate", "check_balance"):
        assert mx.post(f"/users/{c.user}/members/{c.member}/{job}").status_code == 202
        during = flags(mx, c)
        wait_for(mx, c.user, c.member, connected)
        assert flags(mx, c) == (True, True, True), job
        assert during[2] is True  # verified account numbers stay processed while other jobs run
    assert mx.post(f"/users/{c.user}/members/{c.member}/verify").status_code == 200
    assert flags(mx, c)[2] is False  # a new verification re-processes them
    wait_for(mx, c.user, c.member, connected)
    assert flags(mx, c) == (True, True, True)
