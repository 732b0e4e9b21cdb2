"""Limits on what one input may cost: long documents are cut with a recorded warning, slow extractions are
refused, and the boilerplate rules stay linear on hostile paragraphs. Invented people and places only."""

import dataclasses
import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from claimledger.cli import cli
from claimledger.config import Options
from claimledger.errors import ParseTimeoutError
from claimledger.ingest import limits
from claimledger.ingest.boilerplate import InOrder, boilerplate_reason
from claimledger.ingest.html import extract_html
from claimledger.ingest.limits import Deadline, truncate
from claimledger.ingest.text import extract_text
from claimledger.pipeline import extract_documents, ingest_articles
from claimledger.store import Store
from claimledger.types import Document, Failure, Span

PARAGRAPH = (
    "Harbour master Tomas Quill said on Monday that the ferry Aurelia had been held at the outer mole of Port "
    "Velden for six hours, and that the crew of the Aurelia were safe."
)


def long_story(paragraphs: int) -> str:
    return "Ferry held at Port Velden\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(paragraphs)) + "\n"


def test_a_long_text_is_cut_at_a_paragraph_break_with_a_warning() -> None:
    raw = long_story(200)
    doc = extract_text(raw, source="story.txt")
    cut = truncate(doc, 5_000)
    assert len(cut.text) <= 5_000 < len(doc.text)
    assert cut.text.endswith("safe.")  # a whole paragraph, not half a sentence
    assert doc.text.startswith(cut.text)
    assert cut.id == doc.id  # the same page ingested again is still the same document
    (warning,) = cut.warnings
    assert f"{len(cut.text):,} of {len(doc.text):,} characters" in warning
    assert "max_document_chars" in warning
    # The clean-to-raw map still holds for every character kept.
    for seg in cut.segments:
        assert seg.clean_start + seg.length <= len(cut.text)
        piece = cut.text[seg.clean_start : seg.clean_start + seg.length]
        assert raw[seg.raw_start : seg.raw_start + seg.length] == piece
    assert sum(seg.length for seg in cut.segments) == len(cut.text) - 2 * (len(cut.segments) - 1)


def test_a_text_within_the_limit_or_with_no_limit_is_left_alone() -> None:
    doc = extract_text(long_story(3), source="story.txt")
    assert truncate(doc, len(doc.text)) is doc
    assert truncate(doc, 0) is doc


def test_a_text_without_breaks_is_cut_at_a_space_else_at_the_limit() -> None:
    words = Document(id="x", text="word " * 100, source="s", format="text")
    assert truncate(words, 52).text == "word " * 9 + "word"
    solid = Document(id="y", text="x" * 100, source="s", format="text")
    assert truncate(solid, 40).text == "x" * 40


def test_captions_past_the_cut_are_dropped_where_they_index_the_text() -> None:
    page = "<html><body><article>" + "".join(f"<p>{n}. {PARAGRAPH}</p>" for n in range(40)) + "</article></body></html>"
    doc = extract_html(page, source="story.html")
    assert not doc.segments
    early, late = Span(0, 5, doc.text[:5]), Span(len(doc.text) - 5, len(doc.text), doc.text[-5:])
    withcaps = dataclasses.replace(doc, captions=(early, late))
    cut = truncate(withcaps, 2_000)
    assert cut.captions == (early,)
    assert cut.text.endswith("safe.")


def test_ingest_stores_the_cut_text_and_its_warning(options: Options, store: Store, tmp_path: Path) -> None:
    story = tmp_path / "long.txt"
    story.write_text(long_story(400), encoding="utf-8")
    record = {"text": long_story(300), "title": "Ferry held", "outlet": "Velden Post"}
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = ingest_articles([str(story), str(lines)], store=store, options=options.replace(max_document_chars=8_000))
    assert len(report.added) == 2
    assert not report.failures
    for doc_id in report.added:
        doc = store.get_document(doc_id)
        assert len(doc.text) <= 8_000
        assert any("max_document_chars = 8,000" in w for w in doc.warnings)


