"""Keeping stored transactions and balances in step with the generated history.

An account's balance is drawn once, at its first aggregation (the anchor). From then on the
balance moves by exactly the transactions that post after the anchor, so balances always agree
with transactions. History before the anchor (the first ~90 days, or the 24 months that
`extend_history` adds) explains how the account reached its anchor balance.
"""
from __future__ import annotations

from dataclasses import dataclass

from .generation import DAY, MemberGenerator, day_of, effect
from .model import Account, Transaction
from .profiles import AccountTemplate

PULL = "pull"  # store new transactions and move the balance (aggregate and friends)
BALANCE = "balance"  # move the balance only; transactions stay for the next pull (check_balance)
SKIP = "skip"  # the member never asked for transactions: move the balance, store nothing


def initial_history(gen: MemberGenerator, account: Account, template: AccountTemplate, at: float) -> list[Transaction]:
    """What the first aggregation finds: the profile's history window up to `at`."""
    found = gen.transactions_between(account, template, account.history_from_day, day_of(at))
    return _stamp([t for t in found if t.posted_at <= at], at)


def refresh(gen: MemberGenerator, account: Account, template: AccountTemplate, at: float, mode: str) -> list[Transaction]:
    """Bring `account` up to `at`; returns the transactions to store (none unless `mode` is PULL).

    After a long gap (a clock jump) the bank returns at most the profile's history window, as on a
    first aggregation: older days are skipped, neither stored nor moving the balance. This bounds
    the work and the data one jump can add.
    """
    since = min(account.balance_as_of, account.pulled_until)
    if at <= since:
        return []
    oldest = float((day_of(at) - gen.profile.history_days + 1) * DAY)
    if since < oldest:
        account.balance_as_of = max(account.balance_as_of, oldest)
        account.pulled_until = max(account.pulled_until, oldest)
        since = min(account.balance_as_of, account.pulled_until)
    new: list[Transaction] = []
    for txn in gen.transactions_between(account, template, day_of(since), day_of(at)):
        if txn.posted_at > at:
            continue
        if txn.posted_at > account.balance_as_of:
            account.balance += effect(account, txn)
        if mode == PULL and txn.posted_at > account.pulled_until:
            new.append(txn)
    account.balance_as_of = at
    account.updated_at = at
    if mode != BALANCE:
        account.pulled_until = at
    if mode == PULL:
        account.imported_at = at
    return _stamp(new, at)


def extend_history(gen: MemberGenerator, account: Account, template: AccountTemplate, at: float) -> list[Transaction]:
    """Older transactions back to the profile's extended window (MX: up to 24 months)."""
    target = day_of(at) - gen.profile.extended_history_days + 1
    if target >= account.history_from_day:
        return []
    found = gen.transactions_between(account, template, target, account.history_from_day - 1)
    account.history_from_day = target
    return _stamp(found, at)


@dataclass(frozen=True)
class Period:
    first_day: int
    last_day: int
    opening: int  # cents
    closing: int
    transactions: tuple[Transaction, ...]


def periods(gen: MemberGenerator, account: Account, template: AccountTemplate, bounds: list[tuple[int, int]]) -> list[Period]:
    """Statement periods with opening/closing balances derived backwards from the current balance."""
    if not bounds:
        return []
    first = min(b[0] for b in bounds)
    history = [
        t for t in gen.transactions_between(account, template, first, day_of(account.balance_as_of))
        if t.posted_at <= account.balance_as_of
    ]

    def balance_at(moment: float) -> int:
        return account.balance - sum(effect(account, t) for t in history if t.posted_at > moment)

    return [
        Period(
            first_day,
            last_day,
            balance_at(first_day * DAY),
            balance_at((last_day + 1) * DAY),
            tuple(t for t in history if first_day <= t.day <= last_day),
        )
        for first_day, last_day in bounds
    ]


def _stamp(transactions: list[Transaction], at: float) -> list[Transaction]:
    for txn in transactions:
        txn.created_at = txn.updated_at = at
    return transactions
