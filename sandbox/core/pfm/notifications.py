"""Notifications: the user's messages, those a partner posts and those MX sends about the data.

A posted notification is MX's `API_NOTIFICATION` on the `PUSH` channel with no entity, delivered
when created. MX's own are derived from the transactions, like insights: every fee is a
`TRANSACTION_FEE_CHARGE` and every large purchase insight a `TRANSACTION_EXPENSE_LARGE`, both on
`EMAIL`, with the transaction as `deep_link_guid` and the time it posted; they go when it goes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..data.model import Transaction
from ..errors import BadRequest, NotFound
from ..ids import GuidFactory, stable_uuid
from .fields import check_room, text
from .insights import dollars

MAX_POSTED = 1_000  # notifications a partner may post per user
MAX_SUBJECT = 255


@dataclass(frozen=True)
class Notification:
    guid: str
    user_guid: str
    notification_type: str
    channel: str
    subject: str
    content: str
    created_at: float
    deep_link_guid: str | None = None
    entity_guid: str | None = None


def about_transaction(user_guid: str, kind: str, txn: Transaction) -> Notification:
    subject = {"TRANSACTION_FEE_CHARGE": "Fee charged", "TRANSACTION_EXPENSE_LARGE": "Large purchase"}[kind]
    return Notification(
        f"NTF-{stable_uuid(user_guid, kind, txn.guid)}", user_guid, kind, "EMAIL", subject,
        f"{txn.description}: {dollars(txn.amount)}", txn.posted_at, deep_link_guid=txn.guid, entity_guid=txn.account_guid)


class NotificationStore:
    def __init__(self, guids: GuidFactory) -> None:
        self.guids = guids
        self._posted: dict[str, dict[str, Notification]] = {}  # user guid → guid → notification

    def create(self, user_guid: str, fields: dict[str, Any], now: float) -> Notification:
        content, subject = text(fields, "content", required=True), text(fields, "subject", required=True)
        if len(str(subject)) > MAX_SUBJECT:
            raise BadRequest(f"subject must be at most {MAX_SUBJECT} characters.")
        mine = self._posted.setdefault(user_guid, {})
        check_room(len(mine), MAX_POSTED, "notifications")
        notification = Notification(self.guids.new("NTF"), user_guid, "API_NOTIFICATION", "PUSH", str(subject),
                                    str(content), now)
        mine[notification.guid] = notification
        return notification

    def list(self, user_guid: str, derived: Iterable[Notification],
             keep: Callable[[Notification], bool] | None = None) -> list[Notification]:
        """Posted and derived together, newest first."""
        found = list(self._posted.get(user_guid, {}).values()) + list(derived)
        if keep is not None:
            found = [n for n in found if keep(n)]
        return sorted(found, key=lambda n: (-n.created_at, n.guid))

    def get(self, user_guid: str, guid: str, derived: Iterable[Notification]) -> Notification:
        found = self._posted.get(user_guid, {}).get(guid) or next((n for n in derived if n.guid == guid), None)
        if found is None:
            raise NotFound()
        return found

    def drop_user(self, user_guid: str) -> None:
        self._posted.pop(user_guid, None)
