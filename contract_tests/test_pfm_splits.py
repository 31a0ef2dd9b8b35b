"""Split and unsplit: children share the parent's amount, are listed as transactions, and go on unsplit."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import connect
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def _cents(amount: float) -> int:
    return round(amount * 100)


def _category(mx, name: str) -> str:
    pages = [mx.get("/categories/default", params={"records_per_page": 100, "page": p}).json()["categories"] for p in (1, 2)]
    return next(c["guid"] for page in pages for c in page if c["name"] == name)


def _big_purchase(bank) -> dict:
    return max((t for t in bank.transactions() if t["type"] == "DEBIT" and t["amount"] >= 20), key=lambda t: t["amount"])


def test_split_read_list_unsplit(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    parent = _big_purchase(bank)
    split = f"/users/{bank.user}/transactions/{parent['guid']}/split"
    gift = _category(mx, "Gift")
    r = mx.post(split, json={"transactions": {"amount": 5.25, "category_guid": gift, "memo": "for Sam",
                                              "description": "Birthday present"}})
    assert_valid(r)
    children = r.json()["transactions"]
    assert len(children) == 2
    assert sum(_cents(c["amount"]) for c in children) == _cents(parent["amount"])
    first, rest = children
    assert (first["amount"], first["category_guid"], first["category"], first["memo"], first["description"]) == (
        5.25, gift, "Gift", "for Sam", "Birthday present")
    assert first["top_level_category"] == "Gifts & Donations"
    assert rest["category_guid"] == parent["category_guid"] and rest["description"] == parent["description"]
    for child in children:
        assert child["guid"] != parent["guid"]
        assert (child["account_guid"], child["date"], child["type"]) == (parent["account_guid"], parent["date"], parent["type"])
        read = mx.get(f"/users/{bank.user}/transactions/{child['guid']}")
        assert_valid(read)
        assert read.json()["transaction"] == child
    assert mx.get(f"/users/{bank.user}/transactions/{parent['guid']}").json()["transaction"]["amount"] == parent["amount"]
    listed = {t["guid"]: t for t in bank.transactions()}
    assert {c["guid"] for c in children} <= set(listed)

    assert_mx_error(mx.post(split, json={"transactions": {"amount": 1}}), 400)  # split once only
    assert_mx_error(mx.post(f"/users/{bank.user}/transactions/{first['guid']}/split",
                            json={"transactions": {"amount": 1}}), 400)  # a child is not split again

    assert mx.delete(split).status_code == 204
    assert_mx_error(mx.get(f"/users/{bank.user}/transactions/{first['guid']}"), 404)
    assert not {c["guid"] for c in children} & {t["guid"] for t in bank.transactions()}
    again = mx.post(split, json={"transactions": {"amount": 1}})  # unsplit, it may be split again
    assert again.status_code == 200 and len(again.json()["transactions"]) == 2


def test_split_into_listed_parts_in_v1_and_by_account(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    parent = _big_purchase(bank)
    cents = _cents(parent["amount"])
    parts = [{"amount": 1.0}, {"amount": (cents - 100) / 100, "memo": "rest"}]
    r = mx.v1.post(f"/users/{bank.user}/transactions/{parent['guid']}/split", json={"transactions": parts})
    assert_valid(r, "v20111101")
    assert [_cents(c["amount"]) for c in r.json()["transactions"]] == [100, cents - 100]
    assert mx.v1.delete(f"/users/{bank.user}/transactions/{parent['guid']}/split").status_code == 204

    by_account = f"{bank.base}/accounts/{parent['account_guid']}/transactions/{parent['guid']}/split"
    r = mx.post(by_account, json={"transactions": [{"amount": 2}, {"amount": 3}]})
    assert_valid(r)
    children = r.json()["transactions"]
    assert [_cents(c["amount"]) for c in children] == [200, 300, cents - 500]
    assert mx.delete(by_account).status_code == 204
    assert mx.post(by_account, json={"transactions": {"amount": 1}}).status_code == 200


@pytest.mark.parametrize("body", [
    {},
    {"transactions": {"amount": 0}},
    {"transactions": {"amount": -3}},
    {"transactions": {"amount": "5"}},
    {"transactions": {"amount": 1e308}},
    {"transactions": {"amount": 1, "category_guid": "CAT-nope"}},
    {"transactions": []},
    {"transactions": [{"amount": 1}, "x"]},
])
def test_bad_splits_are_400_and_change_nothing(mx, body):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    parent = _big_purchase(bank)
    before = len(bank.transactions())
    assert_mx_error(mx.post(f"/users/{bank.user}/transactions/{parent['guid']}/split", json=body), 400)
    too_much = {"transactions": {"amount": parent["amount"] + 1}}
    assert_mx_error(mx.post(f"/users/{bank.user}/transactions/{parent['guid']}/split", json=too_much), 400)
    whole = {"transactions": {"amount": parent["amount"]}}
    assert_mx_error(mx.post(f"/users/{bank.user}/transactions/{parent['guid']}/split", json=whole), 400)
    assert len(bank.transactions()) == before
    assert_mx_error(mx.post(f"/users/{bank.user}/transactions/TRN-nope/split", json={"transactions": {"amount": 1}}), 404)


def test_deleting_the_member_removes_the_children(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    parent = _big_purchase(bank)
    r = mx.post(f"/users/{bank.user}/transactions/{parent['guid']}/split", json={"transactions": {"amount": 1}})
    child = r.json()["transactions"][0]["guid"]
    tag = mx.post(f"/users/{bank.user}/tags", json={"tag": {"name": "half"}}).json()["tag"]["guid"]
    tagging = mx.post(f"/users/{bank.user}/taggings", json={"tagging": {"tag_guid": tag, "transaction_guid": child}})
    assert tagging.status_code == 200, tagging.text
    assert mx.delete(bank.base).status_code == 204
    assert_mx_error(mx.get(f"/users/{bank.user}/transactions/{child}"), 404)
    assert mx.get(f"/users/{bank.user}/taggings").json()["taggings"] == []
