import gzip
from pathlib import Path

import pytest

from claimledger.config import Options
from claimledger.errors import DecodeError, EmptyInputError, TooLargeError
from claimledger.ingest.decode import decode_bytes, gunzip, looks_binary, read_input

TEXT = "Mayor Odile Fenn said the bridge at Carrow would reopen on Friday — “no sooner,” she added.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("utf-8-sig"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        ("Café déjà vu in Carrow, said Zoë.\n".encode("cp1252"), "Café déjà vu in Carrow, said Zoë.\n"),
    ],
)
def test_decodes_common_encodings(data: bytes, expected: str) -> None:
    text, _ = decode_bytes(data, source="x")
    assert text == expected


def test_declared_charset_wins_when_it_decodes() -> None:
    text, warnings = decode_bytes("Ærø café".encode("latin-1"), source="x", declared="latin-1")
    assert text == "Ærø café"
    assert warnings == ()


def test_mixed_utf8_and_legacy_lines_are_repaired_with_a_warning() -> None:
    data = TEXT.encode("utf-8") + "Zoë spoke in Carrow.\n".encode("cp1252")
    text, warnings = decode_bytes(data, source="mixed.txt")
    assert text == TEXT + "Zoë spoke in Carrow.\n"
    assert "mixed encodings" in warnings[0]


@pytest.mark.parametrize("junk", [b"\x00\x01\x02\x03" * 100, bytes(range(256)) * 4, b"\x7fELF\x02\x01\x01\x00\x00\x00"])
def test_binary_junk_is_refused(junk: bytes) -> None:
    assert looks_binary(junk)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(junk, source="junk.bin")


def test_text_is_not_binary() -> None:
    assert not looks_binary(TEXT.encode())
    assert not looks_binary(TEXT.encode("utf-16"))


def test_gunzip_truncated_and_not_gzip() -> None:
    packed = gzip.compress(TEXT.encode() * 200)
    with pytest.raises(DecodeError, match="truncated"):
        gunzip(packed[: len(packed) // 2], source="t.gz", limit=10**6)
    with pytest.raises(DecodeError, match="not valid gzip"):
        gunzip(b"\x1f\x8bnot really gzip at all", source="t.gz", limit=10**6)


def test_gunzip_refuses_decompression_bombs() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(TooLargeError, match="decompression bomb"):
        gunzip(bomb, source="bomb.gz", limit=1_000_000)


def test_read_input_caps_size_and_refuses_empty(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    with pytest.raises(TooLargeError, match="over the 1,000-byte limit"):
        read_input(big, options=Options(max_input_bytes=1000))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyInputError, match="empty"):
        read_input(empty, options=Options())


def test_read_input_gunzips_but_leaves_warc_gz_alone(tmp_path: Path) -> None:
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<p>hello</p>"))
    assert read_input(page, options=Options()) == b"<p>hello</p>"
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(gzip.compress(b"WARC/1.0\r\n"))
    assert read_input(warc, options=Options()).startswith(b"\x1f\x8b")


def test_unreadable_path_is_a_decode_error(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="cannot read"):
        read_input(tmp_path, options=Options())
