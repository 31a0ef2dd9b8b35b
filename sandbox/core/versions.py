"""MX's two API versions, as values the core and the serializers share (negotiation is in http/)."""
from __future__ import annotations

V2025 = "v20250224"
V2011 = "v20111101"
SUPPORTED = (V2025, V2011)
