"""MX's widget events (ui_message_version 4): the postMessage object and its WebView URL.

One builder for both deliveries so the browser page, WebView navigation and the event timeline
can never disagree on names or metadata.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# Events outside the `connect` namespace: mx/load and mx/ping.
GENERIC = frozenset({"load", "ping"})


@dataclass(frozen=True)
class WidgetMessage:
    seq: int
    name: str  # e.g. "loaded", "connected/primaryAction", "load"
    metadata: dict[str, Any]

    @property
    def type(self) -> str:
        return f"mx/{self.name}" if self.name in GENERIC else f"mx/connect/{self.name}"

    def post_message(self) -> dict[str, Any]:
        """The object the page hands to `postMessage` (an object, never a JSON string)."""
        return {"mx": True, "type": self.type, "metadata": dict(self.metadata)}

    def webview_url(self, scheme: str) -> str:
        """`<scheme>://connect/<event>?metadata=…` (`<scheme>://load?…` for generic events).

        The metadata is encoded like JavaScript's `encodeURIComponent(JSON.stringify(metadata))`.
        """
        path = self.name if self.name in GENERIC else f"connect/{self.name}"
        encoded = quote(json.dumps(self.metadata, separators=(",", ":"), ensure_ascii=False), safe="-_.!~*'()")
        return f"{scheme}://{path}?metadata={encoded}"
