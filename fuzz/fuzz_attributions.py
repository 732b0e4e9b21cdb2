"""atheris harness for the attribution engine on arbitrary Unicode.

Run: ``python fuzz/fuzz_attributions.py -max_total_time=60``.

Loads the spaCy pipeline once (needs requirements-model.txt); slow per input, so give it minutes.
"""

from __future__ import annotations

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["claimledger"]):
    import targets

    from claimledger.nlp import load_pipeline

from _harness import main

NLP = load_pipeline()


def test_one_input(data: bytes) -> None:
    targets.attributions(data, NLP)


if __name__ == "__main__":
    main("attributions", test_one_input)
