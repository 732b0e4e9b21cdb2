"""Text extraction on hostile shapes of input: does its cost grow in step with the input?

    .venv/bin/python benchmarks/pathological.py [--size 20000] [--json OUT]

Each case builds an input of about ``--size`` and of twice that many characters (or lines), cleans it with
:func:`~claimledger.ingest.text.extract_text` (and HTML cases with
:func:`~claimledger.ingest.html.extract_html`) with no time limit, and reports the seconds for both sizes
and their ratio: about 2 means linear, about 4 quadratic. The cases are the shapes that were once slow:
a paragraph repeating a word a rule starts on ("we we we ...": the cookie rule retried the rest of the
line from each one), one "word" thousands of characters long ("AB.AB.AB...": short-line rules ran on it),
one-line paragraphs by the hundred thousand, and an e-mail-like run with no ``@``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.errors import InputError  # noqa: E402
from claimledger.ingest.html import extract_html  # noqa: E402
from claimledger.ingest.text import extract_text  # noqa: E402

BODY = "Harbour master Tomas Quill said the ferry Aurelia was held at Port Velden for six hours."


def repeated(token: str) -> Callable[[int], str]:
    return lambda n: BODY + "\n\n" + token * (n // len(token)) + "\n\n" + BODY


def lines(n: int) -> str:
    return BODY + "\n\n" + "\n\n".join(f"Line {i}" for i in range(n // 8)) + "\n\n" + BODY


def html_paragraphs(n: int) -> str:
    return "<html><body>" + "".join(f"<p>{BODY} {i}</p>" for i in range(n // 95)) + "</body></html>"


def html_nesting(n: int) -> str:
    depth = n // 11
    return "<html><body>" + "<div><span>" * depth + BODY + "</span></div>" * depth + "</body></html>"


CASES: dict[str, tuple[Callable[[int], str], Callable[..., object]]] = {
    "'we ' repeated": (repeated("we "), extract_text),
    "'cookies ' repeated": (repeated("cookies "), extract_text),
    "'AB.' repeated": (repeated("AB."), extract_text),
    "'a.b+c' repeated (no @)": (repeated("a.b+c"), extract_text),
    "one-line paragraphs": (lines, extract_text),
    "HTML paragraphs": (html_paragraphs, extract_html),
    "HTML nesting": (html_nesting, extract_html),
}


def timed(extract: Callable[..., object], raw: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(InputError):  # refusing the input is an answer too; only the time counts here
        extract(raw, source="pathological")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200_000, help="characters of the smaller input")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = {}
    print(f"| case | {args.size:,} chars | {2 * args.size:,} chars | ratio |\n|---|---|---|---|")
    for name, (build, extract) in CASES.items():
        small, large = (min(timed(extract, build(n)) for _ in range(2)) for n in (args.size, 2 * args.size))
        results[name] = {"small_s": small, "large_s": large, "ratio": large / small}
        print(f"| {name} | {small:.3f} s | {large:.3f} s | {large / small:.2f}× |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
