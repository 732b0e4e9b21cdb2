"""Limits applied to every document an input yields, whatever its format.

A page can be far longer than any article (a forum dump, a mis-scraped archive page): past
``max_document_chars`` of clean text it is cut at the last paragraph break (or space) before the limit and
the cut is recorded as a warning on the document, so nothing downstream spends unbounded time on it and
the reader of the ledger can see that part of the page was not analysed. Extraction itself runs against
a time budget (``parse_timeout``), so a pathological page is refused rather than parsed for minutes.
"""

from __future__ import annotations

import dataclasses
import math
import time

from claimledger.errors import ParseTimeoutError
from claimledger.types import Document, Segment

__all__ = ["Deadline", "truncate"]

_LINE_BREAK = "\n"


def truncate(doc: Document, limit: int) -> Document:
    """``doc`` with its text cut to at most ``limit`` characters, with a warning saying so.

    The cut falls on the last line break in the second half of the allowance (paragraphs are lines in
    the clean text), else on the last space, else at the limit itself; segments (the clean-to-raw map)
    are cut to match, and captions that index the text (formats without a raw map) past the cut are
    dropped. The id stays the one of the whole text, so the same long page ingested again is still
    recognised as the same document.
    """
    if limit <= 0 or len(doc.text) <= limit:
        return doc
    cut = doc.text.rfind(_LINE_BREAK, limit // 2, limit)
    if cut < 0:
        cut = doc.text.rfind(" ", limit // 2, limit)
    if cut < 0:
        cut = limit
    text = doc.text[:cut].rstrip()
    segments = tuple(
        Segment(s.clean_start, s.raw_start, min(s.length, len(text) - s.clean_start))
        for s in doc.segments
        if s.clean_start < len(text)
    )
    captions = doc.captions if doc.segments else tuple(c for c in doc.captions if c.end <= len(text))
    warning = (
        f"the text was cut to its first {len(text):,} of {len(doc.text):,} characters "
        f"(max_document_chars = {limit:,}); the rest is not analysed"
    )
    return dataclasses.replace(doc, text=text, segments=segments, captions=captions, warnings=(*doc.warnings, warning))


class Deadline:
    """A time budget for turning one input into text, checked between paragraphs.

    Python cannot interrupt a regular expression or a parser midway, so the extractors call :meth:`check`
    between pieces of work that are each small (the rules cap what one paragraph can cost); an input that
    runs past its budget is refused with :class:`~claimledger.errors.ParseTimeoutError` instead of holding a
    run for minutes. ``seconds <= 0`` never expires.
    """

    def __init__(self, seconds: float, *, source: str) -> None:
        self.seconds = seconds
        self.source = source
        self._at = time.monotonic() + seconds if seconds > 0 else math.inf

    def check(self) -> None:
        if time.monotonic() > self._at:
            raise ParseTimeoutError(
                self.source,
                f"gave up after {self.seconds:g} s of text extraction (parse_timeout); "
                "the input is not shaped like an article (split it, or raise parse_timeout)",
            )
