"""Where a tenant's transactions are kept: by account, by guid, and in sorted views for lists.

The data store decides what exists (accounts, jobs, premium data); this decides how transactions
are held and read back fast. Views (a scope's transactions sorted by day) are rebuilt after any
change and kept for at most `MAX_VIEWS` scopes; a list page is then two bisections and a slice.
"""
from __future__ import annotations

import bisect
from typing import Callable, Iterable, Sequence

from ..errors import NotFound
from .model import Transaction
from .window import NewestFirst

MAX_VIEWS = 64  # sorted scopes (user, member, account) kept per tenant; all dropped past it


class TransactionLedger:
    def __init__(self) -> None:
        self._by_account: dict[str, dict[str, Transaction]] = {}  # account guid → guid → txn
        self._account_of: dict[str, str] = {}  # transaction guid → account guid
        self._views: dict[tuple[str, str], tuple[int, list[Transaction], list[int]]] = {}
        self.revision = 0  # changes whenever stored transactions do: derived views key on it

    # -- accounts --------------------------------------------------------------------------
    def open(self, account_guid: str) -> None:
        self._by_account.setdefault(account_guid, {})

    def close(self, account_guids: Iterable[str]) -> None:
        """Forget these accounts and their transactions."""
        for guid in account_guids:
            for txn_guid in self._by_account.pop(guid, {}):
                self._account_of.pop(txn_guid, None)
        self.changed()
        self._views.clear()

    # -- changes ---------------------------------------------------------------------------
    def store(self, transactions: Iterable[Transaction]) -> int:
        """Add the ones not held yet (by guid); how many were new."""
        added = 0
        for txn in transactions:
            bucket = self._by_account[txn.account_guid]
            if txn.guid not in bucket:
                bucket[txn.guid] = txn
                self._account_of[txn.guid] = txn.account_guid
                added += 1
        if added:
            self.changed()
        return added

    def remove(self, guids: Iterable[str]) -> None:
        for guid in guids:
            owner = self._account_of.pop(guid, None)
            if owner is not None:
                self._by_account[owner].pop(guid, None)
        self.changed()

    def changed(self) -> None:
        """Transactions were added, removed or edited in place: sorted views are stale."""
        self.revision += 1

    # -- reads -----------------------------------------------------------------------------
    def get(self, guid: str) -> Transaction | None:
        owner = self._account_of.get(guid)
        return self._by_account[owner].get(guid) if owner else None

    def __contains__(self, guid: str) -> bool:
        return guid in self._account_of

    def count(self, account_guid: str) -> int:
        return len(self._by_account.get(account_guid, {}))

    def of_accounts(self, account_guids: Iterable[str]) -> list[Transaction]:
        """Every transaction of these accounts, in no particular order."""
        return [t for guid in account_guids for t in self._by_account.get(guid, {}).values()]

    def window(self, scope: tuple[str, str], account_guids: list[str], from_day: int, to_day: int,
               keep: Callable[[Transaction], bool] | None = None) -> Sequence[Transaction]:
        """Newest first between two days. Without `keep` this is a view over the sorted scope (no
        copy), so a page of a 100k-transaction user is a slice."""
        items, days = self._view(scope, account_guids)
        lo, hi = bisect.bisect_left(days, from_day), bisect.bisect_right(days, to_day)
        if keep is None:
            return NewestFirst(items, lo, hi)
        window = [t for t in items[lo:hi] if keep(t)]
        window.reverse()
        return window

    def _view(self, scope: tuple[str, str], account_guids: list[str]) -> tuple[list[Transaction], list[int]]:
        cached = self._views.get(scope)
        if cached and cached[0] == self.revision:
            return cached[1], cached[2]
        items = self.of_accounts(account_guids)
        items.sort(key=lambda t: (t.day, t.transacted_at, t.guid))
        days = [t.day for t in items]
        if len(self._views) >= MAX_VIEWS:
            self._views.clear()
        self._views[scope] = (self.revision, items, days)
        return items, days


def owned(txn: Transaction | None, user_guid: str, account_guid: str | None, member_guid: str | None) -> Transaction:
    """`txn` if it is the user's (and in the given account or member), else NotFound."""
    if txn is None or txn.user_guid != user_guid:
        raise NotFound()
    if (account_guid and txn.account_guid != account_guid) or (member_guid and txn.member_guid != member_guid):
        raise NotFound()
    return txn
