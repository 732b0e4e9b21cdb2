"""Scraped plain text → article body without boilerplate, with offsets into the input.

A scraped page is a run of paragraphs: the article's headline and body, and around them
the page's furniture (donation appeals, newsletter sign-ups, share bars, cookie notices,
"Read more" lists, captions). ``extract_text`` labels each paragraph in five passes:

1. cue phrases (``claimledger.ingest.boilerplate``) mark furniture and captions;
2. blocks: a header such as "Sign up for our newsletter" or "A Message from X:" opens an
   appeal that runs on over short widget lines and over paragraphs that speak as "we" or
   to "you" outside quotations, until a paragraph reads as a report again; "Related" and
   "Read more" open a list that runs over headline-like lines;
3. the body core: every paragraph left that reads as prose (a sentence, or a long line);
4. the headline: the first title-like line above the body core; a short line without final
   punctuation right below it is a caption;
5. layout: what sits above the headline is navigation, short lines after the body are widgets,
   short headings between body paragraphs stay (subheadings).

The clean text is the kept paragraphs, each copied verbatim from the input, joined by
``"\\n\\n"``; ``Document.segments`` maps every copied character back to ``raw``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.errors import EmptyInputError
from claimledger.identity import document_id
from claimledger.ingest.boilerplate import (
    addresses_reader,
    author_of,
    boilerplate_reason,
    ends_sentence,
    is_caption,
    is_title_cased,
    outlet_of,
    unquoted,
    word_count,
)
from claimledger.ingest.dates import find_date, guess_language
from claimledger.ingest.limits import Deadline
from claimledger.types import Document, Removed, Segment, Span

__all__ = ["EXTRACTOR", "extract_text"]

EXTRACTOR = "claimledger-text/1"
JOINER = "\n\n"

# The line breaks ``str.splitlines`` knows, CRLF first so that it counts as one.
_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_BULLET = re.compile(r"^[-•*–—·▪►]\s")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'’”)]*\s+[\"“‘(]?[A-Z]")
_WRAP_MIN, _WRAP_MAX = 30, 100  # hard-wrapped text keeps lines between these widths

BODY, TITLE, CAPTION, DROP = "body", "title", "caption", "drop"


@dataclass(frozen=True)
class _Para:
    """One paragraph of the input: ``raw[start:end]``, stripped; ``flat`` has its whitespace collapsed."""

    start: int
    end: int
    flat: str
    words: int
    prose: bool


@dataclass(frozen=True)
class _Label:
    kind: str  # BODY | TITLE | CAPTION | DROP
    reason: str = ""  # why a DROP was dropped


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _strip(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_space(raw[start]):
        start += 1
    while end > start and _is_space(raw[end - 1]):
        end -= 1
    return start, end


def _lines(raw: str) -> list[tuple[int, int]]:
    """Every line's stripped ``(start, end)`` in ``raw``; blank lines are empty spans."""
    spans = []
    start = 0
    for match in _BREAK.finditer(raw):
        spans.append(_strip(raw, start, match.start()))
        start = match.end()
    spans.append(_strip(raw, start, len(raw)))
    return spans


def _is_prose(text: str, words: int) -> bool:
    """Reads as running text: a sentence, a clause leading into a quote or list, or a long line."""
    if ends_sentence(text):
        return words >= 3
    if text.endswith((":", ";", ",")):
        return words >= 10
    return words >= 20


