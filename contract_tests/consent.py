"""Drive the fake bank's consent page the way a browser would: read the HTML form, press a button.

No knowledge of the sandbox beyond the page itself: the form's action, its hidden inputs and the
button whose visible label is the one the user clicks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from contract_tests.harness import MX


@dataclass
class Form:
    action: str = ""
    method: str = "get"
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # label → (name, value)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: dict[str, str] | None = None
        self._label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and self.forms and a.get("type") == "hidden":
            self.forms[-1].hidden[a.get("name", "")] = a.get("value", "")
        elif tag == "button" and self.forms:
            self._button, self._label = a, ""

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._label += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons[self._label.strip()] = (self._button.get("name", ""), self._button.get("value", ""))
            self._button = None


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    assert len(parser.forms) == 1, f"expected one form on the consent page, found {len(parser.forms)}"
    return parser.forms[0]


def browse(mx: MX, url: str) -> httpx.Response:
    """GET as a browser: no Basic auth, redirects not followed."""
    return mx.http.get(url, auth=None, follow_redirects=False)


def press(mx: MX, page: httpx.Response, label: str) -> httpx.Response:
    """Submit the page's form with the button labelled `label`; the redirect is returned, not followed."""
    form = parse_form(page.text)
    assert form.method == "post", "the consent form must POST"
    assert label in form.buttons, f"no {label!r} button; buttons: {sorted(form.buttons)}"
    name, value = form.buttons[label]
    data = {**form.hidden, name: value}
    return mx.http.post(urljoin(str(page.url), form.action), data=data, auth=None, follow_redirects=False)


def consent(mx: MX, window_uri: str, label: str) -> httpx.Response:
    """Open `window_uri` and press `label` (Authorize, Deny or Cancel)."""
    page = browse(mx, window_uri)
    assert page.status_code == 200, page.text
    assert "text/html" in page.headers["content-type"]
    return press(mx, page, label)


def redirect_target(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """`(scheme://host/path, {query name: value})` of a redirect's Location."""
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query
