"""Where the data QA edits lives: `fixtures/` and `scenarios/` beside the package in a checkout,
or under `<prefix>/share/mx-sandbox/` when installed from a wheel. `MX_SANDBOX_HOME` overrides."""
from __future__ import annotations

import os
import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[1]


def data_home() -> Path:
    override = os.environ.get("MX_SANDBOX_HOME")
    if override:
        return Path(override)
    if (_CHECKOUT / "fixtures" / "institutions.yml").exists():
        return _CHECKOUT
    return Path(sys.prefix) / "share" / "mx-sandbox"


FIXTURES_DIR = data_home() / "fixtures"
SCENARIOS_DIR = data_home() / "scenarios"
