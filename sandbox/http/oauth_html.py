"""The fake bank's HTML: consent page, "OAuth complete" page, error page. Every value is escaped.

Plain server-rendered pages with real `<form>`s and `<button>`s, so an HTTP client, a test browser
and a person all drive them the same way.
"""
from __future__ import annotations

import json
from html import escape

from starlette.responses import HTMLResponse, Response

from ..core.errors import MXError
from .endpoint import error_response

PRODUCT_LABELS = {
    "transactions": "Accounts, balances and transactions",
    "transaction_history": "Up to 24 months of transaction history",
    "account_verification": "Account and routing numbers",
    "identity_verification": "Account owner name, address, email and phone",
    "statements": "Account statements",
    "investments": "Investment holdings",
    "rewards": "Rewards programs",
}
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# Banks refuse to be framed; so does the fake bank, so an integration that iframes it fails here too.
NO_FRAMING = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0;color:#1d2433}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}.sandbox{font-size:.8rem;color:#6b7280}
form{display:flex;gap:.5rem;margin-top:1.5rem}button{flex:1;padding:.6rem;font-size:1rem;border-radius:6px;
border:1px solid #9ca3af;background:#fff;cursor:pointer}button[value=authorize]{background:#1d4ed8;color:#fff;border:0}
"""


def _page(title: str, body: str, status: int = 200, frameable: bool = True) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>{body}</main></body></html>"
    )
    headers = dict(PAGE_HEADERS) if frameable else {**PAGE_HEADERS, **NO_FRAMING}
    return HTMLResponse(html, status_code=status, headers=headers)


def consent_page(institution_name: str, products: list[str], state: str) -> HTMLResponse:
    """Authorize / Deny / Cancel for one state; the form posts back to this same path."""
    items = "".join(f"<li>{escape(PRODUCT_LABELS.get(p, p))}</li>" for p in products)
    body = (
        f"<p class=sandbox>MX Sandbox test bank: nothing here is real.</p><h1>{escape(institution_name)}</h1>"
        f"<p>An app connected through MX is asking to access:</p><ul>{items}</ul>"
        '<form method="post" action="authorize">'
        f'<input type="hidden" name="state" value="{escape(state)}">'
        '<button type="submit" name="decision" value="authorize">Authorize</button>'
        '<button type="submit" name="decision" value="deny">Deny</button>'
        '<button type="submit" name="decision" value="cancel">Cancel</button>'
        "</form>"
    )
    return _page(f"{institution_name}: authorize access", body, frameable=False)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no `</script>`, no HTML comment openers)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def complete_page(member_guid: str, status: str, error_reason: str | None) -> HTMLResponse:
    """Tell the widget window that opened us (`window.opener`) how OAuth ended, as MX's page does."""
    metadata: dict[str, str] = {"member_guid": member_guid}
    if error_reason:
        metadata["error_reason"] = error_reason
    message = {"mx": True, "type": f"oauthComplete/{status}", "metadata": metadata}
    heading = "You're connected" if status == "success" else "The connection was not completed"
    reason = f"<p>Reason: <code>{escape(error_reason)}</code></p>" if error_reason else ""
    body = (
        f'<div id="oauth-complete" data-status="{escape(status)}" data-member-guid="{escape(member_guid)}"'
        f' data-error-reason="{escape(error_reason or "")}">'
        f"<p class=sandbox>MX Sandbox</p><h1>{heading}</h1>{reason}"
        "<p>You can close this window and return to the app.</p>"
        '<button type="button" onclick="window.close()">Close window</button></div>'
        f"<script>(function(){{var m={_script_json(message)};"
        "try{if(window.opener){window.opener.postMessage(m,'*');}}catch(e){}})();</script>"
    )
    return _page("OAuth complete", body)


def error_page(status: int, message: str, accept: str = "") -> Response:
    """A person sees a page; a client that asks for JSON gets MX's error shape, like the widget's."""
    if "application/json" in accept:
        return error_response(MXError(message, status))
    body = f"<p class=sandbox>MX Sandbox test bank</p><h1>This link can't be used</h1><p>{escape(message)}</p>"
    return _page("OAuth link not valid", body, status)
