"""JSON for what premium jobs produce: account numbers, owners, statements, holdings, rewards.

The shapes are the same in both versions except that v20111101 types a reward balance as an
integer (rewards are whole points or miles, so the value is the same).
"""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.data.model import AccountNumber, AccountOwner, Holding, Reward, Statement


def account_number_json(number: AccountNumber) -> dict[str, Any]:
    return {
        "account_guid": number.account_guid,
        "account_number": number.account_number,
        "guid": number.guid,
        "institution_number": number.institution_number,
        "loan_guarantor": None,
        "loan_reference_number": None,
        "member_guid": number.member_guid,
        "passed_validation": True,
        "routing_number": number.routing_number,
        "sequence_number": None,
        "transit_number": number.transit_number,
        "user_guid": number.user_guid,
    }


def account_owner_json(owner: AccountOwner) -> dict[str, Any]:
    return {
        "account_guid": owner.account_guid,
        "address": owner.address,
        "city": owner.city,
        "country": owner.country,
        "email": owner.email,
        "first_name": owner.first_name,
        "guid": owner.guid,
        "last_name": owner.last_name,
        "member_guid": owner.member_guid,
        "owner_name": owner.owner_name,
        "phone": owner.phone,
        "postal_code": owner.postal_code,
        "state": owner.state,
        "user_guid": owner.user_guid,
    }


def statement_uri(statement: Statement) -> str:
    return f"/users/{statement.user_guid}/members/{statement.member_guid}/statements/{statement.guid}.pdf"


def statement_json(statement: Statement) -> dict[str, Any]:
    return {
        "account_guid": statement.account_guid,
        "content_hash": statement.content_hash,
        "created_at": format_instant(statement.created_at),
        "guid": statement.guid,
        "member_guid": statement.member_guid,
        "updated_at": format_instant(statement.created_at),
        "uri": statement_uri(statement),
        "user_guid": statement.user_guid,
    }


def holding_json(holding: Holding) -> dict[str, Any]:
    value, cost = holding.market_value, holding.cost_basis
    previous = holding.current_price - holding.daily_change
    return {
        "account_guid": holding.account_guid,
        "cost_basis": cost,
        "coupon_yield": None,
        "created_at": format_instant(holding.created_at),
        "currency_code": holding.currency_code,
        "current_price": holding.current_price,
        "current_price_as_of": format_instant(holding.updated_at),
        "daily_change": holding.daily_change,
        "description": holding.description,
        "expiration": None,
        "face_value": None,
        "frequency": None,
        "guid": holding.guid,
        "holding_type": holding.holding_type,
        "issue_date": None,
        "market_value": value,
        "maturity_date": None,
        "percentage_change": round(holding.daily_change / previous * 100, 2) if previous else None,
        "purchase_price": holding.purchase_price,
        "put_or_call": None,
        "quantity": f"{holding.quantity:.4f}",
        "rate": None,
        "strike_price": None,
        "symbol": holding.symbol,
        "term": None,
        "term_unit": None,
        "today_ugl_amount": round(holding.daily_change * holding.quantity, 2),
        "today_ugl_percentage": round(holding.daily_change / previous * 100, 2) if previous else None,
        "total_ugl_amount": round(value - cost, 2),
        "total_ugl_percentage": round((value - cost) / cost * 100, 2) if cost else None,
        "unvested_quantity": None,
        "unvested_value": None,
        "user_guid": holding.user_guid,
        "vested_quantity": None,
        "vested_value": None,
        "vesting_end_date": None,
        "vesting_start_date": None,
    }


def reward_json(reward: Reward) -> dict[str, Any]:
    return {
        "account_guid": reward.account_guid,
        "balance": reward.balance,
        "balance_type": reward.balance_type,
        "created_at": format_instant(reward.created_at),
        "description": reward.description,
        "expires_on": reward.expires_on,
        "guid": reward.guid,
        "member_guid": reward.member_guid,
        "unit_type": reward.unit_type,
        "updated_at": format_instant(reward.updated_at),
        "user_guid": reward.user_guid,
    }
