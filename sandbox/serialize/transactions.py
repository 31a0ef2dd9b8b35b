"""Transaction JSON: the same fields in both versions."""
from __future__ import annotations

import functools
from typing import Any

from ..core.clock import format_instant
from ..core.data.generation import day_date
from ..core.data.model import Transaction
from ..core.pfm.merchants import location_guid
from .accounts import PartnerIds, money
from .row_cache import RowCache

# List pages reuse encoded rows; a row's key is all of the transaction plus (version, user_id), so
# `transaction_json` must read nothing else (it reads `ids.user_id` only).
TRANSACTION_ROWS = RowCache(Transaction)


@functools.lru_cache(maxsize=65536)
def _iso_day(day: int) -> str:
    return day_date(day).isoformat()


def transaction_json(txn: Transaction, version: str, ids: PartnerIds) -> dict[str, Any]:
    flags = txn.flags
    return {
        "account_guid": txn.account_guid,
        "account_id": txn.account_id,
        "amount": money(txn.amount),
        "category": txn.category,
        "category_guid": txn.category_guid,
        "check_number_string": None,
        "created_at": format_instant(txn.created_at),
        "currency_code": txn.currency_code,
        "date": _iso_day(txn.day),
        "description": txn.description,
        "extended_transaction_type": None,
        "guid": txn.guid,
        "id": txn.id,
        "is_bill_pay": "is_bill_pay" in flags,
        "is_direct_deposit": "is_direct_deposit" in flags,
        "is_expense": "is_expense" in flags,
        "is_fee": "is_fee" in flags,
        "is_income": "is_income" in flags,
        "is_international": txn.is_international,
        "is_manual": txn.is_manual,
        "is_overdraft_fee": "is_overdraft_fee" in flags,
        "is_payroll_advance": "is_payroll_advance" in flags,
        "is_recurring": "is_recurring" in flags,
        "is_subscription": "is_subscription" in flags,
        "latitude": None,
        "localized_description": None,
        "localized_memo": None,
        "longitude": None,
        "member_guid": txn.member_guid,
        "member_is_managed_by_user": txn.is_manual,
        "memo": txn.memo,
        "merchant_category_code": txn.merchant_category_code,
        "merchant_guid": txn.merchant_guid,
        "merchant_location_guid": location_guid(txn.merchant_guid) if txn.merchant_guid else None,
        "metadata": txn.metadata,
        "original_description": txn.original_description,
        "posted_at": format_instant(txn.posted_at),
        "status": txn.status,
        "top_level_category": txn.top_level_category,
        "transacted_at": format_instant(txn.transacted_at),
        "type": txn.type,
        "updated_at": format_instant(txn.updated_at),
        "user_guid": txn.user_guid,
        "user_id": ids.user_id,
    }


def transaction_rows(txns: list[Transaction], version: str, ids: PartnerIds) -> list[Any]:
    """A page of transactions as pre-encoded rows for the response body."""
    return TRANSACTION_ROWS.fragments(txns, (version, ids.user_id), lambda t: transaction_json(t, version, ids))
