"""GET/PUT /_sandbox/snapshot: a tenant as one versioned JSON document, and back.

A snapshot is the tenant's log (http/persist.py), so loading one is a reset and a replay: the
tenant ends up as the one that was saved, and whatever it had scheduled (a member's scripted later
life, webhook retries) still happens on its clock. Not MX's.
"""
from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...core.clock import format_instant
from ...core.errors import BadRequest, MXError
from ...core.store.recorder import CAPTURE, meta_of
from ...core.store.snapshot import parse_snapshot, sandbox_version, snapshot_document
from ..auth import client_id_from
from ..driver import gate
from ..endpoint import Ctx, error_response, json_response, mx_route
from ..parsing import PayloadTooLarge
from ..persist import restore_tenant

MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024  # a tenant at its log limit (core/store/recorder.py) fits


def export(ctx: Ctx):
    log = ctx.request.app.state.recorder.log_of(ctx.tenant.client_id)
    return snapshot_document(log, sandbox_version(), meta_of(ctx.tenant))


async def _read(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_SNAPSHOT_BYTES:
        raise PayloadTooLarge("A snapshot is at most 64 MiB.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_SNAPSHOT_BYTES:
            raise PayloadTooLarge("A snapshot is at most 64 MiB.")
        chunks.append(chunk)
    return b"".join(chunks)


async def load(request: Request) -> Response:
    """Replace the tenant with the snapshot in the body; answers how many entries were replayed."""
    state = request.app.state
    try:
        tenant = state.tenants.get(client_id_from(request.headers, state.credentials))
        try:
            doc = orjson.loads(await _read(request))
        except orjson.JSONDecodeError:
            raise BadRequest("The snapshot is not valid JSON.") from None
        log = parse_snapshot(doc, sandbox_version())
        capture = CAPTURE.get()
        if capture is not None:
            capture.skip = True  # the log becomes the snapshot's, below, not this request
        async with gate(tenant):
            replayed, diverged = await restore_tenant(request.app, tenant, log, rebase=True)
            state.recorder.replace(tenant.client_id, replayed)
            clock = tenant.clock
            out = {"entries": len(replayed.entries), "diverged": diverged,
                   "clock": {"now": format_instant(clock.now()), "frozen": clock.frozen}}
        return json_response({"snapshot": out}, 200, None)
    except MXError as error:
        return error_response(error)


routes = [
    Route("/_sandbox/snapshot", mx_route(export, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/snapshot", load, methods=["PUT"]),
]
