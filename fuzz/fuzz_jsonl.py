"""atheris harness for claimledger.ingest.jsonl: ``python fuzz/fuzz_jsonl.py -max_total_time=60``."""

from __future__ import annotations

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["claimledger"]):
    import targets

from _harness import main


def test_one_input(data: bytes) -> None:
    targets.jsonl(data)


if __name__ == "__main__":
    main("jsonl", test_one_input)
