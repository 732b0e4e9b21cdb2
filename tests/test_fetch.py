"""Fetching URLs from a real server on 127.0.0.1: redirects, retries, caps, robots.txt, and
the guards: private addresses refused (SSRF), per-host pacing, content types.

The local server is a loopback address, so the tests that talk to it grant
``allow_private_addresses``; the guard tests use a fake resolver or a mock transport and
never reach beyond 127.0.0.1.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest

from claimledger.config import Options, load_options
from claimledger.errors import FetchError, FormatError, TooLargeError
from claimledger.ingest.fetch import (
    Fetched,
    Fetcher,
    document_from_fetched,
    fetch_url,
    parse_content_type,
    public_address_problem,
)

from .conftest_http import LocalServer, Reply, redirect

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>Ferry service to Quellmoor resumes</title></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Ferry service to Quellmoor resumes</h1>
<p>The ferry between Fennick Bay and Quellmoor will sail again from Monday, the harbour authority said on Tuesday.</p>
<p>“We have repaired the landing stage and the crews are ready,” said Odile Varnsworth, who chairs the authority.</p>
<p>Traders in the Société des Quais welcomed the news, saying the closure had cost them most of the spring trade.</p>
</article><footer>© The Quellmoor Gazette</footer></body></html>
"""
PLAIN = (
    "Lindenhall council approved the new library on Thursday.\n\n"
    "Councillor Tobias Krennick said the building would open next year.\n"
)
FAST = Options(fetch_timeout=5.0, fetch_retries=2, allow_private_addresses=True, fetch_per_host_interval=0.0)
GUARDED = FAST.replace(allow_private_addresses=False)  # the defaults' guard, the tests' speed
PUBLIC_IP = "93.184.215.14"  # any public address: the fake resolver hands it out, nothing connects to it


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx reads proxy settings from the environment; the tests talk to 127.0.0.1 only.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def delays() -> list[float]:
    return []


def fetcher(delays: list[float], options: Options = FAST) -> Fetcher:
    return Fetcher(options=options, sleep=delays.append, backoff=0.01)


def html_reply(charset: str = "utf-8", *, meta: str | None = None) -> Reply:
    body = ARTICLE.format(charset=meta or charset).encode(charset)
    return Reply(200, body, (("Content-Type", f"text/html; charset={charset}"),))


def test_html_with_charset_header(server: LocalServer) -> None:
    server.route("/ferry", html_reply("windows-1252", meta="utf-8"))  # the header wins over <meta>
    url = server.url("/ferry")
    fetched = fetch_url(url, options=FAST)
    assert (fetched.url, fetched.final_url, fetched.status) == (url, url, 200)
    assert (fetched.content_type, fetched.charset) == ("text/html", "windows-1252")
    doc = document_from_fetched(fetched)
    assert "Société des Quais" in doc.text
    assert "Odile Varnsworth" in doc.text
    assert (doc.source, doc.url) == (url, url)


