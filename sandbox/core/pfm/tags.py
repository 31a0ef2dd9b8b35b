"""Tags (a user's labels) and taggings (one tag on one transaction).

Deleting a tag deletes its taggings; a tagging whose transaction is gone (a deleted member or manual
transaction) is dropped by `prune`, which the lifecycle calls after such deletes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import BadRequest
from ..ids import GuidFactory
from .fields import check_room, owned, text

MAX_TAGS = 500  # per user
MAX_TAGGINGS = 20_000  # per user


@dataclass
class Tag:
    guid: str
    user_guid: str
    name: str


@dataclass
class Tagging:
    guid: str
    user_guid: str
    tag_guid: str
    transaction_guid: str
    member_is_managed_by_user: bool = False


class TagStore:
    def __init__(self, guids: GuidFactory) -> None:
        self.guids = guids
        self._tags: dict[str, dict[str, Tag]] = {}  # user guid → guid → tag
        self._taggings: dict[str, dict[str, Tagging]] = {}  # user guid → guid → tagging

    # -- tags ------------------------------------------------------------------------------
    def tags(self, user_guid: str) -> list[Tag]:
        return list(self._tags.get(user_guid, {}).values())

    def tag(self, user_guid: str, guid: str) -> Tag:
        return owned(self._tags, user_guid, guid)

    def create_tag(self, user_guid: str, fields: dict[str, Any]) -> Tag:
        name = str(text(fields, "name", required=True))
        mine = self._tags.setdefault(user_guid, {})
        check_room(len(mine), MAX_TAGS, "tags")
        tag = Tag(self.guids.new("TAG"), user_guid, name)
        mine[tag.guid] = tag
        return tag

    def update_tag(self, tag: Tag, fields: dict[str, Any]) -> Tag:
        tag.name = str(text(fields, "name", required=True))
        return tag

    def delete_tag(self, tag: Tag) -> None:
        self._tags.get(tag.user_guid, {}).pop(tag.guid, None)
        mine = self._taggings.get(tag.user_guid, {})
        for guid in [g for g, t in mine.items() if t.tag_guid == tag.guid]:
            del mine[guid]

    # -- taggings --------------------------------------------------------------------------
    def taggings(self, user_guid: str) -> list[Tagging]:
        return list(self._taggings.get(user_guid, {}).values())

    def tagging(self, user_guid: str, guid: str) -> Tagging:
        return owned(self._taggings, user_guid, guid)

    def _tag_guid(self, user_guid: str, fields: dict[str, Any]) -> str:
        guid = str(text(fields, "tag_guid", required=True))
        if guid not in self._tags.get(user_guid, {}):
            raise BadRequest("tag_guid does not match one of the user's tags.")
        return guid

    def create_tagging(self, user_guid: str, fields: dict[str, Any], transaction: Callable[[str], Any]) -> Tagging:
        """`transaction(guid)` reads the user's transaction (404 when it is not theirs)."""
        tag_guid = self._tag_guid(user_guid, fields)
        txn = transaction(str(text(fields, "transaction_guid", required=True)))
        mine = self._taggings.setdefault(user_guid, {})
        existing = next((t for t in mine.values() if t.tag_guid == tag_guid and t.transaction_guid == txn.guid), None)
        if existing is not None:
            return existing  # one tag is on a transaction once
        check_room(len(mine), MAX_TAGGINGS, "taggings")
        tagging = Tagging(self.guids.new("TGN"), user_guid, tag_guid, txn.guid, bool(txn.is_manual))
        mine[tagging.guid] = tagging
        return tagging

    def update_tagging(self, tagging: Tagging, fields: dict[str, Any]) -> Tagging:
        tagging.tag_guid = self._tag_guid(tagging.user_guid, fields)
        return tagging

    def delete_tagging(self, tagging: Tagging) -> None:
        self._taggings.get(tagging.user_guid, {}).pop(tagging.guid, None)

    def transaction_guids(self, user_guid: str, tag_guid: str) -> set[str]:
        return {t.transaction_guid for t in self._taggings.get(user_guid, {}).values() if t.tag_guid == tag_guid}

    # -- cascades --------------------------------------------------------------------------
    def prune(self, user_guid: str, exists: Callable[[str], bool]) -> None:
        mine = self._taggings.get(user_guid, {})
        for guid in [g for g, t in mine.items() if not exists(t.transaction_guid)]:
            del mine[guid]

    def drop_user(self, user_guid: str) -> None:
        self._tags.pop(user_guid, None)
        self._taggings.pop(user_guid, None)
