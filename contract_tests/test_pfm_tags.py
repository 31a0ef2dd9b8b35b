"""Tags and taggings: CRUD, the transactions a tag holds, and the cascades on delete."""
from __future__ import annotations

import pytest

from contract_tests.aggregated import ALL, connect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only


def test_tags_and_taggings_lifecycle(mx):
    mx.freeze()
    bank = connect(mx, ["transactions"])
    user = f"/users/{bank.user}"
    r = mx.post(f"{user}/tags", json={"tag": {"name": "Vacation"}})
    assert_valid(r)
    tag = r.json()["tag"]
    assert read_valid(mx, f"{user}/tags/{tag['guid']}", "tag") == tag
    renamed = mx.v1.put(f"{user}/tags/{tag['guid']}", json={"tag": {"name": "Trip"}})
    assert_valid(renamed, "v20111101")
    assert renamed.json()["tag"]["name"] == "Trip"
    assert [t["guid"] for t in read_valid(mx, f"{user}/tags", "tags")] == [tag["guid"]]

    txns = bank.transactions()[:3]
    taggings = []
    for txn in txns:
        r = mx.post(f"{user}/taggings", json={"tagging": {"tag_guid": tag["guid"], "transaction_guid": txn["guid"]}})
        assert_valid(r)
        taggings.append(r.json()["tagging"])
    assert all(t["tag_guid"] == tag["guid"] for t in taggings)
    assert read_valid(mx, f"{user}/taggings/{taggings[0]['guid']}", "tagging") == taggings[0]
    by_tag = mx.get(f"{user}/tags/{tag['guid']}/transactions", params=ALL)
    assert_valid(by_tag)
    assert {t["guid"] for t in by_tag.json()["transactions"]} == {t["guid"] for t in txns}

    other = mx.post(f"{user}/tags", json={"tag": {"name": "Work"}}).json()["tag"]
    moved = mx.put(f"{user}/taggings/{taggings[0]['guid']}", json={"tagging": {"tag_guid": other["guid"]}})
    assert_valid(moved)
    assert moved.json()["tagging"]["tag_guid"] == other["guid"]
    assert mx.delete(f"{user}/taggings/{taggings[1]['guid']}").status_code == 204
    remaining = mx.get(f"{user}/tags/{tag['guid']}/transactions", params=ALL).json()["transactions"]
    assert [t["guid"] for t in remaining] == [txns[2]["guid"]]

    # bad references are 4xx and create nothing
    assert_mx_error(mx.post(f"{user}/taggings", json={"tagging": {"tag_guid": "TAG-nope", "transaction_guid": txns[0]["guid"]}}), 400)
    assert_mx_error(mx.post(f"{user}/taggings", json={"tagging": {"tag_guid": tag["guid"], "transaction_guid": "TRN-nope"}}), 404)
    assert_mx_error(mx.post(f"{user}/tags", json={"tag": {"name": ""}}), 400)
    assert len(read_valid(mx, f"{user}/taggings", "taggings")) == 2

    # deleting a tag deletes its taggings
    assert mx.delete(f"{user}/tags/{tag['guid']}").status_code == 204
    assert_mx_error(mx.get(f"{user}/tags/{tag['guid']}/transactions"), 404)
    assert [t["tag_guid"] for t in read_valid(mx, f"{user}/taggings", "taggings")] == [other["guid"]]

    # deleting the member deletes the taggings of its transactions
    assert mx.delete(bank.base).status_code in (200, 202, 204)
    assert read_valid(mx, f"{user}/taggings", "taggings") == []
    assert [t["guid"] for t in read_valid(mx, f"{user}/tags", "tags")] == [other["guid"]], "tags belong to the user"
