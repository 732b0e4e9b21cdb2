"""The bundled example corpus shows the whole job: every file ingests, the syndicated copy is linked."""

import json

from claimledger.config import Options
from claimledger.pipeline import ingest_articles
from claimledger.store import SQLiteStore

from .conftest import EXAMPLES


def test_every_example_ingests_with_metadata(store: SQLiteStore, options: Options) -> None:
    report = ingest_articles([str(EXAMPLES)], store=store, options=options)
    assert report.failures == ()
    jsonl_lines = sum(1 for line in (EXAMPLES / "articles.jsonl").read_text().splitlines() if line.strip())
    files = [p for p in EXAMPLES.rglob("*") if p.suffix in {".html", ".txt"}]
    assert len(report.added) == len(files) + jsonl_lines >= 8
    for row in store.list_documents(limit=100):
        assert row.title, row.source
        assert row.outlet, row.source
        assert row.chars > 500, row.source


def test_syndicated_copy_is_linked_to_its_wire_original(store: SQLiteStore, options: Options) -> None:
    report = ingest_articles([str(EXAMPLES)], store=store, options=options)
    by_source = {store.get_document(d).source: d for d in report.added}
    copy = next(d for s, d in by_source.items() if s.endswith("articles.jsonl#1"))
    linked = {store.get_document(other).source for other, _ in store.near_duplicates(copy)}
    assert any("tidewire" in s for s in linked), linked
    assert len(report.near_duplicates) == 1


def test_examples_are_fictional_and_small() -> None:
    size = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file())
    assert size < 100_000
    for line in (EXAMPLES / "articles.jsonl").read_text().splitlines():
        record = json.loads(line)
        assert ".example/" in record["url"]
