"""The tenant's money-management part: categories, tags and taggings, rules, and what ties them to data.

It subscribes to `JobCompleted` so the user's rules recategorise the transactions each aggregation
brings, as MX does; deletes that span parts (a category in use, a member, a user) go through here
and the lifecycle.
"""
from __future__ import annotations

from typing import Any

from ..clock import VirtualClock
from ..data.model import Transaction
from ..data.store import DataStore
from ..events import DomainEvent, EventBus, JobCompleted
from ..ids import GuidFactory
from .activity import ActivityPart
from .categories import Category, CategoryStore, DefaultCategories
from .edits import recategorise, update_transaction
from .merchants import MerchantDirectory
from .planning import Planning
from .rules import RuleStore, TransactionRule
from .tags import TagStore


class PfmComponent:
    def __init__(self, clock: VirtualClock, bus: EventBus, guids: GuidFactory, data: DataStore,
                 defaults: DefaultCategories, merchants: MerchantDirectory) -> None:
        self.clock = clock
        self.data = data
        self.merchants = merchants
        self.categories = CategoryStore(clock, guids, defaults)
        self.tags = TagStore(guids)
        self.rules = RuleStore(clock, guids, self.categories)
        self.planning = Planning(clock, guids, data, self.categories)  # budgets, goals, plans, cash flow
        self.activity = ActivityPart(clock, guids, data, self.categories)
        bus.subscribe(self._on_event, JobCompleted)

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, JobCompleted) and event.counts.get("transactions_created_count"):
            if self.rules.apply(event.user_guid, self.data.all_transactions(event.user_guid, event.member_guid)):
                self.data.touch()

    # -- transactions --------------------------------------------------------------------------
    def update_transaction(self, txn: Transaction, fields: dict[str, Any], require_description: bool) -> Transaction:
        update_transaction(txn, fields, self.categories, self.clock.now(), require_description)
        self.data.touch()
        return txn

    def tagged_transactions(self, user_guid: str, tag_guid: str, found: list[Transaction]) -> list[Transaction]:
        self.tags.tag(user_guid, tag_guid)
        wanted = self.tags.transaction_guids(user_guid, tag_guid)
        return [t for t in found if t.guid in wanted]

    # -- rules ---------------------------------------------------------------------------------
    def create_rule(self, user_guid: str, fields: dict[str, Any]) -> TransactionRule:
        rule = self.rules.create(user_guid, fields)
        self._apply(user_guid, rule)
        return rule

    def update_rule(self, rule: TransactionRule, fields: dict[str, Any]) -> TransactionRule:
        self.rules.update(rule, fields)
        self._apply(rule.user_guid, rule)
        return rule

    def _apply(self, user_guid: str, rule: TransactionRule) -> None:
        if self.rules.apply(user_guid, self.data.all_transactions(user_guid), only=rule):
            self.data.touch()

    # -- categories ----------------------------------------------------------------------------
    def delete_category(self, category: Category) -> None:
        """A custom category's transactions go back to its top-level category; its rules go."""
        user_guid = category.user_guid or ""
        top = self.categories.get(user_guid, category.top_level_guid)
        now = self.clock.now()
        for txn in self.data.all_transactions(user_guid):
            if txn.category_guid == category.guid:
                recategorise(txn, top, top, now)
        self.rules.drop_category(user_guid, category.guid)
        self.planning.drop_category(user_guid, category.guid)
        self.categories.delete(category)
        self.data.touch()

    # -- cascades (called by the lifecycle) -----------------------------------------------------
    def prune(self, user_guid: str) -> None:
        self.tags.prune(user_guid, self.data.has_transaction)
        self.planning.prune(user_guid)  # goals on the gone accounts
        self.activity.prune(user_guid)

    def drop_user(self, user_guid: str) -> None:
        self.tags.drop_user(user_guid)
        self.rules.drop_user(user_guid)
        self.categories.drop_user(user_guid)
        self.planning.drop_user(user_guid)
        self.activity.drop_user(user_guid)
