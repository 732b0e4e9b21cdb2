"""Inputs the fuzzers (fuzz/, tests/test_fuzz_properties.py) crashed on, replayed on every run.

Each parser must return records or raise a ``ClaimledgerError``; these inputs once raised
something else. Add new ones here with the date found and the harness that found them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from claimledger.config import Options
from claimledger.errors import FormatError
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.feed import read_feed
from claimledger.ingest.html import extract_html
from claimledger.ingest.jsonl import read_jsonl
from claimledger.ingest.warc import read_warc
from claimledger.types import Document, Failure

CORPUS = Path(__file__).parent / "fuzz_corpus"

ARTICLE = "<p>Harbour master Ilse Brandt said the quay at Varnholt was closed on Monday morning.</p>"


@pytest.mark.parametrize("junk", ["\x05 tail", "\x1d", "\x0b\x0c", "\x08", "\ufffe"])
def test_html_with_control_characters_after_pruned_elements(junk: str) -> None:
    # 2026-11-27, fuzz_html: lxml refused the control character when prune_noise moved the
    # <nav>'s tail text into its parent (ValueError: All strings must be XML compatible).
    doc = extract_html(f"<html><body>{ARTICLE}<nav>Home</nav>{junk}</body></html>", source="page.html")
    assert "Ilse Brandt said the quay" in doc.text
    assert junk.strip() not in doc.text or not junk.strip()


def _only_failure(text: str) -> Failure:
    records = list(read_jsonl(text, source="lines.jsonl"))
    assert len(records) == 1
    assert isinstance(records[0], Failure)
    return records[0]


def test_jsonl_nested_too_deeply_is_a_failure_not_a_crash() -> None:
    # 2026-11-27, review while writing fuzz_jsonl: json.loads raised RecursionError.
    failure = _only_failure("[" * 5000)
    assert failure.code == FormatError.code
    assert failure.source == "lines.jsonl#1"
    assert "nested too deeply" in failure.reason


def test_jsonl_number_over_the_digit_limit_is_a_failure_not_a_crash() -> None:
    # 2026-11-27, review while writing fuzz_jsonl: json.loads raised ValueError (4300-digit limit).
    failure = _only_failure('{"text": "Mayor Ana Vell said the bridge was safe.", "title": ' + "9" * 5000 + "}")
    assert failure.code == FormatError.code
    assert "4300 digits" in failure.reason


def test_jsonl_goes_on_after_a_line_that_cannot_be_read() -> None:
    lines = "[" * 5000 + '\n{"text": "Mayor Ana Vell said the bridge over the Quill was safe."}\n'
    records = list(read_jsonl(lines, source="lines.jsonl"))
    assert isinstance(records[0], Failure)
    assert isinstance(records[1], Document)
    assert records[1].source == "lines.jsonl#2"


@pytest.mark.parametrize("declared", ["utf-8\x00", "\x00", "idna", "base64", "no-such-charset"])
def test_a_declared_charset_that_cannot_decode_falls_back_to_utf8(declared: str) -> None:
    # 2026-11-27, test_fuzz_properties: a NUL in the declared charset raised ValueError, and
    # "idna" raises UnicodeError (not UnicodeDecodeError) on empty labels such as "a..b".
    text, warnings = decode_bytes("Caf\u00e9 owner a..b said".encode(), source="page.html", declared=declared)
    assert text == "Caf\u00e9 owner a..b said"
    assert warnings == ()


def test_warc_response_with_a_nul_in_its_charset() -> None:
    # 2026-11-27, fuzz_warc: "Content-Type: text/html; charset=utf-8\0\0\0\0" reached decode_bytes
    # and raised ValueError out of read_warc.
    data = (CORPUS / "warc-nul-in-charset.warc").read_bytes()
    records = list(read_warc(io.BytesIO(data), source="crawl.warc", options=Options()))
    assert records
    assert all(isinstance(r, (Document, Failure)) for r in records)


def test_feed_with_a_nul_in_its_xml_encoding_is_a_format_error() -> None:
    # 2026-11-27, fuzz_feed: feedparser decoded with encoding="ut\0...f-8" and raised ValueError.
    data = (CORPUS / "feed-nul-in-encoding.xml").read_bytes()
    with pytest.raises(FormatError, match="XML declaration") as caught:
        read_feed(data, source="news.atom", options=Options())
    assert caught.value.source == "news.atom"


def _atom(title: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title><entry>'
        f'<title type="html">{title}</title><link href="https://example.org/f"/><content type="html">'
        "&lt;p&gt;Ferry operator Tomas Reyl denied the report on Tuesday.&lt;/p&gt;</content></entry></feed>"
    ).encode()


def test_feed_entry_title_with_a_control_character() -> None:
    # 2026-11-27, fuzz_feed: an HTML title with "\x18" in it (a lenient parse of a broken feed)
    # made lxml raise ValueError in _strip_tags.
    data = (CORPUS / "feed-control-char-in-title.xml").read_bytes()
    records = list(read_feed(data, source="news.atom", options=Options()))
    assert records
    assert all(isinstance(r, (Document, Failure)) for r in records)


def test_feed_entry_title_that_is_a_whole_html_page() -> None:
    # 2026-11-27, found while fixing the above: lxml's fragment parser asserts on "<html></html>".
    (doc,) = read_feed(_atom("Ferry &lt;html&gt;&lt;/html&gt; late"), source="news.atom", options=Options())
    assert isinstance(doc, Document)
    assert doc.title == "Ferry late"
