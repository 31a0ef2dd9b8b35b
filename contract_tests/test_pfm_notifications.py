"""Notifications: posted ones (body in v20250224, query in v20111101) and MX's own about fees and
large purchases, whose deep links are the user's transactions; deletes take them with them."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def _list(client, user: str, version: str | None = None, **params) -> list[dict]:
    r = client.get(f"/users/{user}/notifications", params={"records_per_page": 1000, **params})
    assert_valid(r, version)
    return r.json()["notifications"]


def test_post_read_list_in_both_versions(mx):
    mx.freeze(now="2026-03-10T12:00:00Z")
    user = mx.create_user()["guid"]
    assert _list(mx, user) == []
    r = mx.post(f"/users/{user}/notifications", json={"notification": {"subject": "Hello", "content": "Welcome aboard"}})
    assert_valid(r)
    posted = r.json()["notification"]
    assert (posted["notification_type"], posted["channel"], posted["subject"], posted["content"]) == (
        "API_NOTIFICATION", "PUSH", "Hello", "Welcome aboard")
    assert posted["entity_guid"] is None and posted["deep_link_guid"] is None
    assert posted["created_at"] == "2026-03-10T12:00:00Z"
    read = mx.get(f"/users/{user}/notifications/{posted['guid']}")
    assert_valid(read)
    assert read.json()["notification"] == posted

    mx.advance(86400)
    r = mx.v1.post(f"/users/{user}/notifications", params={"subject": "Again", "content": "Second"})
    assert_valid(r, "v20111101")
    second = r.json()["notification"]
    assert "created_at" not in second and second["subject"] == "Again"
    assert [n["guid"] for n in _list(mx, user)] == [second["guid"], posted["guid"]]  # newest first
    assert [n["guid"] for n in _list(mx.v1, user, "v20111101", from_date="2026-03-11")] == [second["guid"]]
    assert [n["guid"] for n in _list(mx.v1, user, "v20111101", to_date="2026-03-10")] == [posted["guid"]]
    assert_mx_error(mx.v1.get(f"/users/{user}/notifications", params={"from_date": "03/10/2026"}), 400)

    for bad in ({"notification": {"subject": "x"}}, {"notification": {"content": "x"}}, {"notification": {}},
                {"notification": {"subject": "", "content": "x"}}, {"notification": {"subject": 1, "content": "x"}}, {}):
        assert_mx_error(mx.post(f"/users/{user}/notifications", json=bad), 400)
    assert_mx_error(mx.v1.post(f"/users/{user}/notifications", params={"subject": "only"}), 400)
    assert len(_list(mx, user)) == 2
    assert_mx_error(mx.get(f"/users/{user}/notifications/NTF-nope"), 404)
    other = mx.create_user()["guid"]
    assert_mx_error(mx.get(f"/users/{other}/notifications/{posted['guid']}"), 404)


def test_mx_notifications_link_to_the_users_transactions(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    transactions = {t["guid"]: t for t in bank.transactions()}
    found = _list(mx, bank.user)
    fees = [n for n in found if n["notification_type"] == "TRANSACTION_FEE_CHARGE"]
    large = [n for n in found if n["notification_type"] == "TRANSACTION_EXPENSE_LARGE"]
    assert fees and large
    assert {n["deep_link_guid"] for n in fees} == {g for g, t in transactions.items() if t["is_fee"]}
    insights = mx.get(f"/users/{bank.user}/insights", params={"records_per_page": 1000}).json()["insights"]
    large_insights = [i for i in insights if i["template"] == "LargePurchase"]
    assert len(large) == len(large_insights)
    for note in fees + large:
        txn = transactions[note["deep_link_guid"]]
        assert note["entity_guid"] == txn["account_guid"] and f"${txn['amount']:,.2f}" in note["content"]
    assert_valid(mx.v1.get(f"/users/{bank.user}/notifications/{fees[0]['guid']}"), "v20111101")

    posted = mx.post(f"/users/{bank.user}/notifications", json={"notification": {"subject": "s", "content": "c"}})
    assert posted.status_code == 200
    assert mx.delete(bank.base).status_code == 204
    assert [n["notification_type"] for n in _list(mx, bank.user)] == ["API_NOTIFICATION"]
    assert mx.delete(f"/users/{bank.user}").status_code == 204
    assert_mx_error(mx.get(f"/users/{bank.user}/notifications"), 404)
