"""The tenant's data part: what aggregation produced, indexed for MX's read endpoints.

The job runner calls `produce` when a job succeeds; which records appear depends on the job type
(members/job_types.py) and on the products the member asked for (MX's step-8 table). Nothing is
invented before its job has run: lists are simply empty.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Callable, Iterable, Sequence

from ..errors import BadRequest, NotFound
from ..clock import VirtualClock
from ..ids import GuidFactory, stable_uuid
from ..members.job_types import JobType
from ..members.model import Member
from .generation import MemberGenerator, date_day, day_date, day_of
from .ledger import BALANCE, PULL, SKIP, extend_history, initial_history, periods, refresh
from .manual import apply_account_update, new_manual_account, new_manual_transaction, update_values
from .model import DEPOSIT_TYPES, Account, AccountNumber, AccountOwner, Holding, Reward, Statement, Transaction
from .profiles import AccountTemplate, Profile, load_profiles
from .queries import TransactionQuery
from .statements_pdf import render_statement
from .ledger_index import TransactionLedger, owned

TRANSACTION_PRODUCTS = frozenset({"transactions", "transaction_history"})


def _statement_bounds(at: float, months: int) -> list[tuple[int, int]]:
    """The last `months` complete calendar months before `at`, oldest first."""
    bounds = []
    end = day_date(day_of(at)).replace(day=1) - timedelta(days=1)
    for _ in range(months):
        start = end.replace(day=1)
        bounds.append((date_day(start), date_day(end)))
        end = start - timedelta(days=1)
    return bounds[::-1]


class DataStore:
    def __init__(self, seed: int, client_id: str, clock: VirtualClock, guids: GuidFactory,
                 profiles: dict[str, Profile] | None = None) -> None:
        self._seed = seed
        self._client_id = client_id
        self._clock = clock
        self._guids = guids
        self._profiles = profiles if profiles is not None else load_profiles()
        self._accounts: dict[str, Account] = {}
        self.ledger = TransactionLedger()  # the transactions themselves, and their sorted views
        self._numbers: dict[str, AccountNumber] = {}  # by account guid
        self._owners: dict[str, list[AccountOwner]] = {}  # by account guid
        self._statements: dict[str, Statement] = {}
        self._holdings: dict[str, Holding] = {}
        self._rewards: dict[str, Reward] = {}
        self._generators: dict[str, MemberGenerator] = {}
        self._merged: dict[str, str] = {}  # aggregated account guid merged away → its member guid
        self._holdings_off: set[str] = set()  # users deactivated from investment holdings

    # -- what a completed job stores -----------------------------------------------------------
    def produce(self, member: Member, job: JobType, at: float, include_transactions: bool = True,
                include_holdings: bool = True) -> dict[str, int]:
        gen = self._generator(member)
        pairs, created = self._ensure_accounts(member, gen, at)
        wants_transactions = bool(TRANSACTION_PRODUCTS & member.products)
        if job.extends_history:
            for account, template in pairs:
                created += self._store(extend_history(gen, account, template, at))
        # include_transactions=false (v1) works like a balance check: what it skips, the next pull gets
        mode = SKIP if not wants_transactions else BALANCE if job.balance_only or not include_transactions else PULL
        for account, template in pairs:
            created += self._store(refresh(gen, account, template, at, mode))
        if include_holdings and member.user_guid not in self._holdings_off and "investments" in member.products and member.institution.supports("investments"):
            self._refresh_holdings(gen, pairs, at)
        counts = {"transactions_created_count": created, "transactions_updated_count": 0}
        if job.produces == "account_numbers":
            for account, _ in pairs:
                if account.type in DEPOSIT_TYPES:
                    self._numbers.setdefault(account.guid, gen.account_number(account))
        elif job.produces == "owners":
            for account, template in pairs:
                if template.owners and account.guid not in self._owners:
                    self._owners[account.guid] = gen.owners(account, template)
        elif job.produces == "statements":
            counts["statements_created_count"] = self._make_statements(member, gen, pairs, at)
        elif job.produces == "rewards":
            self._refresh_rewards(gen, pairs, at)
        return counts

    def drop_member(self, member_guid: str) -> None:
        self._drop(lambda a: a.member_guid == member_guid)
        self._generators.pop(member_guid, None)
        for guid in [g for g, owner in self._merged.items() if owner == member_guid]:
            del self._merged[guid]

    def drop_user(self, user_guid: str) -> None:
        self._drop(lambda a: a.user_guid == user_guid)
        self._holdings_off.discard(user_guid)

    # -- investment holdings billing (deactivateUser) --------------------------------------------
    def set_holdings_active(self, user_guid: str, active: bool) -> None:
        """Deactivated users' jobs stop refreshing holdings until any holdings read reactivates them."""
        if active:
            self._holdings_off.discard(user_guid)
        else:
            self._holdings_off.add(user_guid)

    def holdings_active(self, user_guid: str) -> bool:
        return user_guid not in self._holdings_off

    # -- generation plumbing ------------------------------------------------------------------
    def _generator(self, member: Member) -> MemberGenerator:
        gen = self._generators.get(member.guid)
        if gen is None:
            profile = self._profiles.get(member.institution.profile)
            if profile is None:
                raise ValueError(f"institution {member.institution.code} names unknown profile {member.institution.profile!r}")
            gen = MemberGenerator(self._seed, member.guid, member.user_guid, member.institution, profile)
            self._generators[member.guid] = gen
        return gen

    def _ensure_accounts(
        self, member: Member, gen: MemberGenerator, at: float
    ) -> tuple[list[tuple[Account, AccountTemplate]], int]:
        """The member's accounts, created (with their first history) on the first job."""
        pairs, created = [], 0
        for template in gen.templates():
            if gen.guid("ACT", template.key) in self._merged:
                continue  # merged into another account: aggregation does not bring it back
            account = self._accounts.get(gen.guid("ACT", template.key))
            if account is None:
                account = gen.account(template, at)
                self._accounts[account.guid] = account
                self.ledger.open(account.guid)
                if TRANSACTION_PRODUCTS & member.products:
                    created += self._store(initial_history(gen, account, template, at))
            pairs.append((account, template))
        return pairs, created

    def _store(self, transactions: Iterable[Transaction]) -> int:
        return self.ledger.store(transactions)

    def _refresh_holdings(self, gen: MemberGenerator, pairs: list[tuple[Account, AccountTemplate]], at: float) -> None:
        for account, template in pairs:
            for fresh in gen.holdings(account, template, at) if template.holdings else []:
                known = self._holdings.get(fresh.guid)
                if known is None:
                    self._holdings[fresh.guid] = fresh
                else:
                    known.quantity, known.updated_at = fresh.quantity, at

    def _refresh_rewards(self, gen: MemberGenerator, pairs: list[tuple[Account, AccountTemplate]], at: float) -> None:
        by_key = {template.key: account for account, template in pairs}
        for index, spec in enumerate(gen.profile.rewards):
            account = by_key.get(spec.account)
            if account is None:
                continue
            known = self._rewards.get(gen.guid("RWD", index))
            if known is None:
                reward = gen.reward(spec, index, account, at)
                self._rewards[reward.guid] = reward
            else:
                known.updated_at = at

    def _make_statements(self, member: Member, gen: MemberGenerator, pairs: list[tuple[Account, AccountTemplate]], at: float) -> int:
        created = 0
        bounds = _statement_bounds(at, gen.profile.statement_months)
        for account, template in pairs:
            if not template.statements:
                continue
            missing = [b for b in bounds if gen.guid("STA", account.key, b[0]) not in self._statements]
            for period in periods(gen, account, template, missing):
                pdf = render_statement(member.institution.name, account, period, at)
                statement = Statement(
                    guid=gen.guid("STA", account.key, period.first_day),
                    account_guid=account.guid,
                    member_guid=member.guid,
                    user_guid=member.user_guid,
                    period_start=period.first_day,
                    period_end=period.last_day,
                    created_at=at,
                    pdf=pdf,
                    content_hash=hashlib.sha256(pdf).hexdigest(),
                )
                self._statements[statement.guid] = statement
                created += 1
        return created

    def _drop(self, doomed: Callable[[Account], bool]) -> None:
        gone = {guid for guid, account in self._accounts.items() if doomed(account)}
        if not gone:
            return
        for guid in gone:
            del self._accounts[guid]
            self._numbers.pop(guid, None)
            self._owners.pop(guid, None)
        for table in (self._statements, self._holdings, self._rewards):
            for key in [k for k, v in table.items() if v.account_guid in gone]:
                del table[key]
        self.ledger.close(gone)

    # -- accounts -----------------------------------------------------------------------------
    def accounts(self, user_guid: str, member_guid: str | None = None) -> list[Account]:
        return [
            a for a in self._accounts.values()
            if a.user_guid == user_guid and (member_guid is None or a.member_guid == member_guid)
        ]

    def account(self, user_guid: str, identifier: str, member_guid: str | None = None, allow_id: bool = False) -> Account:
        found = self._accounts.get(identifier)
        if found is None and allow_id:
            found = next((a for a in self.accounts(user_guid, member_guid) if a.id == identifier), None)
        if found is None or found.user_guid != user_guid or (member_guid and found.member_guid != member_guid):
            raise NotFound()
        return found

    def update_account(self, account: Account, fields: dict[str, Any]) -> Account:
        apply_account_update(account, update_values(account, fields), self._clock.now())
        return account

    def manual_member_guid(self, user_guid: str) -> str:
        """The user's "Manual Institution" member, which holds every manual account."""
        return f"MBR-{stable_uuid(self._seed, self._client_id, user_guid, 'manual')}"

    def create_manual_account(self, user_guid: str, fields: dict[str, Any]) -> Account:
        guid = self._guids.new("ACT")
        account = new_manual_account(guid, user_guid, self.manual_member_guid(user_guid), fields, self._clock.now())
        self._accounts[guid] = account
        self.ledger.open(guid)
        return account

    def delete_manual_account(self, user_guid: str, account_guid: str) -> None:
        account = self.account(user_guid, account_guid)
        if not account.is_manual:
            raise BadRequest("Only manual accounts can be deleted.")
        self.drop_account(account)

    def add_account(self, account: Account) -> Account:
        """An account built elsewhere (managed data), stored and listed like any other."""
        self._accounts[account.guid] = account
        self.ledger.open(account.guid)
        return account

    def drop_account(self, account: Account) -> None:
        self._drop(lambda a: a.guid == account.guid)

    def drop_merged(self, account: Account) -> None:
        """Drop an account merged into another; aggregation never brings an aggregated one back."""
        if not (account.is_manual or account.is_managed):
            self._merged[account.guid] = account.member_guid
        self.drop_account(account)

    # -- transactions -------------------------------------------------------------------------
    def transaction_window(
        self, user_guid: str, query: TransactionQuery, member_guid: str | None = None, account_guid: str | None = None
    ) -> Sequence[Transaction]:
        """Newest first, within the query's date window and filters (see TransactionLedger.window)."""
        if account_guid:
            scope, accounts = ("account", account_guid), [self.account(user_guid, account_guid, member_guid)]
        elif member_guid:
            scope, accounts = ("member", member_guid), self.accounts(user_guid, member_guid)
        else:
            scope, accounts = ("user", user_guid), self.accounts(user_guid)
        return self.ledger.window(scope, [a.guid for a in accounts], query.from_day, query.to_day, query.extra_filter())

    def transactions(
        self, user_guid: str, query: TransactionQuery, member_guid: str | None = None, account_guid: str | None = None
    ) -> list[Transaction]:
        """`transaction_window` as a list of its own."""
        return list(self.transaction_window(user_guid, query, member_guid, account_guid))

    def transaction(self, user_guid: str, guid: str, account_guid: str | None = None, member_guid: str | None = None) -> Transaction:
        return owned(self.ledger.get(guid), user_guid, account_guid, member_guid)

    def all_transactions(self, user_guid: str, member_guid: str | None = None) -> list[Transaction]:
        """Every stored transaction of the user (or one member), in no particular order."""
        return self.ledger.of_accounts(a.guid for a in self.accounts(user_guid, member_guid))

    def has_transaction(self, guid: str) -> bool:
        return guid in self.ledger

    @property
    def profiles(self) -> dict[str, Profile]:
        return self._profiles

    @property
    def revision(self) -> int:
        """Changes whenever stored transactions do: derived views (insights, repeating) key on it."""
        return self.ledger.revision

    def add_derived(self, transactions: list[Transaction]) -> None:
        """Transactions made from stored ones (split children): stored and listed like the rest."""
        self._store(transactions)

    def remove_derived(self, guids: Iterable[str]) -> None:
        self.ledger.remove(guids)

    def touch(self) -> None:
        """Transactions were edited in place (category, description...): cached views are stale."""
        self.ledger.changed()

    def create_manual_transaction(self, user_guid: str, account_guid: str, fields: dict[str, Any]) -> Transaction:
        account = self.account(user_guid, account_guid)
        if not account.is_manual:
            raise BadRequest("Manual transactions can only be created on manual accounts.")
        txn = new_manual_transaction(self._guids.new("MAN"), account, fields, self._clock.now())
        self._store([txn])
        return txn

    def transaction_count(self, account_guid: str) -> int:
        return self.ledger.count(account_guid)

    def add_transaction(self, txn: Transaction) -> Transaction:
        self._store([txn])
        return txn

    def delete_manual_transaction(self, user_guid: str, guid: str) -> None:
        txn = self.transaction(user_guid, guid)
        if not txn.is_manual:
            raise BadRequest("Only manual transactions can be deleted.")
        self.drop_transaction(txn)

    def drop_transaction(self, txn: Transaction) -> None:
        self.ledger.remove([txn.guid])

    # -- premium data -------------------------------------------------------------------------
    def account_numbers(self, user_guid: str, member_guid: str | None = None, account_guid: str | None = None) -> list[AccountNumber]:
        accounts = [self.account(user_guid, account_guid)] if account_guid else self.accounts(user_guid, member_guid)
        return [self._numbers[a.guid] for a in accounts if a.guid in self._numbers]

    def account_owners(self, user_guid: str, member_guid: str) -> list[AccountOwner]:
        return [o for a in self.accounts(user_guid, member_guid) for o in self._owners.get(a.guid, [])]

    def statements(self, user_guid: str, member_guid: str) -> list[Statement]:
        found = [s for s in self._statements.values() if s.user_guid == user_guid and s.member_guid == member_guid]
        return sorted(found, key=lambda s: (s.period_start, s.account_guid))

    def statement(self, user_guid: str, member_guid: str, guid: str) -> Statement:
        found = self._statements.get(guid)
        if found is None or found.user_guid != user_guid or found.member_guid != member_guid:
            raise NotFound()
        return found

    def holdings(self, user_guid: str, member_guid: str | None = None, account_guid: str | None = None) -> list[Holding]:
        if account_guid:
            self.account(user_guid, account_guid)
        return [
            h for h in self._holdings.values()
            if h.user_guid == user_guid
            and (member_guid is None or h.member_guid == member_guid)
            and (account_guid is None or h.account_guid == account_guid)
        ]

    def holding(self, user_guid: str, guid: str) -> Holding:
        found = self._holdings.get(guid)
        if found is None or found.user_guid != user_guid:
            raise NotFound()
        return found

    def rewards(self, user_guid: str, member_guid: str) -> list[Reward]:
        return [r for r in self._rewards.values() if r.user_guid == user_guid and r.member_guid == member_guid]

    def reward(self, user_guid: str, member_guid: str, guid: str) -> Reward:
        found = self._rewards.get(guid)
        if found is None or found.user_guid != user_guid or found.member_guid != member_guid:
            raise NotFound()
        return found
