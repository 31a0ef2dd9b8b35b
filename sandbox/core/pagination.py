"""MX paging: `page` (1-based) and `records_per_page`, default 25, range 10..max."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence, TypeVar

from .errors import BadRequest

T = TypeVar("T")
DEFAULT_PER_PAGE = 25
MIN_PER_PAGE = 10
# ASCII digits only: `int()` would also read "٣" (Arabic-Indic three), " 3" or "1_0" as numbers.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    records_per_page: int = DEFAULT_PER_PAGE


def parse_page_request(page: str | None, per_page: str | None, max_per_page: int = 100) -> PageRequest:
    """Values above the maximum fall back to 25, as MX documents; below 10 are raised to 10."""
    for value in (page, per_page):
        if value not in (None, "") and not _INTEGER.fullmatch(value):
            raise BadRequest("page and records_per_page must be integers.")
    page_n = int(page) if page else 1
    per_n = int(per_page) if per_page else DEFAULT_PER_PAGE
    page_n = max(page_n, 1)
    if per_n > max_per_page:
        per_n = DEFAULT_PER_PAGE
    per_n = max(per_n, MIN_PER_PAGE)
    return PageRequest(page_n, per_n)


def paginate(items: Sequence[T], request: PageRequest) -> tuple[list[T], dict[str, int]]:
    total = len(items)
    start = (request.page - 1) * request.records_per_page
    chunk = list(items[start : start + request.records_per_page])
    return chunk, {
        "current_page": request.page,
        "per_page": request.records_per_page,
        "total_entries": total,
        "total_pages": math.ceil(total / request.records_per_page) if total else 0,
    }
