"""The desk's defences: strict response headers (CSP), the access token, CSRF tokens."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: pages: nothing inline, nothing from elsewhere; styles, images and forms from this origin
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
#: a chart opened on its own: its generated inline style, no script
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
CSRF_COOKIE = "mtwatch_csrf"
CSRF_FIELD = "csrf"


class SecurityHeaders:
    """Adds the CSP and hardening headers to every response (errors and static files too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                svg = headers.get("content-type", "").startswith("image/svg")
                headers["Content-Security-Policy"] = SVG_CSP if svg else PAGE_CSP
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not headers.get("content-type", "").startswith("text/css"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGate:
    """With a token set, every request presents it: HTTP Basic (any user name, the token as
    password: browsers and feed readers ask for it) or ``Authorization: Bearer TOKEN``."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None or scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        deny = PlainTextResponse("mtwatch desk: this desk needs its access token "
                                 "(HTTP Basic password or Bearer token)\n", status_code=401,
                                 headers={"WWW-Authenticate": 'Basic realm="mtwatch desk"'})
        await deny(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        presented = presented_token(HTTPConnection(scope).headers)
        return presented is not None and self.token is not None and \
            hmac.compare_digest(presented, self.token)


def presented_token(headers: Mapping[str, str]) -> bytes | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip().encode()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        return decoded.partition(b":")[2]
    return None


class Csrf:
    """Double-submit tokens: a random cookie per browser, and in every form the HMAC of that
    cookie under a secret of this server process. A POST must carry both, and match."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(32)

    def cookie_of(self, request: Request) -> str | None:
        value = request.cookies.get(CSRF_COOKIE)
        return value if value and 20 <= len(value) <= 100 else None

    def token(self, cookie: str) -> str:
        return hmac.new(self._secret, cookie.encode(), hashlib.sha256).hexdigest()

    def valid(self, request: Request, submitted: str | None) -> bool:
        """The form's token fits this browser's cookie, and the request is not cross-site."""
        cookie = self.cookie_of(request)
        if cookie is None or not submitted:
            return False
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.split("://", 1)[-1] != \
                request.headers.get("host", ""):
            return False
        return hmac.compare_digest(self.token(cookie), submitted)
