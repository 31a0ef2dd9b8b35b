"""Step 8 for the premium products: what each job adds, and that nothing exists before it runs."""
from __future__ import annotations

import hashlib
import io

import pytest

from contract_tests.aggregated import Connected, connect, read_valid
from contract_tests.journeys import connected, create_member, mxbank_credentials, wait_for
from contract_tests.spec import assert_valid, load_spec
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity
PREMIUM_LISTS = {
    "account_numbers": "account_numbers",
    "account_owners": "account_owners",
    "statements": "statements",
    "investment_holdings": "investment_holdings",
    "rewards": "rewards",
}


def aba_valid(number: str) -> bool:
    weights = (3, 7, 1) * 3
    return len(number) == 9 and number.isdigit() and sum(int(d) * w for d, w in zip(number, weights)) % 10 == 0


@pytest.fixture
def freeze(mx):
    if mx.target.is_sandbox:
        mx.freeze()


def by_type(bank: Connected) -> dict[str, dict]:
    return {a["type"]: a for a in bank.accounts()}


def test_nothing_is_invented_before_its_job(mx, freeze):
    bank = connect(mx, ["transactions"])
    for path, key in PREMIUM_LISTS.items():
        r = mx.get(f"{bank.base}/{path}")
        assert r.status_code == 200, path
        assert_valid(r)
        assert r.json()[key] == [] and r.json()["pagination"]["total_entries"] == 0
    assert mx.get(f"/users/{bank.user}/investment_holdings").json()["investment_holdings"] == []


def test_verification_gives_checking_and_savings_numbers(mx, freeze):
    bank = connect(mx, ["transactions", "account_verification"])
    accounts = by_type(bank)
    r = mx.get(f"{bank.base}/account_numbers")
    assert_valid(r)
    numbers = r.json()["account_numbers"]
    assert sorted(n["account_guid"] for n in numbers) == sorted(accounts[t]["guid"] for t in ("CHECKING", "SAVINGS"))
    for number in numbers:
        assert aba_valid(number["routing_number"]), number["routing_number"]
        assert number["passed_validation"] is True and number["member_guid"] == bank.member
        masked = next(a for a in accounts.values() if a["guid"] == number["account_guid"])["account_number"]
        assert number["account_number"].endswith(masked) and len(number["account_number"]) > len(masked)
    checking = accounts["CHECKING"]["guid"]
    one = mx.get(f"/users/{bank.user}/accounts/{checking}/account_numbers")
    assert_valid(one)
    assert [n["account_guid"] for n in one.json()["account_numbers"]] == [checking]
    card = mx.get(f"/users/{bank.user}/accounts/{accounts['CREDIT_CARD']['guid']}/account_numbers")
    assert card.json()["account_numbers"] == []
    assert_valid(mx.v1.get(f"{bank.base}/account_numbers"), "v20111101")


def test_identity_gives_owners_of_checking_and_savings(mx, freeze):
    bank = connect(mx, ["transactions", "identity_verification"])
    accounts = by_type(bank)
    r = mx.get(f"{bank.base}/account_owners")
    assert_valid(r)
    owners = r.json()["account_owners"]
    assert {o["account_guid"] for o in owners} == {accounts["CHECKING"]["guid"], accounts["SAVINGS"]["guid"]}
    for owner in owners:
        assert owner["owner_name"] == f"{owner['first_name']} {owner['last_name']}"
        assert owner["email"] and owner["address"] and owner["postal_code"] and owner["member_guid"] == bank.member
    assert_valid(mx.v1.get(f"{bank.base}/account_owners"), "v20111101")


