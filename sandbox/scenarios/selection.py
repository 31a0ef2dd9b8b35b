"""Which scenarios a command works on: files and folders, or names of shipped scenarios."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import SCENARIOS_DIR
from .loader import Scenario, ScenarioError, discover, load


@dataclass
class Selection:
    scenarios: list[Scenario] = field(default_factory=list)
    invalid: list[ScenarioError] = field(default_factory=list)  # files that did not load, in order
    unknown: list[str] = field(default_factory=list)  # names that match no scenario, with hints


def select(args: list[str], folder: Path = SCENARIOS_DIR) -> Selection:
    """Arguments that exist on disk are files or folders; any other argument is a scenario name,
    looked up in `folder`. No arguments at all means every scenario in `folder`."""
    paths = [Path(a) for a in args if Path(a).exists()]
    names = [a for a in args if not Path(a).exists()]
    chosen = Selection()
    for path in discover(paths if paths or names else [folder]):
        try:
            chosen.scenarios.append(load(path))
        except ScenarioError as error:
            chosen.invalid.append(error)
    if names:
        shipped = {s.name: s for s in _load_quietly(folder)}
        for name in names:
            if name in shipped:
                chosen.scenarios.append(shipped[name])
            else:
                close = difflib.get_close_matches(name, shipped, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else f" (`scenarios list` shows the {len(shipped)} names)"
                chosen.unknown.append(f"no scenario named {name!r} and no such file{hint}")
    return chosen


def _load_quietly(folder: Path) -> list[Scenario]:
    out = []
    for path in discover([folder]):
        try:
            out.append(load(path))
        except ScenarioError:
            continue  # reported when the folder itself is listed or run
    return out
