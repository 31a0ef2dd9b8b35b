"""Every bound the sandbox keeps, in one place, for `/_sandbox/health` and the docs."""
from __future__ import annotations

from typing import Any

from .clock import MAX_JUMP_SECONDS
from .data.merge import MAX_MERGED
from .data.ledger_index import MAX_VIEWS
from .events import TIMELINE_LIMIT
from .managed import MAX_MANAGED_ACCOUNTS, MAX_MANAGED_MEMBERS, MAX_MANAGED_TRANSACTIONS
from .faults import MAX_DELAY_MS, MAX_RULES as MAX_FAULT_RULES
from .journal import BODY_LIMIT, JOURNAL_LIMIT, PAGE_LIMIT
from .members.jobs import BACKGROUND_CATCHUP_DAYS
from .oauth import GRANT_RETENTION_SECONDS
from .pfm.budgets import MAX_BUDGETS
from .pfm.categories import MAX_CUSTOM_CATEGORIES
from .pfm.goals import MAX_GOALS
from .pfm.rules import MAX_RULES
from .pfm.spending_plans import MAX_ITEMS, MAX_PLANS
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
        "sorted_transaction_views_per_tenant": MAX_VIEWS,
        "journal_requests_per_tenant": JOURNAL_LIMIT,
        "journal_page": PAGE_LIMIT,
        "journal_body_chars": BODY_LIMIT,
        "fault_rules_per_tenant": MAX_FAULT_RULES,
        "fault_delay_ms_max": MAX_DELAY_MS,
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
        "managed_members_per_user": MAX_MANAGED_MEMBERS,
        "managed_accounts_per_member": MAX_MANAGED_ACCOUNTS,
        "managed_transactions_per_account": MAX_MANAGED_TRANSACTIONS,
        "accounts_per_merge": MAX_MERGED,
        "budgets_per_user": MAX_BUDGETS,
        "goals_per_user": MAX_GOALS,
        "spending_plans_per_user": MAX_PLANS,
        "spending_plan_items_per_iteration": MAX_ITEMS,
        "processor_codes_and_tokens_per_tenant": MAX_GRANTS,
        "processor_code_seconds": CODE_TTL_SECONDS,
        "ach_returns_per_tenant": MAX_ACH_RETURNS,
        "credential_transactions": MAX_CREDENTIAL_TRANSACTIONS,
        "tenants": tenants.max_tenants if tenants.evict else None,
        "tenant_idle_seconds": tenants.idle_seconds if tenants.evict else None,
    }
