"""Aggregated data (accounts, transactions, premium products): the tenant's data part."""
from __future__ import annotations

from .store import DataStore

__all__ = ["DataStore"]
