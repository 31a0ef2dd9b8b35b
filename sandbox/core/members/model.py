"""Members, their jobs and MFA challenges: plain data, no rules (rules live in jobs.py and behavior.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..institutions import Institution

# MX's connection_status values; the index is the numeric id widget events and webhooks carry.
STATUSES = (
    "CREATED", "PREVENTED", "DENIED", "CHALLENGED", "REJECTED", "LOCKED", "CONNECTED", "IMPEDED",
    "RECONNECTED", "DEGRADED", "DISCONNECTED", "DISCONTINUED", "CLOSED", "DELAYED", "FAILED",
    "UPDATED", "DISABLED", "IMPORTED", "RESUMED", "EXPIRED", "IMPAIRED", "PENDING",
)
STATUS_IDS = {name: index for index, name in enumerate(STATUSES)}
PROCESSING = frozenset({"CREATED", "RECONNECTED", "UPDATED", "RESUMED"})

@dataclass
class Challenge:
    guid: str
    type: str  # TEXT | OPTIONS | TOKEN | IMAGE_DATA | IMAGE_OPTIONS
    label: str
    field_name: str | None = None
    image_data: str | None = None
    options: list[dict[str, Any]] = field(default_factory=list)
    image_options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Job:
    guid: str
    type: str  # a key of job_types.JOB_TYPES
    started_at: float
    is_background: bool = False
    finished_at: float | None = None
    outcome: str | None = None  # the end status, e.g. CONNECTED, DENIED
    # v20111101 `POST .../aggregate?include_transactions=false&include_holdings=false`
    include_transactions: bool = True
    include_holdings: bool = True


@dataclass
class Member:
    guid: str
    user_guid: str
    institution: Institution
    created_at: float
    id: str | None = None
    metadata: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)  # credential guid → value
    is_oauth: bool = False
    products: frozenset[str] = frozenset({"transactions"})  # what the partner asked for
    background_aggregation_is_disabled: bool = False
    use_cases: list[str] = field(default_factory=list)
    # connection state
    connection_status: str | None = None
    connection_status_message: str | None = None
    is_being_aggregated: bool = False
    is_authenticated: bool = False
    has_processed_accounts: bool = False
    has_processed_transactions: bool = False
    has_processed_account_numbers: bool = False
    aggregated_at: float | None = None  # start of the latest aggregation-type job
    successfully_aggregated_at: float | None = None  # end of the latest successful one
    throttle_from: float | None = None  # last success of a throttling job
    job: Job | None = None  # the current or most recent job
    queue: list[str] = field(default_factory=list)  # follow-up jobs for requested products
    challenges: list[Challenge] = field(default_factory=list)
    denied_in_a_row: int = 0
    oauth_window_uri: str | None = None
    oauth_options: dict[str, Any] = field(default_factory=dict)  # referral_source, redirect url, scheme
    error_reason: str | None = None  # OAuth error reason (DENIED, CANCELLED, ...)
    script_answers: int = 0  # challenges answered under a scenario script
    timeline_scheduled: bool = False  # a scenario script's later-life timeline is on the scheduler
    is_managed: bool = False  # partner-managed (managed data): the partner supplies its data, no jobs
    custom_name: str | None = None  # a managed member's own `name`

    @property
    def name(self) -> str:
        return self.custom_name or self.institution.name

    @property
    def status_id(self) -> int | None:
        return STATUS_IDS.get(self.connection_status) if self.connection_status else None

    @property
    def is_running(self) -> bool:
        return self.job is not None and self.job.finished_at is None
