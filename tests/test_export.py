"""Exports: JSON round trip, CSV and GraphML read back by pandas and networkx, ClaimReview shape, Markdown."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest

from claimledger.export import (
    CSV_COLUMNS,
    entries_from_json,
    to_claimreview,
    to_csv,
    to_graphml,
    to_html_report,
    to_json,
    to_jsonl,
    to_markdown_report,
)
from claimledger.ledger import build_ledger
from claimledger.ledger.origins import UNSOURCED, edges_from_attributions
from claimledger.types import Attribution, Claim, Document, LedgerEntry, Span, StanceEdge

COURIER = Document(
    id="d1",
    text="",
    source="d1.html",
    format="html",
    title="Dam breach claimed | Oskel",
    outlet="Valdoran Courier",
    published="2031-05-02",
    url="https://courier.example/dam",
)
POST = Document(id="d2", text="", source="d2.txt", format="text", outlet="Lanter Post", published="2031-05-03")
DOCUMENTS = {d.id: d for d in (COURIER, POST)}


def _att(speaker: str | None, stance: str, *, via: tuple[str, ...] = (), kind: str = "indirect") -> Attribution:
    return Attribution(
        kind=kind,
        stance=stance,
        cue=Span(0, 4, "said"),
        content=(Span(5, 20, "the dam breached"),),
        speaker=speaker,
        # Red Banner is an armed group: two government voices would be one origin
        speaker_type=("armed-group" if speaker == "Red Banner" else "government") if speaker else "unknown",
        via=tuple(Span(0, len(v), v) for v in via),
    )


@pytest.fixture
def entries() -> list[LedgerEntry]:
    claim = Claim(id="c1", text="The dam at Oskel was breached", members=("m1",), entities=("Oskel",))
    edges: list[StanceEdge] = [
        *edges_from_attributions(
            "c1",
            COURIER,
            [(0, _att("Red Banner", "assert", via=("Velta agency",))), (1, _att("Port Authority", "deny"))],
        ),
        *edges_from_attributions(
            "c1",
            POST,
            [(0, _att("Port Authority", "confirm")), (1, _att(None, "assert", kind="unattributed-passive"))],
        ),
    ]
    other = Claim(id="c2", text="Oskel was evacuated", members=())
    lone = edges_from_attributions("c2", POST, [(2, _att("Citadel", "assert"))])
    return [build_ledger(claim, edges), build_ledger(other, lone)]


def test_json_round_trip(entries: list[LedgerEntry]) -> None:
    text = to_json(entries, DOCUMENTS)
    data = json.loads(text)
    assert data["entries"][0]["documents"]["d1"]["url"] == "https://courier.example/dam"
    assert entries_from_json(text) == entries
    assert entries_from_json(to_jsonl(entries)) == entries
    assert len(to_jsonl(entries).splitlines()) == 2
    back = entries_from_json(text)[0]
    assert [type(e) for e in back.timeline] == [type(e) for e in entries[0].timeline]


def test_csv_reads_back_with_pandas(entries: list[LedgerEntry]) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO(to_csv(entries, DOCUMENTS)), keep_default_na=False)
    assert tuple(frame.columns) == CSV_COLUMNS
    assert len(frame) == sum(len(e.timeline) for e in entries)
    assert set(frame["claim_id"]) == {"c1", "c2"}
    first = frame[frame["claim_id"] == "c1"].iloc[0]
    assert first["status"] == entries[0].status
    assert first["claim_text"] == "The dam at Oskel was breached"
    assert first["via"] == "Velta agency"
    assert first["url"] == "https://courier.example/dam"


def test_claimreview_shape(entries: list[LedgerEntry]) -> None:
    reviews = to_claimreview(entries, DOCUMENTS, date_published="2031-06-01")
    assert len(reviews) == 2
    review = reviews[0]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The dam at Oskel was breached"
    assert review["datePublished"] == "2031-06-01"
    assert review["author"] == {"@type": "Organization", "name": "claimledger"}
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == entries[0].status
    explanation = rating["ratingExplanation"]
    assert all(reason in explanation for reason in entries[0].reasons)
    assert "Red Banner" in explanation
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert [w["@type"] for w in item["appearance"]] == ["CreativeWork", "CreativeWork"]
    assert item["firstAppearance"]["url"] == "https://courier.example/dam"
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Valdoran Courier"}
    assert item["author"]["name"] == "Red Banner"
    json.dumps(reviews)  # JSON-LD is plain JSON


def test_graphml_reads_back_with_networkx(entries: list[LedgerEntry]) -> None:
    nx = pytest.importorskip("networkx")
    graph = nx.read_graphml(io.StringIO(to_graphml(entries, DOCUMENTS)))
    assert graph.is_directed()
    assert graph.has_edge("Red Banner", "Velta agency")
    assert graph.has_edge("Velta agency", "Valdoran Courier")
    assert graph.has_edge("Port Authority", "Lanter Post")
    assert graph.nodes["Red Banner"]["role"] == "origin"
    assert graph.nodes["Red Banner"]["origin_type"] == "armed-group"
    assert graph.nodes["Velta agency"]["role"] == "relay"
    assert graph.nodes["Valdoran Courier"]["role"] == "outlet"
    assert graph.nodes[UNSOURCED]["origin_type"] == "anonymous"
    link = graph.edges["Port Authority", "Lanter Post"]
    assert (link["claims"], link["weight"]) == ("c1", 1)


def test_markdown_contains_reasons_and_timeline(entries: list[LedgerEntry]) -> None:
    report = to_markdown_report(entries, DOCUMENTS)
    assert report.startswith("# Claim ledger")
    for entry in entries:
        assert f"**Status: {entry.status}**" in report
        for reason in entry.reasons:
            assert reason in report
    assert "Dam breach claimed \\| Oskel" in report  # table-safe pipes
    assert "[Dam breach claimed \\| Oskel](https://courier.example/dam)" in report
    assert "Veracity estimate" in report


def test_empty_inputs() -> None:
    assert entries_from_json(to_json([])) == []
    assert entries_from_json("") == []
    assert to_csv([]).strip() == ",".join(CSV_COLUMNS)
    assert to_claimreview([]) == []
    with pytest.raises(ValueError, match="to_json"):
        entries_from_json("[1, 2]")


class _Page(HTMLParser):
    """Collects what a browser would act on: tags, links, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_holds_the_ledger(entries: list[LedgerEntry]) -> None:
    page = _Page()
    page.feed(to_html_report(entries, DOCUMENTS))
    text = " ".join(page.text)
    for entry in entries:
        assert entry.claim.text in text
        for reason in entry.reasons:
            assert reason in text
    assert page.hrefs == ["https://courier.example/dam"] * page.hrefs.count("https://courier.example/dam")
    assert "https://courier.example/dam" in page.hrefs
    assert "script" not in page.tags


SAFE_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "section", "p", "span"),
    *("ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td"),
}


def test_html_report_escapes_hostile_text() -> None:
    hostile = Document(
        id="d9", text="", source="d9.html", format="html", outlet="<b>Outlet</b>",
        title='<script>window.pwned=1</script><img src=x onerror="alert(1)">', url="javascript:alert(1)",
    )  # fmt: skip
    attribution = _att('<svg onload="alert(1)">', "assert")
    claim = Claim(id="c9", text="<script>alert(2)</script>", members=())
    entry = build_ledger(claim, edges_from_attributions("c9", hostile, [(0, attribution)]))
    report = to_html_report([entry], {hostile.id: hostile})
    page = _Page()
    page.feed(report)
    assert set(page.tags) <= SAFE_TAGS
    assert not any(name.startswith("on") for name in page.attrs)
    assert page.hrefs == []  # a javascript: URL is shown, never linked
    assert "<script>alert(2)</script>" in " ".join(page.text)  # shown as text
