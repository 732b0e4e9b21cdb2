"""What each fuzz harness checks: one function per entry point, taking raw bytes.

The contract for every parser: it returns records or raises a ``ClaimledgerError``
subclass, and every offset it hands out indexes the text it names. Any other
exception, or an offset that does not match, is a crash. The harnesses in this folder
feed these functions with atheris; ``tests/test_fuzz_regressions.py`` replays the
inputs they found.
"""

from __future__ import annotations

import io
from typing import Any

from claimledger.config import Options
from claimledger.errors import ClaimledgerError
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.feed import read_feed
from claimledger.ingest.fetch import parse_content_type
from claimledger.ingest.html import extract_html
from claimledger.ingest.jsonl import read_jsonl
from claimledger.ingest.sources import read_bytes, sniff
from claimledger.ingest.text import extract_text
from claimledger.ingest.warc import read_warc
from claimledger.types import Attribution, Document, Failure, Span

# Small caps so that a harness explores parsers, not memory.
OPTIONS = Options(max_input_bytes=1_000_000, max_decompressed_bytes=1_000_000)
SOURCE = "fuzz-input"


def as_text(data: bytes) -> str:
    """Bytes to a str the way a harness wants: lenient, so every input reaches the parser."""
    return data.decode("utf-8", "replace")


def check_span(span: Span, text: str, what: str) -> None:
    if not (0 <= span.start <= span.end <= len(text)):
        raise AssertionError(f"{what} [{span.start}, {span.end}) is outside a text of {len(text)} characters")
    if text[span.start : span.end] != span.text:
        raise AssertionError(f"{what} text {span.text!r} != text[{span.start}:{span.end}]")


def check_document(doc: Document, raw: str | None = None) -> None:
    """A Document's offsets index its texts: captions and segments, and nothing is empty that must not be."""
    if not isinstance(doc, Document):
        raise AssertionError(f"expected a Document, got {type(doc).__name__}")
    if not doc.text.strip():
        raise AssertionError("a Document with no text (should have been EmptyInputError)")
    if raw is None:
        return  # the caller does not have the decoded raw text to check segments and captions against
    for seg in doc.segments:
        clean = doc.text[seg.clean_start : seg.clean_start + seg.length]
        if seg.length < 0 or raw[seg.raw_start : seg.raw_start + seg.length] != clean:
            raise AssertionError(f"segment {seg} does not copy the raw text")
    for span in doc.captions:
        check_span(span, raw if doc.segments else doc.text, "caption")


def check_records(records: list[Document | Failure]) -> None:
    for record in records:
        if isinstance(record, Failure):
            if not record.code.startswith("E") or not record.reason:
                raise AssertionError(f"a Failure without code or reason: {record}")
        else:
            check_document(record)


def check_attributions(doc: Document, found: list[Attribution]) -> None:
    for i, att in enumerate(found):
        check_span(att.cue, doc.text, "cue")
        if not att.content:
            raise AssertionError("an attribution without content")
        for span in att.content:
            check_span(span, doc.text, "content")
        if att.source is not None:
            check_span(att.source, doc.text, "source")
        for span in att.via + att.hedges:
            check_span(span, doc.text, "via/hedge")
        if att.time is not None:
            check_span(att.time.span, doc.text, "time")
        if (att.nested_in is not None and not 0 <= att.nested_in < len(found)) or att.nested_in == i:
            raise AssertionError(f"nested_in {att.nested_in} is not another attribution's index")


def html(data: bytes) -> None:
    try:
        doc = extract_html(as_text(data), source=SOURCE)
    except ClaimledgerError:
        return
    check_document(doc)
    for span in doc.captions:  # HTML captions index the clean text
        check_span(span, doc.text, "caption")


def text(data: bytes) -> None:
    raw = as_text(data)
    try:
        doc = extract_text(raw, source=SOURCE)
    except ClaimledgerError:
        return
    check_document(doc, raw)


def decoded(data: bytes) -> None:
    """Bytes of unknown kind: sniffing, gzip, charset repair, then whichever reader they go to."""
    try:
        text, _ = decode_bytes(data, source=SOURCE)
    except ClaimledgerError:
        pass
    else:
        if not isinstance(text, str):
            raise AssertionError("decode_bytes did not return a str")
    sniff(data)
    try:
        check_records(list(read_bytes(data, source=SOURCE, reader=None, options=OPTIONS)))
    except ClaimledgerError:
        return


def jsonl(data: bytes) -> None:
    try:
        check_records(list(read_jsonl(as_text(data), source=SOURCE)))
    except ClaimledgerError:
        return


def warc(data: bytes) -> None:
    try:
        check_records(list(read_warc(io.BytesIO(data), source=SOURCE, options=OPTIONS)))
    except ClaimledgerError:
        return


def feed(data: bytes) -> None:
    try:
        check_records(list(read_feed(data, source=SOURCE, options=OPTIONS)))
    except ClaimledgerError:
        return


def content_type(data: bytes) -> None:
    media, charset = parse_content_type(as_text(data))
    for value in (media, charset):
        if value is not None and (not isinstance(value, str) or not value):
            raise AssertionError(f"parse_content_type gave {value!r}")


def attributions(data: bytes, nlp: Any) -> None:
    from claimledger.attribution import extract_attributions

    doc = Document(id="fuzz", text=as_text(data), source=SOURCE, format="text")
    try:
        found = extract_attributions(doc, nlp=nlp)
    except ClaimledgerError:
        return
    check_attributions(doc, found)
