"""Widget step names (MX's Connect step names) and which step a member's status leads to. Data, not code."""
from __future__ import annotations

from ..members.model import PROCESSING

SEARCH = "search"
ENTER_CREDS = "enterCreds"
CONNECTING = "connecting"
MFA = "mfa"
OAUTH = "oauth"
OAUTH_ERROR = "oauthError"
CONNECTED = "connected"
LOGIN_ERROR = "loginError"
ACTIONABLE_ERROR = "actionableError"
VERIFY_ERROR = "verifyError"
DELETED = "deleteMemberSuccess"
MICRODEPOSITS = "microdeposits"

# Statuses the user can fix by typing credentials (or answers) again → loginError.
LOGIN_ERROR_STATUSES = frozenset({"DENIED", "PREVENTED", "IMPAIRED", "IMPORTED", "REJECTED", "EXPIRED"})
# MX's Connect error bucket (ids 1,2,4,5,7,9-14,16,17,19,20); CHALLENGED is MFA, not an error.
ERROR_STATUSES = frozenset({
    "PREVENTED", "DENIED", "REJECTED", "LOCKED", "IMPEDED", "DEGRADED", "DISCONNECTED", "DISCONTINUED",
    "CLOSED", "DELAYED", "FAILED", "DISABLED", "IMPORTED", "EXPIRED", "IMPAIRED",
})

# Steps from which each action may be taken.
ACTION_STEPS: dict[str, frozenset[str]] = {
    "search": frozenset({SEARCH}),
    "select_institution": frozenset({SEARCH}),
    "submit_credentials": frozenset({ENTER_CREDS}),
    "answer_mfa": frozenset({MFA}),
    "oauth": frozenset({OAUTH}),
    "primary_action": frozenset({CONNECTED, LOGIN_ERROR, ACTIONABLE_ERROR, OAUTH_ERROR, VERIFY_ERROR, DELETED}),
    "back_to_search": frozenset({ENTER_CREDS, OAUTH, MFA, CONNECTED, LOGIN_ERROR, ACTIONABLE_ERROR,
                                 OAUTH_ERROR, VERIFY_ERROR, DELETED, MICRODEPOSITS}),
    "delete_member": frozenset({CONNECTED, LOGIN_ERROR, ACTIONABLE_ERROR, OAUTH_ERROR, VERIFY_ERROR}),
    "microdeposits": frozenset({SEARCH, MICRODEPOSITS}),
    "verify_microdeposits": frozenset({MICRODEPOSITS}),
    "ping": frozenset(),  # any step
}


def error_step(status: str) -> str:
    return LOGIN_ERROR if status in LOGIN_ERROR_STATUSES else ACTIONABLE_ERROR


def step_for_member(status: str | None, is_being_aggregated: bool, is_oauth: bool) -> str:
    """Where `current_member_guid` opens: MFA, OAuth, still connecting, connected, or an error."""
    if status == "CHALLENGED":
        return MFA
    if status == "PENDING" and is_oauth:
        return OAUTH
    if status in PROCESSING or is_being_aggregated:
        return CONNECTING
    if status == "CONNECTED":
        return CONNECTED
    if status in ERROR_STATUSES:
        return error_step(status)
    return OAUTH if is_oauth else ENTER_CREDS
