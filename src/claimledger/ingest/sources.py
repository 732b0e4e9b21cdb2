"""Where articles come from: paths, folders, URLs and stdin, each routed to its reader.

``plan`` expands the inputs into work items (so a progress bar knows the total), and
``read_item`` turns one item into documents. Neither raises for a bad input: every
problem becomes a ``Failure`` naming the input, and the other inputs go on.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from claimledger.config import Options
from claimledger.errors import FormatError, InputError
from claimledger.ingest.decode import decode_bytes, gunzip, read_input
from claimledger.ingest.html import extract_html
from claimledger.ingest.jsonl import read_jsonl
from claimledger.ingest.limits import truncate
from claimledger.ingest.text import extract_text
from claimledger.types import Document, Failure

# Suffix (after an optional .gz) → reader kind.
KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Item:
    """One unit of ingest work: a file, a URL, or standard input."""

    kind: str  # file | url | stdin
    value: str
    reader: str | None = None  # html | text | jsonl | warc | feed; None: sniff the content


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return KINDS.get(suffixes[-1]) if suffixes else None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def plan(inputs: Iterable[str]) -> tuple[list[Item], list[Failure]]:
    """Expand paths (folders recursively, hidden files skipped), URLs and ``-`` into items."""
    items: list[Item] = []
    failures: list[Failure] = []
    for value in inputs:
        if value == "-":
            items.append(Item("stdin", "-"))
        elif is_url(value):
            items.append(Item("url", value))
        else:
            path = Path(value)
            if _is_dir(path):
                found = [Item("file", str(p), kind_of(p)) for p in _files_in(path, failures)]
                if not found:
                    failures.append(
                        Failure(
                            value,
                            "the folder holds no files of a known kind (html, txt, jsonl, warc, rss/atom)",
                            "E103",
                        )
                    )
                items.extend(found)
            elif path.exists():
                items.append(Item("file", value, kind_of(path)))
            else:
                failures.append(Failure(value, "no such file or directory, and not an http(s) URL", "E100"))
    return items, failures


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a path the OS will not even stat (too long, no permission on a parent)
        return False


def _files_in(folder: Path, failures: list[Failure]) -> list[Path]:
    """The files of a known kind below ``folder``, sorted, hidden files and folders skipped; a folder or file
    that cannot be read is reported and skipped, never fatal to the rest."""

    def unreadable(error: OSError) -> None:
        failures.append(Failure(str(error.filename or folder), f"cannot read: {error.strerror or error}", "E100"))

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            candidate = Path(root) / name
            if name.startswith(".") or not kind_of(candidate):
                continue
            try:
                regular = candidate.is_file()
            except OSError as error:
                unreadable(error)
                continue
            if regular:
                found.append(candidate)
    return sorted(found)


def read_item(
    item: Item, *, options: Options, follow: bool = False, stdin: BinaryIO | None = None
) -> Iterator[Document | Failure]:
    """Yield the documents of one item, and a Failure for anything that could not be read."""
    try:
        if item.kind == "url":
            yield from _read_url(item.value, options=options, follow=follow)
        elif item.kind == "stdin":
            data = stdin.read() if stdin is not None else b""
            if not data:
                raise FormatError("<stdin>", "standard input is empty")
            yield from read_bytes(data, source="<stdin>", reader=None, options=options, follow=follow)
        else:
            path = Path(item.value)
            data = read_input(path, options=options)
            yield from read_bytes(data, source=item.value, reader=item.reader, options=options, follow=follow)
    except InputError as exc:
        yield Failure(source=exc.source, reason=exc.reason, code=exc.code)


def read_bytes(
    data: bytes, *, source: str, reader: str | None, options: Options, follow: bool = False
) -> Iterator[Document | Failure]:
    """Route raw bytes to the reader for ``reader`` (or the sniffed kind); documents come out cut to
    ``options.max_document_chars`` (:func:`~claimledger.ingest.limits.truncate`)."""
    yield from _cut(_read_bytes(data, source=source, reader=reader, options=options, follow=follow), options)


def _cut(found: Iterable[Document | Failure], options: Options) -> Iterator[Document | Failure]:
    """Each document of ``found`` cut to ``options.max_document_chars``; failures as they are."""
    for item in found:
        yield item if isinstance(item, Failure) else truncate(item, options.max_document_chars)


def _read_bytes(
    data: bytes, *, source: str, reader: str | None, options: Options, follow: bool
) -> Iterator[Document | Failure]:
    if reader is None and data.startswith(_GZIP_MAGIC) and not _is_warc_gz(data):
        data = gunzip(data, source=source, limit=options.max_decompressed_bytes)
    kind = reader or sniff(data)
    if kind == "warc":
        from claimledger.ingest.warc import read_warc

        yield from read_warc(io.BytesIO(data), source=source, options=options)
        return
    if kind == "feed":
        from claimledger.ingest.feed import read_feed

        if follow:
            from claimledger.ingest.fetch import Fetcher

            with Fetcher(options=options) as fetcher:
                yield from read_feed(data, source=source, options=options, fetcher=fetcher)
        else:
            yield from read_feed(data, source=source, options=options)
        return
    declared = _declared_charset(data) if kind == "html" else None
    text, warnings = decode_bytes(data, source=source, declared=declared)
    if kind == "jsonl":
        yield from read_jsonl(text, source=source, time_limit=options.parse_timeout)
        return
    extract = extract_html if kind == "html" else extract_text
    doc = extract(text, source=source, time_limit=options.parse_timeout)
    if warnings:
        from dataclasses import replace

        doc = replace(doc, warnings=doc.warnings + warnings)
    yield doc


def sniff(data: bytes) -> str:
    """Guess the reader for data of unknown kind from its first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"{"):
        return "jsonl"
    from claimledger.ingest.feed import looks_like_feed

    if looks_like_feed(data):
        return "feed"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered or b"<p>" in lowered:
        return "html"
    return "text"


def _is_warc_gz(data: bytes) -> bool:
    try:
        return zlib.decompressobj(wbits=31).decompress(data[:4096], 16).startswith(b"WARC/")
    except zlib.error:
        return False


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _read_url(url: str, *, options: Options, follow: bool) -> Iterator[Document | Failure]:
    yield from _cut(_read_fetched(url, options=options, follow=follow), options)


def _read_fetched(url: str, *, options: Options, follow: bool) -> Iterator[Document | Failure]:
    from claimledger.ingest.feed import looks_like_feed
    from claimledger.ingest.fetch import Fetcher, document_from_fetched

    with Fetcher(options=options) as fetcher:
        fetched = fetcher.fetch(url)
        if looks_like_feed(fetched.content):
            from claimledger.ingest.feed import read_feed

            yield from read_feed(fetched.content, source=url, options=options, fetcher=fetcher if follow else None)
        else:
            yield document_from_fetched(fetched, time_limit=options.parse_timeout)
