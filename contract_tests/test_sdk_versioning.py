"""MX's official Python SDK against both versioning policies (`--versioning strict|lenient`).

The SDK (v20111101) sends `Accept: application/vnd.mx.api.v1+json` on most calls and no Accept at
all on some deletes, never `Accept-Version`. MX required `Accept-Version` from 2026-08-12:
- `lenient` (MX before the cutoff): the SDK as shipped works, every call, deletes included;
- `strict` (MX since, the default): the SDK as shipped gets 406 on every served call; with
  `Accept-Version: v20111101` as a default header (what an integration must add now) it works.
Operations the sandbox does not serve answer 404 or 405 under every policy.
"""
from __future__ import annotations

import uuid

import pytest

mx_platform_python = pytest.importorskip("mx_platform_python", reason="mx-platform-python is in the test extra")

from mx_platform_python.exceptions import ApiException  # noqa: E402
from pydantic import ValidationError  # noqa: E402  (the SDK's models are pydantic v1)

from contract_tests.aggregated import connect  # noqa: E402
from contract_tests.conformance import implemented  # noqa: E402
from contract_tests.harness import MX, SandboxProcess, Target, new_client  # noqa: E402
from contract_tests.journeys import create_member, mxbank_credentials, settled, wait_for  # noqa: E402
from contract_tests.processor_support import hand_off  # noqa: E402
from contract_tests.sdk_walk import SDK_CANNOT_READ, STEPS, World, operations  # noqa: E402

pytestmark = pytest.mark.sandbox_only
ALL_PRODUCTS = ["transactions", "account_verification", "identity_verification", "statements", "investments",
                "rewards"]


@pytest.fixture(scope="module")
def servers(mx_target):
    if mx_target.kind != "sandbox":
        pytest.skip("starts its own sandboxes, one per versioning policy")
    started = {policy: SandboxProcess("--versioning", policy, "--clock", "frozen") for policy in ("strict", "lenient")}
    yield started
    for server in started.values():
        server.stop()


def _tenant(url: str) -> MX:
    client_id = f"sdk-walk-{uuid.uuid4().hex[:12]}"
    return MX(new_client(Target("sandbox", url), client_id), Target("sandbox", url), client_id)


def _world(mx: MX) -> World:
    """A user with a connected MX Bank member that has every product, and a CHALLENGED one."""
    mx.freeze(now="2026-04-01T12:00:00Z")
    bank = connect(mx, ALL_PRODUCTS)
    for job in ("verify", "identify", "fetch_statements", "fetch_rewards"):
        bank.run(job)
    challenged = create_member(mx, bank.user, "mxbank", mxbank_credentials(mx, "challenge", username="mxuser"))
    wait_for(mx, bank.user, challenged["guid"], settled)
    oauth = create_member(mx, bank.user, "mx_bank_oauth", [], member={"is_oauth": True})
    accounts = {a["type"]: a["guid"] for a in bank.accounts()}
    first = lambda path, key: mx.get(f"{bank.base}/{path}").json()[key][0]["guid"]  # noqa: E731
    creds = mx.get("/institutions/mxbank/credentials").json()["credentials"]
    txn = next(t for t in bank.transactions() if t["merchant_guid"] and t["category_guid"])
    category = mx.get(f"/categories/{txn['category_guid']}").json()["category"]
    tag = mx.post(f"/users/{bank.user}/tags", json={"tag": {"name": "walk"}}).json()["tag"]["guid"]
    rule = mx.post(f"/users/{bank.user}/transaction_rules", json={"transaction_rule": {
        "category_guid": category["guid"], "match_description": "walk"}}).json()["transaction_rule"]["guid"]
    return World(
        user=bank.user, member=bank.member, challenged=challenged["guid"], oauth_member=oauth["guid"],
        account=accounts["CHECKING"], investment_account=accounts["INVESTMENT"],
        transaction=bank.items(f"/users/{bank.user}/accounts/{accounts['CHECKING']}/transactions", "transactions")[0]["guid"], holding=first("investment_holdings", "investment_holdings"),
        statement=first("statements", "statements"), reward=first("rewards", "rewards"),
        tag=tag, rule=rule, category=category["guid"], top_category=category.get("parent_guid") or category["guid"],
        merchant=txn["merchant_guid"], merchant_location=txn["merchant_location_guid"], credential_guids={c["field_name"]: c["guid"] for c in creds},
        challenges=[c["guid"] for c in mx.get(f"/users/{bank.user}/members/{challenged['guid']}/challenges").json()["challenges"]],
        processor_token=hand_off(mx, bank.user, bank.member, accounts["CHECKING"]),
        card_product=mx.http.get("/_sandbox/credit_card_products", params={
            "user_guid": bank.user, "account_guid": accounts["CREDIT_CARD"]}).json()["credit_card_products"][0]["guid"],
    )


