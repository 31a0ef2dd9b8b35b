"""Money-management JSON: categories, tags, taggings, transaction rules, merchants (same in both versions)."""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.pfm.categories import Category
from ..core.pfm.merchants import DIRECTORY_EPOCH, Merchant, MerchantLocation
from ..core.pfm.rules import TransactionRule
from ..core.pfm.tags import Tag, Tagging

# Default categories are MX's own: they were created once, long before any user.
_DEFAULT_CREATED = format_instant(DIRECTORY_EPOCH)


def category_json(category: Category) -> dict[str, Any]:
    stamp = _DEFAULT_CREATED if category.is_default else None
    return {
        "created_at": stamp or format_instant(category.created_at),
        "guid": category.guid,
        "is_default": category.is_default,
        "is_income": category.is_income,
        "metadata": category.metadata,
        "name": category.name,
        "parent_guid": category.parent_guid,
        "updated_at": stamp or format_instant(category.updated_at),
    }


def tag_json(tag: Tag) -> dict[str, Any]:
    return {"guid": tag.guid, "name": tag.name, "user_guid": tag.user_guid}


def tagging_json(tagging: Tagging) -> dict[str, Any]:
    return {
        "guid": tagging.guid,
        "member_is_managed_by_user": tagging.member_is_managed_by_user,
        "tag_guid": tagging.tag_guid,
        "transaction_guid": tagging.transaction_guid,
        "user_guid": tagging.user_guid,
    }


def rule_json(rule: TransactionRule) -> dict[str, Any]:
    return {
        "category_guid": rule.category_guid,
        "created_at": format_instant(rule.created_at),
        "description": rule.description,
        "guid": rule.guid,
        "match_description": rule.match_description,
        "updated_at": format_instant(rule.updated_at),
        "user_guid": rule.user_guid,
    }


def merchant_json(merchant: Merchant) -> dict[str, Any]:
    return {
        "created_at": _DEFAULT_CREATED,
        "guid": merchant.guid,
        "logo_url": merchant.logo_url,
        "name": merchant.name,
        "updated_at": _DEFAULT_CREATED,
        "website_url": merchant.website_url,
    }


def location_json(location: MerchantLocation) -> dict[str, Any]:
    return {
        "city": location.city,
        "country": location.country,
        "created_at": _DEFAULT_CREATED,
        "guid": location.guid,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "merchant_guid": location.merchant_guid,
        "phone_number": location.phone_number,
        "postal_code": location.postal_code,
        "state": location.state,
        "street_address": location.street_address,
        "updated_at": _DEFAULT_CREATED,
    }
