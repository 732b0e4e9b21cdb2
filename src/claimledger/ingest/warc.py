"""WARC archives (.warc, .warc.gz) → one document per archived HTML or plain-text page.

warcio parses the records; this module gunzips the archive itself (any gzip layout,
per-record or whole-file) so that it can count the bytes against
``max_decompressed_bytes`` and notice truncation, which warcio passes over in silence.
A broken archive yields what was read, then one ``Failure`` for the archive; a page
that cannot be extracted yields a ``Failure`` and the archive goes on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from claimledger.config import Options
from claimledger.errors import DecodeError, EmptyInputError, FormatError, InputError, TooLargeError
from claimledger.ingest.fetch import HTML_TYPES, TEXT_TYPES, Fetched, document_from_fetched, parse_content_type
from claimledger.types import Document, Failure

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"


class _ArchiveBroken(Exception):
    """Raised through warcio to stop reading; carries the error the archive's Failure reports."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


class _ArchiveReader:
    """The archive's bytes as warcio reads them: gunzipped when gzipped, counted, checked.

    Raises ``_ArchiveBroken`` past ``limit`` bytes or on a gzip stream cut short.
    ``content_end`` is the offset just after the last non-blank byte read, to spot a
    record that warcio dropped because its headers were cut off.
    """

    def __init__(self, stream: BinaryIO, *, source: str, limit: int) -> None:
        self._stream = stream
        self._source = source
        self._limit = limit
        self._pending = stream.read(_CHUNK)
        self._inflater = zlib.decompressobj(wbits=31) if self._pending.startswith(_GZIP_MAGIC) else None
        self._member_started = False
        self._buffer = bytearray()
        self._done = False
        self._position = 0  # bytes handed to warcio
        self.produced = 0  # bytes decompressed (or read, for a plain archive)
        self.content_end = 0

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        # Short reads, like a raw file: hand out what is decoded before decoding more, so the
        # records before a cut reach warcio before the error about the cut does.
        while not self._done and (not self._buffer or size < 0):
            block = self._next_block()
            if block is None:
                self._done = True
            else:
                self._count(block)
                self._buffer += block
        n = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        self._position += n
        return out

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass

    def _raw(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._stream.read(_CHUNK)

    def _next_block(self) -> bytes | None:
        if self._inflater is None:
            return self._raw() or None
        while True:
            if self._inflater.eof:  # a gzip member ended; another may follow
                data = self._inflater.unused_data or self._raw()
                if not data:
                    return None
                self._inflater = zlib.decompressobj(wbits=31)
                self._member_started = False
                data = data.lstrip(b"\0")  # NUL padding between members, as gzip(1) allows
            else:
                data = self._inflater.unconsumed_tail or self._raw()
                if not data:
                    if self._member_started:
                        raise _ArchiveBroken(
                            FormatError(self._source, "the gzip stream is truncated (unexpected end of file)")
                        )
                    return None
            if not data:
                continue
            try:
                out = self._inflater.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise _ArchiveBroken(
                    FormatError(self._source, f"corrupt gzip data after {self.produced:,} bytes ({exc})")
                ) from None
            self._member_started = True
            if out:
                return out

    def _count(self, block: bytes) -> None:
        stripped = len(block.rstrip())
        if stripped:
            self.content_end = self.produced + stripped
        self.produced += len(block)
        if self.produced > self._limit:
            raise _ArchiveBroken(
                TooLargeError(
                    self._source,
                    f"the archive expands to over {self._limit:,} bytes (max_decompressed_bytes); stopped reading",
                )
            )


@dataclass(frozen=True)
class _Page:
    source: str  # ``archive#record-id``
    fetched: Fetched  # the HTTP view of the record, content included
    date: str | None  # WARC-Date


def read_warc(stream: BinaryIO, *, source: str, options: Options) -> Iterator[Document | Failure]:
    """Yield a ``Document`` per 200 HTML/plain-text ``response`` and HTML ``resource`` record.

    Other records are skipped. Never raises for bad input: a bad record yields a ``Failure``
    and reading goes on; a broken archive yields a ``Failure`` for ``source`` and stops.
    """
    reader = _ArchiveReader(stream, source=source, limit=options.max_decompressed_bytes)
    archive = ArchiveIterator(reader)
    records = iter(archive)
    count = 0
    while True:
        offset = archive.offset
        try:
            record = next(records)
            count += 1
            page = _load(record, source=source, offset=offset, cap=options.max_input_bytes)
        except StopIteration:
            break
        except _ArchiveBroken as exc:
            yield _failure(exc.error)
            return
        except Exception as exc:  # warcio raises assorted types (ArchiveLoadFailed, parser errors) on bad input
            yield Failure(
                source, f"not a valid WARC archive after {count} record(s): {_one_line(exc)}", FormatError.code
            )
            return
        if isinstance(page, InputError):
            yield _failure(page)
        elif page is not None:
            yield _extract(page, time_limit=options.parse_timeout)
    try:
        reader.drain()
    except _ArchiveBroken as exc:
        yield _failure(exc.error)
        return
    if reader.content_end > archive.offset:
        yield Failure(
            source,
            f"the archive ends with an incomplete record at byte {archive.offset:,} (truncated?)",
            FormatError.code,
        )
    elif count == 0:
        yield Failure(source, "the WARC archive holds no records", EmptyInputError.code)


def _extract(page: _Page, *, time_limit: float) -> Document | Failure:
    try:
        doc = document_from_fetched(page.fetched, source=page.source, time_limit=time_limit)
    except InputError as exc:
        return _failure(exc)
    url = page.fetched.url or doc.url
    return replace(doc, format="warc", url=url, published=doc.published or page.date)


def _load(record: Any, *, source: str, offset: int, cap: int) -> _Page | InputError | None:
    """Read one record to its end: the page it holds, why it cannot be read, or None to skip it."""
    if record.format != "warc":
        raise _ArchiveBroken(FormatError(source, f"not a WARC record at byte {offset:,} (ARC files are not supported)"))
    length = record.rec_headers.get_header("Content-Length") or ""
    if not length.strip().isdigit():  # a required header: without it the record's headers were cut short
        raise _ArchiveBroken(
            FormatError(source, f"the record at byte {offset:,} has no valid Content-Length (truncated?)")
        )
    fetched = _as_fetched(record)
    if fetched is None:
        _finish(record, source=source)
        return None
    page_source = f"{source}#{_record_id(record) or offset}"
    content = _read_capped(record, source=page_source, cap=cap)
    _finish(record, source=source)
    if isinstance(content, InputError):
        return content
    date = record.rec_headers.get_header("WARC-Date") or None
    return _Page(page_source, replace(fetched, content=content), date)


def _as_fetched(record: Any) -> Fetched | None:
    """The record as a fetched page without its content, or None when it holds no article."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        media, charset = parse_content_type(http.get_header("Content-Type"))
        if media not in HTML_TYPES | TEXT_TYPES:
            return None
    elif record.rec_type == "resource":
        # text/plain resources are crawler logs and manifests more often than articles
        media, charset = parse_content_type(record.rec_headers.get_header("Content-Type"))
        if media not in HTML_TYPES:
            return None
    else:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    return Fetched(url=url, final_url=url, status=200, content_type=media, charset=charset, content=b"")


def _read_capped(record: Any, *, source: str, cap: int) -> bytes | InputError:
    """The record's payload (chunking and Content-Encoding undone), or why it cannot be read."""
    stream = record.content_stream()
    body = bytearray()
    try:
        while chunk := stream.read(_CHUNK):
            body += chunk
            if len(body) > cap:
                return TooLargeError(source, f"the page is over the {cap:,}-byte limit (max_input_bytes)")
    except _ArchiveBroken:
        raise
    except Exception as exc:  # warcio's chunked and gzip decoders raise assorted types
        return DecodeError(source, f"the payload cannot be decoded: {_one_line(exc)}")
    return bytes(body)


def _finish(record: Any, *, source: str) -> None:
    """Read the rest of the record; one that ends before its Content-Length means truncation."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _ArchiveBroken(
            FormatError(source, f"the archive is truncated: record {_record_id(record) or '?'} ends early")
        )


def _record_id(record: Any) -> str | None:
    value = record.rec_headers.get_header("WARC-Record-ID")
    return value.strip().strip("<>") or None if value else None


def _failure(error: InputError) -> Failure:
    return Failure(error.source, error.reason, error.code)


def _one_line(exc: Exception) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:300]
