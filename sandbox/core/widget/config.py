"""A widget URL request (`POST /users/{guid}/widget_urls`), validated into a `WidgetConfig`.

Validation lives here, not in the HTTP layer, so both API versions and the deprecated v1
`connect_widget_url` share one set of rules. Every problem is a `BadRequest` (MX's 400).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadRequest
from ..institutions import PRODUCTS

WIDGET_TYPES = (
    "accounts_widget", "mini_accounts_widget", "actionable_integration_widget", "budgets_widget",
    "mini_budgets_widget", "cash_flow_widget", "mini_cash_flow_widget", "connect_widget",
    "connections_widget", "debts_widget", "finstrong_widget", "mini_finstrong_widget", "goals_widget",
    "help_widget", "master_widget", "money_dashboard_widget", "net_worth_widget", "mini_net_worth_widget",
    "notifications_settings_widget", "recurringtransactions_widget", "mini_recurringtransactions_widget",
    "settings_widget", "spending_widget", "mini_spending_widget", "spending_plan_widget",
    "mini_spending_plan_widget", "transaction_rules_widget", "transactions_widget", "trends_widget",
    "mini_trends_widget",
)
MODES = ("aggregation", "verification")
COLOR_SCHEMES = ("light", "dark", "browser")
COUNTRIES = ("US", "CA", "MX")
REFERRAL_SOURCES = ("BROWSER", "APP")
USE_CASES = ("PFM", "MONEY_MOVEMENT")
# A URL scheme (RFC 3986) that cannot run script when the page navigates to it.
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{0,31}$")
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "blob", "file", "about"})
# Plain typed options that are stored and echoed but change nothing in the sandbox.
PASSTHROUGH: dict[str, type] = {
    "client_redirect_url": str, "enable_app2app": bool, "insight_guid": str, "locale": str,
    "microwidget_instance_id": str, "connections_use_case_filter": bool,
}


@dataclass(frozen=True)
class WidgetConfig:
    widget_type: str
    products: tuple[str, ...] = ("transactions",)
    mode: str = "aggregation"
    is_mobile_webview: bool = False
    ui_message_version: int = 4
    scheme: str = "mx"
    oauth_referral_source: str = "BROWSER"
    current_member_guid: str | None = None
    current_institution_code: str | None = None
    current_institution_guid: str | None = None
    current_microdeposit_guid: str | None = None
    disable_institution_search: bool = False
    update_credentials: bool = False
    disable_background_agg: bool = False
    color_scheme: str = "light"
    iso_country_code: tuple[str, ...] = ()
    language: str = "en-US"
    use_cases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_connect(self) -> bool:
        return self.widget_type == "connect_widget"

    @property
    def wants_verification(self) -> bool:
        return "account_verification" in self.products


def _typed(fields: dict[str, Any], name: str, kind: type, default: Any = None) -> Any:
    value = fields.get(name)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRequest(f"{name} must be a {'boolean' if kind is bool else kind.__name__}.")
    return value


def _choice(fields: dict[str, Any], name: str, choices: tuple[str, ...], default: str | None) -> str | None:
    value = _typed(fields, name, str, default)
    if value is not None and value not in choices:
        raise BadRequest(f"{name} must be one of: {', '.join(choices)}.")
    return value


def _string_list(fields: dict[str, Any], name: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    value = fields.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or any(not isinstance(v, str) or v not in choices for v in value):
        raise BadRequest(f"{name} must be an array of: {', '.join(choices)}.")
    return tuple(dict.fromkeys(value))


def _products(fields: dict[str, Any], v2025: bool, mode: str) -> tuple[str, ...]:
    """`data_request.products` (v20250224) wins; otherwise mode + include_* decide, as in v20111101."""
    request = fields.get("data_request")
    if request is not None:
        if not v2025:
            raise BadRequest("data_request is a v20250224 field; use mode, include_transactions and include_identity.")
        if not isinstance(request, dict) or not isinstance(request.get("products"), list) or not request["products"]:
            raise BadRequest("data_request.products must be a non-empty array.")
        for product in request["products"]:
            if product not in PRODUCTS:
                raise BadRequest(f"'{product}' is not a supported product.")
        return tuple(dict.fromkeys(request["products"]))
    verification = mode == "verification"
    out = ["account_verification"] if verification else []
    if _typed(fields, "include_transactions", bool, not verification):
        out.append("transactions")
    if _typed(fields, "include_identity", bool, False):
        out.append("identity_verification")
    return tuple(out)


def _scheme(fields: dict[str, Any]) -> str:
    scheme = _typed(fields, "ui_message_webview_url_scheme", str, "mx")
    if not SCHEME_RE.match(scheme) or scheme.lower() in UNSAFE_SCHEMES:
        raise BadRequest("ui_message_webview_url_scheme must be a URL scheme such as 'mx' or 'myapp'.")
    return scheme


def parse_config(fields: dict[str, Any], v2025: bool, language: str | None = None) -> WidgetConfig:
    """Validate the `widget_url` object. References (member, institution) are checked by the caller."""
    widget_type = fields.get("widget_type")
    if widget_type is None:
        raise BadRequest("widget_type is required.")
    if not isinstance(widget_type, str) or widget_type not in WIDGET_TYPES:
        raise BadRequest(f"'{widget_type}' is not a widget_type.")
    mode = _choice(fields, "mode", MODES, "aggregation")
    assert mode is not None
    webview = bool(_typed(fields, "is_mobile_webview", bool, False))
    version = _typed(fields, "ui_message_version", int, 4)
    if version != 4:
        raise BadRequest("ui_message_version must be 4: earlier postMessage versions are deprecated and not emulated.")
    referral = _typed(fields, "oauth_referral_source", str, "APP" if webview else "BROWSER").upper()
    if referral not in REFERRAL_SOURCES:
        raise BadRequest("oauth_referral_source must be BROWSER or APP.")
    refs = {name: _typed(fields, name, str) or None for name in (
        "current_member_guid", "current_institution_code", "current_institution_guid", "current_microdeposit_guid")}
    disable_search = bool(_typed(fields, "disable_institution_search", bool, False))
    if disable_search and not any(refs[n] for n in ("current_member_guid", "current_institution_code", "current_institution_guid")):
        raise BadRequest("disable_institution_search needs current_institution_code, current_institution_guid or current_member_guid.")
    extra = {name: _typed(fields, name, kind) for name, kind in PASSTHROUGH.items() if fields.get(name) is not None}
    for name in ("deep_link_params", "style"):
        if fields.get(name) is not None:
            extra[name] = _typed(fields, name, dict)
    return WidgetConfig(
        widget_type=widget_type,
        products=_products(fields, v2025, mode),
        mode=mode,
        is_mobile_webview=webview,
        ui_message_version=version,
        scheme=_scheme(fields),
        oauth_referral_source=referral,
        disable_institution_search=disable_search,
        update_credentials=bool(_typed(fields, "update_credentials", bool, False)),
        disable_background_agg=bool(_typed(fields, "disable_background_agg", bool, mode == "verification")),
        color_scheme=_choice(fields, "color_scheme", COLOR_SCHEMES, "light") or "light",
        iso_country_code=_string_list(fields, "iso_country_code", COUNTRIES),
        language=(language or "en-US").split(",")[0].strip()[:35] or "en-US",
        use_cases=_string_list(fields, "use_cases", USE_CASES),
        extra=extra,
        **refs,
    )
