"""Institution JSON: v20250224 lists `supported_products`; v20111101 has `supports_*` flags."""
from __future__ import annotations

from typing import Any

from ..core.institutions import PRODUCTS, CredentialField, Institution
from ..core.versions import V2025

LOGO = "https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/{size}x{size}/{guid}_{size}x{size}.png"


def institution_json(inst: Institution, version: str) -> dict[str, Any]:
    common: dict[str, Any] = {
        "code": inst.code,
        "forgot_password_url": f"{inst.url}/forgot-password",
        "forgot_username_url": f"{inst.url}/forgot-username",
        "instructional_text": None,
        "instructional_text_steps": None,
        "is_disabled_by_client": False,
        "iso_country_code": inst.iso_country_code,
        "medium_logo_url": LOGO.format(size=100, guid=inst.guid),
        "name": inst.name,
        "small_logo_url": LOGO.format(size=50, guid=inst.guid),
        "supports_oauth": inst.supports_oauth,
        "supports_tax_document": False,
        "trouble_signing_in_url": f"{inst.url}/login-help",
        "url": inst.url,
    }
    if version == V2025:
        common.update(
            guid=inst.guid,
            created_at=inst.created_at,
            is_hidden=False,
            supported_products=[p for p in PRODUCTS if p in inst.products],
        )
    else:
        common.update(
            supports_account_identification=inst.supports("identity_verification"),
            supports_account_statement=inst.supports("statements"),
            supports_account_verification=inst.supports("account_verification"),
            supports_transaction_history=inst.supports("transaction_history"),
        )
    return dict(sorted(common.items()))


def credential_json(field: CredentialField) -> dict[str, Any]:
    return {
        "display_order": field.display_order,
        "field_name": field.field_name,
        "field_type": field.type,
        "guid": field.guid,
        "label": field.label,
        "type": field.type,
    }
