"""Aggregated data (accounts, transactions, premium products): the tenant's `data` component."""
from __future__ import annotations

from ..tenant import register_component
from .store import DataStore

register_component("data", DataStore)

__all__ = ["DataStore"]
