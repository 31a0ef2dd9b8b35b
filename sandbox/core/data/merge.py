"""mergeAccounts: two or more of a user's accounts become one; the others' transactions follow.

The first guid listed survives (UNCONFIRMED: MX does not say which account it keeps). The others
are deleted with their numbers, owners, statements, holdings and rewards; their transactions move
to the survivor (same guids, so taggings stay). A merged-away aggregated account is not recreated
by later aggregation.
"""
from __future__ import annotations

from typing import Any

from ..errors import BadRequest
from .model import Account
from .store import DataStore

MAX_MERGED = 100  # account guids in one request


def merge_accounts(data: DataStore, user_guid: str, request: Any) -> Account:
    guids = request.get("account_guids") if isinstance(request, dict) else None
    if not isinstance(guids, list) or not all(isinstance(g, str) for g in guids):
        raise BadRequest("account.account_guids must be an array of account guids.")
    if len(set(guids)) < 2 or len(set(guids)) != len(guids):
        raise BadRequest("account_guids must name at least two different accounts.")
    if len(guids) > MAX_MERGED:
        raise BadRequest(f"At most {MAX_MERGED} accounts can be merged at once.")
    accounts = [data.account(user_guid, guid) for guid in guids]  # 404 for any that is not the user's
    survivor, others = accounts[0], accounts[1:]
    for other in others:
        moving = [t for t in data.all_transactions(user_guid, other.member_guid) if t.account_guid == other.guid]
        for txn in moving:
            data.drop_transaction(txn)
            txn.account_guid, txn.member_guid, txn.account_id = survivor.guid, survivor.member_guid, survivor.id
            data.add_transaction(txn)
        data.drop_merged(other)
    return survivor
