"""URLs → bytes, politely and safely: timeouts, capped redirects, a size cap, retries,
robots.txt, a per-host pace, and no requests to private addresses.

``Fetcher`` holds one HTTP client, a per-host robots.txt cache and the time of the last
request to each host; ``fetch_url`` is the one-call form. ``document_from_fetched`` turns
a fetched HTML or plain-text page into a ``Document``. Every problem is a ``FetchError``,
``TooLargeError`` or ``FormatError`` naming the URL as given.

Redirects are followed by hand, one hop at a time, so each hop is checked for its scheme,
its address and against its own host's robots.txt. robots.txt follows RFC 9309: a 4xx
answer (a missing file) allows everything; a 5xx answer or an unreachable host disallows
the host.

Private addresses (SSRF). Unless ``allow_private_addresses`` is set, a URL is fetched only
when every address its host resolves to is public (``public_address_problem``): loopback,
private, link-local (cloud metadata at 169.254.169.254), shared (100.64/10), multicast,
reserved, unspecified and documentation ranges are refused, and so are IPv6 forms that
embed such an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64). The check
runs twice for every hop, robots.txt and its redirects included: once before the request,
for a clear error, and again inside the connection itself: the fetcher's own client
resolves the host, checks the addresses and connects to exactly those (a network backend
under httpx), so DNS rebinding — a name that answers public to the check and private to
the connection — cannot slip through. Residual risks: a client passed in by the caller
(``client=``) is only checked before each request, not at connect time, so a rebinding
name can still reach a private address through it; the fetcher's own client ignores
HTTP(S)_PROXY from the environment, because behind a proxy the address check would be
meaningless (with ``allow_private_addresses`` a plain httpx client is used, proxies
included); and "public" means public on the Internet, so a public address that only your
network can reach (an organisation's own range behind its firewall) is not recognised.

Pacing. Requests to the same host name (robots.txt, redirects and retries included) are
at least ``fetch_per_host_interval`` seconds apart, within one ``Fetcher``: callers that
fetch many URLs should share one.

Content types. A 2xx page whose Content-Type is not textual (HTML, text, XML, JSON; images,
PDFs, ``application/octet-stream`` and the like are not) is refused with a ``FormatError``
before its body is read. A page without a Content-Type is read and sniffed.

Layout: ``claimledger.ingest.addresses`` holds the address check and the guarded client,
``claimledger.ingest.pacing`` the per-host pace and the retry delays; this module is the fetch
loop (redirects, robots.txt, retries, caps) and the step from a fetched page to a ``Document``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from claimledger.config import Options
from claimledger.errors import FetchError, FormatError, InputError, TooLargeError
from claimledger.ingest.addresses import GuardedBackend as _GuardedBackend  # noqa: F401 - tests reach it here
from claimledger.ingest.addresses import (
    Refused,
    Resolver,
    guarded_client,
    host_addresses,
    public_address_problem,
    resolve_host,
)
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.html import extract_html
from claimledger.ingest.pacing import BACKOFF_S, MAX_RETRY_AFTER_S, HostPacer, retry_after
from claimledger.ingest.text import extract_text
from claimledger.types import Document

__all__ = [
    "BACKOFF_S",
    "HTML_TYPES",
    "MAX_RETRY_AFTER_S",
    "ROBOTS_MAX_BYTES",
    "ROBOTS_MAX_REDIRECTS",
    "TEXT_TYPES",
    "Fetched",
    "Fetcher",
    "Resolver",
    "document_from_fetched",
    "fetch_url",
    "parse_content_type",
    "public_address_problem",
    "resolve_host",
]


ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309: follow at least five

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = frozenset({"http", "https"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TEXTUAL_TYPES = frozenset({"application/json", "application/xml", "application/xhtml+xml"})


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

    ``client`` is closed on exit only when the fetcher made it; a client passed in is not
    guarded at connect time (see the module docstring). ``sleep``, ``clock`` and ``backoff``
    (the first retry delay in seconds) are there so tests need not wait, ``resolve`` so
    they need not use DNS.
    """

    def __init__(
        self,
        *,
        options: Options,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        backoff: float = BACKOFF_S,
        resolve: Resolver = resolve_host,
    ) -> None:
        self._options = options
        self._owns_client = client is None
        if client is None:
            client = httpx.Client() if options.allow_private_addresses else guarded_client(resolve)
        self._client = client
        self._sleep = sleep
        self._pacer = HostPacer(options.fetch_per_host_interval, clock=clock, sleep=sleep)
        self._backoff = backoff
        self._resolve = resolve
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
            page=True,
        )
        if not 200 <= reply.status < 300:
            hint = "check the URL" if 400 <= reply.status < 500 else "the server did not send the page"
            raise FetchError(url, f"HTTP {reply.status} {reply.reason}{_at(final, url)}; {hint}")
        content_type, charset = parse_content_type(reply.headers.get("content-type"))
        return Fetched(url, final, reply.status, content_type, charset, reply.content)

    def _follow(
        self, url: str, *, source: str, cap: int, robots: bool, max_redirects: int, page: bool
    ) -> tuple[str, _Reply]:
        current = url
        for _ in range(max_redirects + 1):
            _check_url(current, source)
            self._check_address(current, source)
            if robots:
                self._check_robots(current, source)
            reply = self._request(current, source=source, cap=cap, page=page)
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

    def _check_address(self, url: str, source: str) -> None:
        if self._options.allow_private_addresses:
            return
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise FetchError(source, f"cannot fetch {url}: {exc}") from None
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = host_addresses(self._resolve, host, port)
        except OSError as exc:
            raise FetchError(
                source, f"the host name {host} could not be resolved ({exc}){_at(url, source)}; check the URL"
            ) from None
        for address in addresses:
            problem = public_address_problem(address)
            if problem is not None:
                raise _refusal(source, url, host, address, problem)

    def _request(self, url: str, *, source: str, cap: int, page: bool) -> _Reply:
        """One GET, retried with exponential backoff on connection errors, timeouts, 429 and 5xx."""
        attempts = max(0, self._options.fetch_retries) + 1
        problem = ""
        for attempt in range(attempts):
            delay = self._backoff * 2**attempt
            try:
                self._pacer.wait(url)
                reply = self._request_once(url, source=source, cap=cap, page=page)
            except httpx.TimeoutException:
                problem = f"timed out after {self._options.fetch_timeout:g} s (fetch_timeout)"
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                problem = f"connection failed ({exc or type(exc).__name__})"
            else:
                if reply.status != 429 and reply.status < 500:
                    return reply
                problem = f"HTTP {reply.status} {reply.reason}"
                wait = retry_after(reply.headers)
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

    def _request_once(self, url: str, *, source: str, cap: int, page: bool) -> _Reply:
        try:
            with self._client.stream(
                "GET", url, headers=self._headers, timeout=self._timeout, follow_redirects=False
            ) as response:
                status, reason, headers = response.status_code, response.reason_phrase, response.headers
                if not 200 <= status < 300:
                    return _Reply(status, reason, headers, b"")
                media, _ = parse_content_type(headers.get("content-type"))
                if page and media is not None and not _textual(media):
                    raise FormatError(
                        source,
                        f"unsupported content type {media!r}{_at(url, source)}: claimledger reads HTML, "
                        "plain-text and feed pages; the body was not downloaded",
                    )
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
        except Refused as refused:
            raise _refusal(source, url, refused.host, refused.address, refused.problem) from None
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
                robots_url,
                source=robots_url,
                cap=ROBOTS_MAX_BYTES,
                robots=False,
                max_redirects=ROBOTS_MAX_REDIRECTS,
                page=False,
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


