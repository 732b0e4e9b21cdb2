"""Bytes in, text out: size caps, safe gunzip, encoding detection, junk refusal."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path

from charset_normalizer import from_bytes

from claimledger.config import Options
from claimledger.errors import DecodeError, EmptyInputError, TooLargeError

_CHUNK = 1 << 16
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, form feed and carriage return.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def read_input(path: Path, *, options: Options) -> bytes:
    """Read a file, refusing ones over the size cap and gunzipping ``.gz`` safely."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_input_bytes:
            raise TooLargeError(
                source, f"{size:,} bytes is over the {options.max_input_bytes:,}-byte limit (max_input_bytes)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeError(source, f"cannot read the file: {exc.strerror or exc}") from None
    if not data:
        raise EmptyInputError(source, "the file is empty")
    if path.suffix == ".gz" and not _is_warc_name(path):
        return gunzip(data, source=source, limit=options.max_decompressed_bytes)
    return data


def _is_warc_name(path: Path) -> bool:
    # warcio reads gzipped WARCs record by record itself.
    return path.name.lower().endswith((".warc.gz", ".arc.gz"))


def gunzip(data: bytes, *, source: str, limit: int) -> bytes:
    """Decompress gzip data, stopping at ``limit`` bytes (decompression bombs) and on truncation."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
                if out.tell() > limit:
                    raise TooLargeError(
                        source,
                        f"expands to over {limit:,} bytes (max_decompressed_bytes); "
                        "refusing a possible decompression bomb",
                    )
    except EOFError:
        raise DecodeError(source, "the gzip data is truncated (unexpected end of file)") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise DecodeError(source, f"not valid gzip data: {exc}") from None
    if out.tell() == 0:
        raise EmptyInputError(source, "the gzip file decompresses to nothing")
    return out.getvalue()


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we would guess (NULs, many control bytes)."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16/32 legitimately hold NUL bytes
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte in _CONTROL)
    return control > max(2, len(sample) // 100)


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` into text, returning it with any warnings.

    Order: BOM, the declared charset, strict UTF-8, then per-line repair for files that
    mix UTF-8 with a legacy encoding, then charset detection. Binary junk is refused.
    """
    if looks_binary(data):
        raise DecodeError(source, "looks like binary data, not text (NUL or control bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source, f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}"
                ) from None
    if declared:
        try:
            return data.decode(declared), ()
        except (ValueError, LookupError):  # undecodable bytes, an unknown charset or a name with a NUL in it
            pass
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    return _repair_mixed(data, source)


def _repair_mixed(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    lines = data.splitlines(keepends=True)
    good = 0
    for line in lines:
        try:
            line.decode("utf-8")
            good += any(b > 127 for b in line)
        except UnicodeDecodeError:
            continue
    if good:
        # Some lines are real UTF-8 with non-ASCII: the rest is a legacy encoding pasted in.
        out = []
        for line in lines:
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode("cp1252", errors="replace"))
        return "".join(out), ("mixed encodings: lines that were not UTF-8 were read as cp1252",)
    if _plausible_cp1252(data):
        # Short texts fool detectors; Western news in cp1252 is by far the likeliest legacy case.
        return data.decode("cp1252"), ("not UTF-8: decoded as cp1252",)
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(source, "cannot determine the text encoding")
    return str(best), (f"not UTF-8: decoded as {best.encoding}",)


def _plausible_cp1252(data: bytes) -> bool:
    """True when every non-ASCII byte decodes in cp1252 to a Latin letter or typographic punctuation."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    for char in {c for c in text if ord(c) > 127}:
        latin = "\u00c0" <= char <= "\u024f" and char not in "\u00d7\u00f7"
        typographic = (
            char
            in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac\u00a0\u00ab\u00bb\u00b0\u00a3\u00a9\u00ae\u2122\u2022"
        )
        if not (latin or typographic):
            return False
    return True
