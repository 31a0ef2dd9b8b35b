"""Step 8 for `transactions`: accounts and transactions after a member connects to MX Bank."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from contract_tests.aggregated import ALL, FAR_PAST, connect, effect, read_valid
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity
MXBANK_TYPES = {"CHECKING", "SAVINGS", "CREDIT_CARD", "LOAN", "MORTGAGE", "INVESTMENT"}
DEBT_TYPES = {"CREDIT_CARD", "LOAN", "MORTGAGE"}


@pytest.fixture
def bank(mx):
    if mx.target.is_sandbox:
        mx.freeze()
    return connect(mx, ["transactions"])


def today(mx) -> date:
    return date.fromisoformat(mx.clock()["now"][:10])


def test_mxbank_accounts(mx, bank):
    r = mx.get(f"{bank.base}/accounts")
    assert_valid(r)
    accounts = r.json()["accounts"]
    assert {a["type"] for a in accounts} == MXBANK_TYPES and len(accounts) == 6
    assert all(a["member_guid"] == bank.member and a["user_guid"] == bank.user for a in accounts)
    assert all(a["balance"] > 0 for a in accounts if a["type"] in DEBT_TYPES), "MX reports debts as positive"
    assert all(a["is_manual"] is False and a["institution_code"] == "mxbank" for a in accounts)
    card = next(a for a in accounts if a["type"] == "CREDIT_CARD")
    assert card["available_credit"] == pytest.approx(card["credit_limit"] - card["balance"])

    by_user = mx.get(f"/users/{bank.user}/accounts")
    assert_valid(by_user)
    assert by_user.json()["accounts"] == accounts
    for account in accounts:
        assert read_valid(mx, f"/users/{bank.user}/accounts/{account['guid']}", "account") == account
        assert read_valid(mx, f"{bank.base}/accounts/{account['guid']}", "account") == account
    v1 = mx.v1.get(f"{bank.base}/accounts")
    assert_valid(v1, "v20111101")
    assert [a["guid"] for a in v1.json()["accounts"]] == [a["guid"] for a in accounts]


def test_mxbank_transactions(mx, bank):
    accounts = {a["guid"]: a for a in bank.accounts()}
    r = mx.get(f"/users/{bank.user}/transactions", params=ALL)
    assert_valid(r)
    txns = r.json()["transactions"]
    assert 800 <= len(txns) <= 1000, "MX Bank gives about 900 transactions"
    assert all(t["status"] == "POSTED" for t in txns)
    assert all(t["account_guid"] in accounts and t["member_guid"] == bank.member for t in txns)
    assert all(t["amount"] > 0 and t["type"] in ("CREDIT", "DEBIT") for t in txns)
    dates = sorted(date.fromisoformat(t["date"]) for t in txns)
    assert dates[-1] <= today(mx) and (today(mx) - dates[0]).days <= 90
    assert [t["date"] for t in txns] == sorted((t["date"] for t in txns), reverse=True), "newest first"
    assert len({t["guid"] for t in txns}) == len(txns)

    by_member = mx.get(f"{bank.base}/transactions", params=ALL)
    assert_valid(by_member)
    assert by_member.json()["transactions"] == txns
    v1 = mx.v1.get(f"/users/{bank.user}/transactions", params=ALL)
    assert_valid(v1, "v20111101")
    assert v1.json()["transactions"] == txns

    checking = next(a for a in accounts.values() if a["type"] == "CHECKING")
    by_account = mx.get(f"/users/{bank.user}/accounts/{checking['guid']}/transactions", params=ALL)
    assert_valid(by_account)
    mine = [t for t in txns if t["account_guid"] == checking["guid"]]
    assert by_account.json()["transactions"] == mine
    per_member = mx.get(f"{bank.base}/accounts/{checking['guid']}/transactions", params=ALL)
    assert_valid(per_member)
    assert per_member.json()["transactions"] == mine


def test_read_transaction(mx, bank):
    txn = bank.transactions()[0]
    assert read_valid(mx, f"/users/{bank.user}/transactions/{txn['guid']}", "transaction") == txn
    by_account = f"{bank.base}/accounts/{txn['account_guid']}/transactions/{txn['guid']}"
    assert read_valid(mx, by_account, "transaction") == txn
    v1 = mx.v1.get(f"/users/{bank.user}/transactions/{txn['guid']}")
    assert_valid(v1, "v20111101")
    other = next(a for a in bank.accounts() if a["guid"] != txn["account_guid"])
    assert_mx_error(mx.get(f"{bank.base}/accounts/{other['guid']}/transactions/{txn['guid']}"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/transactions/TRN-00000000-0000-0000-0000-000000000000"), 404)


def test_paging(mx, bank):
    full = bank.transactions()
    first = mx.get(f"/users/{bank.user}/transactions", params={"from_date": FAR_PAST, "records_per_page": 10})
    second = mx.get(f"/users/{bank.user}/transactions", params={"from_date": FAR_PAST, "records_per_page": 10, "page": 2})
    assert_valid(second)
    assert first.json()["transactions"] + second.json()["transactions"] == full[:20]
    assert second.json()["pagination"] == {
        "current_page": 2, "per_page": 10, "total_entries": len(full), "total_pages": -(-len(full) // 10)}
    default = mx.get(f"/users/{bank.user}/transactions", params={"from_date": FAR_PAST})
    assert default.json()["pagination"]["per_page"] == 25
    over = mx.get(f"/users/{bank.user}/transactions", params={"from_date": FAR_PAST, "records_per_page": 1001})
    assert over.json()["pagination"]["per_page"] == 25
    assert_mx_error(mx.get(f"/users/{bank.user}/transactions", params={"page": "x"}), 400)


def test_date_filters(mx, bank):
    full = bank.transactions()
    end = today(mx) - timedelta(days=10)
    start = end - timedelta(days=6)
    r = mx.get(f"/users/{bank.user}/transactions",
               params={"from_date": start.isoformat(), "to_date": end.isoformat(), "records_per_page": 1000})
    assert_valid(r)
    expected = [t for t in full if start.isoformat() <= t["date"] <= end.isoformat()]
    assert r.json()["transactions"] == expected and expected

    updated = mx.get(f"/users/{bank.user}/transactions", params={
        **ALL, "from_updated_at": today(mx).isoformat(), "to_updated_at": today(mx).isoformat()})
    assert updated.json()["transactions"] == full, "everything was fetched today"
    stale = mx.get(f"/users/{bank.user}/transactions", params={
        **ALL, "from_updated_at": "2001-01-01", "to_updated_at": "2001-01-31"})
    assert stale.json()["transactions"] == []


@pytest.mark.parametrize("params", [
    {"from_date": "1666936800"},
    {"to_date": "2025/01/31"},
    {"from_date": "2025-02-30"},
    {"from_date": "2025-02-01T00:00:00Z"},
])
def test_dates_must_be_yyyy_mm_dd(mx, bank, params):
    for path in (f"/users/{bank.user}/transactions", f"{bank.base}/transactions"):
        assert "YYYY-MM-DD" in assert_mx_error(mx.get(path, params=params), 400)


def test_updated_at_needs_both_ends(mx, bank):
    message = assert_mx_error(mx.get(f"/users/{bank.user}/transactions", params={"from_updated_at": "2025-01-01"}), 400)
    assert "from_updated_at" in message and "to_updated_at" in message
    assert_mx_error(mx.get(f"{bank.base}/transactions", params={"to_updated_at": "2025-01-01"}), 400)


def test_update_account_by_member(mx, bank):
    account = bank.accounts()[0]
    path = f"{bank.base}/accounts/{account['guid']}"
    r = mx.put(path, json={"account": {"is_hidden": True, "metadata": "qa-note"}})
    assert r.status_code == 200
    assert_valid(r)
    assert r.json()["account"]["is_hidden"] is True and r.json()["account"]["metadata"] == "qa-note"
    assert_mx_error(mx.put(path, json={"account": {"name": "Renamed", "is_hidden": False}}), 400)
    assert_mx_error(mx.put(path, json={"account": {"is_hidden": "yes"}}), 400)
    assert_mx_error(mx.put(path), 400)
    after = mx.get(path).json()["account"]
    assert after["name"] == account["name"] and after["is_hidden"] is True, "a refused update changes nothing"
    v1 = mx.v1.put(path, json={"account": {"is_hidden": False}})
    assert_valid(v1, "v20111101")


def test_extend_history_reaches_two_years(mx, bank):
    before = bank.transactions()
    bank.run("extend_history")
    after = bank.transactions()
    oldest = min(date.fromisoformat(t["date"]) for t in after)
    assert 700 <= (today(mx) - oldest).days < 731
    assert {t["guid"] for t in before} <= {t["guid"] for t in after}
    assert len(after) > 6 * len(before)
    default_window = mx.get(f"/users/{bank.user}/transactions", params={"records_per_page": 1000}).json()
    oldest_default = min(date.fromisoformat(t["date"]) for t in default_window["transactions"])
    assert (today(mx) - oldest_default).days <= 120, "without from_date MX lists the last 120 days"


@pytest.mark.sandbox_only
def test_reaggregation_adds_only_the_new_days(mx, bank):
    before = {t["guid"]: t for t in bank.transactions()}
    balances = {a["guid"]: a["balance"] for a in bank.accounts()}
    last_seen = max(t["posted_at"] for t in before.values())
    mx.advance(2 * 86400)
    bank.run("aggregate")
    after = bank.transactions()
    new = [t for t in after if t["guid"] not in before]
    assert 5 <= len(new) <= 60, "about two days of MX Bank activity"
    assert all(t["posted_at"] > last_seen for t in new)
    assert all((today(mx) - date.fromisoformat(t["date"])).days <= 2 for t in new)
    assert all(before[t["guid"]] == t for t in after if t["guid"] in before), "old transactions are untouched"
    for account in bank.accounts():
        moved = sum(effect(account, t) for t in new if t["account_guid"] == account["guid"])
        assert account["balance"] - balances[account["guid"]] == pytest.approx(moved, abs=0.005)


@pytest.mark.sandbox_only
def test_check_balance_moves_balances_without_transactions(mx, bank):
    seen = {t["guid"] for t in bank.transactions()}
    balances = {a["guid"]: a["balance"] for a in bank.accounts()}
    mx.advance(3 * 86400)
    bank.run("check_balance")
    assert {t["guid"] for t in bank.transactions()} == seen
    assert {a["guid"]: a["balance"] for a in bank.accounts()} != balances
    bank.run("aggregate")
    new = [t for t in bank.transactions() if t["guid"] not in seen]
    assert new
    for account in bank.accounts():
        moved = sum(effect(account, t) for t in new if t["account_guid"] == account["guid"])
        assert account["balance"] - balances[account["guid"]] == pytest.approx(moved, abs=0.005), "no double count"


def test_member_delete_ends_member_level_access(mx, bank):
    account = bank.accounts()[0]
    assert mx.delete(bank.base).status_code == 204
    for path in ("accounts", f"accounts/{account['guid']}", "transactions", "account_numbers", "statements"):
        assert_mx_error(mx.get(f"{bank.base}/{path}"), 404)
    assert mx.get(f"/users/{bank.user}/accounts").json()["accounts"] == []


@pytest.mark.sandbox_only
def test_unknown_records_are_404(mx, bank):
    other_user = mx.create_user()["guid"]
    account = bank.accounts()[0]
    assert_mx_error(mx.get(f"/users/{other_user}/accounts/{account['guid']}"), 404)
    assert_mx_error(mx.get(f"/users/{other_user}/members/{bank.member}/accounts"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/accounts/ACT-nope"), 404)
    assert_mx_error(mx.get(f"/users/{bank.user}/accounts/ACT-nope/transactions"), 404)


@pytest.mark.sandbox_only
def test_same_seed_same_bytes(mx_target):
    """Two fresh tenants of the same name (after reset) answer the same calls with identical bytes."""
    from contract_tests.harness import MX, new_client

    def journey() -> list[bytes]:
        client = new_client(mx_target, "determinism-data")
        try:
            assert client.post("/_sandbox/reset").status_code == 204
            mx = MX(client, mx_target, "determinism-data")
            mx.freeze(now="2026-03-15T09:30:00Z")
            bank = connect(mx, ["transactions", "account_verification", "identity_verification", "statements",
                                "investments", "rewards"])
            mx.advance(86400)
            bank.run("aggregate")
            bank.run("fetch_rewards")
            bodies = [mx.get(path, params=ALL).content for path in (
                f"/users/{bank.user}/accounts", f"/users/{bank.user}/transactions", f"{bank.base}/account_numbers",
                f"{bank.base}/account_owners", f"{bank.base}/statements", f"{bank.base}/investment_holdings",
                f"{bank.base}/rewards")]
            statement = mx.get(f"{bank.base}/statements").json()["statements"][0]["guid"]
            bodies.append(mx.get(f"{bank.base}/statements/{statement}.pdf").content)
            bodies.append(mx.v1.get(f"/users/{bank.user}/transactions", params=ALL).content)
            return bodies
        finally:
            client.close()

    first, second = journey(), journey()
    assert first == second
    assert len(first[1]) > 100_000, "a real page of transactions, not an empty list"
