"""extract_text: scraped plain text → article body, headline, captions and removed furniture.

The table-driven pages are invented (Valdoria, Port Ennis, minister Ilse Marrow, The Valdoria
Herald); the reference article and its hand annotation are read from ``../shared`` when present.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import EmptyInputError
from claimledger.identity import document_id
from claimledger.ingest.text import EXTRACTOR, JOINER, extract_text
from claimledger.types import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_ARTICLE = SHARED / "corpus" / "seed" / "000_9ce259030b0ff029.txt"
SEED_GOLD = SHARED / "gold" / "seed-000.json"


def assert_offsets_exact(doc: Document, raw: str) -> None:
    """Every segment is a verbatim copy of ``raw``, and segments plus joiners tile ``doc.text``."""
    expected_start = 0
    for seg in doc.segments:
        assert seg.clean_start == expected_start
        clean_end, raw_end = seg.clean_start + seg.length, seg.raw_start + seg.length
        assert doc.text[seg.clean_start : clean_end] == raw[seg.raw_start : raw_end]
        expected_start = seg.clean_start + seg.length + len(JOINER)
    assert expected_start - len(JOINER) == len(doc.text)
    for seg in doc.segments:
        end = seg.clean_start + seg.length
        raw_start, raw_end = doc.raw_span(seg.clean_start, end)
        assert raw[raw_start:raw_end] == doc.text[seg.clean_start : end]
    for cap in doc.captions:
        assert raw[cap.start : cap.end] == cap.text
    for removed in doc.boilerplate:
        assert removed.start is not None
        assert removed.end is not None
        assert raw[removed.start : removed.end] == removed.text


def paragraphs(doc: Document) -> list[str]:
    return doc.text.split(JOINER)


def reasons(doc: Document) -> dict[str, str]:
    return {removed.text: removed.reason for removed in doc.boilerplate}


# --- the reference article ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, object], Document]:
    if not SEED_ARTICLE.exists() or not SEED_GOLD.exists():
        pytest.skip(f"development data not found: {SEED_ARTICLE}")
    raw = SEED_ARTICLE.read_text(encoding="utf-8")
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    return raw, gold, extract_text(raw, source=str(SEED_ARTICLE))


def _line_spans(raw: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in raw.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def test_seed_keeps_every_body_line_whole_and_in_order(seed: tuple[str, dict[str, object], Document]) -> None:
    raw, gold, doc = seed
    lines = raw.split("\n")
    body_lines = gold["body_lines"]
    assert isinstance(body_lines, list)
    assert paragraphs(doc) == [lines[n - 1].strip() for n in body_lines]
    position = 0
    for n in body_lines:
        found = doc.text.find(lines[n - 1].strip(), position)
        assert found >= position, f"body line {n} missing or out of order"
        position = found + 1


def test_seed_removes_every_boilerplate_line(seed: tuple[str, dict[str, object], Document]) -> None:
    raw, gold, doc = seed
    spans = _line_spans(raw)
    boilerplate_lines = gold["boilerplate_lines"]
    assert isinstance(boilerplate_lines, list)
    removed_starts = {removed.start for removed in doc.boilerplate}
    for n in boilerplate_lines:
        start, end = spans[n - 1]
        for seg in doc.segments:
            assert seg.raw_start + seg.length <= start or seg.raw_start >= end, f"boilerplate line {n} kept"
        assert start in removed_starts, f"boilerplate line {n} not recorded"
    # The traps: reports inside the donation appeal are not article text.
    assert "Prosecutor General" not in doc.text
    assert "discredits the decisions" not in doc.text
    assert {removed.reason for removed in doc.boilerplate} >= {"donation-appeal", "newsletter"}


def test_seed_title_caption_outlet_and_offsets(seed: tuple[str, dict[str, object], Document]) -> None:
    raw, gold, doc = seed
    assert doc.title == gold["title"]
    assert doc.outlet == gold["outlet"]
    caption_start, caption_end = _line_spans(raw)[4]
    expected = [(caption_start, caption_end, "Amaq News Agency Screenshot")]
    assert [(c.start, c.end, c.text) for c in doc.captions] == expected
    assert "Amaq News Agency Screenshot" not in doc.text
    assert doc.id == document_id(doc.text)
    assert doc.format == "text"
    assert doc.extractor == EXTRACTOR
    assert_offsets_exact(doc, raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_seed_raw_span_of_any_body_span_is_identical(
    seed: tuple[str, dict[str, object], Document], data: st.DataObject
) -> None:
    raw, _, doc = seed
    seg = data.draw(st.sampled_from(doc.segments))
    start = data.draw(st.integers(seg.clean_start, seg.clean_start + seg.length))
    end = data.draw(st.integers(start, seg.clean_start + seg.length))
    raw_start, raw_end = doc.raw_span(start, end)
    assert raw[raw_start:raw_end] == doc.text[start:end]


# --- invented pages ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    raw: str
    body: tuple[str, ...]  # the expected paragraphs, in order
    title: str | None = None
    removed: dict[str, str] = field(default_factory=dict)  # text → reason (a subset of what is removed)
    captions: tuple[str, ...] = ()
    outlet: str | None = None
    author: str | None = None


BANK = (
    "The Central Bank of Valdoria kept its main interest rate at 4.5 percent on Wednesday, citing stable inflation.",
    "Governor Leta Omrin said the bank would watch wage growth closely in the coming months.",
    "Economists polled by the Valdoria Herald had expected the decision.",
)

PAGES = (
    Page(
        "cookie notice above the article",
        "We use cookies to improve your experience on our site. By continuing to browse, you accept our use of "
        "cookies.\nAccept all\nManage preferences\n\n"
        "Valdoria Votes to Delay Port Ennis Bridge\n\n"
        "The Valdorian parliament voted on Thursday to delay construction of the Port Ennis bridge, officials said.\n\n"
        "Finance minister Ilse Marrow told reporters the project would resume once funding was secured.\n",
        (
            "The Valdorian parliament voted on Thursday to delay construction of the Port Ennis bridge, "
            "officials said.",
            "Finance minister Ilse Marrow told reporters the project would resume once funding was secured.",
        ),
        title="Valdoria Votes to Delay Port Ennis Bridge",
        removed={"Accept all": "cookie", "Manage preferences": "cookie"},
    ),
    Page(
        "share bar, byline and read-more line",
        "Marrow Denies Role in Harbour Contract\n\nBy Tomas Kell, Port Ennis\n\nShare this article\n"
        "Facebook Twitter Email\n\n"
        "Ilse Marrow, Valdoria's finance minister, denied on Monday that she had influenced the award of a harbour "
        "contract.\n\n"
        '"I had no part in that decision," Marrow said in a statement.\n\n'
        "Read more: Port Ennis harbour contract under scrutiny\n\n"
        "The opposition Green Alliance said it would ask the audit office to investigate.\n\nShare\n",
        (
            "Ilse Marrow, Valdoria's finance minister, denied on Monday that she had influenced the award of a harbour "
            "contract.",
            '"I had no part in that decision," Marrow said in a statement.',
            "The opposition Green Alliance said it would ask the audit office to investigate.",
        ),
        title="Marrow Denies Role in Harbour Contract",
        removed={
            "By Tomas Kell, Port Ennis": "byline",
            "Share this article": "share",
            "Facebook Twitter Email": "share",
            "Read more: Port Ennis harbour contract under scrutiny": "navigation",
            "Share": "share",
        },
        author="Tomas Kell",
    ),
    Page(
        "newsletter block in the middle, copyright footer",
        "Drought Forces Water Limits in Northern Valdoria\n\n"
        "Authorities in the northern province of Kessry imposed water limits on Tuesday after the driest spring on "
        "record, the regional council said.\n\n"
        "Farmers' union leader Anton Brell said crops in the valley had already failed.\n\n"
        "Sign up for The Valdoria Herald's morning briefing\n"
        "Get the day's top stories delivered to your inbox every morning.\n"
        "Email address\nSign up\n\n"
        '"We will not give up on this harvest," Brell told the Herald on Tuesday.\n\n'
        "The council said the limits would stay in place until at least September.\n\n"
        "© 2024 The Valdoria Herald. All rights reserved.\n\nHome\nWorld\nBusiness\n",
        (
            "Authorities in the northern province of Kessry imposed water limits on Tuesday after the driest spring on "
            "record, the regional council said.",
            "Farmers' union leader Anton Brell said crops in the valley had already failed.",
            '"We will not give up on this harvest," Brell told the Herald on Tuesday.',
            "The council said the limits would stay in place until at least September.",
        ),
        title="Drought Forces Water Limits in Northern Valdoria",
        removed={
            "Sign up for The Valdoria Herald's morning briefing": "newsletter",
            "Get the day's top stories delivered to your inbox every morning.": "newsletter",
            "Email address": "newsletter",
            "Sign up": "newsletter",
            "© 2024 The Valdoria Herald. All rights reserved.": "legal",
        },
        outlet="The Valdoria Herald",
    ),
    Page(
        "donation appeal in the middle speaks as we, the report resumes in the third person",
        "Port Ennis Mayor Faces Recall Vote\n\n"
        "Residents of Port Ennis will vote in March on whether to recall Mayor Oskar Dunn, the city's election board "
        "announced on Friday.\n\n"
        "Dear readers,\n\n"
        "The Valdoria Herald relies on readers like you. Our reporters have been threatened for covering City Hall, "
        "and the mayor's office claims our coverage is biased.\n\n"
        "Please support us with a monthly gift.\n\nDonate now\n\n"
        "Dunn, who has denied wrongdoing, said he would fight the recall in court.\n",
        (
            "Residents of Port Ennis will vote in March on whether to recall Mayor Oskar Dunn, the city's election "
            "board announced on Friday.",
            "Dunn, who has denied wrongdoing, said he would fight the recall in court.",
        ),
        title="Port Ennis Mayor Faces Recall Vote",
        removed={"Dear readers,": "donation-appeal", "Donate now": "donation-appeal"},
        outlet="The Valdoria Herald",
    ),
    Page(
        "photo captions with credits",
        "Floods Sweep Through Lower Tarn Valley\n\n"
        "Rescue workers in Lower Tarn on Sunday. Photo: Mira Sol / Valdoria Herald\n\n"
        "Floodwaters swept through villages in the Lower Tarn valley on Sunday, forcing hundreds of residents from "
        "their homes, emergency services said.\n\n"
        "Residents wade through a flooded street in Osk. (Reuters)\n\n"
        "The regional governor, Pieter Vanlo, said the army had been asked to help with the evacuation.\n\n"
        "Getty Images\n",
        (
            "Floodwaters swept through villages in the Lower Tarn valley on Sunday, forcing hundreds of residents from "
            "their homes, emergency services said.",
            "The regional governor, Pieter Vanlo, said the army had been asked to help with the evacuation.",
        ),
        title="Floods Sweep Through Lower Tarn Valley",
        captions=(
            "Rescue workers in Lower Tarn on Sunday. Photo: Mira Sol / Valdoria Herald",
            "Residents wade through a flooded street in Osk. (Reuters)",
            "Getty Images",
        ),
    ),
    Page(
        "a short line under the headline is the lead image's caption",
        "Marrow Wins Confidence Vote\n\nIlse Marrow in parliament\n\n"
        "Finance minister Ilse Marrow survived a confidence vote in the Valdorian parliament on Tuesday.\n",
        ("Finance minister Ilse Marrow survived a confidence vote in the Valdorian parliament on Tuesday.",),
        title="Marrow Wins Confidence Vote",
        captions=("Ilse Marrow in parliament",),
    ),
    Page(
        "no boilerplate at all",
        "Valdoria Central Bank Holds Rates\n\n" + "\n\n".join(BANK) + "\n",
        BANK,
        title="Valdoria Central Bank Holds Rates",
    ),
    Page(
        "CRLF line endings",
        "Valdoria Central Bank Holds Rates\r\n\r\n" + "\r\n\r\n".join(BANK) + "\r\n\r\nShare this article\r\n",
        BANK,
        title="Valdoria Central Bank Holds Rates",
        removed={"Share this article": "share"},
    ),
    Page(
        "leading whitespace and indented lines",
        "\n\n   \t\n    Valdoria Central Bank Holds Rates  \n\n" + "\n\n".join(f"\t  {p}   " for p in BANK) + "\n\n  ",
        BANK,
        title="Valdoria Central Bank Holds Rates",
    ),
    Page(
        "no blank lines between paragraphs",
        "Storm Closes Osk Airport\n"
        "Osk airport was closed on Friday after a storm damaged its control tower, the transport ministry said.\n"
        "No injuries were reported, according to airport operator Valdair.\n"
        "Flights were diverted to Port Ennis, the ministry added.\n",
        (
            "Osk airport was closed on Friday after a storm damaged its control tower, the transport ministry said.",
            "No injuries were reported, according to airport operator Valdair.",
            "Flights were diverted to Port Ennis, the ministry added.",
        ),
        title="Storm Closes Osk Airport",
    ),
    Page(
        "hard-wrapped wire copy: wrapped lines stay one paragraph, copied verbatim",
        "Valdoria Signs Fishing Accord\n\n"
        "PORT ENNIS, May 4 - Valdoria signed a fishing accord with its\n"
        "northern neighbour on Thursday, ending a dispute that had kept\n"
        "trawlers in port for most of the winter, the foreign ministry said.\n\n"
        "The accord still needs the approval of parliament, where the\n"
        "opposition has promised to vote against it.\n",
        (
            "PORT ENNIS, May 4 - Valdoria signed a fishing accord with its\nnorthern neighbour on Thursday, ending a "
            "dispute that had kept\ntrawlers in port for most of the winter, the foreign ministry said.",
            "The accord still needs the approval of parliament, where the\nopposition has promised to vote against it.",
        ),
        title="Valdoria Signs Fishing Accord",
    ),
    Page(
        "related list and widgets after the body",
        "Valdoria Central Bank Holds Rates\n\n" + "\n\n".join(BANK) + "\n\n"
        "Related stories\n\nMarrow unveils spending plan\n\nInflation eases in Port Ennis\n\n"
        "Advertisement\n\nMost read\n",
        BANK,
        title="Valdoria Central Bank Holds Rates",
        removed={
            "Related stories": "navigation",
            "Marrow unveils spending plan": "navigation",
            "Advertisement": "advertising",
        },
    ),
    Page(
        "a banner above the headline opens no appeal over the article",
        "Support The Valdoria Herald!\n\nMarrow Survives Budget Vote\n\n"
        "Ilse Marrow told us on Monday that the budget would pass.\n\n"
        "The vote was 61 to 40, the speaker said.\n",
        ("Ilse Marrow told us on Monday that the budget would pass.", "The vote was 61 to 40, the speaker said."),
        title="Marrow Survives Budget Vote",
        removed={"Support The Valdoria Herald!": "donation-appeal"},
        outlet="The Valdoria Herald",
    ),
    Page(
        "an appeal paragraph without we or you, inside the appeal",
        "Marrow Survives Budget Vote\n\n"
        "Ilse Marrow survived a budget vote on Monday, the speaker said.\n\n"
        "Dear readers,\n\n"
        "Independent journalism is under attack across the region.\n\n"
        "We need your help to keep reporting.\n\nDonate\n\n"
        "Opposition leader Karl Brun called the result a disgrace.\n",
        (
            "Ilse Marrow survived a budget vote on Monday, the speaker said.",
            "Opposition leader Karl Brun called the result a disgrace.",
        ),
        title="Marrow Survives Budget Vote",
        removed={"Independent journalism is under attack across the region.": "donation-appeal"},
    ),
    Page(
        "credits, contact lines and a paywall prompt at the foot",
        "Valdoria Central Bank Holds Rates\n\n" + "\n\n".join(BANK) + "\n\n"
        "Reporting by Anya Fell; Editing by Tomas Kell\n\n"
        "Got a news tip? Email us at tips@valdoria-herald.example\n\n"
        "Already a subscriber? Log in\n",
        BANK,
        title="Valdoria Central Bank Holds Rates",
        removed={
            "Reporting by Anya Fell; Editing by Tomas Kell": "credits",
            "Got a news tip? Email us at tips@valdoria-herald.example": "contact",
            "Already a subscriber? Log in": "paywall",
        },
    ),
    Page(
        "a headline ending with a full stop, as some scrapers write it",
        "Central Bank Holds Rates As Inflation Cools.\n\n" + "\n\n".join(BANK) + "\n",
        BANK,
        title="Central Bank Holds Rates As Inflation Cools.",
    ),
)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_invented_pages(page: Page) -> None:
    doc = extract_text(page.raw, source=page.name)
    assert paragraphs(doc) == list(page.body)
    assert doc.title == page.title
    assert tuple(c.text for c in doc.captions) == page.captions
    for caption in page.captions:
        assert caption not in doc.text
    found = reasons(doc)
    for text, reason in page.removed.items():
        assert found.get(text) == reason, f"{text!r}: {found.get(text)!r}"
        assert text not in doc.text
    assert doc.outlet == page.outlet
    assert doc.author == page.author
    assert doc.id == document_id(doc.text)
    assert_offsets_exact(doc, page.raw)


CLEAN = next(page for page in PAGES if page.name == "no boilerplate at all")


def test_a_page_without_furniture_removes_nothing() -> None:
    doc = extract_text(CLEAN.raw, source="clean")
    assert doc.boilerplate == ()
    assert doc.captions == ()
    assert doc.outlet is None


def test_crlf_and_lf_give_the_same_text() -> None:
    lf = extract_text(CLEAN.raw, source="lf")
    crlf = extract_text(CLEAN.raw.replace("\n", "\r\n"), source="crlf")
    assert crlf.text == lf.text
    assert crlf.id == lf.id
    assert "\r" not in crlf.text


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   \n\n\t  \r\n",
        "Support The Valdoria Herald!\n\nSign up for our free newsletter\n\nShare this article\n"
        "Facebook Twitter Email\n\nRead more\n",
        "Valdoria Central Bank Holds Rates\n",
        "We use cookies to improve your experience on our site.\nAccept all\n",
    ],
    ids=["empty", "whitespace", "only-boilerplate", "only-a-headline", "only-a-cookie-notice"],
)
def test_nothing_left_raises(raw: str) -> None:
    with pytest.raises(EmptyInputError) as info:
        extract_text(raw, source="page.txt")
    assert info.value.source == "page.txt"
    assert info.value.code == "E103"


# --- properties -------------------------------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        *BANK,
        "Valdoria Central Bank Holds Rates",
        "Sign up for our free weekly newsletter",
        "Dear readers,",
        "We need your help. Please support us monthly starting from just $2.",
        "Once",
        "Photo: Mira Sol / Valdoria Herald",
        "Share this article",
        "Read more",
        '"We saw the reports," Marrow said.',
        "",
        "   ",
    ]
)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u2028", "\n \n"])


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=14))
    breaks = draw(st.lists(_BREAKS, min_size=len(lines), max_size=len(lines)))
    return "".join(line + brk for line, brk in zip(lines, breaks, strict=True))


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.text(), pages()))
def test_any_text_either_raises_or_maps_exactly(raw: str) -> None:
    try:
        doc = extract_text(raw, source="prop")
    except EmptyInputError:
        return
    assert doc.text
    assert_offsets_exact(doc, raw)


@settings(max_examples=200, deadline=None)
@given(raw=pages(), data=st.data())
def test_raw_span_within_a_paragraph_is_identical(raw: str, data: st.DataObject) -> None:
    try:
        doc = extract_text(raw, source="prop")
    except EmptyInputError:
        return
    seg = data.draw(st.sampled_from(doc.segments))
    start = data.draw(st.integers(seg.clean_start, seg.clean_start + seg.length))
    end = data.draw(st.integers(start, seg.clean_start + seg.length))
    raw_start, raw_end = doc.raw_span(start, end)
    assert raw[raw_start:raw_end] == doc.text[start:end]
