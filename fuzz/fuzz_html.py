"""atheris harness for claimledger.ingest.html: ``python fuzz/fuzz_html.py -max_total_time=60``."""

from __future__ import annotations

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["claimledger"]):
    import targets

from _harness import main


def test_one_input(data: bytes) -> None:
    targets.html(data)


if __name__ == "__main__":
    main("html", test_one_input)
