"""JSON for repeating transactions, insights, scheduled payments, notifications and enhanced
transactions (the same fields in both versions). Fields MX's spec types as non-nullable strings are
left out, rather than sent as null, when the sandbox has no value (a series without a merchant)."""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.pfm.enhance import Enhanced
from ..core.pfm.insights import Insight, ScheduledPayment
from ..core.pfm.merchants import location_guid
from ..core.pfm.notifications import Notification
from ..core.pfm.repeating import RepeatingTransaction
from ..core.versions import V2025
from .accounts import money

ENHANCED_FLAGS = ("is_bill_pay", "is_direct_deposit", "is_expense", "is_fee", "is_income", "is_overdraft_fee",
                  "is_payroll_advance", "is_subscription")


def _without_none(out: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if out.get(name) is None:
            out.pop(name, None)
    return out


def repeating_json(series: RepeatingTransaction) -> dict[str, Any]:
    return _without_none({
        "account_guid": series.account_guid,
        "amount": money(series.amount),
        "description": series.description,
        "guid": series.guid,
        "last_posted_date": series.last_posted_date,
        "member_guid": series.member_guid,
        "merchant_guid": series.merchant_guid,
        "predicted_occurs_on": series.predicted_occurs_on,
        "recurrence_type": series.recurrence_type,
        "repeating_transaction_type": series.repeating_transaction_type,
        "transaction_type": series.transaction_type,
        "user_guid": series.user_guid,
    }, "merchant_guid")


def insight_json(insight: Insight, client_guid: str, user_id: str | None) -> dict[str, Any]:
    title, micro_title, call_to_action = insight.texts
    return _without_none({
        "active_at": format_instant(insight.created_at),
        "client_guid": client_guid,
        "created_at": format_instant(insight.created_at),
        "cta_clicked_at": None,
        "description": insight.description,
        "guid": insight.guid,
        "has_associated_accounts": bool(insight.account_guids),
        "has_associated_categories": bool(insight.category_guids),
        "has_associated_merchants": bool(insight.merchant_guids),
        "has_associated_scheduled_payments": bool(insight.scheduled_payments),
        "has_associated_transactions": bool(insight.transaction_guids),
        "has_been_displayed": insight.has_been_displayed,
        "is_dismissed": insight.is_dismissed,
        "micro_call_to_action": call_to_action,
        "micro_description": insight.micro_description,
        "micro_title": micro_title,
        "template": insight.template,
        "title": title,
        "updated_at": format_instant(insight.updated_at),
        "user_guid": insight.user_guid,
        "user_id": user_id,
    }, "user_id")


def scheduled_payment_json(payment: ScheduledPayment) -> dict[str, Any]:
    return _without_none({
        "amount": money(payment.amount),
        "created_at": format_instant(payment.created_at),
        "description": payment.description,
        "guid": payment.guid,
        "is_completed": False,
        "is_recurring": True,
        "merchant_guid": payment.merchant_guid,
        "occurs_on": payment.occurs_on,
        "recurrence_day": payment.recurrence_day,
        "recurrence_type": payment.recurrence_type,
        "transaction_type": payment.transaction_type,
        "updated_at": format_instant(payment.created_at),
        "user_guid": payment.user_guid,
    }, "merchant_guid")


def notification_json(notification: Notification, version: str) -> dict[str, Any]:
    """v20111101 has no `created_at` or `threshold`."""
    out = {
        "channel": notification.channel,
        "content": notification.content,
        "created_at": format_instant(notification.created_at),
        "deep_link_guid": notification.deep_link_guid,
        "delivered_at": format_instant(notification.created_at),
        "entity_guid": notification.entity_guid,
        "guid": notification.guid,
        "has_been_delivered": True,
        "has_been_viewed": False,
        "notification_type": notification.notification_type,
        "subject": notification.subject,
        "threshold": None,
    }
    if version != V2025:
        del out["created_at"], out["threshold"]
    return out


def enhanced_json(item: Enhanced, version: str) -> dict[str, Any]:
    """v20111101 has no `top_level_category_guid` or `user_guid`."""
    flags = {name: name in item.flags for name in ENHANCED_FLAGS}
    out = {
        "amount": item.amount,
        "categorized_by": item.categorized_by,
        "category": item.category.name,
        "category_guid": item.category.guid,
        "described_by": item.described_by,
        "description": item.description,
        "extended_transaction_type": item.extended_transaction_type,
        "id": item.id,
        **flags,
        "is_international": False,
        "memo": item.memo,
        "merchant_category_code": item.merchant_category_code,
        "merchant_guid": item.merchant_guid,
        "merchant_location_guid": location_guid(item.merchant_guid) if item.merchant_guid else None,
        "original_description": item.original_description,
        "top_level_category_guid": item.top_level.guid,
        "type": item.type,
        "user_guid": None,
    }
    if version != V2025:
        del out["top_level_category_guid"], out["user_guid"]
    return out
