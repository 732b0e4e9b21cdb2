"""What keeps the web app safe to run: loopback checks, the write token, CSRF, body caps, a rate limit.

Article text is untrusted everywhere; escaping is Jinja's autoescape and the Content-Security-Policy that
:func:`security_headers` sets (no inline script, no framing). Write endpoints (ingest) need the token when
the server listens beyond loopback, a CSRF token when they come from a form, and stay under a size cap and
a per-client rate.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from claimledger.errors import TooLargeError

CSRF_COOKIE = "claimledger_csrf"
CSRF_FIELD = "csrf_token"
TOKEN_HEADER = "x-claimledger-token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


class WebError(Exception):
    """An HTTP-level refusal that is not a library error: a bad parameter, a missing token, too many requests."""

    status = 400
    code = "W400"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadRequest(WebError):
    status = 400
    code = "W400"


class Forbidden(WebError):
    status = 403
    code = "W403"


class TooManyRequests(WebError):
    status = 429
    code = "W429"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: hosts nobody else on the network can reach."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(request: Request, expected: str | None, *, submitted: str | None = None) -> None:
    """Refuse the request unless it carries ``expected`` (header, bearer or form field); no-op without one."""
    if not expected:
        return
    given = submitted or request.headers.get(TOKEN_HEADER) or ""
    auth = request.headers.get("authorization", "")
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden(
            "this server needs its write token for ingest: send it as X-Claimledger-Token (or fill in Token)"
        )


def check_origin(request: Request) -> None:
    """Refuse a write whose Origin header names another site (a browser always sends it on cross-site POSTs)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise Forbidden(f"cross-site request refused: origin {origin!r} is not this server ({host})")


def csrf_token(request: Request) -> tuple[str, bool]:
    """The request's CSRF token (from its cookie), and whether it is new and must be set as the cookie."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) == 43 and current.replace("-", "").replace("_", "").isalnum():
        return current, False
    return secrets.token_urlsafe(32), True


def check_csrf(request: Request, submitted: str | None) -> None:
    """Double-submit check: the form's hidden field must equal the cookie only this site can set."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not submitted or not hmac.compare_digest(cookie.encode(), submitted.encode()):
        raise Forbidden("the form's security token is missing or stale: reload the page and submit it again")


async def read_capped(request: Request, cap: int) -> bytes:
    """The request body, refusing (413) as soon as it passes ``cap`` bytes, declared or not."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise TooLargeError("request", f"{int(declared):,} bytes is over this server's upload cap of {cap:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLargeError("request", f"the upload is over this server's cap of {cap:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def replay(request: Request, body: bytes) -> Request:
    """A copy of ``request`` whose body is ``body`` (already read), so that form parsing can run on it."""
    sent = False

    async def receive() -> MutableMapping[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive=receive)


class RateLimit:
    """At most ``count`` calls per ``seconds`` per client (a sliding window), thread-safe."""

    def __init__(self, count: int, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.count = count
        self.seconds = seconds
        self._clock = clock
        self._calls: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            recent = [t for t in self._calls.get(client, []) if now - t < self.seconds]
            if len(recent) >= self.count:
                wait = max(1, int(self.seconds - (now - recent[0])) + 1)
                self._calls[client] = recent
                raise TooManyRequests(
                    f"at most {self.count} ingests per {self.seconds:g} s from one client; try again in {wait} s",
                    headers={"retry-after": str(wait)},
                )
            recent.append(now)
            self._calls[client] = recent


def security_headers(app: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """ASGI middleware adding :data:`HEADERS` to every HTTP response."""

    async def wrapped(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
