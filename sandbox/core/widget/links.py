"""Widget URLs: minted tokens that open one session, once, within ten virtual minutes.

The token is registered in the app-level TokenDirectory (`tenant.tokens`, kind `widget_url`) so a
browser without Basic auth finds its tenant; the `Link` itself lives in the tenant's widget
component, so a tenant reset kills its URLs.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..cause import Cause
from ..errors import MXError
from .config import WidgetConfig

LINK_TTL_SECONDS = 600  # "10 minutes or until first use, whichever comes first"


class LinkGone(MXError):
    """A used or expired widget URL: HTTP 410."""

    status = 410


USED_MESSAGE = "This widget URL has already been used. Widget URLs work once; request a new one."
EXPIRED_MESSAGE = "This widget URL has expired. Widget URLs last ten minutes; request a new one."


@dataclass
class Link:
    token: str
    user_guid: str
    config: WidgetConfig
    issued_at: float
    used_at: float | None = None
    session_guid: str | None = None  # the session the one successful open started
    cause: Cause | None = None  # the minting request's, for the webhooks of members it creates

    def claim(self, now: float) -> None:
        """Mark the link used, or raise `LinkGone`. Callers hold the tenant lock and do not await."""
        if self.used_at is not None:
            raise LinkGone(USED_MESSAGE)
        if now - self.issued_at > LINK_TTL_SECONDS:
            raise LinkGone(EXPIRED_MESSAGE)
        self.used_at = now
