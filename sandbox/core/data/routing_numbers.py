"""ABA routing transit numbers: the checksum banks and MX's validity checks apply.

A routing number is nine digits d1..d9 with 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10),
and its first two digits name a Federal Reserve district (01-12), thrift (21-32) or
electronic (61-72) range, or 80 (traveler's cheques).
"""
from __future__ import annotations

import random

WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)
VALID_PREFIXES = tuple(range(1, 13)) + tuple(range(21, 33)) + tuple(range(61, 73)) + (80,)


def aba_checksum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS)) % 10


def is_valid_aba(number: str) -> bool:
    if len(number) != 9 or not number.isdigit():
        return False
    return int(number[:2]) in VALID_PREFIXES and aba_checksum(number) == 0


def check_digit(first_eight: str) -> str:
    """The ninth digit that makes `first_eight` a valid routing number."""
    partial = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS[:8]))
    return str((10 - partial % 10) % 10)


def make_aba(rng: random.Random) -> str:
    """A random routing number that passes the checksum and has a real district prefix."""
    body = f"{rng.choice(VALID_PREFIXES):02d}" + "".join(str(rng.randrange(10)) for _ in range(6))
    return body + check_digit(body)
