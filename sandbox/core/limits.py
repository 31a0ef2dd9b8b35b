"""Every bound the sandbox keeps, in one place, for `/_sandbox/health` and the docs."""
from __future__ import annotations

from typing import Any

from .clock import MAX_JUMP_SECONDS
from .events import TIMELINE_LIMIT
from .members.jobs import BACKGROUND_CATCHUP_DAYS
from .oauth import GRANT_RETENTION_SECONDS
from .pfm.categories import MAX_CUSTOM_CATEGORIES
from .pfm.rules import MAX_RULES
from .pfm.tags import MAX_TAGGINGS, MAX_TAGS
from .processor.ach import MAX_ACH_RETURNS
from .processor.credentials import MAX_CREDENTIAL_TRANSACTIONS
from .processor.grants import CODE_TTL_SECONDS, MAX_GRANTS
from .tenant import SETTLE_SLICE_SECONDS
from .tenants import TenantRegistry
from .tokens import MAX_TOKENS
from .webhooks.config import MAX_TIMEOUT_SECONDS
from .webhooks.outbox import MAX_KEPT, MAX_PENDING, MAX_REQUEUES, RETRY_SCHEDULE
from .widget.session import MAX_MESSAGES
from .widget.store import LINK_RETENTION_SECONDS, MAX_LINKS, MAX_SESSIONS


def limits(tenants: TenantRegistry) -> dict[str, Any]:
    return {
        "clock_jump_seconds": MAX_JUMP_SECONDS,
        "clock_range": ["1970-01-01T00:00:00Z", "2200-01-01T00:00:00Z"],
        "background_catchup_days": BACKGROUND_CATCHUP_DAYS,
        "settle_slice_ms": SETTLE_SLICE_SECONDS * 1000,
        "timeline_events_per_tenant": TIMELINE_LIMIT,
        "tokens": MAX_TOKENS,
        "widget_links_per_tenant": MAX_LINKS,
        "widget_link_retention_seconds": LINK_RETENTION_SECONDS,
        "widget_sessions_per_tenant": MAX_SESSIONS,
        "widget_messages_per_session": MAX_MESSAGES,
        "oauth_grant_retention_seconds": GRANT_RETENTION_SECONDS,
        "webhooks_pending_per_tenant": MAX_PENDING,
        "webhook_deliveries_kept_per_tenant": MAX_KEPT,
        "webhook_retry_seconds": list(RETRY_SCHEDULE),
        "webhook_requeues_on_429": MAX_REQUEUES,
        "webhook_timeout_seconds_max": MAX_TIMEOUT_SECONDS,
        "custom_categories_per_user": MAX_CUSTOM_CATEGORIES,
        "tags_per_user": MAX_TAGS,
        "taggings_per_user": MAX_TAGGINGS,
        "transaction_rules_per_user": MAX_RULES,
        "processor_codes_and_tokens_per_tenant": MAX_GRANTS,
        "processor_code_seconds": CODE_TTL_SECONDS,
        "ach_returns_per_tenant": MAX_ACH_RETURNS,
        "credential_transactions": MAX_CREDENTIAL_TRANSACTIONS,
        "tenants": tenants.max_tenants if tenants.evict else None,
        "tenant_idle_seconds": tenants.idle_seconds if tenants.evict else None,
    }