def test_show_tells_the_user_the_text_was_cut(options: Options, tmp_path: Path) -> None:
    story = tmp_path / "long.txt"
    story.write_text(long_story(400), encoding="utf-8")
    env = {"CLAIMLEDGER_DB": options.db, "CLAIMLEDGER_MAX_DOCUMENT_CHARS": "6000"}
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(story)], env=env)
    assert result.exit_code == 0, result.output
    doc_id = re.search(r"\b([0-9a-f]{16})\b", runner.invoke(cli, ["documents"], env=env).output).group(1)
    shown = runner.invoke(cli, ["show", doc_id], env=env)
    assert "the text was cut to its first" in shown.output
    assert "max_document_chars = 6,000" in shown.output


class Clock:
    """time.monotonic for the limits module: each reading a second after the last, so a deadline is
    reached after a known number of checks, whatever the machine's speed."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return float(next(self._ticks))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(limits.time, "monotonic", fake)
    return fake


def test_a_deadline_expires_after_its_budget(clock: Clock) -> None:
    deadline = Deadline(3, source="page.txt")  # set at t=0, expires after t=3
    deadline.check()  # t=1
    deadline.check()  # t=2
    deadline.check()  # t=3
    with pytest.raises(ParseTimeoutError) as raised:
        deadline.check()  # t=4
    assert raised.value.code == "E106"
    assert "parse_timeout" in str(raised.value)
    assert "page.txt" in str(raised.value)


def test_no_budget_never_expires(clock: Clock) -> None:
    deadline = Deadline(0, source="page.txt")
    for _ in range(1000):
        deadline.check()


def test_text_extraction_past_its_budget_is_refused(clock: Clock) -> None:
    raw = long_story(50)  # 51 paragraphs: one check each, so 10 s of clock runs out
    with pytest.raises(ParseTimeoutError):
        extract_text(raw, source="story.txt", time_limit=10)
    assert extract_text(raw, source="story.txt", time_limit=1000).text


def test_html_extraction_past_its_budget_is_refused(clock: Clock) -> None:
    page = "<html><body><article>" + "".join(f"<p>{PARAGRAPH}</p>" for _ in range(5)) + "</article></body></html>"
    with pytest.raises(ParseTimeoutError):
        extract_html(page, source="story.html", time_limit=1)
    assert extract_html(page, source="story.html", time_limit=1000).text


def test_a_slow_input_fails_alone_and_the_rest_is_stored(
    clock: Clock, options: Options, store: Store, tmp_path: Path
) -> None:
    slow = tmp_path / "a-slow.txt"
    slow.write_text(long_story(400), encoding="utf-8")
    quick = tmp_path / "b-quick.txt"
    quick.write_text(long_story(2), encoding="utf-8")
    record = json.dumps({"text": long_story(400)})
    lines = tmp_path / "c-lines.jsonl"
    lines.write_text(record + "\n" + json.dumps({"text": long_story(1)}) + "\n", encoding="utf-8")
    found = list(extract_documents([str(slow), str(quick), str(lines)], options=options.replace(parse_timeout=100)))
    failures = [f for f in found if isinstance(f, Failure)]
    assert sorted((f.source, f.code) for f in failures) == [(str(slow), "E106"), (f"{lines}#1", "E106")]
    docs = [d for d in found if isinstance(d, Document)]
    assert sorted(d.source for d in docs) == [str(quick), f"{lines}#2"]
    report = ingest_articles([str(quick)], store=store, options=options)
    assert len(report.added) == 1


# -- the boilerplate rules on hostile paragraphs ---------------------------------------------------------


@given(st.text(alphabet="we cookies\nx.", max_size=60))
def test_in_order_matches_what_the_regex_would(text: str) -> None:
    first, then = re.compile(r"\bwe\b"), re.compile(r"\bcookies?\b")
    assert InOrder(first, then).search(text) == bool(re.search(r"\bwe\b.*\bcookies?\b", text))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("We use cookies to improve your experience.", "cookie"),
        ("Cookies help us. Please accept them.", "cookie"),
        ("Allow all cookies", "cookie"),
        ("We met the harbour master.\nCookies were served at the port.", None),  # different lines
        ("Write to the editor at desk@velden-post.example", "contact"),
    ],
)
def test_rewritten_rules_keep_their_meaning(text: str, reason: str | None) -> None:
    cue = boilerplate_reason(text)
    assert (cue.reason if cue else None) == reason


def test_short_line_rules_also_cap_the_characters() -> None:
    # "A.B.C..." counts as one word: a rule for short lines must not judge (nor pay the square of) a long one.
    assert boilerplate_reason("Share this") is not None
    assert boilerplate_reason("Share this" + ".x" * 300) is None
