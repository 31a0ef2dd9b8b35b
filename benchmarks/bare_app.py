"""The baseline for benchmarks/startup_and_load.py: a bare Starlette app with one JSON endpoint,
served by uvicorn exactly as `mx-sandbox serve` serves the sandbox (same log level, no access log)."""
from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def user(request: Request) -> JSONResponse:
    return JSONResponse({"user": {"guid": "USR-1", "id": None, "is_disabled": False, "metadata": None}})


app = Starlette(routes=[Route("/user", user, methods=["GET"])])

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
