"""RSS and Atom feeds → one document per entry.

An entry's text comes from its full content (``content:encoded``, Atom ``content``),
else its summary. With a ``Fetcher`` (the CLI's ``--follow``) the linked page is fetched
and extracted instead; when that fails the entry's own text is used and the fetch failure
is reported as a ``Failure``. Title, link, date and author come from the entry, the
outlet from the feed's title.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.etree
import lxml.html

from claimledger.config import Options
from claimledger.errors import EmptyInputError, FormatError, InputError, TooLargeError
from claimledger.ingest.fetch import Fetcher, document_from_fetched
from claimledger.ingest.html import NOT_XML, extract_html
from claimledger.ingest.text import extract_text
from claimledger.types import Document, Failure

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]", re.IGNORECASE)
_PLAIN = frozenset({"text/plain"})
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")  # the fallback when lxml cannot parse a fragment


@dataclass(frozen=True)
class _Entry:
    source: str  # ``feed#entry-id``
    title: str | None
    url: str | None
    published: str | None
    author: str | None
    outlet: str | None
    body: str | None  # the entry's content or summary
    body_is_html: bool


def looks_like_feed(data: bytes) -> bool:
    """True when the first 2 KB open an RSS, Atom or RSS 1.0 (RDF) document."""
    return _FEED_ROOT.search(data[:2048]) is not None


def read_feed(
    data: bytes, *, source: str, options: Options, fetcher: Fetcher | None = None
) -> Iterator[Document | Failure]:
    """Yield a ``Document`` (or a ``Failure``) per feed entry.

    Checks the whole feed before returning the iterator, so these raise at the call:
    ``EmptyInputError`` for empty data, ``FormatError`` for data that is not a feed (not
    well-formed and without entries, or XML of another kind), ``TooLargeError`` over
    ``max_input_bytes``. A valid feed with no entries yields nothing.
    """
    if len(data) > options.max_input_bytes:
        raise TooLargeError(source, f"{len(data):,} bytes is over the {options.max_input_bytes:,}-byte limit")
    if not data.strip():
        raise EmptyInputError(source, "the feed is empty")
    headers = None
    if source.lower().startswith(("http://", "https://")):
        # Resolve relative entry links against the feed's URL; XML media type so the XML declaration sets the charset.
        headers = {"content-location": source, "content-type": "application/xml"}
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except (ValueError, LookupError) as exc:  # feedparser decodes with the declared charset, NUL and all
        raise FormatError(source, f"not a readable RSS or Atom feed ({exc}); check its XML declaration") from None
    entries = parsed.entries
    problem = " ".join(str(parsed.get("bozo_exception", "")).split())
    if parsed.bozo and not entries:
        raise FormatError(source, f"not a well-formed RSS or Atom feed ({problem or 'unknown problem'})")
    if not entries and not parsed.get("version"):
        raise FormatError(source, "well-formed XML but not an RSS or Atom feed")
    warnings = (f"the feed is not well-formed ({problem}); its entries were read leniently",) if parsed.bozo else ()
    outlet = _title(parsed.feed)
    return _read_entries(
        entries, source=source, outlet=outlet, fetcher=fetcher, warnings=warnings, time_limit=options.parse_timeout
    )


def _read_entries(
    entries: list[Any],
    *,
    source: str,
    outlet: str | None,
    fetcher: Fetcher | None,
    warnings: tuple[str, ...],
    time_limit: float,
) -> Iterator[Document | Failure]:
    for index, raw in enumerate(entries, start=1):
        entry = _entry(raw, source=source, index=index, outlet=outlet)
        for item in _read_entry(entry, fetcher=fetcher, time_limit=time_limit):
            if isinstance(item, Document) and warnings:
                item = replace(item, warnings=item.warnings + warnings)
            yield item


def _read_entry(entry: _Entry, *, fetcher: Fetcher | None, time_limit: float) -> Iterator[Document | Failure]:
    followed: InputError | None = None
    if fetcher is not None and entry.url:
        try:
            fetched = fetcher.fetch(entry.url)
            page = document_from_fetched(fetched, source=entry.source, time_limit=time_limit)
        except InputError as exc:
            followed = exc
        else:
            yield _with_metadata(page, entry, url=fetched.final_url)
            return
    try:
        doc = _from_body(entry, time_limit)
    except InputError as exc:
        if followed is not None:
            yield _failure(followed)
        yield _failure(exc)
        return
    if followed is not None:
        yield Failure(followed.source, f"{followed.reason}; used the entry's text from the feed instead", followed.code)
    yield _with_metadata(doc, entry, url=entry.url)


def _from_body(entry: _Entry, time_limit: float) -> Document:
    if not entry.body or not entry.body.strip():
        raise EmptyInputError(
            entry.source, "the entry has neither content nor a summary (--follow would fetch its page)"
        )
    if not entry.body_is_html:
        return extract_text(entry.body, source=entry.source, time_limit=time_limit)
    page = f"<html><body><article>{entry.body}</article></body></html>"
    try:
        return extract_html(page, source=entry.source, url=entry.url, time_limit=time_limit)
    except EmptyInputError:
        # Too short for the article extractor (a one-line summary): the fragment has no boilerplate to remove.
        return extract_text(_strip_tags(entry.body), source=entry.source, time_limit=time_limit)


def _with_metadata(doc: Document, entry: _Entry, *, url: str | None) -> Document:
    """The entry's metadata over the page's: the feed states it, the page's has to be guessed."""
    return replace(
        doc,
        format="feed",
        title=entry.title or doc.title,
        url=url or doc.url,
        published=entry.published or doc.published,
        author=entry.author or doc.author,
        outlet=entry.outlet or doc.outlet,
    )


