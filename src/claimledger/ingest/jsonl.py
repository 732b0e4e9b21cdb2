"""JSON Lines: one article per line, ``text`` or ``html`` plus optional metadata."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from claimledger.errors import FormatError, InputError
from claimledger.ingest.html import extract_html
from claimledger.ingest.text import extract_text
from claimledger.types import Document, Failure

# Metadata a line may carry, copied onto the document when present.
METADATA = ("title", "outlet", "author", "published", "language", "url")


def read_jsonl(text: str, *, source: str, time_limit: float = 0.0) -> Iterator[Document | Failure]:
    """Yield one document per non-blank line; a bad line yields a Failure and the rest go on.

    ``time_limit`` bounds the extraction of each line's text (see :func:`extract_text`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{number}"
        try:
            yield document_from_record(_parse(line, where), source=where, time_limit=time_limit)
        except InputError as exc:
            yield Failure(source=where, reason=exc.reason, code=exc.code)


def _parse(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise FormatError(where, "JSON nested too deeply to read") from None
    except ValueError as exc:  # a number over Python's integer-digit limit
        raise FormatError(where, f"JSON that cannot be read ({str(exc).split(';')[0]})") from None
    if not isinstance(record, dict):
        raise FormatError(where, f"expected a JSON object, got {type(record).__name__}")
    return record


def document_from_record(record: dict[str, Any], *, source: str, time_limit: float = 0.0) -> Document:
    """Build a document from a mapping with ``text`` or ``html`` and optional metadata."""
    html, text = record.get("html"), record.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            raise FormatError(source, f"field {name!r} must be a string, got {type(value).__name__}")
    if html:
        doc = extract_html(html, source=source, url=_str(record.get("url")), time_limit=time_limit)
        doc = dataclasses.replace(doc, format="jsonl")
    elif text:
        # Offsets of JSONL documents index the clean text, as for HTML: the line is no file to map back to.
        doc = dataclasses.replace(extract_text(text, source=source, time_limit=time_limit), format="jsonl", segments=())
    else:
        raise FormatError(source, "needs a non-empty 'text' or 'html' field")
    for key in METADATA:
        value = _str(record.get(key))
        if value:
            doc = dataclasses.replace(doc, **{key: value})  # type: ignore[arg-type]
    return doc


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