def document_from_fetched(fetched: Fetched, *, source: str | None = None, time_limit: float = 0.0) -> Document:
    """Extract the article of a fetched HTML or plain-text page.

    ``source`` defaults to the URL as requested; the document's ``url`` is the final URL.
    The body is decoded with the header charset, else the page's ``<meta charset>``,
    else UTF-8, else a detected encoding. ``time_limit`` bounds the extraction (0: no limit).
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
        doc = extract_html(text, source=source, url=fetched.final_url, time_limit=time_limit)
    else:
        doc = replace(extract_text(text, source=source, time_limit=time_limit), url=fetched.final_url)
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


def _textual(media: str) -> bool:
    return media.startswith("text/") or media in _TEXTUAL_TYPES or media.endswith(("+xml", "+json"))


def _refusal(source: str, url: str, host: str, address: str, problem: str) -> FetchError:
    where = f"{host} resolves to {address}, " if host != address else f"{address} is "
    article = "an" if problem[0] in "aeiou" else "a"
    return FetchError(
        source,
        f"{where}{article} {problem} address, not a public one{_at(url, source)}; claimledger does not fetch private "
        "addresses, so that a URL cannot reach internal services: set allow_private_addresses = true to fetch it",
    )


def _check_url(url: str, source: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES:
        shown = f"{parts.scheme!r}" if parts.scheme else "none"
        raise FetchError(source, f"only http and https URLs can be fetched, not scheme {shown}{_at(url, source)}")
    if not parts.hostname:
        raise FetchError(source, f"the URL has no host name{_at(url, source)}")


def _at(url: str, source: str) -> str:
    """' at URL' when a redirect hop differs from the URL given, so messages name where it failed."""
    return f" at {url}" if url != source else ""
