"""Managed data: members, accounts and transactions the partner creates, updates and deletes itself.

A managed member is an ordinary member (`is_managed`) in the members part, so it shows in
`listMembers`, member paths and cascades; it is CONNECTED from the start and never aggregated (job
requests are a 400). Its accounts and transactions live in the data part like aggregated ones, so
user-level lists show them. Deleting goes through `Lifecycle.delete_member`, like any member.
"""
from __future__ import annotations

from typing import Any

from .clock import VirtualClock
from .data.managed_records import (
    apply_transaction_update, new_account, new_transaction, transaction_values, update_account,
)
from .data.model import Account, Transaction
from .data.store import DataStore
from .errors import BadRequest, Conflict, NotFound
from .ids import GuidFactory
from .institutions import Catalog, Institution
from .members.model import Member
from .members.store import MemberStore

MANAGED_STATUS = "CONNECTED"  # UNCONFIRMED: what int-api shows for a partner-managed member
MAX_MANAGED_MEMBERS = 100  # per user
MAX_MANAGED_ACCOUNTS = 200  # per managed member
MAX_MANAGED_TRANSACTIONS = 100_000  # per managed account
MEMBER_TEXT = ("id", "metadata", "name")


def _member_text(fields: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for name in MEMBER_TEXT:
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"{name} must be a string.")
            values[name] = value
    return values


class ManagedData:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, catalog: Catalog, members: MemberStore,
                 data: DataStore) -> None:
        self.clock = clock
        self.guids = guids
        self.catalog = catalog
        self.members = members
        self.data = data

    def institutions(self) -> list[Institution]:
        """Every catalog institution can hold managed members (UNCONFIRMED: MX lists a client's own)."""
        return self.catalog.all()

    # -- members -------------------------------------------------------------------------------
    def create_member(self, user_guid: str, fields: dict[str, Any]) -> Member:
        code = fields.get("institution_code")
        if not isinstance(code, str) or not code:
            raise BadRequest("institution_code is required.")
        values = _member_text(fields)
        institution = self.catalog.get(code)
        mine = self.members.list(user_guid)
        if values.get("id") and any(m.id == values["id"] for m in mine):
            raise Conflict("A member with this id already exists for this user.")
        if sum(m.is_managed for m in mine) >= MAX_MANAGED_MEMBERS:
            raise BadRequest(f"A user may have at most {MAX_MANAGED_MEMBERS} managed members.")
        member = Member(
            guid=self.guids.new("MBR"), user_guid=user_guid, institution=institution, created_at=self.clock.now(),
            id=values.get("id"), metadata=values.get("metadata"), custom_name=values.get("name") or None,
            products=frozenset(), is_managed=True, is_authenticated=True,
        )
        return self.members.add_managed(member, MANAGED_STATUS)

    def members_of(self, user_guid: str) -> list[Member]:
        return sorted((m for m in self.members.list(user_guid) if m.is_managed), key=lambda m: m.created_at)

    def member(self, user_guid: str, guid: str) -> Member:
        member = self.members.get(user_guid, guid, allow_partner_id=False)
        if not member.is_managed:
            raise NotFound()
        return member

    def update_member(self, member: Member, fields: dict[str, Any]) -> Member:
        values = _member_text(fields)
        new_id = values.get("id")
        if new_id and new_id != member.id and any(m.id == new_id for m in self.members.list(member.user_guid)):
            raise Conflict("A member with this id already exists for this user.")
        if "id" in values:
            member.id = new_id
        if "metadata" in values:
            member.metadata = values["metadata"]
        if "name" in values:
            member.custom_name = values["name"] or None
        return member

    # -- accounts ------------------------------------------------------------------------------
    def accounts(self, member: Member) -> list[Account]:
        return self.data.accounts(member.user_guid, member.guid)

    def account(self, member: Member, guid: str) -> Account:
        return self.data.account(member.user_guid, guid, member.guid)

    def create_account(self, member: Member, fields: dict[str, Any]) -> Account:
        mine = self.accounts(member)
        if len(mine) >= MAX_MANAGED_ACCOUNTS:
            raise BadRequest(f"A managed member may have at most {MAX_MANAGED_ACCOUNTS} accounts.")
        account = new_account(self.guids.new("ACT"), member.user_guid, member, fields, self.clock.now())
        if any(a.id == account.id for a in mine):
            raise Conflict("An account with this id already exists for this member.")
        return self.data.add_account(account)

    def update_account(self, account: Account, fields: dict[str, Any]) -> Account:
        new_id = fields.get("id")
        if isinstance(new_id, str) and new_id != account.id and any(
            a.id == new_id for a in self.data.accounts(account.user_guid, account.member_guid)
        ):
            raise Conflict("An account with this id already exists for this member.")
        update_account(account, fields, self.clock.now())
        return account

    # -- transactions --------------------------------------------------------------------------
    def transaction(self, account: Account, guid: str) -> Transaction:
        return self.data.transaction(account.user_guid, guid, account.guid, account.member_guid)

    def create_transaction(self, account: Account, fields: dict[str, Any]) -> Transaction:
        if self.data.transaction_count(account.guid) >= MAX_MANAGED_TRANSACTIONS:
            raise BadRequest(f"A managed account may have at most {MAX_MANAGED_TRANSACTIONS} transactions.")
        return self.data.add_transaction(new_transaction(self.guids.new("TRN"), account, fields, self.clock.now()))

    def update_transaction(self, txn: Transaction, fields: dict[str, Any]) -> Transaction:
        apply_transaction_update(txn, transaction_values(fields), self.clock.now())
        self.data.touch()  # dates may have moved: cached views are stale
        return txn
