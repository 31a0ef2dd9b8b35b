"""One verifying TLS context per process, for the httpx clients the sandbox's tools make.

httpx builds a new `ssl.SSLContext` for every client and loads the whole CA bundle into it (about
40 ms of CPU). The CLI, the pytest plugin, the scenario runner and the contract tests make many
short-lived clients, nearly all to a loopback sandbox where TLS is never used, so they pass this
one instead (`httpx.Client(verify=shared_tls())`): verification against int-api is unchanged.
"""
from __future__ import annotations

import functools
import ssl


@functools.cache
def shared_tls() -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()  # what httpx would build per client (certifi, SSL_CERT_FILE)
