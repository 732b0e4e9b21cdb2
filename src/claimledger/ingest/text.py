"""Scraped plain text → article body without boilerplate (STUB: being replaced)."""

from __future__ import annotations

from claimledger.errors import EmptyInputError
from claimledger.identity import document_id
from claimledger.types import Document, Segment


def extract_text(raw: str, *, source: str) -> Document:
    """Clean one scraped page given as decoded text; offsets map back to ``raw``."""
    if not raw.strip():
        raise EmptyInputError(source, "the text is empty")
    return Document(id=document_id(raw), text=raw, source=source, format="text", segments=(Segment(0, 0, len(raw)),))
