"""URLs → bytes, politely: timeouts, capped redirects, a size cap, retries and robots.txt.

``Fetcher`` holds one HTTP client and a per-host robots.txt cache; ``fetch_url`` is the
one-call form. ``document_from_fetched`` turns a fetched HTML or plain-text page into a
``Document``. Every problem is a ``FetchError``, ``TooLargeError`` or ``FormatError``
naming the URL as given.

Redirects are followed by hand, one hop at a time, so each hop is checked for its scheme
and against its own host's robots.txt. robots.txt follows RFC 9309: a 4xx answer (a
missing file) allows everything; a 5xx answer or an unreachable host disallows the host.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from claimledger.config import Options
from claimledger.errors import FetchError, FormatError, InputError, TooLargeError
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.html import extract_html
from claimledger.ingest.text import extract_text
from claimledger.types import Document

BACKOFF_S = 0.5  # first retry waits this long, then twice as long each time
MAX_RETRY_AFTER_S = 10.0  # a longer Retry-After is not waited for: the fetch fails with the server's delay
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309: follow at least five

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = frozenset({"http", "https"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """One fetched page: where it was asked for, where it ended up, and its bytes."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str | None  # media type, lower case, without parameters; None when the server sent none
    charset: str | None  # from the Content-Type header; None when not declared
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class _Reply:
    status: int
    reason: str
    headers: httpx.Headers
    content: bytes


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset), each None when absent."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