def test_sends_the_configured_user_agent(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    fetch_url(server.url("/ferry"), options=FAST.replace(user_agent="claimledger-test/1.0"))
    assert {headers["User-Agent"] for headers in server.request_headers} == {"claimledger-test/1.0"}


def test_plain_text(server: LocalServer) -> None:
    server.route("/library.txt", Reply(200, PLAIN.encode(), (("Content-Type", "text/plain; charset=utf-8"),)))
    doc = document_from_fetched(fetch_url(server.url("/library.txt"), options=FAST))
    assert doc.format == "text"
    assert "Tobias Krennick" in doc.text
    assert doc.url == server.url("/library.txt")


def test_redirect_chain_within_the_cap(server: LocalServer) -> None:
    server.route("/old", redirect("/older", 301))
    server.route("/older", redirect(server.url("/news/ferry"), 307))
    server.route("/news/ferry", html_reply())
    fetched = fetch_url(server.url("/old"), options=FAST.replace(fetch_max_redirects=2))
    assert fetched.url == server.url("/old")
    assert fetched.final_url == server.url("/news/ferry")
    doc = document_from_fetched(fetched)
    assert (doc.source, doc.url) == (server.url("/old"), server.url("/news/ferry"))


def test_too_many_redirects(server: LocalServer) -> None:
    for n in range(4):
        server.route(f"/hop{n}", redirect(f"/hop{n + 1}"))
    with pytest.raises(FetchError, match=r"more than 3 redirects \(fetch_max_redirects\)") as caught:
        fetch_url(server.url("/hop0"), options=FAST.replace(fetch_max_redirects=3))
    assert caught.value.source == server.url("/hop0")
    assert server.hits["/hop3"] == 1
    assert server.hits["/hop4"] == 0


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    server.route("/away", redirect("ftp://files.quellmoor.example/ferry.txt"))
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(server.url("/away"), options=FAST)


def test_404_names_the_status(server: LocalServer, delays: list[float]) -> None:
    with fetcher(delays) as f, pytest.raises(FetchError, match="HTTP 404 Not Found") as caught:
        f.fetch(server.url("/missing"))
    assert caught.value.code == "E105"
    assert server.hits["/missing"] == 1
    assert delays == []  # 4xx is not retried


def test_500_then_success_is_retried(server: LocalServer, delays: list[float]) -> None:
    server.route("/flaky", Reply(500), html_reply())
    with fetcher(delays) as f:
        fetched = f.fetch(server.url("/flaky"))
    assert fetched.status == 200
    assert server.hits["/flaky"] == 2
    assert delays == [0.01]


def test_5xx_gives_up_after_the_retries(server: LocalServer, delays: list[float]) -> None:
    server.route("/down", Reply(503))
    with fetcher(delays) as f, pytest.raises(FetchError, match=r"HTTP 503 .*gave up after 3 attempt"):
        f.fetch(server.url("/down"))
    assert server.hits["/down"] == 3
    assert delays == [0.01, 0.02]  # exponential backoff


def test_429_honours_a_small_retry_after(server: LocalServer, delays: list[float]) -> None:
    server.route("/busy", Reply(429, headers=(("Retry-After", "2"),)), html_reply())
    with fetcher(delays) as f:
        assert f.fetch(server.url("/busy")).status == 200
    assert delays == [2.0]


def test_429_with_a_long_retry_after_fails_at_once(server: LocalServer, delays: list[float]) -> None:
    server.route("/busy", Reply(429, headers=(("Retry-After", "3600"),)))
    with fetcher(delays) as f, pytest.raises(FetchError, match="asks to wait 3600 s"):
        f.fetch(server.url("/busy"))
    assert delays == []
    assert server.hits["/busy"] == 1


def test_timeout(server: LocalServer, delays: list[float]) -> None:
    server.route("/slow", Reply(200, b"late", (("Content-Type", "text/plain"),), delay=1.0))
    options = FAST.replace(fetch_timeout=0.1, fetch_retries=1)
    with fetcher(delays, options) as f, pytest.raises(FetchError, match=r"timed out after 0.1 s") as caught:
        f.fetch(server.url("/slow"))
    assert "gave up after 2 attempt" in caught.value.reason
    assert delays == [0.01]


def test_connection_refused_is_retried_then_reported(delays: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = FAST.replace(fetch_retries=1, respect_robots=False)
    with fetcher(delays, options) as f, pytest.raises(FetchError, match="connection failed"):
        f.fetch(f"http://127.0.0.1:{port}/ferry")
    assert delays == [0.01]


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "streamed"])
def test_size_cap(server: LocalServer, content_length: bool) -> None:
    body = b"<p>" + b"Quellmoor harbour news. " * 2000 + b"</p>"
    server.route("/big", Reply(200, body, (("Content-Type", "text/html"),), content_length=content_length))
    with pytest.raises(TooLargeError, match=r"over the 10,000-byte limit \(max_input_bytes\)") as caught:
        fetch_url(server.url("/big"), options=FAST.replace(max_input_bytes=10_000))
    assert caught.value.code == "E104"


