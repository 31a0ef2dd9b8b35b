"""What money management reads off a user's activity: splits, repeating series, insights, notifications.

Series, insights and MX's own notifications are derived from the stored data, once per user per
data revision and day (`_derived`, at most `MAX_CACHED` users), so a page of insights costs one scan
of the user's transactions only after something changed.
"""
from __future__ import annotations

from typing import Any, Callable

from ..clock import VirtualClock
from ..data.generation import day_of
from ..data.model import Transaction
from ..data.store import DataStore
from ..errors import NotFound
from ..ids import GuidFactory
from .categories import CategoryStore
from .enhance import Enhancer
from .insights import Insight, InsightStore, derive
from .notifications import Notification, NotificationStore, about_transaction
from .repeating import RepeatingTransaction, detect
from .splits import Splitter

MAX_CACHED = 64  # users whose derived views are kept


class ActivityPart:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, data: DataStore, categories: CategoryStore) -> None:
        self.clock = clock
        self.data = data
        self.defaults = categories.defaults
        self.splitter = Splitter(guids, data, categories)
        self._enhancer: Enhancer | None = None
        self.insights = InsightStore()
        self.notifications = NotificationStore(guids)
        self._cache: dict[str, tuple[tuple[int, int], list[RepeatingTransaction], list[Notification]]] = {}

    def _derived(self, user_guid: str) -> tuple[list[RepeatingTransaction], list[Notification]]:
        now = self.clock.now()
        stamp = (self.data.revision, day_of(now))
        cached = self._cache.get(user_guid)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        txns = self.data.all_transactions(user_guid)
        series = detect(user_guid, txns)
        proposed = derive(user_guid, txns, self.data.accounts(user_guid), series, now)
        self.insights.merge(user_guid, proposed, self._alive(user_guid))
        by_guid = {t.guid: t for t in txns}
        notes = [about_transaction(user_guid, "TRANSACTION_FEE_CHARGE", t) for t in txns
                 if "is_fee" in t.flags and t.parent_guid is None]
        notes += [about_transaction(user_guid, "TRANSACTION_EXPENSE_LARGE", by_guid[i.transaction_guids[0]])
                  for i in self.insights.list(user_guid) if i.template == "LargePurchase" and i.transaction_guids[0] in by_guid]
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[user_guid] = (stamp, series, notes)
        return series, notes

    def _alive(self, user_guid: str) -> Callable[[Insight], bool]:
        accounts = {a.guid for a in self.data.accounts(user_guid)}

        def alive(insight: Insight) -> bool:
            return (all(a in accounts for a in insight.account_guids)
                    and all(self.data.has_transaction(t) for t in insight.transaction_guids))

        return alive

    @property
    def enhancer(self) -> Enhancer:
        if self._enhancer is None:
            self._enhancer = Enhancer(self.data.profiles.values(), self.defaults)
        return self._enhancer

    # -- splits ----------------------------------------------------------------------------------
    def split(self, parent: Transaction, body: Any) -> list[Transaction]:
        return self.splitter.split(parent, body, self.clock.now())

    def unsplit(self, parent: Transaction) -> None:
        self.splitter.unsplit(parent, self.clock.now())

    # -- repeating -------------------------------------------------------------------------------
    def repeating(self, user_guid: str) -> list[RepeatingTransaction]:
        return self._derived(user_guid)[0]

    def repeating_one(self, user_guid: str, guid: str) -> RepeatingTransaction:
        found = next((s for s in self.repeating(user_guid) if s.guid == guid), None)
        if found is None:
            raise NotFound()
        return found

    # -- insights --------------------------------------------------------------------------------
    def insight_list(self, user_guid: str) -> list[Insight]:
        self._derived(user_guid)
        return self.insights.list(user_guid)

    def insight(self, user_guid: str, guid: str) -> Insight:
        self._derived(user_guid)
        return self.insights.get(user_guid, guid)

    def update_insight(self, insight: Insight, fields: dict[str, Any]) -> Insight:
        return self.insights.update(insight, fields, self.clock.now())

    # -- notifications ---------------------------------------------------------------------------
    def notification_list(self, user_guid: str, keep=None) -> list[Notification]:
        return self.notifications.list(user_guid, self._derived(user_guid)[1], keep)

    def notification(self, user_guid: str, guid: str) -> Notification:
        return self.notifications.get(user_guid, guid, self._derived(user_guid)[1])

    def create_notification(self, user_guid: str, fields: dict[str, Any]) -> Notification:
        return self.notifications.create(user_guid, fields, self.clock.now())

    # -- cascades --------------------------------------------------------------------------------
    def prune(self, user_guid: str) -> None:
        """After a member's or a transaction's delete: insights naming what is gone go too."""
        self._cache.pop(user_guid, None)
        self.insights.merge(user_guid, None, self._alive(user_guid))

    def drop_user(self, user_guid: str) -> None:
        self._cache.pop(user_guid, None)
        self.insights.drop_user(user_guid)
        self.notifications.drop_user(user_guid)
