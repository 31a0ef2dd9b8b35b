"""The indexed router's resolved-route cache: same answers as a fresh match, bounded (inprocess)."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from sandbox.http import router as router_module
from sandbox.http.router import IndexedRouter

pytestmark = pytest.mark.inprocess_only


async def member(request: Request) -> JSONResponse:
    return JSONResponse({"route": "member", **request.path_params})


async def status(request: Request) -> JSONResponse:
    return JSONResponse({"route": "status", **request.path_params})


async def listing(request: Request) -> JSONResponse:
    return JSONResponse({"route": "list", **request.path_params})


def app() -> Starlette:
    routes = [
        Route("/users/{user}/members", listing, methods=["GET"]),
        Route("/users/{user}/members/{member}", member, methods=["GET", "DELETE"]),
        Route("/users/{user}/members/{member}/status", status, methods=["GET"]),
    ]
    built = Starlette()
    built.router = IndexedRouter(routes=routes, redirect_slashes=False)
    built.add_exception_handler(405, lambda request, exc: PlainTextResponse("no", 405))
    return built


def test_repeat_requests_get_the_same_route_and_parameters_and_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(router_module, "RESOLVED_LIMIT", 8)
    served = app()

    async def requests() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url="http://t") as http:
            for _ in range(2):  # the second round is answered from the cache
                assert (await http.get("/users/U1/members/M1/status")).json() == {"route": "status", "user": "U1", "member": "M1"}
                assert (await http.get("/users/U1/members/M2")).json() == {"route": "member", "user": "U1", "member": "M2"}
                assert (await http.get("/users/U2/members")).json() == {"route": "list", "user": "U2"}
                assert (await http.post("/users/U1/members/M2")).status_code == 405  # the method is part of the key
            for n in range(30):
                assert (await http.get(f"/users/U{n}/members/M{n}/status")).json()["member"] == f"M{n}"
            assert served.router.resolved <= 8
            again = await http.get("/users/U29/members/M29/status")
            assert again.json() == {"route": "status", "user": "U29", "member": "M29"}

    asyncio.run(requests())
