"""RSS and Atom feeds written here; --follow against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimledger.config import Options
from claimledger.errors import EmptyInputError, FormatError
from claimledger.ingest.feed import looks_like_feed, read_feed
from claimledger.ingest.fetch import Fetcher
from claimledger.types import Document, Failure

from .conftest_http import LocalServer, Reply

OPTIONS = Options(fetch_timeout=5.0, fetch_retries=0, allow_private_addresses=True)  # the server is on 127.0.0.1

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Harrowgate Ledger</title>
  <link>https://harrowgate-ledger.example/</link>
  <description>News from Harrowgate and the Wend valley</description>
  <item>
    <title>Wend valley dam inspection delayed</title>
    <link>{dam_link}</link>
    <guid isPermaLink="false">hl-2024-0311</guid>
    <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
    <dc:creator>Ilse Brandvold</dc:creator>
    <description>The inspection will wait until April.</description>
    <content:encoded><![CDATA[
      <p>The inspection of the Wend valley dam has been put off until April, the water board said on Tuesday.</p>
      <p>“The divers cannot work while the river is this high,” said Aurel Fenwright, the board’s chief engineer.</p>
      <p>Farmers downstream in Lower Tasby said they had not been told of the delay.</p>
    ]]></content:encoded>
  </item>
  <item>
    <title>Harrowgate library extends opening hours</title>
    <link>https://harrowgate-ledger.example/library-hours</link>
    <guid>https://harrowgate-ledger.example/library-hours</guid>
    <pubDate>Wed, 06 Mar 2024 17:00:00 GMT</pubDate>
    <description>The Harrowgate library will open until nine on Thursdays, librarian Noor Castellane said.</description>
  </item>
  <item>
    <title>Photo gallery: spring fair</title>
    <link>https://harrowgate-ledger.example/fair-photos</link>
    <guid>hl-2024-0313</guid>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Corvale Daily</title>
  <id>tag:corvale-daily.example,2024:feed</id>
  <updated>2024-04-01T10:00:00Z</updated>
  <entry>
    <title type="html">Tram line to &lt;em&gt;Ostwick&lt;/em&gt; approved</title>
    <link href="https://corvale-daily.example/tram-ostwick"/>
    <id>tag:corvale-daily.example,2024:tram</id>
    <published>2024-03-30T08:00:00+02:00</published>
    <updated>2024-04-01T10:00:00Z</updated>
    <author><name>Tomas Lindqvar</name></author>
    <content type="html">&lt;p&gt;Corvale council approved the tram line to Ostwick on Friday by eleven votes
      to four.&lt;/p&gt;
      &lt;p&gt;Deputy mayor Sunniva Arkwright said building would start next spring.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Ferry timetable</title>
    <link href="https://corvale-daily.example/ferry"/>
    <id>tag:corvale-daily.example,2024:ferry</id>
    <updated>2024-04-01T06:45:00Z</updated>
    <content type="text">The Corvale ferry keeps its winter timetable until May, the operator said.</content>
  </entry>
</feed>
"""

PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Dam inspection delayed | Harrowgate Ledger</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Wend valley dam inspection delayed</h1>
<p>The inspection of the Wend valley dam has been put off until April, the water board said on Tuesday.</p>
<p>"The divers cannot work while the river is this high," said Aurel Fenwright, the board's chief engineer.</p>
<p>In the full article: the board will publish the last inspection report, from 2019, next week.</p>
</article><footer>Harrowgate Ledger</footer></body></html>"""


def rss(dam_link: str = "https://harrowgate-ledger.example/dam-inspection") -> bytes:
    return RSS.format(dam_link=dam_link).encode()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_rss_entries_become_documents() -> None:
    dam, library, photos = read_feed(rss(), source="ledger.xml", options=OPTIONS)
    assert isinstance(dam, Document)
    assert dam.title == "Wend valley dam inspection delayed"
    assert dam.url == "https://harrowgate-ledger.example/dam-inspection"
    assert dam.published == "2024-03-05T08:30:00+00:00"
    assert dam.author == "Ilse Brandvold"
    assert dam.outlet == "The Harrowgate Ledger"
    assert dam.source == "ledger.xml#hl-2024-0311"
    assert dam.format == "feed"
    assert "Aurel Fenwright" in dam.text  # content:encoded, not the one-line description
    assert "Lower Tasby" in dam.text

    assert isinstance(library, Document)  # a summary only
    assert "Noor Castellane" in library.text
    assert library.published == "2024-03-06T17:00:00+00:00"
    assert library.author is None

    assert isinstance(photos, Failure)  # nothing to read
    assert photos.code == "E103"
    assert photos.source == "ledger.xml#hl-2024-0313"


def test_atom_entries_become_documents() -> None:
    tram, ferry = read_feed(ATOM.encode(), source="corvale.atom", options=OPTIONS)
    assert isinstance(tram, Document)
    assert tram.title == "Tram line to Ostwick approved"  # HTML title, tags dropped
    assert tram.published == "2024-03-30T06:00:00+00:00"  # published beats updated
    assert tram.author == "Tomas Lindqvar"
    assert tram.outlet == "Corvale Daily"
    assert "Sunniva Arkwright" in tram.text
    assert isinstance(ferry, Document)
    assert ferry.published == "2024-04-01T06:45:00+00:00"  # only updated
    assert ferry.text.startswith("The Corvale ferry keeps its winter timetable")


def test_follow_fetches_the_linked_page(server: LocalServer) -> None:
    server.route("/dam-inspection", Reply(200, PAGE, (("Content-Type", "text/html; charset=utf-8"),)))
    link = server.url("/dam-inspection")
    with Fetcher(options=OPTIONS, sleep=lambda _: None) as fetcher:
        items = list(read_feed(rss(link), source="ledger.xml", options=OPTIONS, fetcher=fetcher))
    dam = items[0]
    assert isinstance(dam, Document)
    assert "the last inspection report" in dam.text  # from the page, not the feed
    assert dam.title == "Wend valley dam inspection delayed"  # the entry's title over the page's
    assert dam.url == link
    assert dam.published == "2024-03-05T08:30:00+00:00"
    assert dam.outlet == "The Harrowgate Ledger"
    assert server.hits["/dam-inspection"] == 1


def test_follow_failure_falls_back_to_the_entry(server: LocalServer) -> None:
    link = server.url("/dam-inspection")  # not routed: 404
    with Fetcher(options=OPTIONS, sleep=lambda _: None) as fetcher:
        items = list(read_feed(rss(link), source="ledger.xml", options=OPTIONS, fetcher=fetcher))
    failure, dam = items[:2]
    assert isinstance(failure, Failure)
    assert failure.source == link
    assert failure.code == "E105"
    assert "HTTP 404" in failure.reason
    assert "used the entry's text from the feed instead" in failure.reason
    assert isinstance(dam, Document)
    assert "Aurel Fenwright" in dam.text
    assert dam.url == link


def test_relative_links_resolve_against_a_feed_url() -> None:
    data = rss("/dam-inspection")
    (dam, *_) = read_feed(data, source="https://harrowgate-ledger.example/feed.xml", options=OPTIONS)
    assert isinstance(dam, Document)
    assert dam.url == "https://harrowgate-ledger.example/dam-inspection"


@pytest.mark.parametrize(
    "data",
    [b"<rss><channel><title>Broken", b"this is not XML at all <<<", b"<html><body><p>Saltreach</p>", b"<note/>"],
    ids=["unclosed", "junk", "html", "other-xml"],
)
def test_malformed_feed_raises(data: bytes) -> None:
    with pytest.raises(FormatError, match=r"not (a well-formed|an) RSS or Atom feed") as caught:
        read_feed(data, source="broken.xml", options=OPTIONS)
    assert caught.value.source == "broken.xml"


def test_lenient_feed_keeps_its_entries_with_a_warning() -> None:
    data = b"""<rss version="2.0"><channel><title>Tasby Notes</title><item><title>Fete</title>
    <description>The Tasby fete raised more than last year & the vicar, Hal Pennock, thanked everyone.</description>
    </item></channel></rss>"""
    (doc,) = read_feed(data, source="tasby.rss", options=OPTIONS)
    assert isinstance(doc, Document)
    assert "Hal Pennock" in doc.text
    assert any("not well-formed" in w for w in doc.warnings)


def test_empty_feed_raises() -> None:
    with pytest.raises(EmptyInputError):
        read_feed(b"  \n", source="empty.xml", options=OPTIONS)


def test_feed_without_entries_yields_nothing() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Weekly</title></channel></rss>'
    assert list(read_feed(data, source="quiet.rss", options=OPTIONS)) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (rss(), True),
        (ATOM.encode(), True),
        (b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', True),
        (b"<!DOCTYPE html><html><head><title>Feedback</title></head><body><feedback/></body></html>", False),
        (b"Plain words about an rss feed.", False),
        (b" " * 3000 + b"<rss>", False),  # only the first 2 KB are sniffed
    ],
)
def test_looks_like_feed(data: bytes, expected: bool) -> None:
    assert looks_like_feed(data) is expected
