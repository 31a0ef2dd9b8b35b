"""Verifiable credentials: identity, accounts and transactions as a W3C credential in a compact JWT.

The payload follows MX's example (a `vc` claim whose `credentialSubject` holds FDX-style
`customers`, `accounts` or `transactions`), built from the same generated records the ordinary
endpoints serve. MX signs with EdDSA under its own DID; the sandbox signs with HS256 under a key
drawn from the CSPRNG for each tenant, so the token parses like MX's but verifies against nothing
outside the sandbox (docs/decisions.md, "Verifiable credentials").
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

import orjson

from ..clock import format_instant
from ..data.generation import day_date
from ..data.model import DEBT_TYPES, Account, AccountNumber, AccountOwner, Transaction

ISSUER = "did:web:sandbox.mx.invalid"
MAX_CREDENTIAL_TRANSACTIONS = 10_000  # newest first: a credential is one response, bounded like a page
CONTEXT = ["https://www.w3.org/2018/credentials/v1"]
ACCOUNT_GROUPS = {"CHECKING": "depositAccount", "SAVINGS": "depositAccount", "CREDIT_CARD": "locAccount",
                  "LINE_OF_CREDIT": "locAccount", "CHECKING_LINE_OF_CREDIT": "locAccount", "LOAN": "loanAccount",
                  "MORTGAGE": "loanAccount", "INVESTMENT": "investmentAccount"}
FDX_TYPES = {"CREDIT_CARD": "CREDITCARD", "LINE_OF_CREDIT": "LINEOFCREDIT", "CHECKING_LINE_OF_CREDIT": "LINEOFCREDIT"}
TRANSACTION_GROUPS = {"depositAccount": "depositTransaction", "locAccount": "locTransaction",
                      "loanAccount": "loanTransaction", "investmentAccount": "investmentTransaction"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class CredentialSigner:
    """Signs credentials for one tenant; the key never leaves the process."""

    def __init__(self) -> None:
        # straight from the OS, not `new_token`: the key is no tenant state (snapshots need not replay it)
        self._key = secrets.token_bytes(32)

    def sign(self, subject_id: str, credential_id: str, kind: str, subject: dict[str, Any], now: float) -> str:
        header = {"alg": "HS256", "kid": f"{ISSUER}#0", "typ": "JWT"}
        vc = {"@context": CONTEXT, "id": credential_id, "type": ["VerifiableCredential", kind], "issuer": ISSUER,
              "issuanceDate": format_instant(now), "credentialSubject": {**subject, "id": subject_id}}
        claims = {"vc": vc, "iss": ISSUER, "iat": int(now), "jti": credential_id, "sub": subject_id}
        signing_input = f"{_b64(orjson.dumps(header))}.{_b64(orjson.dumps(claims))}"
        signature = hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"


def decode_claims(token: str) -> dict[str, Any]:
    """The claims of a compact JWT, unverified (what a test or a client reads)."""
    payload = token.split(".")[1]
    return orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _money(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def customers(owners: list[AccountOwner]) -> dict[str, Any]:
    """One FDX customer per distinct owner, with the accounts each holds."""
    people: dict[str, dict[str, Any]] = {}
    for owner in owners:
        person = people.setdefault(owner.owner_name, {
            "customerId": owner.guid,
            "name": {"first": owner.first_name, "last": owner.last_name},
            "addresses": [{"line1": owner.address, "city": owner.city, "region": owner.state,
                           "postalCode": owner.postal_code, "country": owner.country}],
            "telephones": [{"type": "HOME", "number": owner.phone}],
            "email": [owner.email],
            "accounts": [],
        })
        person["accounts"].append({"accountId": owner.account_guid, "relationship": "PRIMARY"
                                   if not person["accounts"] else "JOINT"})
    return {"customers": list(people.values())}


def account_entry(account: Account, number: AccountNumber | None, institution_guid: str | None) -> dict[str, Any]:
    group = ACCOUNT_GROUPS.get(account.type, "depositAccount")
    full = number.account_number if number else None
    entry: dict[str, Any] = {
        "accountId": account.guid,
        "accountType": FDX_TYPES.get(account.type, account.type),
        "accountNumber": full,
        "accountNumberDisplay": f"****{(full or account.account_number or '')[-4:]}" if (full or account.account_number) else None,
        "productName": None,
        "nickname": account.nickname,
        "status": "CLOSED" if account.is_closed else "OPEN",
        "accountOpenDate": format_instant(account.created_at),
        "accountClosedDate": None,
        "currency": {"currencyRate": None, "currencyCode": account.currency_code, "originalCurrencyCode": None},
        "fiAttributes": [{"name": "member_guid", "value": account.member_guid},
                         {"name": "institution_guid", "value": institution_guid}],
        "routingTransitNumber": number.routing_number if number else None,
        "balanceType": "LIABILITY" if account.type in DEBT_TYPES else "ASSET",
        "interestRate": account.interest_rate,
        "balanceAsOf": format_instant(account.balance_as_of or account.updated_at),
        "currentBalance": _money(account.balance),
    }
    if group == "depositAccount":
        entry.update(availableBalance=_money(account.available_balance), annualPercentageYield=account.apy)
    elif group == "locAccount":
        limit = account.credit_limit
        entry.update(creditLine=_money(limit), purchasesApr=account.apr,
                     availableCredit=_money(limit - account.balance) if limit is not None else None,
                     minimumPaymentAmount=_money(account.minimum_payment))
    elif group == "loanAccount":
        entry.update(principalBalance=_money(account.balance), originalPrincipal=_money(account.original_balance),
                     maturityDate=account.matures_on)
    return {group: entry}


def transaction_entry(account: Account, txn: Transaction) -> dict[str, Any]:
    group = TRANSACTION_GROUPS[ACCOUNT_GROUPS.get(account.type, "depositAccount")]
    return {group: {
        "accountId": txn.account_guid,
        "transactionId": txn.guid,
        "postedTimestamp": format_instant(txn.posted_at),
        "transactionTimestamp": format_instant(txn.transacted_at),
        "description": txn.description,
        "debitCreditMemo": txn.type,
        "category": txn.category,
        "status": txn.status,
        "amount": _money(txn.amount),
        "date": day_date(txn.day).isoformat(),
    }}
