"""What a desk sees of a whole ledger: the examples analysed into a fresh SQLite file, then read as a desk
reads them: which claim labels are fragments, whether a refusal to comment counts as a denial anywhere, and the
ledger-level score against a gold file (:mod:`claimledger.evaluation.ledger_score`).

``benchmarks/ledger.py`` prints these figures; ``tests/test_quality_gate_ledger_examples.py`` holds them at
their pinned floors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.claims.nonclaim import non_claim
from claimledger.claims.proposition import clarity
from claimledger.store import Store, open_store
from claimledger.types import LedgerEntry

__all__ = ["LedgerQuality", "analyse_folder", "is_fragment", "ledger_quality", "no_comment_denials"]

_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_WORD = re.compile(r"[\w’'-]+")  # as claimledger.claims.proposition counts words


@dataclass(frozen=True)
class LedgerQuality:
    claims: int
    fragments: tuple[str, ...]  # labels that read as no proposition
    no_comment_denials: tuple[str, ...]  # "declined to comment" statements counted against a claim
    summary: dict[str, Any]  # claimledger.evaluation.ledger_score.LedgerScore.summary()

    @property
    def fragment_rate(self) -> float:
        return len(self.fragments) / self.claims if self.claims else 0.0


def analyse_folder(folder: str | Path, db: str | Path) -> tuple[Store, list[LedgerEntry]]:
    """``claimledger analyze --db DB FOLDER``, in process, and the ledger it stored."""
    from click.testing import CliRunner

    from claimledger.cli.common import cli
    from claimledger.export import entries_from_json

    result = CliRunner().invoke(cli, ["analyze", "--db", str(db), "--no-progress", str(folder)])
    if result.exit_code != 0:
        raise RuntimeError(f"claimledger analyze {folder} exited {result.exit_code}: {result.output}")
    store = open_store(str(db))
    return store, [e for row in store.list_ledger(limit=None) for e in entries_from_json(row.record)]


def is_fragment(label: str, nlp: Any) -> bool:
    """A label that reads as no proposition: cut off at the end, with unbalanced quotes, opening as a fragment
    ("to ...", "only that ...") (the faults :func:`claimledger.claims.proposition.clarity` counts, but for
    length: "Vell was lying" is short and whole), or with no clause: no verb with a subject ("their return",
    "calls to step down", "two customs inspectors taken from the ship")."""
    if clarity(label) - (len(_WORD.findall(label)) < 4):
        return True
    doc = nlp(label)
    return not any(
        (tok.tag_ in _FINITE or (tok.pos_ in {"VERB", "AUX"} and tok.dep_ == "ROOT"))
        and any(c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in tok.children)
        for tok in doc
    )


def no_comment_denials(store: Store, entries: Sequence[LedgerEntry]) -> list[str]:
    """The statements that refuse to comment and yet stand against a claim (none should)."""
    cache: dict[str, list[Any]] = {}
    found = []
    for entry in entries:
        for edge in entry.timeline:
            if edge.attribution is None or edge.stance not in ("denies", "doubts"):
                continue
            attributions = cache.setdefault(edge.document_id, store.get_attributions(edge.document_id))
            if non_claim(attributions[edge.attribution]) == "no comment":
                found.append(f"{edge.origin}: {edge.evidence.text if edge.evidence else ''}")
    return found


def ledger_quality(folder: str | Path, gold: str | Path, db: str | Path, nlp: Any) -> LedgerQuality:
    """The figures of the ledger of ``folder`` against the gold events in ``gold``."""
    from claimledger.evaluation.ledger_score import read_gold, score_ledger

    store, entries = analyse_folder(folder, db)
    try:
        score = score_ledger(entries, read_gold(gold))
        return LedgerQuality(
            claims=len(entries),
            fragments=tuple(e.claim.text for e in entries if is_fragment(e.claim.text, nlp)),
            no_comment_denials=tuple(no_comment_denials(store, entries)),
            summary={**score.summary(), "events_detail": [_detail(e) for e in score.events]},
        )
    finally:
        store.close()


def _detail(event: Any) -> dict[str, Any]:
    return {
        "id": event.id, "found": event.found, "held": f"{event.held}/{event.located}", "status": event.status,
        "status_right": event.status_right, "for_right": event.for_right, "against_right": event.against_right,
        "label": event.label, "missing_for": list(event.missing_for), "extra_for": list(event.extra_for),
        "missing_against": list(event.missing_against), "extra_against": list(event.extra_against),
    }  # fmt: skip