def _entry(raw: Any, *, source: str, index: int, outlet: str | None) -> _Entry:
    # dict.get, not raw.get: feedparser's own get maps a missing ``updated`` onto ``published`` with a warning.
    key = dict.get(raw, "id") or dict.get(raw, "link") or str(index)
    body, is_html = _body(raw)
    return _Entry(
        source=f"{source}#{key}",
        title=_title(raw),
        url=dict.get(raw, "link") or None,
        published=_iso(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")),
        author=(dict.get(raw, "author") or "").strip() or None,
        outlet=outlet,
        body=body,
        body_is_html=is_html,
    )


def _body(raw: Any) -> tuple[str | None, bool]:
    """The entry's fullest text: HTML content first, then any content, then the summary."""
    candidates = list(dict.get(raw, "content") or [])
    candidates.sort(key=lambda c: c.get("type") in _PLAIN)  # stable: HTML before plain, else feed order
    summary = dict.get(raw, "summary_detail")
    if summary:
        candidates.append(summary)
    for candidate in candidates:
        value = candidate.get("value") or ""
        if value.strip():
            return value, candidate.get("type") not in _PLAIN
    return None, False


def _title(node: Any) -> str | None:
    title = dict.get(node, "title") or ""
    detail = dict.get(node, "title_detail") or {}
    if detail.get("type") not in (None, *_PLAIN) and "<" in title:
        title = _strip_tags(title)
    return " ".join(title.split()) or None


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601."""
    if parsed is None:
        return None
    return datetime(*parsed[:6], tzinfo=UTC).isoformat()


def _strip_tags(fragment: str) -> str:
    if not fragment.strip():
        return ""
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + "\n", NOT_XML.sub("", fragment))  # keep paragraphs apart
    try:
        text: str = lxml.html.fragment_fromstring(spaced, create_parent="div").text_content()
    except (AssertionError, lxml.etree.ParserError):  # lxml's fragment parser on "<html></html>" and the like
        text = _TAG.sub(" ", spaced)
    return text.strip()


def _failure(error: InputError) -> Failure:
    return Failure(error.source, error.reason, error.code)
