"""The widget's microdeposit path: account and routing numbers instead of a sign-in.

Offered in verification widgets (products include account_verification): from search ("connect
with account numbers"), when the chosen institution lacks account_verification, or on opening a
URL minted with `current_microdeposit_guid`. Microdeposits are created and verified through the
same MicrodepositStore calls the API uses; the step's screen follows the microdeposit's status.
"""
from __future__ import annotations

from typing import Any

from ..errors import BadRequest, Conflict, NotFound
from ..microdeposits.rules import BlockedRoutingNumber
from ..microdeposits.store import Microdeposit
from . import steps
from .session import WidgetSession

DETAIL_FIELDS = ("routing_number", "account_number", "account_type", "account_name", "first_name", "last_name",
                 "email")


def current(s: WidgetSession) -> Microdeposit | None:
    if s.microdeposit_guid is None:
        return None
    try:
        return s.widget.microdeposits.get(s.microdeposit_guid, s.user_guid)
    except NotFound:
        return None


def enter(s: WidgetSession, at: float, md: Microdeposit | None = None) -> None:
    """Show the microdeposit step and announce it (`microdeposits/loaded`)."""
    if not s.config.wants_verification:
        raise Conflict("Microdeposits verify accounts: this widget did not request account_verification.")
    s.microdeposit_guid = md.guid if md else None
    s.go(steps.MICRODEPOSITS, at)
    extra = {"microdeposit_guid": md.guid} if md else {}
    s.emit("microdeposits/loaded", at, **extra)


def _details(body: dict[str, Any]) -> dict[str, Any]:
    raw = body.get("details")
    if not isinstance(raw, dict):
        raise BadRequest("details must be an object: routing_number, account_number, account_type, "
                         "first_name, last_name, email (account_name optional).")
    unknown = set(raw) - set(DETAIL_FIELDS)
    if unknown:
        raise BadRequest(f"Unknown microdeposit fields: {', '.join(sorted(unknown))}.")
    return {k: v for k, v in raw.items() if v is not None and v != ""}


def microdeposits(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    """Without `details`: open the step (from search). With them: submit the account form.

    A blocked routing number is the user's mistake, not the partner's: the widget reports it with
    `blockedRoutingNumber` and keeps the form (200); other invalid input is a 400 that changes nothing.
    """
    details = _details(body) if "details" in body else None
    if s.step != steps.MICRODEPOSITS:
        if s.step != steps.SEARCH:
            raise Conflict(f"microdeposits is not available on the {s.step} step.")
        if details is not None:
            raise Conflict("Open the microdeposit step first: send the action without details.")
        s.institution = None
        s.bind(None)
        enter(s, at)
        return
    if details is None:
        raise BadRequest("details are required on the microdeposits step.")
    store = s.widget.microdeposits
    md = current(s)
    if md is not None and md.status != "PREINITIATED":
        raise Conflict("This microdeposit already has its account details.")
    try:
        md = store.initiate(md, details) if md is not None else store.create(s.user_guid, _required(details))
    except BlockedRoutingNumber as blocked:
        s.emit("microdeposits/blockedRoutingNumber", at, routing_number=blocked.routing_number, reason=blocked.reason)
        s.error = blocked.message
        return
    s.microdeposit_guid, s.error = md.guid, None
    s.emit("microdeposits/detailsSubmitted", at, microdeposit_guid=md.guid)


def _required(details: dict[str, Any]) -> dict[str, Any]:
    """The widget asks for the person too (the API accepts a microdeposit without them)."""
    missing = [n for n in ("routing_number", "account_number", "account_type", "first_name", "last_name", "email")
               if not details.get(n)]
    if missing:
        raise BadRequest(f"Missing microdeposit fields: {', '.join(missing)}.")
    return details


def _amounts(body: dict[str, Any]) -> tuple[float, float]:
    raw = body.get("amounts")
    if not isinstance(raw, list) or len(raw) != 2 or not all(
            isinstance(a, (int, float)) and not isinstance(a, bool) and 0 < a < 1 for a in raw):
        raise BadRequest("amounts must be the two deposit amounts in dollars, e.g. [0.07, 0.15].")
    return float(raw[0]), float(raw[1])


def verify_microdeposits(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    """Right amounts → `microdeposits/verified`; wrong ones show the attempts left (or PREVENTED)."""
    amounts = _amounts(body)
    md = current(s)
    if md is None or md.status != "DEPOSITED":
        raise Conflict("There is no deposited microdeposit to verify.")
    s.widget.microdeposits.verify(md, *amounts)
    s.error = md.error_message
    if md.status == "VERIFIED":
        s.emit("microdeposits/verified", at, microdeposit_guid=md.guid)


def lacks_only_verification(s: WidgetSession, institution: Any) -> bool:
    """A verification widget may fall back to microdeposits for an institution without IAV."""
    others = [p for p in s.config.products if p != "account_verification"]
    countries = s.config.iso_country_code
    return (s.config.wants_verification and not institution.supports("account_verification")
            and all(institution.supports(p) for p in others)
            and (not countries or institution.iso_country_code in countries))
