"""Starlette's router, with routes indexed by path shape so a request tries a handful, not ~100.

Starlette tries every route in order until one matches. With MX's ~170 operations that linear scan
was a measurable part of each request, so routes are grouped by their number of segments and
their literal segments; a request only tries the routes whose literals match its path, in their
original order, with Starlette's own `matches` (so FULL/PARTIAL, i.e. 405, work as before).
Anything that is not a plain `Route` is tried for every request.

A client polls the same few paths (`/status` until CONNECTED), so the route a method and path
resolved to, and its path parameters, are also kept: at most `RESOLVED_LIMIT` paths, oldest
dropped first.
"""
from __future__ import annotations

import re
from typing import Any

from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

_PARAM = re.compile(r"^\{[^}:]+\}$")  # one segment, default `str` convertor: matches any segment
RESOLVED_LIMIT = 4096  # (method, path) → route and path parameters, kept for repeat requests


class IndexedRouter(Router):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_length: dict[int, list[tuple[int, tuple[str | None, ...], BaseRoute]]] = {}
        self._anywhere: list[tuple[int, BaseRoute]] = []
        for order, route in enumerate(self.routes):
            shape = _shape(route)
            if shape is None:
                self._anywhere.append((order, route))
            else:
                self._by_length.setdefault(len(shape), []).append((order, shape, route))
        # the literal segments routes use at each position, per path length
        self._literals = {n: [{shape[i] for _, shape, _ in entries} - {None} for i in range(n)]
                          for n, entries in self._by_length.items()}
        # path shape → candidate routes; bounded by the routes' literal combinations, not by requests
        self._cache: dict[tuple[str | None, ...], list[BaseRoute]] = {}
        self._resolved: dict[tuple[str, str, str], tuple[BaseRoute, dict[str, Any]]] = {}

    def _candidates(self, path: str) -> list[BaseRoute]:
        segments = path.split("/")
        literals = self._literals.get(len(segments))
        if literals is None:
            return [route for _, route in self._anywhere]
        key = tuple(seg if seg in known else None for seg, known in zip(segments, literals))
        found = self._cache.get(key)
        if found is None:
            pairs = [(order, route) for order, shape, route in self._by_length[len(segments)]
                     if all(literal is None or literal == seg for literal, seg in zip(shape, key))]
            found = self._cache[key] = [route for _, route in sorted(pairs + self._anywhere, key=lambda p: p[0])]
        return found

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)
        key = (scope["method"], scope["path"], scope.get("root_path", ""))
        known = self._resolved.get(key)
        if known is not None and "path_params" not in scope:  # not mounted under another router
            route, child_scope = known
            scope["route"] = route
            scope["endpoint"] = child_scope["endpoint"]
            scope["path_params"] = dict(child_scope["path_params"])
            await route.handle(scope, receive, send)
            return
        partial = partial_scope = None
        for route in self._candidates(scope["path"]):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                self._remember(key, route, child_scope)
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None and partial_scope is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        await self.default(scope, receive, send)


    @property
    def resolved(self) -> int:
        """How many (method, path) resolutions are kept (at most `RESOLVED_LIMIT`; on /_sandbox/health)."""
        return len(self._resolved)

    def _remember(self, key: tuple[str, str, str], route: BaseRoute, child_scope: dict[str, Any]) -> None:
        if not isinstance(route, Route) or set(child_scope) != {"endpoint", "path_params"}:
            return  # only plain routes, whose match is the endpoint and the parameters
        if len(self._resolved) >= RESOLVED_LIMIT:
            del self._resolved[next(iter(self._resolved))]
        self._resolved[key] = (route, {"endpoint": child_scope["endpoint"], "path_params": dict(child_scope["path_params"])})


def _shape(route: BaseRoute) -> tuple[str | None, ...] | None:
    """Each segment of a plain route's path: its literal text, or None for a `{param}`."""
    if not isinstance(route, Route) or route.path.endswith("/") and route.path != "/":
        return None
    shape = tuple(None if _PARAM.match(seg) else seg for seg in route.path.split("/"))
    if any(seg is not None and ("{" in seg or "}" in seg) for seg in shape):
        return None  # a convertor or a partial-segment parameter: leave it to the full scan
    return shape
