"""The sandbox in-process: respx routes httpx traffic for `https://int-api.mx.com` into the ASGI app.

An application's own httpx code therefore talks to the fake without a base-URL change and without a
socket. The app runs on a private event loop in a helper thread (an anyio blocking portal), so both
sync and async httpx clients work, from plain or async tests. Other hosts pass through untouched,
or to another respx router started after this one.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
from typing import Any

import httpx

INT_API = "https://int-api.mx.com"
RESET_HEADER = "x-mx-sandbox-reset"  # sandbox.http.faults.RESET_HEADER, not imported: no starlette here


class InProcessMX:
    """One ASGI app behind a respx route; `start()`/`stop()` patch and unpatch httpx."""

    def __init__(self, app: Any = None, base_url: str = INT_API) -> None:
        self.base_url = base_url.rstrip("/")
        if app is None:
            from ..app import build_app
            from ..config import SandboxConfig

            # Widget and OAuth links must lead back into this app, so they use the routed base URL.
            app = build_app(SandboxConfig(public_url=self.base_url))
        self.app = app
        self._touched: dict[str, str] = {}  # client_id → the Authorization header it used
        self._stack: contextlib.ExitStack | None = None

    @property
    def started(self) -> bool:
        return self._stack is not None

    def start(self) -> "InProcessMX":
        import respx
        from anyio.from_thread import start_blocking_portal

        if self._stack is not None:
            return self
        stack = contextlib.ExitStack()
        self._portal = stack.enter_context(start_blocking_portal())
        driver = getattr(self.app.state, "driver", None)
        if driver is not None:  # ASGITransport runs no lifespan: start the time driver on the portal's loop
            self._portal.call(driver.start)
            stack.callback(self._portal.call, driver.stop)
        sender = getattr(self.app.state, "webhook_sender", None)
        if sender is not None:  # likewise the webhook sender (webhooks go to real loopback receivers)
            self._portal.call(sender.start)
            stack.callback(self._portal.call, sender.stop)
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        self._client = httpx.AsyncClient(transport=transport, base_url=self.base_url)
        stack.callback(self._portal.call, self._client.aclose)
        self._router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self._router.route(host=httpx.URL(self.base_url).host).mock(side_effect=self._forward)
        self._router.route().mock(side_effect=self._elsewhere)
        self._router.start()
        stack.callback(self._router.stop, quiet=True)
        self._stack = stack
        return self

    def stop(self) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()

    def client(self, client_id: str, api_key: str | None = None, **kw: Any) -> httpx.Client:
        """An httpx client authenticated as tenant `client_id` (with the credentials it last used when
        `api_key` is None); its requests take the respx route."""
        if api_key is None and client_id in self._touched:
            return httpx.Client(base_url=self.base_url, headers={"Authorization": self._touched[client_id]}, **kw)
        return httpx.Client(base_url=self.base_url, auth=(client_id, api_key or "test-key"), **kw)

    # -- tenants a test touched --------------------------------------------------------------
    def touched(self) -> list[str]:
        return list(self._touched)

    def reset_touched(self) -> None:
        """Wipe every tenant that sent a request since the last call, so the next test starts empty."""
        touched, self._touched = self._touched, {}
        for authorization in touched.values():
            self._portal.call(self._send, "POST", f"{self.base_url}/_sandbox/reset", [(b"authorization", authorization.encode())], b"")

    # -- respx side effects --------------------------------------------------------------------
    def _forward(self, request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization")
        client_id = _basic_client_id(authorization)
        if client_id and authorization:
            self._touched[client_id] = authorization
        return self._portal.call(self._send, request.method, str(request.url), list(request.headers.raw), request.read())

    async def _send(self, method: str, url: str, headers: list[tuple[bytes, bytes]], content: bytes) -> httpx.Response:
        response = await self._client.request(method, url, headers=headers, content=content)
        if response.headers.get(RESET_HEADER):  # a fault's reset connection (sandbox/http/faults.py)
            raise httpx.ReadError("[Errno 104] Connection reset by peer (mx-sandbox fault)")
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    def _elsewhere(self, request: httpx.Request) -> httpx.Request:
        """Not MX: let a respx router started after this one decide, else send it for real."""
        from respx.models import AllMockedAssertionError

        routers = self._router.Mocker.routers if self._router.Mocker else []
        if self._router in routers and routers.index(self._router) < len(routers) - 1:
            raise AllMockedAssertionError(f"RESPX: {request!r} is not for the MX sandbox")
        return request  # a side effect returning the request passes it through


def _basic_client_id(authorization: str | None) -> str | None:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")[0] or None
    except (binascii.Error, UnicodeDecodeError):
        return None


_shared: InProcessMX | None = None


def shared() -> InProcessMX:
    """The process-wide instance (started), shared by the plugin's fixture and the suite's target."""
    global _shared
    if _shared is None:
        _shared = InProcessMX().start()
    return _shared


def stop_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.stop()
        _shared = None