def _wrapped(raw: str, block: list[tuple[int, int]]) -> list[bool]:
    """For each line of a block after the first: does it continue the line above (hard-wrapped text)?

    A line continues the one above when that one ends mid-sentence and either this one starts in lower
    case, or (in blocks of three lines or more) the first word here would not have fitted on the line
    above within the block's width: the sign of text wrapped at a fixed column.
    """
    joins = [False] * len(block)
    widths = [end - start for start, end in block]
    width = max(widths) if block else 0
    if len(block) < 2 or not _WRAP_MIN <= width <= _WRAP_MAX:
        return joins
    for i in range(1, len(block)):
        above = raw[block[i - 1][0] : block[i - 1][1]]
        line = raw[block[i][0] : block[i][1]]
        if ends_sentence(above) or above.endswith(":") or _BULLET.match(line):
            continue
        first_word = len(line.split(maxsplit=1)[0])
        no_room = widths[i - 1] + 1 + first_word > 0.9 * width and widths[i - 1] >= 0.6 * width
        joins[i] = line[:1].islower() or (len(block) > 2 and no_room)
    return joins


def _paragraphs(raw: str) -> list[_Para]:
    """Paragraphs: each non-blank line, except that hard-wrapped lines join the line above."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for start, end in _lines(raw):
        if start == end:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append((start, end))
    paras = []
    for block in blocks:
        spans: list[tuple[int, int]] = []
        for (start, end), join in zip(block, _wrapped(raw, block), strict=True):
            if join:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        for start, end in spans:
            flat = " ".join(raw[start:end].split())
            words = word_count(flat)
            paras.append(_Para(start, end, flat, words, _is_prose(flat, words)))
    return paras


def _mark_cues(paras: list[_Para], deadline: Deadline) -> tuple[list[_Label | None], list[str | None]]:
    """Pass 1: furniture by its wording, and captions by their credits."""
    labels: list[_Label | None] = []
    opens: list[str | None] = []
    for para in paras:
        deadline.check()
        cue = boilerplate_reason(para.flat)
        caption = is_caption(para.flat)
        if caption and (cue is None or cue.reason in ("legal", "metadata")):
            labels.append(_Label(CAPTION))
            opens.append(None)
        elif cue is not None:
            labels.append(_Label(DROP, cue.reason))
            opens.append(cue.opens)
        else:
            labels.append(None)
            opens.append(None)
    return labels, opens


_APPEALS = ("donation-appeal", "newsletter", "paywall")
_APPEAL_LOOKAHEAD = 2


def _speaks_to_reader(paras: list[_Para], i: int, outlet: str | None) -> bool:
    """Says "we" or "you" outside quotes, or names the page's own outlet."""
    text = paras[i].flat
    return addresses_reader(text) or (outlet is not None and outlet in unquoted(text))


def _appeal_goes_on(paras: list[_Para], labels: list[_Label | None], i: int, outlet: str | None) -> bool:
    """Whether the appeal resumes within the next two paragraphs (then ``i`` belongs to it too)."""
    for j in range(i + 1, min(i + 1 + _APPEAL_LOOKAHEAD, len(paras))):
        label = labels[j]
        if label is not None:
            return label.kind == DROP and label.reason in _APPEALS
        if not paras[j].prose:
            return False
        if _speaks_to_reader(paras, j, outlet):
            return True
    return False


def _mark_blocks(paras: list[_Para], labels: list[_Label | None], opens: list[str | None]) -> None:
    """Pass 2: what follows an appeal or list header, until the report resumes.

    An appeal runs on over short widget lines and over paragraphs that speak to the reader
    (or name the outlet the furniture names), and over those that do neither when the appeal
    goes on within the next two paragraphs.
    """
    outlet = outlet_of([paras[i].flat for i, label in enumerate(labels) if label is not None and label.kind == DROP])
    block: str | None = None
    reason = ""
    seen_body = False
    for i, para in enumerate(paras):
        label = labels[i]
        if label is not None:
            if label.kind == DROP and opens[i] in ("appeal", "list") and (opens[i] == "appeal" or seen_body):
                block, reason = opens[i], label.reason
            continue
        if block is None:
            seen_body = seen_body or para.prose
            continue
        if not para.prose:
            if seen_body and (para.words <= 8 or (block == "list" and para.words <= 30)):
                labels[i] = _Label(DROP, reason)
            elif not seen_body and para.words >= 2:
                block = None  # a banner above the headline ("Support X!") opens no block over the article
            continue  # before the body, short lines are left to the headline pass
        if block == "appeal" and (_speaks_to_reader(paras, i, outlet) or _appeal_goes_on(paras, labels, i, outlet)):
            labels[i] = _Label(DROP, reason)
            continue
        block = None
        seen_body = True


