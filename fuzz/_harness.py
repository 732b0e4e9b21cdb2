"""Shared main() for the atheris harnesses: ``python fuzz/fuzz_<name>.py [libFuzzer flags] [corpus dirs]``.

Seeds in ``fuzz/seeds/<name>/`` are read in through ``-seed_inputs`` (never written to),
so a run without a corpus folder leaves the tree untouched; pass a scratch folder as
the corpus to keep what a long run finds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

SEEDS = Path(__file__).resolve().parent / "seeds"


def main(name: str, test_one_input: Callable[[bytes], None]) -> None:
    argv = list(sys.argv)
    seeds = sorted(p for p in (SEEDS / name).glob("*") if p.is_file())
    if seeds and not any(a.startswith("-seed_inputs=") for a in argv):
        argv.append("-seed_inputs=" + ",".join(str(p) for p in seeds))
    if not any(a.startswith("-max_len=") for a in argv):
        argv.append("-max_len=8192")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
