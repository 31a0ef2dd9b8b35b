"""The guids the SDK walk (contract_tests/sdk_walk.py) works on, and how a step records a new one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# What the SDK's delete methods that take an Accept value are given: MX's v1 media type.
V1_ACCEPT = "application/vnd.mx.api.v1+json"


@dataclass
class World:
    """Guids the walk works on; a create that succeeds replaces its placeholder."""

    user: str
    member: str
    challenged: str
    oauth_member: str
    account: str
    investment_account: str
    transaction: str
    holding: str
    statement: str
    reward: str
    tag: str
    rule: str
    category: str  # a default subcategory, and its top-level parent
    top_category: str
    merchant: str
    merchant_location: str
    credential_guids: dict[str, str]
    challenges: list[str]
    manual_account: str = "ACT-none"
    manual_transaction: str = "MAN-none"
    microdeposit: str = "MIC-none"
    new_user: str = "USR-none"
    custom_category: str = "CAT-none"
    new_tag: str = "TAG-none"
    tagging: str = "TGN-none"
    new_rule: str = "TXR-none"
    budget: str = "BGT-none"
    goal: str = "GOL-none"
    spending_plan: str = "SPL-none"
    iteration_item: str = "SPI-none"
    plan_account: str = "SPA-none"
    repeating: str = "RPT-none"
    insight: str = "BET-none"
    notification: str = "NTF-none"
    managed_member: str = "MBR-none"
    managed_account: str = "ACT-none"
    managed_transaction: str = "TRN-none"
    processor_token: str = "none"  # a processor's token for `account` (the client cannot get one through the SDK)
    card_product: str = "CCA-none"
    ach_return: str = "ACH-none"
    results: dict[str, Any] = field(default_factory=dict)


Api = Callable[[type], Any]  # the API class → an instance on the walk's client


Api = Callable[[type], Any]  # the API class → an instance on the walk's client


def keep(w: World, name: str, value: Any) -> Any:
    """Record a guid a create returned, for the steps after it; return it."""
    setattr(w, name, value)
    return value
