"""JSON for the processor hand-off: tokens, what a processor reads, ACH returns, card products.

Both versions share these shapes. MX types a processor's `account_number` and `routing_number` as
integers, so the digit strings the sandbox keeps are sent as numbers there (and only there).
"""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.data.card_products import CardProduct
from ..core.data.model import Account, AccountNumber, AccountOwner
from ..core.processor.ach import AchReturn
from ..core.processor.grants import AccessToken
from .accounts import money


def _number(digits: str | None) -> int | None:
    return int(digits) if digits and digits.isdigit() else None


def token_json(token: AccessToken, now: float) -> dict[str, Any]:
    return {
        "access_token": token.token,
        "active": token.is_active(now),
        "expires_at": format_instant(token.expires_at),
        "payment_processor_guid": token.processor_guid,
    }


def exchange_json(token: AccessToken) -> dict[str, Any]:
    """The answer to `POST /token` (MX's processor guide)."""
    return {"access_token": token.token, "expires_at": format_instant(token.expires_at),
            "scope": token.scope.text(), "token_type": "Bearer"}


def _elements(user_guid: str, member_guid: str, account_guid: str) -> dict[str, Any]:
    return {"account_guid": account_guid, "member_guid": member_guid, "user_guid": user_guid}


def processor_number_json(number: AccountNumber) -> dict[str, Any]:
    return {
        **_elements(number.user_guid, number.member_guid, number.account_guid),
        "account_number": _number(number.account_number),
        "guid": number.guid,
        "institution_number": number.institution_number,
        "loan_guarantor": None,
        "loan_reference_number": None,
        "passed_validation": True,
        "routing_number": _number(number.routing_number),
        "sequence_number": None,
        "transit_number": number.transit_number,
    }


def payment_account_json(account: Account, number: AccountNumber | None) -> dict[str, Any]:
    return {
        **_elements(account.user_guid, account.member_guid, account.guid),
        "account_name": account.name,
        "account_number": _number(number.account_number) if number else None,
        "account_type": account.type,
        "available_balance": money(account.available_balance if account.available_balance is not None else account.balance),
        "balance": money(account.balance),
        "created_at": format_instant(account.created_at),
        "routing_number": _number(number.routing_number) if number else None,
        "transit_number": number.transit_number if number else None,
        "updated_at": format_instant(account.updated_at),
    }


def processor_owner_json(owner: AccountOwner) -> dict[str, Any]:
    return {
        **_elements(owner.user_guid, owner.member_guid, owner.account_guid),
        "address": owner.address,
        "city": owner.city,
        "country": owner.country,
        "email": owner.email,
        "guid": owner.guid,
        "owner_name": owner.owner_name,
        "phone": owner.phone,
        "postal_code": owner.postal_code,
        "state": owner.state,
    }


def ach_return_json(record: AchReturn) -> dict[str, Any]:
    f = record.fields
    return {
        "account_guid": record.account_guid,
        "account_number_last_four": record.account_number_last_four,
        "account_type": record.account_type,
        "ach_initiated_at": f.get("ach_initiated_at"),
        "client_guid": record.client_guid,
        "corrected_account_number": f.get("corrected_account_number"),
        "corrected_routing_number": f.get("corrected_routing_number"),
        "created_at": format_instant(record.created_at),
        "guid": record.guid,
        "id": record.id,
        "institution_guid": record.institution_guid,
        "investigation_notes": None,
        "member_guid": record.member_guid,
        "processing_errors": None,
        "resolution_code": None,
        "resolution_detail": None,
        "resolved_status_at": None,
        "return_account_number": f.get("return_account_number"),
        "return_code": record.return_code,
        "return_notes": f.get("return_notes"),
        "return_routing_number": f.get("return_routing_number"),
        "return_status": record.return_status,
        "returned_at": f.get("returned_at"),
        "sec_code": f.get("sec_code"),
        "started_processing_at": None,
        "submitted_at": format_instant(record.submitted_at) if record.submitted_at is not None else None,
        "transaction_amount": f.get("transaction_amount"),
        "updated_at": format_instant(record.created_at),
        "user_guid": record.user_guid,
    }


def card_product_json(product: CardProduct) -> dict[str, Any]:
    return {"annual_fee": product.annual_fee, **product.durations, "guid": product.guid, **product.flags,
            "name": product.name}
