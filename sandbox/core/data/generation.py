"""Deterministic generation: the same (seed, member guid, profile) always yields the same data.

Every random choice draws from a generator seeded by the seed, the member guid and what is being
drawn (an account key, a day number...), never by call order. So the transactions of a given
account and day are a pure function of those inputs: aggregating twice, later, or after
extending history produces the same records, and re-aggregating only has to ask for new days.
"""
from __future__ import annotations

import functools
import math
import random
from datetime import date, timedelta

from ..ids import stable_uuid
from ..institutions import Institution
from ..pfm.categories import default_categories
from .model import DEPOSIT_TYPES, Account, AccountNumber, AccountOwner, Holding, Reward, Transaction
from .profiles import AccountTemplate, Profile, RewardTemplate, TransactionRule
from .routing_numbers import make_aba

DAY = 86400
EPOCH = date(1970, 1, 1)
SCHEDULED_FLAGS = frozenset({"is_recurring"})
# One shared frozenset per distinct combination of flags: 100,000 transactions, a dozen sets.
_FLAG_SETS: dict[frozenset[str], frozenset[str]] = {}


def day_of(seconds: float) -> int:
    return int(seconds // DAY)


def day_date(day: int) -> date:
    return EPOCH + timedelta(days=day)


def date_day(value: date) -> int:
    return (value - EPOCH).days


def category_guids(top_level: str, category: str) -> tuple[str, str]:
    """(category guid, top-level guid) from MX's default categories (`fixtures/categories.yml`):
    global, so they do not depend on the seed or tenant."""
    found = default_categories().named(top_level, category)
    return found.guid, found.top_level_guid


@functools.lru_cache(maxsize=4096)  # profile descriptions: a few dozen names, asked for per transaction
def merchant_guid(name: str) -> str:
    return f"MCH-{stable_uuid('merchant', name)}"


def _poisson(rng: random.Random, rate: float) -> int:
    limit, count, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _occurs(rule: TransactionRule, day: int, phase: int) -> int:
    """How many times a scheduled rule fires on `day` (per_day rules are drawn separately)."""
    if rule.every_days:
        return 1 if (day - phase) % rule.every_days == 0 else 0
    when = day_date(day)
    if rule.day_of_month:
        next_month = (when.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = (next_month - timedelta(days=1)).day
        return 1 if when.day == min(rule.day_of_month, last) else 0
    return 0



def routing_number_of(institution: Institution, profile: Profile) -> str:
    """The ABA routing number every account at a US/MX institution shares: the profile's, or one
    derived from the institution code (so microdeposits can name the bank it belongs to)."""
    return profile.routing_number or make_aba(random.Random(f"routing|{institution.code}"))

class MemberGenerator:
    """Draws one member's data from its institution's profile."""

    def __init__(self, seed: int, member_guid: str, user_guid: str, institution: Institution, profile: Profile) -> None:
        self.seed = seed
        self.member_guid = member_guid
        self.user_guid = user_guid
        self.institution = institution
        self.profile = profile
        self._phases: dict[tuple[str, int], int] = {}

    def rng(self, *parts: object) -> random.Random:
        return random.Random("|".join(str(p) for p in (self.seed, self.member_guid, *parts)))

    def guid(self, prefix: str, *parts: object) -> str:
        return f"{prefix}-{stable_uuid(self.seed, self.member_guid, prefix, *parts)}"

    def templates(self) -> list[AccountTemplate]:
        return [
            t for t in self.profile.accounts
            if t.when_supported is None or self.institution.supports(t.when_supported)
        ]

    # -- accounts ---------------------------------------------------------------------------
    def account(self, template: AccountTemplate, at: float) -> Account:
        rng = self.rng("account", template.key)
        number_length = 16 if template.type == "CREDIT_CARD" else 10
        account = Account(
            guid=self.guid("ACT", template.key),
            user_guid=self.user_guid,
            member_guid=self.member_guid,
            type=template.type,
            subtype=template.subtype,
            name=template.name,
            key=template.key,
            created_at=at,
            updated_at=at,
            imported_at=at,
            id=_digits(rng, 10),
            institution_code=self.institution.code,
            institution_guid=self.institution.guid,
            account_number=_digits(rng, number_length),
            balance=rng.randint(*template.balance),
            credit_limit=template.credit_limit,
            apr=template.apr,
            apy=template.apy,
            interest_rate=template.interest_rate,
            day_payment_is_due=template.day_payment_is_due,
            account_ownership="JOINT" if template.owners > 1 else "INDIVIDUAL",
            federal_insurance_status="INSURED" if template.type in DEPOSIT_TYPES else None,
            anchor=at,
            pulled_until=at,
            balance_as_of=at,
            history_from_day=day_of(at) - self.profile.history_days + 1,
        )
        if template.original_balance:
            account.original_balance = max(rng.randint(*template.original_balance), account.balance)
        if template.minimum_payment:
            account.minimum_payment = rng.randint(*template.minimum_payment)
        if template.term_months:
            started = day_of(at) - rng.randint(365, 5 * 365)
            account.started_on = day_date(started).isoformat()
            account.matures_on = day_date(started + round(template.term_months * 30.4375)).isoformat()
        if template.type == "INVESTMENT":
            account.cash_balance = round(account.balance * rng.uniform(0.02, 0.06))
        return account

    # -- transactions -----------------------------------------------------------------------
    def _phase(self, template: AccountTemplate, index: int, every: int) -> int:
        key = (template.key, index)
        if key not in self._phases:
            self._phases[key] = self.rng("phase", template.key, index).randrange(every)
        return self._phases[key]

    def day_transactions(self, account: Account, template: AccountTemplate, day: int) -> list[Transaction]:
        """Everything that happens on `account` during `day`, whether or not it has posted yet."""
        rng = self.rng("day", template.key, day)
        out: list[Transaction] = []
        for index, rule in enumerate(template.transactions):
            if rule.per_day:
                count, flags = _poisson(rng, rule.per_day), rule.flags
            else:
                count = _occurs(rule, day, self._phase(template, index, rule.every_days) if rule.every_days else 0)
                flags = rule.flags | SCHEDULED_FLAGS
            for _ in range(count):
                out.append(self._transaction(account, rule, flags, day, len(out), rng))
        return out

    def _transaction(
        self, account: Account, rule: TransactionRule, flags: frozenset[str], day: int, seq: int, rng: random.Random
    ) -> Transaction:
        transacted = day * DAY + rng.randint(6 * 3600, 21 * 3600)
        guid = self.guid("TRN", account.key, day, seq)
        derived = set(flags)
        if rule.type == "DEBIT" and rule.top_level_category not in ("Transfer", "Income"):
            derived.add("is_expense")
        if rule.type == "CREDIT" and rule.top_level_category == "Income":
            derived.add("is_income")
        category, top_level = category_guids(rule.top_level_category, rule.category)
        return Transaction(
            guid=guid,
            user_guid=account.user_guid,
            member_guid=account.member_guid,
            account_guid=account.guid,
            account_id=account.id,
            amount=rng.randint(*rule.amount),
            type=rule.type,
            day=day,
            transacted_at=transacted,
            posted_at=transacted + rng.choice((0, 1800, 3600, 7200)),
            created_at=0.0,
            updated_at=0.0,
            description=rule.description,
            original_description=rule.original_description or rule.description.upper(),
            category=rule.category,
            top_level_category=rule.top_level_category,
            category_guid=category,
            top_level_category_guid=top_level,
            merchant_guid=merchant_guid(rule.description) if rule.mcc is not None else None,
            merchant_category_code=rule.mcc,
            seq=seq,
            memo=rule.memo,
            flags=_FLAG_SETS.setdefault(frozenset(derived), frozenset(derived)),
        )

    def transactions_between(self, account: Account, template: AccountTemplate, first_day: int, last_day: int) -> list[Transaction]:
        out: list[Transaction] = []
        for day in range(first_day, last_day + 1):
            out.extend(self.day_transactions(account, template, day))
        return out

    # -- premium products -------------------------------------------------------------------
    def account_number(self, account: Account) -> AccountNumber:
        number = AccountNumber(
            guid=self.guid("ACN", account.key),
            account_guid=account.guid,
            member_guid=self.member_guid,
            user_guid=self.user_guid,
            account_number=account.account_number or "",
        )
        # Every account at one institution shares its routing (or institution/transit) number.
        if self.institution.iso_country_code == "CA":
            bank = random.Random(f"routing|{self.institution.code}")
            number.institution_number = f"{bank.randrange(1, 1000):03d}"
            number.transit_number = f"{bank.randrange(10000, 100000):05d}"
        else:
            number.routing_number = routing_number_of(self.institution, self.profile)
        return number

    def owners(self, account: Account, template: AccountTemplate) -> list[AccountOwner]:
        people = self.profile.owners
        start = self.rng("owners").randrange(len(people))
        out = []
        for i in range(template.owners):
            person = people[(start + i) % len(people)]
            out.append(AccountOwner(
                guid=self.guid("ACO", account.key, i),
                account_guid=account.guid,
                member_guid=self.member_guid,
                user_guid=self.user_guid,
                first_name=person["first_name"],
                last_name=person["last_name"],
                address=person.get("address", ""),
                city=person.get("city", ""),
                state=person.get("state", ""),
                postal_code=person.get("postal_code", ""),
                country=person.get("country", self.institution.iso_country_code),
                email=person.get("email", ""),
                phone=person.get("phone", ""),
            ))
        return out

    def holdings(self, account: Account, template: AccountTemplate, at: float) -> list[Holding]:
        """Positions whose market values add up to the account's invested (non-cash) balance."""
        invested = (account.balance - (account.cash_balance or 0)) / 100
        total_weight = sum(h.weight for h in template.holdings) or 1.0
        out = []
        for i, spec in enumerate(template.holdings):
            rng = self.rng("holding", template.key, i)
            price = rng.randint(*spec.price) / 100
            out.append(Holding(
                guid=self.guid("HOL", template.key, i),
                account_guid=account.guid,
                member_guid=self.member_guid,
                user_guid=self.user_guid,
                symbol=spec.symbol,
                description=spec.description,
                holding_type=spec.holding_type,
                quantity=round(invested * spec.weight / total_weight / price, 4),
                current_price=price,
                purchase_price=round(price * rng.uniform(0.7, 1.05), 2),
                daily_change=round(price * rng.uniform(-0.02, 0.02), 2),
                created_at=at,
                updated_at=at,
            ))
        return out

    def reward(self, spec: RewardTemplate, index: int, account: Account, at: float) -> Reward:
        rng = self.rng("reward", index)
        expires = day_date(day_of(at) + spec.expires_in_days).isoformat()
        return Reward(
            guid=self.guid("RWD", index),
            account_guid=account.guid,
            member_guid=self.member_guid,
            user_guid=self.user_guid,
            description=spec.description,
            unit_type=spec.unit_type,
            balance_type=spec.balance_type,
            balance=rng.randint(*spec.balance),
            expires_on=expires,
            created_at=at,
            updated_at=at,
        )


def effect(account: Account, txn: Transaction) -> int:
    """Signed change a transaction makes to the balance: debts grow with debits, assets with credits."""
    credit = txn.type == "CREDIT"
    return (-txn.amount if credit else txn.amount) if account.is_debt else (txn.amount if credit else -txn.amount)
