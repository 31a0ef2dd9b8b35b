"""The one table of MX's job types: what each needs, serves, sets and produces.

Routes (`POST .../members/{m}/<name>` and its success code), the job runner (timings, throttle,
`has_processed_*` flags, follow-up jobs), the data store (what a completed job stores) and
scenario steps all read this table instead of keeping their own lists.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobType:
    name: str  # also the endpoint: POST /users/{u}/members/{m}/<name>
    product: str | None  # the premium product it serves (and the institution must support)
    success_status: int  # what the endpoint answers when the job is accepted
    timing: str  # institution timing key for its data phase: aggregate_seconds | premium_seconds
    throttles: bool  # a success starts MX's 3-hour manual-aggregation throttle
    sets: frozenset[str]  # has_processed_* flags (without the prefix) a success sets
    produces: str | None = None  # extra data: account_numbers | owners | statements | rewards
    balance_only: bool = False  # moves balances, leaves transactions for the next pull
    extends_history: bool = False  # adds the older history window (MX: up to 24 months)
    unsupported_message: str | None = None  # the 400 when the institution lacks the product
    webhook: str | None = None  # the `type` of the webhook a completed job sends (AGGREGATION shape)


_BOTH = frozenset({"accounts", "transactions"})

JOB_TYPES: dict[str, JobType] = {
    job.name: job
    for job in (
        JobType("aggregate", None, 202, "aggregate_seconds", True, _BOTH, webhook="AGGREGATION"),
        JobType("check_balance", None, 202, "aggregate_seconds", True, frozenset({"accounts"}), balance_only=True,
                webhook="BALANCE"),
        # Premium jobs, in the order a connection runs them for its requested products.
        JobType("verify", "account_verification", 200, "premium_seconds", True,
                frozenset({"accounts", "account_numbers"}), produces="account_numbers",
                webhook="VERIFICATION",
                unsupported_message="Member's institution does not support instant account verification."),
        JobType("identify", "identity_verification", 202, "premium_seconds", True, frozenset({"accounts"}),
                produces="owners",
                unsupported_message="Member's institution does not support identification."),
        JobType("extend_history", "transaction_history", 202, "premium_seconds", False,
                frozenset({"transactions"}), extends_history=True, webhook="HISTORY",
                unsupported_message="Member's institution does not support extended transaction history."),
        JobType("fetch_statements", "statements", 202, "premium_seconds", True, _BOTH, produces="statements",
                webhook="STATEMENT",
                unsupported_message="Member's institution does not support statements."),
        JobType("fetch_rewards", "rewards", 200, "premium_seconds", True, _BOTH, produces="rewards",
                unsupported_message="Member's institution does not support rewards."),
    )
}

# Follow-up jobs a connection queues for its requested premium products, in MX's usual order.
PRODUCT_JOBS: tuple[JobType, ...] = tuple(job for job in JOB_TYPES.values() if job.product)


def job_type(name: str) -> JobType:
    return JOB_TYPES[name]
