"""atheris harness for claimledger.ingest.warc: ``python fuzz/fuzz_warc.py -max_total_time=60``."""

from __future__ import annotations

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["claimledger"]):
    import targets

from _harness import main


def test_one_input(data: bytes) -> None:
    targets.warc(data)


if __name__ == "__main__":
    main("warc", test_one_input)
