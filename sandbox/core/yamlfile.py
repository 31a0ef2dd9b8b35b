"""Read the fixture and scenario YAML with libyaml when PyYAML has it: start-up parses them all
(and keeps what it parsed between runs: core/parse_cache.py).

A file that cannot be used stops start-up with one line naming the file, the line, the entry and the
problem (`FixtureError`). Loaders mark their entries with `entry(...)`; line numbers are looked up
only when something is wrong, so the happy path stays a single libyaml parse.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from .parse_cache import cached_parse

if TYPE_CHECKING:
    import yaml
T = TypeVar("T")
Keys = tuple[Any, ...]


class FixtureError(ValueError):
    """A data file that cannot be used, said in one line: `file:line: entry: problem`."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, entry: str | None = None) -> None:
        self.path, self.problem, self.line, self.entry = str(path), problem, line, entry
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {entry}: {problem}" if entry else f"{where}: {problem}")


class EntryError(ValueError):
    """A problem inside one entry of a data file; `keys` is the entry's path from the top of the file."""

    def __init__(self, keys: Keys, problem: str) -> None:
        self.keys, self.problem = keys, problem
        super().__init__(f"{entry_name(keys)}: {problem}")


def entry_name(keys: Keys) -> str:
    """("institutions", 3, "credentials") → `institutions[3].credentials`."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text or "(top)"


def describe(error: Exception) -> str:
    """What went wrong, in words a person editing the file understands."""
    if isinstance(error, KeyError):
        return f"missing {error.args[0]!r}"
    if isinstance(error, (TypeError, AttributeError)):
        return f"a value has the wrong type ({error})"
    return str(error)


@contextmanager
def entry(*keys: Any) -> Iterator[None]:
    """Any problem while reading this entry is reported as this entry's (innermost entry wins)."""
    try:
        yield
    except EntryError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise EntryError(keys, describe(error)) from None


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(path, f"cannot read the file ({getattr(error, 'strerror', None) or error})") from None
    try:
        return cached_parse(text, _parse)
    except _NotYAML as error:
        raise FixtureError(path, f"not valid YAML: {error.problem}", error.line) from None


def _yaml() -> Any:
    """PyYAML, imported on first use: a start-up whose files are all in the parse cache never needs
    it (~15 ms)."""
    import yaml

    return yaml


def _loader(yaml: Any) -> Any:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NotYAML(Exception):
    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem, self.line = problem, line


def _parse(text: str) -> Any:
    yaml = _yaml()
    try:
        return yaml.load(text, Loader=_loader(yaml))  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise _NotYAML(str(error.problem or error.context), line) from None
    except yaml.YAMLError as error:
        raise _NotYAML(str(error), None) from None


def read_fixture(path: Path, parse: Callable[[Any], T]) -> T:
    """Load `path` and `parse` it; any problem becomes one `FixtureError` line."""
    data = load_yaml(path)
    try:
        return parse(data)
    except FixtureError:
        raise
    except EntryError as error:
        raise FixtureError(path, error.problem, line_of(path, error.keys), entry_name(error.keys)) from None
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        keys, problem = _named_in_message(path, describe(error))
        raise FixtureError(path, problem, line_of(path, keys), entry_name(keys) if keys else None) from None


_PATH = re.compile(r"^([A-Za-z_][\w\-]*(?:\[\d+\]|\.[A-Za-z_][\w\-]*)*): (.*)$")


def _named_in_message(path: Path, message: str) -> tuple[Keys, str]:
    """Loaders that name their entries in the message (`<file>: accounts[0].balance: bad range`)."""
    message = message.removeprefix(f"{path}: ")
    match = _PATH.match(message)
    if not match:
        return (), message
    keys = tuple(int(k) if k.isdigit() else k for k in re.findall(r"[A-Za-z_][\w\-]*|\d+", match.group(1)))
    return keys, match.group(2)


def node_line(node: "yaml.Node | None", keys: Keys) -> int:
    """Follow `keys` through composed YAML nodes as far as they go; the 1-based line reached
    (a mapping entry's line is its key's, so `tenantA:` with no value is still found)."""
    if node is None:
        return 1
    yaml = _yaml()
    line = node.start_mark.line
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if _same_key(k, key)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line
        else:
            break
    return line + 1


def _same_key(node: "yaml.Node", key: Any) -> bool:
    if key is None:  # `~: x` or `: x`
        return node.tag.endswith(":null") or node.value in ("", "~", "null", "Null", "NULL")
    return node.value == str(key)


def line_of(path: Path, keys: Keys) -> int | None:
    """The line of the entry at `keys` in `path` (re-read: only called when reporting a problem)."""
    yaml = _yaml()
    try:
        return node_line(yaml.compose(path.read_text(), Loader=_loader(yaml)), keys)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
