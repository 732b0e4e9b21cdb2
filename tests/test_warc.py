"""WARC archives written here with warcio, plain and gzipped, whole and broken."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, replace

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.config import Options
from claimledger.identity import document_id
from claimledger.ingest import fetch as fetch_module
from claimledger.ingest.warc import read_warc
from claimledger.types import Document, Failure

OPTIONS = Options()
WARC_DATE = "2024-05-02T08:15:00Z"


def page(headline: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{headline}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{headline}</h1>{body}</article>"
        "<footer>© The Brackenford Herald</footer></body></html>"
    ).encode()


TOLL = page(
    "Toll on the Brackenford bridge to rise",
    "The toll on the Brackenford bridge will rise by a third in June, the bridge trust said on Monday.",
    "“Maintenance costs have doubled,” said Ilse Marrowby, the trust’s treasurer, adding that cyclists stay free.",
)
MARKET = page(
    "Night market returns to Saltreach",
    "The night market in Saltreach will return to the old tram depot next month, organisers said.",
    "Stallholder Piet Ondergast said forty traders had already signed up for the first evening.",
)
ORCHARD = page(
    "Orchard cooperative wins regional prize",
    "The Harlow Vale orchard cooperative won the regional cider prize on Saturday, judges announced.",
    "Its chair, Meret Lindqvell, said the prize money would pay for new presses before the autumn.",
)


@dataclass(frozen=True)
class Rec:
    uri: str
    body: bytes
    kind: str = "response"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"


def write_warc(records: list[Rec], *, gz: bool) -> tuple[bytes, list[int]]:
    """The archive's bytes and the offset where each record ends."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "claimledger tests"}))
    ends = []
    for rec in records:
        headers = {"WARC-Date": WARC_DATE}
        payload = io.BytesIO(rec.body)
        if rec.kind == "response":
            http = StatusAndHeaders(rec.status, [("Content-Type", rec.content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                rec.uri, "response", payload=payload, length=len(rec.body), http_headers=http, warc_headers_dict=headers
            )
        else:
            record = writer.create_warc_record(
                rec.uri,
                rec.kind,
                payload=payload,
                length=len(rec.body),
                warc_content_type=rec.content_type,
                warc_headers_dict=headers,
            )
        writer.write_record(record)
        ends.append(out.tell())
    return out.getvalue(), ends


def read(data: bytes, options: Options = OPTIONS) -> list[Document | Failure]:
    return list(read_warc(io.BytesIO(data), source="crawl.warc", options=options))


def docs(items: list[Document | Failure]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def failures(items: list[Document | Failure]) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure)]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_documents(gz: bool) -> None:
    data, _ = write_warc(
        [
            Rec("https://brackenford-herald.example/bridge-toll", TOLL),
            Rec(
                "https://brackenford-herald.example/gone",
                b"<html><body>Not found</body></html>",
                status="404 Not Found",
            ),
            Rec("https://brackenford-herald.example/logo.png", b"\x89PNG\r\n\x1a\n...", content_type="image/png"),
            Rec("https://saltreach-post.example/night-market", MARKET),
            Rec("https://saltreach-post.example/", b"GET / HTTP/1.1\r\n\r\n", kind="request", content_type=""),
        ],
        gz=gz,
    )
    items = read(data)
    assert failures(items) == []
    first, second = docs(items)
    assert "Ilse Marrowby" in first.text
    assert "Piet Ondergast" in second.text
    assert first.url == "https://brackenford-herald.example/bridge-toll"
    assert first.format == "warc"
    assert first.source.startswith("crawl.warc#urn:uuid:")
    assert first.source != second.source
    assert first.published == WARC_DATE  # the page gives no date: the capture date stands in
    assert first.id == document_id(first.text)


def test_html_resource_records_count_but_text_resources_do_not() -> None:
    data, _ = write_warc(
        [
            Rec("https://harlow-vale-news.example/orchard", ORCHARD, kind="resource", content_type="text/html"),
            Rec("urn:X-crawler:log", b"crawl finished in 12 s\n" * 20, kind="resource", content_type="text/plain"),
        ],
        gz=True,
    )
    (doc,) = read(data)
    assert isinstance(doc, Document)
    assert "Meret Lindqvell" in doc.text
    assert doc.url == "https://harlow-vale-news.example/orchard"


def test_plain_text_responses_become_documents() -> None:
    text = b"Saltreach harbour will dredge its channel this winter, the port office said.\n"
    data, _ = write_warc(
        [Rec("https://saltreach-post.example/dredge.txt", text, content_type="text/plain; charset=utf-8")], gz=False
    )
    (doc,) = read(data)
    assert isinstance(doc, Document)
    assert "dredge its channel" in doc.text


def test_a_page_date_wins_over_the_capture_date(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fetch_module.extract_html

    def dated(html: str, *, source: str, url: str | None = None, time_limit: float = 0.0) -> Document:
        return replace(real(html, source=source, url=url, time_limit=time_limit), published="2024-04-30")

    monkeypatch.setattr(fetch_module, "extract_html", dated)
    data, _ = write_warc([Rec("https://brackenford-herald.example/bridge-toll", TOLL)], gz=True)
    (doc,) = read(data)
    assert isinstance(doc, Document)
    assert doc.published == "2024-04-30"


def test_a_record_that_fails_extraction_is_a_failure_and_reading_goes_on() -> None:
    data, _ = write_warc(
        [
            Rec("https://brackenford-herald.example/empty", b"<html><body></body></html>"),
            Rec("https://saltreach-post.example/night-market", MARKET),
        ],
        gz=True,
    )
    failure, doc = read(data)
    assert isinstance(failure, Failure)
    assert failure.code == "E103"
    assert failure.source.startswith("crawl.warc#urn:uuid:")
    assert isinstance(doc, Document)
    assert "Piet Ondergast" in doc.text


def test_a_page_over_the_input_cap_is_a_failure() -> None:
    big = page("Long read", *["The Saltreach ferry timetable changes again this week." * 20] * 50)
    data, _ = write_warc(
        [Rec("https://saltreach-post.example/long", big), Rec("https://saltreach-post.example/m", MARKET)], gz=True
    )
    failure, doc = read(data, Options(max_input_bytes=20_000))
    assert isinstance(failure, Failure)
    assert failure.code == "E104"
    assert isinstance(doc, Document)


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_archive_keeps_what_came_before_the_cut(gz: bool) -> None:
    records = [
        Rec("https://brackenford-herald.example/bridge-toll", TOLL),
        Rec("https://saltreach-post.example/night-market", MARKET),
        Rec("https://harlow-vale-news.example/orchard", ORCHARD),
    ]
    data, ends = write_warc(records, gz=gz)
    cut = data[: (ends[1] + ends[2]) // 2]  # halfway through the third record
    items = read(cut)
    assert [d.url for d in docs(items)] == [records[0].uri, records[1].uri]
    assert items[-1] == Failure("crawl.warc", items[-1].reason, "E102")
    assert "truncated" in items[-1].reason


def test_archive_cut_inside_record_headers_is_reported() -> None:
    data, ends = write_warc(
        [
            Rec("https://brackenford-herald.example/bridge-toll", TOLL),
            Rec("https://saltreach-post.example/night-market", MARKET),
        ],
        gz=False,
    )
    items = read(data[: ends[0] + 60])  # the second record's WARC headers, cut off
    assert len(docs(items)) == 1
    assert isinstance(items[-1], Failure)
    assert items[-1].code == "E102"


def test_whole_file_gzip_is_read_too() -> None:
    data, _ = write_warc([Rec("https://brackenford-herald.example/bridge-toll", TOLL)], gz=False)
    (doc,) = read(gzip.compress(data))
    assert isinstance(doc, Document)


def test_decompression_cap() -> None:
    filler = page("Archive of notices", *["Notice: the Brackenford lock closes at dusk." * 40] * 400)
    records = [
        Rec("https://brackenford-herald.example/bridge-toll", TOLL),
        Rec("https://brackenford-herald.example/notices", filler),
        Rec("https://saltreach-post.example/night-market", MARKET),
    ]
    data, _ = write_warc(records, gz=True)
    assert len(data) < 50_000 < len(filler)  # compresses well: a small file that expands a lot
    items = read(data, Options(max_decompressed_bytes=100_000))
    assert [d.url for d in docs(items)] == [records[0].uri]
    assert items[-1] == Failure("crawl.warc", items[-1].reason, "E104")
    assert "max_decompressed_bytes" in items[-1].reason


def test_not_a_warc() -> None:
    (failure,) = read(b"<html><body>Saltreach tide tables</body></html>\n")
    assert isinstance(failure, Failure)
    assert failure.code == "E102"


def test_corrupt_gzip() -> None:
    (failure,) = read(b"\x1f\x8b\x08\x00" + b"\xff" * 64)
    assert isinstance(failure, Failure)
    assert failure.code == "E102"


def test_empty_archive() -> None:
    (failure,) = read(b"")
    assert failure == Failure("crawl.warc", "the WARC archive holds no records", "E103")


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_any_cut_yields_whole_documents_then_at_most_one_failure(gz: bool) -> None:
    records = [
        Rec("https://brackenford-herald.example/bridge-toll", TOLL),
        Rec("https://saltreach-post.example/night-market", MARKET),
    ]
    data, _ = write_warc(records, gz=gz)
    for cut in range(0, len(data), 11):
        items = read(data[:cut])
        found = docs(items)
        assert [d.url for d in found] == [r.uri for r in records][: len(found)], cut
        assert items[: len(found)] == found, cut  # documents first
        assert len(items) - len(found) <= 1, cut  # then one failure for the archive, at most
