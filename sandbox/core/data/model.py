"""Aggregated data as plain records: accounts, transactions and what premium jobs add.

Money is kept in integer cents so balances and sums stay exact; serializers turn cents into
MX's decimal numbers. Records use slots because one user may hold 100,000 transactions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Account types whose balance is money owed: MX reports them as positive numbers.
DEBT_TYPES = frozenset({"CREDIT_CARD", "LOAN", "MORTGAGE", "LINE_OF_CREDIT", "CHECKING_LINE_OF_CREDIT"})
# IAV and identity data exist only for demand-deposit accounts.
DEPOSIT_TYPES = frozenset({"CHECKING", "SAVINGS"})


@dataclass(slots=True)
class Account:
    guid: str
    user_guid: str
    member_guid: str
    type: str
    name: str
    created_at: float
    updated_at: float
    key: str = ""  # the profile template it came from; "" for manual accounts
    subtype: str | None = None
    id: str | None = None  # the institution's own account id
    institution_code: str | None = None
    institution_guid: str | None = None
    account_number: str | None = None  # full number; responses show the last four
    balance: int = 0  # cents
    available_balance: int | None = None
    credit_limit: int | None = None
    original_balance: int | None = None
    minimum_payment: int | None = None
    cash_balance: int | None = None
    apr: float | None = None
    apy: float | None = None
    interest_rate: float | None = None
    day_payment_is_due: int | None = None
    started_on: str | None = None
    matures_on: str | None = None
    account_ownership: str | None = None
    federal_insurance_status: str | None = None
    currency_code: str = "USD"
    is_manual: bool = False
    is_closed: bool = False
    is_hidden: bool = False
    is_business: bool = False
    metadata: str | None = None
    nickname: str | None = None
    property_type: str | None = None
    imported_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # manual-only numeric fields (cents or rates)
    # ledger cursors: generated transactions posted after `pulled_until` are not stored yet;
    # those posted after `balance_as_of` are not yet reflected in `balance`.
    anchor: float = 0.0
    pulled_until: float = 0.0
    history_from_day: int = 0  # oldest day (days since epoch) whose transactions are stored
    balance_as_of: float = 0.0

    @property
    def is_debt(self) -> bool:
        return self.type in DEBT_TYPES


@dataclass(slots=True)
class Transaction:
    guid: str
    user_guid: str
    member_guid: str
    account_guid: str
    amount: int  # cents, always positive; `type` says the direction
    type: str  # CREDIT | DEBIT
    day: int  # days since the epoch of `date`
    transacted_at: float
    posted_at: float
    created_at: float
    updated_at: float
    description: str
    original_description: str | None = None
    category: str | None = None
    top_level_category: str | None = None
    category_guid: str | None = None
    top_level_category_guid: str | None = None
    merchant_guid: str | None = None
    merchant_category_code: int | None = None
    seq: int = -1  # position within its account's day; -1 for manual transactions
    account_id: str | None = None
    memo: str | None = None
    metadata: str | None = None
    flags: frozenset[str] = frozenset()  # is_bill_pay, is_direct_deposit, is_fee, ...
    is_manual: bool = False
    is_international: bool = False
    currency_code: str = "USD"
    status: str = "POSTED"
    parent_guid: str | None = None  # set on a split child: the transaction it was split from
    has_been_split: bool = False  # set on a split parent while it has children

    @property
    def id(self) -> str | None:
        """The institution's transaction id, shaped like MX's; derived, so it costs no memory."""
        if self.seq < 0:
            return None
        return f"{self.day * 86400000}-{self.guid[4:].replace('-', '')}-{self.seq}"


@dataclass(slots=True)
class AccountNumber:
    guid: str
    account_guid: str
    member_guid: str
    user_guid: str
    account_number: str
    routing_number: str | None = None
    institution_number: str | None = None  # Canadian institutions
    transit_number: str | None = None


@dataclass(slots=True)
class AccountOwner:
    guid: str
    account_guid: str
    member_guid: str
    user_guid: str
    first_name: str
    last_name: str
    address: str
    city: str
    state: str
    postal_code: str
    country: str
    email: str
    phone: str

    @property
    def owner_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True)
class Statement:
    guid: str
    account_guid: str
    member_guid: str
    user_guid: str
    period_start: int  # day numbers, inclusive
    period_end: int
    created_at: float
    pdf: bytes = b""
    content_hash: str = ""


@dataclass(slots=True)
class Holding:
    guid: str
    account_guid: str
    member_guid: str
    user_guid: str
    symbol: str
    description: str
    holding_type: str
    quantity: float
    current_price: float
    purchase_price: float
    daily_change: float
    created_at: float
    updated_at: float
    currency_code: str = "USD"

    @property
    def market_value(self) -> float:
        return round(self.quantity * self.current_price, 2)

    @property
    def cost_basis(self) -> float:
        return round(self.quantity * self.purchase_price, 2)


@dataclass(slots=True)
class Reward:
    guid: str
    account_guid: str
    member_guid: str
    user_guid: str
    description: str
    unit_type: str
    balance_type: str
    balance: int
    expires_on: str
    created_at: float
    updated_at: float