def _walk(url: str, mx: MX, world: World, accept_version: str | None) -> dict[str, object]:
    """Every step's outcome: the HTTP status of an ApiException, or "ok"."""
    config = mx_platform_python.Configuration(host=url, username=mx.client_id, password="test-key")
    client = mx_platform_python.ApiClient(config)
    if accept_version:
        client.set_default_header("Accept-Version", accept_version)
    apis: dict[type, object] = {}
    outcomes: dict[str, object] = {}
    try:
        for name, call, advance in STEPS:
            try:
                world.results[name] = call(lambda cls: apis.setdefault(cls, cls(client)), world)
                outcomes[name] = "ok"
            except ApiException as error:
                outcomes[name] = error.status
            except ValidationError:  # the SDK could not read the answer into its model
                outcomes[name] = "unreadable"
            if advance:
                mx.advance(advance)
    finally:
        client.close()
    return outcomes


def test_the_walk_covers_every_sdk_operation_of_the_served_resources():
    walked = [name for name, _, _ in STEPS]
    assert len(walked) == len(set(walked))
    assert set(walked) == set(operations()), "add a step to contract_tests/sdk_walk.py for each new SDK operation"


@pytest.mark.parametrize("policy, accept_version", [
    ("lenient", None), ("lenient", "v20111101"), ("strict", None), ("strict", "v20111101"),
], ids=["lenient-sdk-as-shipped", "lenient-with-accept-version", "strict-sdk-as-shipped", "strict-with-accept-version"])
def test_every_sdk_operation_has_the_outcome_its_policy_promises(servers, policy, accept_version):
    url = servers[policy].url
    mx = _tenant(url)
    world = _world(mx)
    members = lambda: [(m["guid"], m["metadata"]) for m in mx.get(f"/users/{world.user}/members").json()["members"]]  # noqa: E731
    before = members()
    outcomes = _walk(url, mx, world, accept_version)
    served = implemented("v20111101")
    refused = policy == "strict" and accept_version is None
    expected = {}
    for name, op in operations().items():
        if op.operation_id not in served:
            expected[name] = outcomes[name] if outcomes[name] in (404, 405) else "404 or 405"
        else:
            expected[name] = 406 if refused else "unreadable" if name in SDK_CANNOT_READ else "ok"
    assert outcomes == expected, {k: (outcomes[k], v) for k, v in expected.items() if outcomes[k] != v}
    if refused:
        assert members() == before, "a 406 changes nothing"
        return
    # What the walk did is real: created records exist, deletes removed them.
    assert mx.get(f"/users/{world.user}/members/{world.member}").status_code == 404
    assert mx.get(f"/users/{world.new_user}").status_code == 404
    assert mx.get(f"/users/{world.user}/accounts/{world.manual_account}").status_code == 404
    assert world.managed_member.startswith("MBR-") and world.managed_member != "MBR-none"
    assert mx.get(f"/users/{world.user}/managed_members/{world.managed_member}").status_code == 404
    assert world.results["resume_aggregation"].member.connection_status == "RESUMED"
    assert world.results["list_favorite_institutions"].institutions[0].code == "mxbank"
    # MX's documented single-transaction body is kept; the SDK (whose spec says a list) drops it.
    assert world.results["read_transaction"].transactions is None


def test_strict_refuses_a_version_only_in_accept_and_lenient_reads_it_as_v1(servers):
    for policy, status in (("strict", 406), ("lenient", 200)):
        mx = _tenant(servers[policy].url)
        for accept in ("application/vnd.mx.api.v1+json", None):
            headers = {"Accept": accept} if accept else {}
            r = mx.http.get("/institutions/mxbank", headers=headers)
            assert r.status_code == status, (policy, accept, r.text)
            if accept:  # the answer (or the refusal) comes in the media type the client asked for
                assert r.headers["content-type"].startswith("application/vnd.mx.api.v1+json")
            if status == 200:
                assert "supports_account_verification" in r.json()["institution"]  # v20111101's shape
        assert mx.http.get("/institutions/mxbank", headers={"Accept-Version": "v20250224"}).status_code == 200
        assert mx.http.get("/institutions/mxbank", headers={"Accept-Version": "v2"}).status_code == 406
