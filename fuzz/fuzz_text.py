"""atheris harness for plain text and bytes of unknown kind: ``python fuzz/fuzz_text.py -max_total_time=60``.

The first byte picks the target: ``extract_text``; ``decode_bytes`` + ``sniff`` + ``read_bytes``
(gzip, charset repair, then whichever reader the bytes go to); or ``parse_content_type``.
"""

from __future__ import annotations

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["claimledger"]):
    import targets

from _harness import main


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target = (targets.text, targets.decoded, targets.content_type)[data[0] % 3]
    target(data[1:])


if __name__ == "__main__":
    main("text", test_one_input)
