"""HTML pages → clean article text and metadata (STUB: being replaced)."""

from __future__ import annotations

import trafilatura

from claimledger.errors import EmptyInputError
from claimledger.identity import document_id
from claimledger.types import Document


def extract_html(html: str, *, source: str, url: str | None = None) -> Document:
    """Extract the main text and metadata of one HTML page."""
    text = trafilatura.extract(html, url=url) or ""
    if not text.strip():
        raise EmptyInputError(source, "no article text found in the HTML")
    return Document(id=document_id(text), text=text, source=source, format="html", url=url)
