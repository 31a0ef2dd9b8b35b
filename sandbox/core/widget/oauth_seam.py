"""The seam between the widget and OAuth (issue 5 replaces the stand-in behaviour here).

The widget only needs two things from OAuth: the URL to announce in `oauthRequested`, and "the
user said yes/no at the bank". If the tenant has an `oauth` component offering `decide(member,
decision, now)`, it is used; otherwise the stand-in below authorizes by starting aggregation and
denies by ending in DENIED with `error_reason` DENIED. The widget session reacts to the member's
status change (see watch.py), never to this function's return, so a real consent page that
changes the member the same way drives the widget with no change here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import BadRequest
from ..members.model import Member

if TYPE_CHECKING:
    from ..tenant import Tenant

DECISIONS = ("authorize", "deny")


def window_uri(tenant: "Tenant", member: Member) -> str:
    """The member's `oauth_window_uri`, or a placeholder on the sandbox host until issue 5."""
    return member.oauth_window_uri or f"{tenant.settings.public_url}/oauth/authorize/{member.guid}"


def decide(tenant: "Tenant", member: Member, decision: str, now: float) -> None:
    if decision not in DECISIONS:
        raise BadRequest("decision must be authorize or deny.")
    oauth = tenant.components.get("oauth")
    if oauth is not None and hasattr(oauth, "decide"):
        oauth.decide(member, decision, now)
        return
    jobs = tenant.component("members").jobs
    if member.connection_status != "PENDING":
        raise BadRequest("This member is not waiting for OAuth.")
    if decision == "authorize":
        member.error_reason = None
        first, follow = jobs.initial_jobs(member)
        jobs.start(member, first, now, status="CONNECTED", queue=follow, authenticated=True)
    else:
        member.error_reason = "DENIED"
        jobs.finish(member, "DENIED", now)
