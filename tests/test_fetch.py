"""Fetching URLs from a real server on 127.0.0.1: redirects, retries, caps, robots.txt."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from claimledger.config import Options
from claimledger.errors import FetchError, FormatError, TooLargeError
from claimledger.ingest.fetch import Fetched, Fetcher, document_from_fetched, fetch_url, parse_content_type

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
FAST = Options(fetch_timeout=5.0, fetch_retries=2)


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
    options = Options(fetch_timeout=0.1, fetch_retries=1)
    with fetcher(delays, options) as f, pytest.raises(FetchError, match=r"timed out after 0.1 s") as caught:
        f.fetch(server.url("/slow"))
    assert "gave up after 2 attempt" in caught.value.reason
    assert delays == [0.01]


def test_connection_refused_is_retried_then_reported(delays: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = Options(fetch_retries=1, respect_robots=False)
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


def test_unsupported_content_type(server: LocalServer) -> None:
    server.route("/report.pdf", Reply(200, b"%PDF-1.7 ...", (("Content-Type", "application/pdf"),)))
    fetched = fetch_url(server.url("/report.pdf"), options=FAST)
    with pytest.raises(FormatError, match="unsupported content type 'application/pdf'"):
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