def _cut_footer(paras: list[_Para], labels: list[_Label | None], opens: list[str | None]) -> None:
    """A copyright line below most of the page's prose ends the article: the rest is footer."""
    prose = [para.words if label is None and para.prose else 0 for para, label in zip(paras, labels, strict=True)]
    above, below = 0, sum(prose)
    for i, kind in enumerate(opens):
        above, below = above + prose[i], below - prose[i]
        if kind == "footer" and 0 < below <= above:
            for j in range(i + 1, len(paras)):
                if labels[j] is None:
                    labels[j] = _Label(DROP, "end-matter")
            return


def _is_heading(para: _Para) -> bool:
    """A prose-shaped first line that is really a headline ("Marrow Quits Over Budget.").

    Only title case tells: a short first line in sentence case is as likely the lede itself.
    """
    return is_title_cased(para.flat) and para.words <= 25 and not _SENTENCE_BREAK.search(para.flat)


def _find_title(paras: list[_Para], labels: list[_Label | None], first_body: int) -> int | None:
    """Pass 4: the headline, a title-like line above the body core.

    Longer lines score higher (up to 15 words) and each unclaimed line between a candidate and
    the body costs 2, so a headline beats both the menu above it and a short caption below it.
    """
    best: int | None = None
    best_score = 0
    between = 0
    for i in range(first_body - 1, -1, -1):
        para = paras[i]
        if labels[i] is not None:
            continue
        if 2 <= para.words <= 30 and not para.flat.endswith((":", ",")):
            score = min(para.words, 15) - 2 * between
            if best is None or score >= best_score:
                best, best_score = i, score
        between += 1
    if best is not None and _is_caption_shaped(paras[best]):
        # A short line between a headline and the body is the lead image's caption, not the headline.
        above = [i for i in range(best) if labels[i] is None]
        if above and paras[above[-1]].words >= paras[best].words:
            candidate = paras[above[-1]]
            if not candidate.prose and 2 <= candidate.words <= 30 and not candidate.flat.endswith((":", ",")):
                return above[-1]
    return best


def _list_runs(paras: list[_Para], labels: list[_Label | None], core: set[int]) -> set[int]:
    """Runs of three or more short unclaimed lines (headline lists, menus) not broken by body prose."""
    found: set[int] = set()
    run: list[int] = []
    for i, para in enumerate([*paras, None]):
        if i in core or para is None:
            if len(run) >= 3:
                found.update(run)
            run = []
        elif labels[i] is None and not (_BULLET.match(para.flat) and para.words >= 5):
            run.append(i)
    return found


