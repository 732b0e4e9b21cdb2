"""Reading PolNeAR-style brat standoff: discontinuous spans, no-source events, annotator choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.evaluation.brat import (
    BratFormatError,
    GoldAttribution,
    choose_annotations,
    load_polnear,
    parse_brat,
    write_brat,
)
from claimledger.types import Attribution, Span

TEXT = "“Taxes will fall,” Mayor Quill said, “and soon.” Rates rose, officials noted."
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678

ANN = """\
T1\tSource 19 30\tMayor Quill
T2\tCue 31 35\tsaid
T3\tContent 0 18;37 48\t“Taxes will fall,” “and soon.”
T4\tAttribution 31 35\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 49 60\tRates rose,
T6\tCue 71 77\tnoted.
T7\tAttribution 71 77\tnoted.
E2\tAttribution-no-source:T7 Content:T5 Cue:T6
T8\tDiscuss 0 5\t“Taxe
#1\tAnnotatorNotes T3\ta note
E3\tAttribution-no-source:T8\t
"""


def test_discontinuous_content_becomes_two_pieces() -> None:
    first = parse_brat(ANN)[0]
    assert first == GoldAttribution(source=((19, 30),), cue=((31, 35),), content=((0, 18), (37, 48)))
    assert [TEXT[s:e] for s, e in first.content] == ["“Taxes will fall,”", "“and soon.”"]


def test_no_source_event_has_empty_source_and_empty_events_are_skipped() -> None:
    atts = parse_brat(ANN)
    assert len(atts) == 2  # E3 has neither cue nor content
    assert atts[1] == GoldAttribution(source=(), cue=((71, 77),), content=((49, 60),))


def test_content2_role_joins_the_content() -> None:
    ann = (
        "T9\tAttribution 5 9\tsaid\nT1\tCue 5 9\tsaid\nT2\tContent 0 4\tab\nT3\tContent 10 14\tcd\n"
        "E1\tAttribution:T9 Cue:T1 Content:T2 Content2:T3\n"
    )
    assert parse_brat(ann)[0].content == ((0, 4), (10, 14))


def test_entity_text_spanning_a_newline_is_ignored_as_a_line() -> None:
    ann = "T1\tCue 5 9\tsaid\nT2\tContent 0 30\tfirst line\nT3 continues here\nE1\tAttribution:T1 Cue:T1 Content:T2\n"
    assert parse_brat(ann) == [GoldAttribution(source=(), cue=((5, 9),), content=((0, 30),))]


def test_unknown_entity_is_a_clear_error() -> None:
    with pytest.raises(BratFormatError, match="unknown entity 'T7'"):
        parse_brat("T1\tCue 0 4\tsaid\nE1\tAttribution:T1 Cue:T1 Content:T7\n", name="x.ann")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a_b_ff01.ann"], {"a_b": "a_b_ff01.ann"}),
        (["a_b_ff01.ann", "a_b_0a02.ann", "c_1111.ann"], {"a_b": "a_b_0a02.ann", "c": "c_1111.ann"}),
        (["a_b_0a02.ann", "a_b_ff01.ann"], {"a_b": "a_b_0a02.ann"}),
    ],
)
def test_one_annotator_per_text_the_alphabetically_first(names: list[str], expected: dict[str, str]) -> None:
    assert choose_annotations(names) == expected


def test_annotation_name_without_annotator_is_refused() -> None:
    with pytest.raises(BratFormatError, match=r"expected <textname>_<annotator>\.ann"):
        choose_annotations(["plain.ann"])


def test_load_polnear_reads_a_split(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "pub_2016_story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "pub_2016_story_zz99.ann").write_text("", encoding="utf-8")
    (tmp_path / "attributions" / "pub_2016_story_aa11.ann").write_text(ANN, encoding="utf-8")
    [(name, text, atts)] = load_polnear(tmp_path)
    assert (name, text, len(atts)) == ("pub_2016_story", TEXT, 2)


def test_load_polnear_refuses_a_folder_that_is_no_split(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="expected attributions/ and text/"):
        load_polnear(tmp_path)


def test_write_brat_round_trips() -> None:
    att = Attribution(
        kind="direct",
        stance="assert",
        cue=Span(31, 35, "said"),
        content=(Span(0, 18, TEXT[0:18]), Span(37, 48, TEXT[37:48])),
        source=Span(19, 30, "Mayor Quill"),
    )
    unsourced = Attribution(kind="indirect", stance="assert", cue=Span(71, 77, "noted."), content=(Span(49, 60, "x"),))
    ann = write_brat([att, unsourced], TEXT)
    assert "Attribution-no-source" in ann
    assert parse_brat(ann) == parse_brat(ANN)