class Fetcher:
    """Fetches URLs with one client and one robots.txt cache; use it as a context manager.

    ``client`` is closed on exit only when the fetcher made it. ``sleep`` and ``backoff``
    (the first retry delay in seconds) are there so tests need not wait.
    """

    def __init__(
        self,
        *,
        options: Options,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff: float = BACKOFF_S,
    ) -> None:
        self._options = options
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client()
        self._sleep = sleep
        self._backoff = backoff
        self._timeout = httpx.Timeout(options.fetch_timeout)
        self._headers = {"User-Agent": options.user_agent}
        self._robots: dict[str, RobotFileParser | str] = {}  # origin → rules, or why they could not be read

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def fetch(self, url: str) -> Fetched:
        """GET ``url``: a 2xx answer within the size cap, or an error naming ``url``."""
        final, reply = self._follow(
            url,
            source=url,
            cap=self._options.max_input_bytes,
            robots=self._options.respect_robots,
            max_redirects=self._options.fetch_max_redirects,
        )
        if not 200 <= reply.status < 300:
            hint = "check the URL" if 400 <= reply.status < 500 else "the server did not send the page"
            raise FetchError(url, f"HTTP {reply.status} {reply.reason}{_at(final, url)}; {hint}")
        content_type, charset = parse_content_type(reply.headers.get("content-type"))
        return Fetched(url, final, reply.status, content_type, charset, reply.content)

    def _follow(self, url: str, *, source: str, cap: int, robots: bool, max_redirects: int) -> tuple[str, _Reply]:
        current = url
        for _ in range(max_redirects + 1):
            _check_url(current, source)
            if robots:
                self._check_robots(current, source)
            reply = self._request(current, source=source, cap=cap)
            if reply.status not in _REDIRECTS:
                return current, reply
            location = reply.headers.get("location", "").strip()
            if not location:
                raise FetchError(
                    source, f"HTTP {reply.status} redirect without a Location header{_at(current, source)}"
                )
            current = urljoin(current, location)
        raise FetchError(
            source, f"more than {max_redirects} redirects (fetch_max_redirects); the last pointed to {current}"
        )

    def _request(self, url: str, *, source: str, cap: int) -> _Reply:
        """One GET, retried with exponential backoff on connection errors, timeouts, 429 and 5xx."""
        attempts = max(0, self._options.fetch_retries) + 1
        problem = ""
        for attempt in range(attempts):
            delay = self._backoff * 2**attempt
            try:
                reply = self._request_once(url, source=source, cap=cap)
            except httpx.TimeoutException:
                problem = f"timed out after {self._options.fetch_timeout:g} s (fetch_timeout)"
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                problem = f"connection failed ({exc or type(exc).__name__})"
            else:
                if reply.status != 429 and reply.status < 500:
                    return reply
                problem = f"HTTP {reply.status} {reply.reason}"
                wait = _retry_after(reply.headers)
                if wait is not None and wait > MAX_RETRY_AFTER_S:
                    raise FetchError(
                        source,
                        f"{problem}{_at(url, source)}; the server asks to wait {wait:.0f} s, longer than "
                        f"claimledger waits ({MAX_RETRY_AFTER_S:.0f} s): try again later",
                    )
                if wait is not None:
                    delay = wait
            if attempt + 1 < attempts:
                self._sleep(delay)
        raise FetchError(
            source,
            f"{problem}{_at(url, source)}; gave up after {attempts} attempt(s) (fetch_retries={attempts - 1})",
        )

    def _request_once(self, url: str, *, source: str, cap: int) -> _Reply:
        try:
            with self._client.stream(
                "GET", url, headers=self._headers, timeout=self._timeout, follow_redirects=False
            ) as response:
                status, reason, headers = response.status_code, response.reason_phrase, response.headers
                if not 200 <= status < 300:
                    return _Reply(status, reason, headers, b"")
                declared = headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap and "content-encoding" not in headers:
                    raise TooLargeError(
                        source, f"{int(declared):,} bytes is over the {cap:,}-byte limit (max_input_bytes)"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise TooLargeError(
                            source, f"the response is over the {cap:,}-byte limit (max_input_bytes); stopped reading"
                        )
                return _Reply(status, reason, headers, bytes(body))
        except httpx.DecodingError as exc:
            raise FetchError(source, f"the response body could not be decoded ({exc}){_at(url, source)}") from None
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError):
            raise
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(source, f"cannot fetch {url}: {exc}") from None

    def _check_robots(self, url: str, source: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._load_robots(origin)
        if isinstance(rules, str):
            raise FetchError(
                source,
                f"{origin}/robots.txt could not be read ({rules}), so the site counts as disallowed "
                "(RFC 9309); set respect_robots = false to fetch anyway",
            )
        if not rules.can_fetch(self._options.user_agent, url):
            raise FetchError(
                source,
                f"disallowed by robots.txt ({origin}/robots.txt); "
                "set respect_robots = false only if you may fetch it anyway",
            )

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        robots_url = f"{origin}/robots.txt"
        rules = RobotFileParser(robots_url)
        try:
            _, reply = self._follow(
                robots_url, source=robots_url, cap=ROBOTS_MAX_BYTES, robots=False, max_redirects=ROBOTS_MAX_REDIRECTS
            )
        except InputError as exc:
            return exc.reason
        if 400 <= reply.status < 500:
            rules.parse([])  # no robots.txt: no rules, everything is allowed
        elif 200 <= reply.status < 300:
            rules.parse(reply.content.decode("utf-8", errors="replace").splitlines())
        else:
            return f"HTTP {reply.status} {reply.reason}"
        return rules


def fetch_url(url: str, *, options: Options, client: httpx.Client | None = None) -> Fetched:
    """Fetch one URL with a fresh ``Fetcher``; see ``Fetcher.fetch``."""
    with Fetcher(options=options, client=client) as fetcher:
        return fetcher.fetch(url)


def document_from_fetched(fetched: Fetched, *, source: str | None = None) -> Document:
    """Extract the article of a fetched HTML or plain-text page.

    ``source`` defaults to the URL as requested; the document's ``url`` is the final URL.
    The body is decoded with the header charset, else the page's ``<meta charset>``,
    else UTF-8, else a detected encoding.
    """
    source = source or fetched.url
    kind = _kind(fetched.content_type, fetched.content)
    if kind is None:
        if fetched.content_type is None:
            raise FormatError(source, "the server sent no Content-Type and the body does not look like HTML")
        raise FormatError(
            source, f"unsupported content type {fetched.content_type!r}: claimledger reads HTML and plain-text pages"
        )
    declared = fetched.charset
    if declared is None and kind == "html":
        match = _META_CHARSET.search(fetched.content[:4096])
        declared = match.group(1).decode("ascii", "replace") if match else None
    text, warnings = decode_bytes(fetched.content, source=source, declared=declared)
    if kind == "html":
        doc = extract_html(text, source=source, url=fetched.final_url)
    else:
        doc = replace(extract_text(text, source=source), url=fetched.final_url)
    return replace(doc, warnings=doc.warnings + warnings) if warnings else doc


def _kind(content_type: str | None, content: bytes) -> str | None:
    if content_type in HTML_TYPES:
        return "html"
    if content_type in TEXT_TYPES:
        return "text"
    if content_type is None:
        head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
            return "html"
    return None


def _check_url(url: str, source: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES:
        shown = f"{parts.scheme!r}" if parts.scheme else "none"
        raise FetchError(source, f"only http and https URLs can be fetched, not scheme {shown}{_at(url, source)}")
    if not parts.hostname:
        raise FetchError(source, f"the URL has no host name{_at(url, source)}")


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait (delta-seconds or an HTTP date), or None."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _at(url: str, source: str) -> str:
    """' at URL' when a redirect hop differs from the URL given, so messages name where it failed."""
    return f" at {url}" if url != source else ""