def test_statements_are_real_pdfs(mx, freeze):
    pypdf = pytest.importorskip("pypdf")
    bank = connect(mx, ["transactions", "statements"])
    accounts = {a["guid"]: a for a in bank.accounts()}
    r = mx.get(f"{bank.base}/statements")
    assert_valid(r)
    statements = r.json()["statements"]
    assert statements and all(s["account_guid"] in accounts for s in statements)
    assert_valid(mx.v1.get(f"{bank.base}/statements"), "v20111101")
    statement = statements[0]
    assert read_valid(mx, f"{bank.base}/statements/{statement['guid']}", "statement") == statement

    pdf = mx.get(f"{bank.base}/statements/{statement['guid']}.pdf")
    assert pdf.status_code == 200
    documented = load_spec("v20250224")["paths"]["/users/{user_guid}/members/{member_guid}/statements/{statement_guid}.pdf"]
    assert pdf.headers["content-type"] in documented["get"]["responses"]["200"]["content"]
    assert pdf.content.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.content).hexdigest() == statement["content_hash"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert accounts[statement["account_guid"]]["name"] in text
    assert "Statement period:" in text
    legacy = mx.v1.get(f"{bank.base}/statements/{statement['guid']}.pdf",
                       headers={"Accept": "application/vnd.mx.api.v1+pdf"})
    assert legacy.status_code == 200 and legacy.content == pdf.content
    assert_mx_error(mx.get(f"{bank.base}/statements/STA-nope.pdf"), 404)


def test_investments_give_holdings_on_the_investment_account(mx, freeze):
    bank = connect(mx, ["transactions", "investments"])
    investment = by_type(bank)["INVESTMENT"]
    r = mx.get(f"{bank.base}/investment_holdings")
    assert_valid(r)
    holdings = r.json()["investment_holdings"]
    assert holdings and all(h["account_guid"] == investment["guid"] for h in holdings)
    invested = sum(h["market_value"] for h in holdings)
    assert invested == pytest.approx(investment["balance"] - investment["cash_balance"], abs=1.0)
    assert read_valid(mx, f"/users/{bank.user}/investment_holdings", "investment_holdings") == holdings
    by_account = f"/users/{bank.user}/accounts/{investment['guid']}/investment_holdings"
    assert read_valid(mx, by_account, "investment_holdings") == holdings
    one = f"/users/{bank.user}/investment_holdings/{holdings[0]['guid']}"
    assert read_valid(mx, one, "investment_holding") == holdings[0]
    assert_valid(mx.v1.get(f"{bank.base}/investment_holdings"), "v20111101")


def test_rewards_after_fetch_rewards(mx, freeze):
    bank = connect(mx, ["transactions"])
    assert mx.get(f"{bank.base}/rewards").json()["rewards"] == []
    bank.run("fetch_rewards")
    rewards = read_valid(mx, f"{bank.base}/rewards", "rewards")
    card = by_type(bank)["CREDIT_CARD"]
    assert rewards and all(w["account_guid"] == card["guid"] and w["balance"] >= 0 for w in rewards)
    assert read_valid(mx, f"{bank.base}/rewards/{rewards[0]['guid']}", "reward") == rewards[0]
    assert_valid(mx.v1.get(f"{bank.base}/rewards"), "v20111101")


def test_jobs_run_later_add_their_data(mx, freeze):
    bank = connect(mx, ["transactions"])
    bank.run("verify")
    assert len(mx.get(f"{bank.base}/account_numbers").json()["account_numbers"]) == 2
    bank.run("identify")
    assert mx.get(f"{bank.base}/account_owners").json()["account_owners"]
    bank.run("fetch_statements")
    assert mx.get(f"{bank.base}/statements").json()["statements"]


@pytest.mark.sandbox_only
def test_canadian_institution_numbers(mx, freeze):
    bank = connect(mx, ["transactions", "account_verification"], code="synth_cedar_savings")
    numbers = mx.get(f"{bank.base}/account_numbers").json()["account_numbers"]
    assert numbers and all(n["routing_number"] is None for n in numbers)
    assert all(len(n["institution_number"]) == 3 and len(n["transit_number"]) == 5 for n in numbers)


@pytest.mark.sandbox_only
def test_v1_members_get_holdings_and_aggregate_honours_its_include_flags(mx, freeze):
    v1 = mx.v1
    user = mx.create_user()["guid"]
    member = create_member(v1, user, "mxbank", mxbank_credentials(mx, "password"),
                           member={"background_aggregation_is_disabled": True})
    wait_for(v1, user, member["guid"], connected)
    base = f"/users/{user}/members/{member['guid']}"
    holdings = v1.get(f"{base}/investment_holdings").json()["investment_holdings"]
    assert holdings  # include_holdings defaults to true in v20111101
    before = len(Connected(mx, user, member["guid"]).transactions())

    mx.advance(2 * 86400)
    r = v1.post(f"{base}/aggregate", params={"include_transactions": "false", "include_holdings": "false"})
    assert r.status_code == 202, r.text
    wait_for(v1, user, member["guid"], connected)
    assert len(Connected(mx, user, member["guid"]).transactions()) == before
    assert v1.get(f"{base}/investment_holdings").json()["investment_holdings"] == holdings

    assert v1.post(f"{base}/aggregate").status_code == 202
    wait_for(v1, user, member["guid"], connected)
    assert len(Connected(mx, user, member["guid"]).transactions()) > before
    assert v1.get(f"{base}/investment_holdings").json()["investment_holdings"] != holdings  # refreshed (updated_at moves)
    assert_mx_error(v1.post(f"{base}/aggregate", params={"include_holdings": "maybe"}), 400)