def test_robots_disallow(server: LocalServer, delays: list[float]) -> None:
    rules = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", Reply(200, rules, (("Content-Type", "text/plain"),)))
    server.route("/private/memo", html_reply())
    server.route("/news/ferry", html_reply())
    with fetcher(delays) as f:
        with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
            f.fetch(server.url("/private/memo"))
        assert f.fetch(server.url("/news/ferry")).status == 200
    assert server.hits["/private/memo"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per host


def test_robots_rules_for_our_agent(server: LocalServer, delays: list[float]) -> None:
    rules = b"User-agent: claimledger\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(200, rules, (("Content-Type", "text/plain"),)))
    with fetcher(delays) as f, pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        f.fetch(server.url("/news/ferry"))


def test_missing_robots_txt_allows_all(server: LocalServer) -> None:
    server.route("/news/ferry", html_reply())
    assert fetch_url(server.url("/news/ferry"), options=FAST).status == 200
    assert server.hits["/robots.txt"] == 1


def test_unreadable_robots_txt_disallows(server: LocalServer, delays: list[float]) -> None:
    server.route("/robots.txt", Reply(500))
    server.route("/news/ferry", html_reply())
    with fetcher(delays) as f, pytest.raises(FetchError, match=r"robots.txt could not be read \(HTTP 500"):
        f.fetch(server.url("/news/ferry"))
    assert server.hits["/news/ferry"] == 0


def test_robots_can_be_ignored(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n"))
    server.route("/news/ferry", html_reply())
    assert fetch_url(server.url("/news/ferry"), options=FAST.replace(respect_robots=False)).status == 200
    assert server.hits["/robots.txt"] == 0


@pytest.mark.parametrize(
    "url", ["ftp://files.quellmoor.example/a.txt", "file:///etc/hostname", "quellmoor.example/news", "http:///news"]
)
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError, match=r"only http and https|no host name") as caught:
        fetch_url(url, options=FAST)
    assert caught.value.source == url


def test_unsupported_textual_content_type_is_refused_by_the_extractor(server: LocalServer) -> None:
    server.route("/tides.csv", Reply(200, b"day,high\nMonday,06:12\n", (("Content-Type", "text/csv"),)))
    fetched = fetch_url(server.url("/tides.csv"), options=FAST)  # textual: fetched
    with pytest.raises(FormatError, match="unsupported content type 'text/csv'"):
        document_from_fetched(fetched)


def test_missing_content_type_is_sniffed() -> None:
    page = ARTICLE.format(charset="utf-8").encode()
    fetched = Fetched("http://quellmoor.example/a", "http://quellmoor.example/a", 200, None, None, page)
    assert "Odile Varnsworth" in document_from_fetched(fetched).text
    with pytest.raises(FormatError, match="no Content-Type"):
        document_from_fetched(
            Fetched("http://quellmoor.example/b", "http://quellmoor.example/b", 200, None, None, b"x")
        )


def test_meta_charset_used_without_a_header_charset() -> None:
    page = ARTICLE.format(charset="windows-1252").encode("windows-1252")
    fetched = Fetched("http://quellmoor.example/a", "http://quellmoor.example/a", 200, "text/html", None, page)
    assert "“We have repaired" in document_from_fetched(fetched).text


def test_injected_client_gets_options_per_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, text=PLAIN, headers={"Content-Type": "text/plain"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        fetched = fetch_url("https://lindenhall.example/library", options=FAST, client=client)
        assert not client.is_closed  # the caller's client stays the caller's
    assert fetched.content == PLAIN.encode()
    assert [r.url.path for r in seen] == ["/robots.txt", "/library"]
    assert all(r.headers["User-Agent"] == FAST.user_agent for r in seen)
    assert seen[-1].extensions["timeout"]["read"] == FAST.fetch_timeout


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
        ('Text/HTML;charset="iso-8859-1"', ("text/html", "iso-8859-1")),
        ("text/plain", ("text/plain", None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(header) == expected


# --- Private addresses (SSRF) -------------------------------------------------------------


def fake_resolver(table: dict[str, list[str]], calls: list[str] | None = None) -> Callable[[str, int], list[str]]:
    """A resolver from a table; unknown names fail like DNS does."""

    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def mock_client(routes: dict[str, httpx.Response], seen: list[str]) -> httpx.Client:
    """A client whose transport answers from ``routes`` (by full URL, else 404) and records each URL."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("255.255.255.255", "private"),
        ("192.0.2.1", "private"),  # documentation range
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("::127.0.0.1", "reserved"),  # IPv4-compatible
        ("2002:7f00:1::1", "loopback IPv4 address (127.0.0.1) inside an IPv6"),  # 6to4
        ("2002:a00:1::1", "private IPv4 address (10.0.0.1) inside an IPv6"),
        ("64:ff9b::a00:1", "reserved"),  # NAT64
        ("not-an-address", "unparseable"),
        (PUBLIC_IP, None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
        ("2002:808:808::1", None),  # 6to4 of a public address
    ],
)
def test_public_address_problem(address: str, problem: str | None) -> None:
    assert public_address_problem(address) == problem


def test_loopback_is_refused_by_default(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    url = server.url("/ferry")
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address.*allow_private_addresses") as caught:
        fetch_url(url, options=Options())
    assert caught.value.code == "E105"
    assert caught.value.source == url
    assert server.hits == {}  # not even robots.txt was asked for


def test_loopback_is_allowed_with_the_setting(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    options = load_options(
        environ={"CLAIMLEDGER_ALLOW_PRIVATE_ADDRESSES": "1", "CLAIMLEDGER_FETCH_PER_HOST_INTERVAL": "0"}
    )
    assert options.allow_private_addresses
    assert fetch_url(server.url("/ferry"), options=options).status == 200
    assert Options().allow_private_addresses is False


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://localhost:{port}/ferry", "localhost resolves to"),
        ("http://[::1]:{port}/ferry", "::1 is a loopback address"),
        ("http://2130706433:{port}/ferry", "2130706433 resolves to 127.0.0.1"),  # 127.0.0.1 as one number
        ("http://0.0.0.0:{port}/ferry", "0.0.0.0 is an unspecified address"),
        ("http://[::ffff:127.0.0.1]:{port}/ferry", "is a loopback address"),
    ],
)
def test_other_spellings_of_this_machine_are_refused(server: LocalServer, url: str, shown: str) -> None:
    server.route("/ferry", html_reply())
    port = server.url("/").rsplit(":", 1)[1].strip("/")
    with pytest.raises(FetchError, match="allow_private_addresses") as caught:
        fetch_url(url.format(port=port), options=GUARDED)
    assert shown in caught.value.reason
    assert server.hits == {}


@pytest.mark.parametrize(
    ("host", "address", "problem"),
    [
        ("intranet.quellmoor.example", "10.0.0.1", "private"),
        ("metadata.quellmoor.example", "169.254.169.254", "link-local"),
        ("router.quellmoor.example", "192.168.0.1", "private"),
        ("v6.quellmoor.example", "fd12:3456::1", "private"),
        ("mapped.quellmoor.example", "::ffff:10.1.2.3", "private"),
    ],
)
def test_names_that_resolve_to_private_addresses_are_refused(host: str, address: str, problem: str) -> None:
    seen: list[str] = []
    resolve = fake_resolver({host: [address]})
    with (
        mock_client({}, seen) as client,
        Fetcher(options=GUARDED, client=client, resolve=resolve) as f,
        pytest.raises(FetchError, match=rf"{host} resolves to .*, an? {problem} address.*allow_private_addresses"),
    ):
        f.fetch(f"http://{host}/news")
    assert seen == []


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    seen: list[str] = []
    resolve = fake_resolver({"gazette.example": [PUBLIC_IP, "10.9.8.7"]})
    with (
        mock_client({}, seen) as client,
        Fetcher(options=GUARDED, client=client, resolve=resolve) as f,
        pytest.raises(FetchError, match=r"resolves to 10\.9\.8\.7, a private address"),
    ):
        f.fetch("https://gazette.example/news")
    assert seen == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.quellmoor.example/admin",
        "http://[::1]:8080/",
        "http://127.0.0.1:6379/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(target: str) -> None:
    seen: list[str] = []
    routes = {
        "https://gazette.example/robots.txt": httpx.Response(404),
        "https://gazette.example/ferry": httpx.Response(302, headers={"Location": target}),
    }
    resolve = fake_resolver({"gazette.example": [PUBLIC_IP], "intranet.quellmoor.example": ["10.0.0.7"]})
    with (
        mock_client(routes, seen) as client,
        Fetcher(options=GUARDED, client=client, resolve=resolve) as f,
        pytest.raises(FetchError, match=r"address, not a public one at .*allow_private_addresses") as caught,
    ):
        f.fetch("https://gazette.example/ferry")
    assert caught.value.source == "https://gazette.example/ferry"
    assert target in caught.value.reason
    assert seen == ["https://gazette.example/robots.txt", "https://gazette.example/ferry"]  # never the target


def test_a_robots_txt_redirect_to_a_private_address_is_refused() -> None:
    seen: list[str] = []
    routes = {
        "https://gazette.example/robots.txt": httpx.Response(301, headers={"Location": "http://10.0.0.1/robots.txt"}),
    }
    resolve = fake_resolver({"gazette.example": [PUBLIC_IP]})
    with (
        mock_client(routes, seen) as client,
        Fetcher(options=GUARDED, client=client, resolve=resolve) as f,
        pytest.raises(FetchError, match=r"robots\.txt could not be read \(.*10\.0\.0\.1 is a private address"),
    ):
        f.fetch("https://gazette.example/ferry")
    assert seen == ["https://gazette.example/robots.txt"]


def test_a_public_host_is_fetched() -> None:
    seen: list[str] = []
    routes = {"https://gazette.example/ferry": httpx.Response(200, text=PLAIN, headers={"Content-Type": "text/plain"})}
    calls: list[str] = []
    resolve = fake_resolver({"gazette.example": [PUBLIC_IP]}, calls)
    with mock_client(routes, seen) as client, Fetcher(options=GUARDED, client=client, resolve=resolve) as f:
        assert f.fetch("https://gazette.example/ferry").content == PLAIN.encode()
    assert calls == ["gazette.example", "gazette.example"]  # checked before robots.txt's hop and the page's
    assert seen == ["https://gazette.example/robots.txt", "https://gazette.example/ferry"]


def test_an_unresolvable_host_is_reported() -> None:
    with (
        Fetcher(options=GUARDED, resolve=fake_resolver({})) as f,
        pytest.raises(FetchError, match=r"host name nowhere\.example could not be resolved .*check the URL"),
    ):
        f.fetch("http://nowhere.example/news")


def test_dns_rebinding_is_caught_when_connecting(server: LocalServer) -> None:
    """The name answers public to the check and loopback to the connection: the connection refuses it."""
    server.route("/ferry", html_reply())
    port = int(server.url("/").rsplit(":", 1)[1].strip("/"))
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    with (
        Fetcher(options=GUARDED.replace(respect_robots=False), resolve=rebinding) as f,
        pytest.raises(FetchError, match=r"rebind\.example resolves to 127\.0\.0\.1, a loopback address"),
    ):
        f.fetch(f"http://rebind.example:{port}/ferry")
    assert calls == ["rebind.example", "rebind.example"]  # the check, then the connection's own lookup
    assert server.hits == {}


def test_the_guarded_connection_goes_to_the_checked_address() -> None:
    from claimledger.ingest import fetch as fetch_module

    connected: list[tuple[str, int]] = []

    class Recorder:
        def connect_tcp(self, host: str, port: int, *args: object) -> None:
            connected.append((host, port))
            raise httpcore.ConnectError("no network in tests")

    backend = fetch_module._GuardedBackend(fake_resolver({"gazette.example": [PUBLIC_IP, "2606:4700::6810:1"]}))
    backend._inner = Recorder()  # type: ignore[assignment]
    with pytest.raises(httpcore.ConnectError, match="no network"):
        backend.connect_tcp("gazette.example", 443)
    assert connected == [(PUBLIC_IP, 443), ("2606:4700::6810:1", 443)]  # each checked address, never the name


# --- Per-host pacing ------------------------------------------------------------------------


class FakeTime:
    """A clock that moves only when slept on, or when a test says so."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def paced(fake: FakeTime, interval: float = 1.0) -> Fetcher:
    return Fetcher(
        options=FAST.replace(fetch_per_host_interval=interval),
        sleep=fake.sleep,
        clock=fake.clock,
        backoff=0.01,
    )


def test_requests_to_one_host_are_spaced(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    server.route("/tides", html_reply())
    fake = FakeTime()
    with paced(fake) as f:
        f.fetch(server.url("/ferry"))  # robots.txt at 0, then the page at 1
        f.fetch(server.url("/tides"))  # at 2
    assert fake.sleeps == [1.0, 1.0]
    assert server.hits == {"/robots.txt": 1, "/ferry": 1, "/tides": 1}


def test_time_already_passed_counts(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    fake = FakeTime()
    with paced(fake, interval=2.0) as f:
        f.fetch(server.url("/ferry"))
        fake.now += 1.5  # the caller spent 1.5 s elsewhere
        f.fetch(server.url("/ferry"))
    assert fake.sleeps == [2.0, pytest.approx(0.5)]


def test_hosts_are_paced_separately(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    fake = FakeTime()
    with paced(fake) as f:
        f.fetch(server.url("/ferry"))
        f.fetch(server.url("/ferry").replace("127.0.0.1", "localhost"))  # another host name: no wait for it
    assert fake.sleeps == [1.0, 1.0]  # robots.txt then page, on each host


def test_retries_and_redirects_are_paced(server: LocalServer) -> None:
    server.route("/old", redirect("/flaky"))
    server.route("/flaky", Reply(500), html_reply())
    fake = FakeTime()
    with paced(fake) as f:
        assert f.fetch(server.url("/old")).status == 200
    # robots.txt at 0; /old at 1; /flaky (500) at 2; backoff 0.01, then the pace's remaining 0.99
    assert fake.sleeps == [1.0, 1.0, 0.01, pytest.approx(0.99)]


def test_pacing_can_be_turned_off(server: LocalServer) -> None:
    server.route("/ferry", html_reply())
    fake = FakeTime()
    with paced(fake, interval=0.0) as f:
        f.fetch(server.url("/ferry"))
        f.fetch(server.url("/ferry"))
    assert fake.sleeps == []


# --- Content types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/octet-stream", "application/pdf", "video/mp4", "application/zip"]
)
def test_binary_content_types_are_refused_before_the_body_is_read(server: LocalServer, content_type: str) -> None:
    body = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200_000
    server.route("/blob", Reply(200, body, (("Content-Type", content_type),), content_length=False))
    options = FAST.replace(max_input_bytes=10_000)  # reading the body would hit the size cap first
    with pytest.raises(FormatError, match=rf"unsupported content type '{content_type}'.*not downloaded") as caught:
        fetch_url(server.url("/blob"), options=options)
    assert caught.value.code == "E102"


def test_a_binary_type_after_a_redirect_names_the_hop(server: LocalServer) -> None:
    server.route("/report", redirect("/report.pdf"))
    server.route("/report.pdf", Reply(200, b"%PDF-1.7 ...", (("Content-Type", "application/pdf; x=1"),)))
    with pytest.raises(FormatError, match=r"'application/pdf' at http://.*/report\.pdf") as caught:
        fetch_url(server.url("/report"), options=FAST)
    assert caught.value.source == server.url("/report")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/feed+json",
    ],
)
def test_textual_content_types_are_fetched(server: LocalServer, content_type: str) -> None:
    server.route("/page", Reply(200, b"<p>Quellmoor</p>", (("Content-Type", content_type),)))
    assert fetch_url(server.url("/page"), options=FAST).content == b"<p>Quellmoor</p>"


def test_robots_txt_is_read_whatever_its_content_type(server: LocalServer) -> None:
    rules = b"User-agent: *\nDisallow: /\n"
    server.route("/robots.txt", Reply(200, rules, (("Content-Type", "application/octet-stream"),)))
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        fetch_url(server.url("/ferry"), options=FAST)