def _label(paras: list[_Para], source: str, deadline: Deadline) -> tuple[list[_Label], int | None]:
    labels, opens = _mark_cues(paras, deadline)
    _mark_blocks(paras, labels, opens)
    deadline.check()
    _cut_footer(paras, labels, opens)
    core = [i for i, para in enumerate(paras) if labels[i] is None and para.prose]
    if not core:
        raise EmptyInputError(
            source,
            f"no article text left after removing page furniture ({len(paras)} paragraphs looked like "
            "menus, appeals or captions); check that the input is an article page",
        )
    first = core[0]
    has_line_above = any(labels[i] is None and paras[i].words >= 2 for i in range(first))
    if not has_line_above and len(core) > 1 and _is_heading(paras[first]):
        core, first = core[1:], core[1]  # the headline came with a final full stop
    title = _find_title(paras, labels, first)
    last = core[-1]
    kept = set(core)
    lists = _list_runs(paras, labels, kept)
    under_title = _next_free(labels, title) if title is not None else -1
    out: list[_Label] = []
    for i, para in enumerate(paras):
        label = labels[i]
        if label is not None:
            out.append(label)
        elif i == title:
            out.append(_Label(TITLE))
        elif i in kept or (first < i < last and para.words >= 2 and i not in lists):
            out.append(_Label(BODY))  # prose, or a subheading between body paragraphs
        elif first < i < last:
            out.append(_Label(DROP, "navigation" if i in lists else "widget"))
        elif i > last:
            out.append(_Label(DROP, "widget" if para.words <= 4 else "end-matter"))
        elif title is not None and i < title:
            out.append(_Label(DROP, "navigation"))
        elif i == under_title and _is_caption_shaped(para):
            out.append(_Label(CAPTION))  # a short line under the headline: the lead image's caption
        elif para.words <= 4:
            out.append(_Label(DROP, "widget" if title is not None else "navigation"))
        else:
            out.append(_Label(BODY))  # a standfirst between headline and body
    return out, title


def _is_caption_shaped(para: _Para) -> bool:
    """Short, and not a sentence nor a lead-in to one."""
    return para.words <= 8 and not ends_sentence(para.flat) and not para.flat.endswith((":", ";", ","))


def _next_free(labels: list[_Label | None], after: int) -> int:
    """The first paragraph after ``after`` that no cue has claimed (captions included)."""
    for i in range(after + 1, len(labels)):
        label = labels[i]
        if label is None or label.kind == CAPTION:
            return i
    return len(labels)


def _one_line(text: str) -> str:
    return " ".join(text.split()) if _BREAK.search(text) else text


def extract_text(raw: str, *, source: str, time_limit: float = 0.0) -> Document:
    """Clean one scraped page given as decoded text; offsets map back to ``raw``.

    Raises ``EmptyInputError`` when the page is blank or nothing of an article body remains, and
    ``ParseTimeoutError`` when cleaning takes more than ``time_limit`` seconds (0: no limit).
    """
    deadline = Deadline(time_limit, source=source)
    paras = _paragraphs(raw)
    if not paras:
        raise EmptyInputError(source, "the text is empty")
    labels, title = _label(paras, source, deadline)
    pieces: list[str] = []
    segments: list[Segment] = []
    captions: list[Span] = []
    removed: list[Removed] = []
    offset = 0
    for para, label in zip(paras, labels, strict=True):
        piece = raw[para.start : para.end]
        if label.kind == BODY:
            if pieces:
                offset += len(JOINER)
            segments.append(Segment(offset, para.start, len(piece)))
            pieces.append(piece)
            offset += len(piece)
        elif label.kind == CAPTION:
            captions.append(Span(para.start, para.end, piece))
        elif label.kind == DROP:
            removed.append(Removed(piece, label.reason, para.start, para.end))
    text = JOINER.join(pieces)
    furniture = [paras[i].flat for i, label in enumerate(labels) if label.kind == DROP]
    bylines = [paras[i].flat for i, label in enumerate(labels) if label.reason == "byline"]
    # A date in the page furniture (byline, dateline, "March 13, 2026 · 4 min read") is its publication date.
    first_body = next((i for i, label in enumerate(labels) if label.kind == BODY), len(paras))
    dated = bylines + [paras[i].flat for i in range(first_body) if labels[i].kind != BODY] + furniture
    return Document(
        id=document_id(text),
        text=text,
        source=source,
        format="text",
        title=_one_line(raw[paras[title].start : paras[title].end]) if title is not None else None,
        outlet=outlet_of(furniture),
        author=author_of(bylines[0]) if bylines else None,
        published=find_date(dated),
        language=guess_language(text),
        captions=tuple(captions),
        boilerplate=tuple(removed),
        segments=tuple(segments),
        extractor=EXTRACTOR,
    )
