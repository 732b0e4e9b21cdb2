"""Document identity: a stable id from normalised text, and MinHash signatures
that find syndicated near-copies without comparing every pair."""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})

NUM_PERM = 128
# 42 bands of 3 rows (126 of the 128 values): a pair at Jaccard 0.5 shares a band with
# probability 0.996, at 0.3 with 0.68, at 0.1 with 0.04, so candidates stay few.
BANDS = 42
ROWS = 3
SHINGLE = 5
_MERSENNE = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1


def normalise(text: str) -> str:
    """Case-, quote- and whitespace-insensitive form of ``text`` used for identity."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def document_id(text: str) -> str:
    """A 16-hex-digit id from the normalised text: the same article twice is one id."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).hexdigest()


def _permutations() -> tuple[tuple[int, int], ...]:
    # Fixed seeds: signatures must stay comparable across runs and machines.
    out = []
    for i in range(NUM_PERM):
        digest = hashlib.blake2b(f"claimledger-minhash-{i}".encode(), digest_size=16).digest()
        a, b = struct.unpack("<QQ", digest)
        out.append((a % (_MERSENNE - 1) + 1, b % _MERSENNE))
    return tuple(out)


_PERMS = _permutations()


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the word ``size``-grams of the normalised text."""
    words = _WORD.findall(normalise(text))
    if len(words) < size:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams}


def minhash(text: str) -> tuple[int, ...]:
    """A MinHash signature of ``NUM_PERM`` 32-bit values; empty text gives all-max."""
    hashes = shingles(text)
    if not hashes:
        return (_MAX_HASH,) * NUM_PERM
    return tuple(min(((a * h + b) % _MERSENNE) & _MAX_HASH for h in hashes) for a, b in _PERMS)


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    same = sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y)
    return same / len(sig_a)


def band_keys(signature: Sequence[int]) -> list[str]:
    """LSH band keys: documents sharing any key are near-duplicate candidates."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{ROWS}I", *rows), digest_size=8).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys


def pack(signature: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(signature)}I", *signature)


def unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 4}I", blob)
