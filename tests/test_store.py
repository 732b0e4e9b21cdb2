from pathlib import Path

import pytest

from claimledger import identity
from claimledger.errors import NotFoundError, StoreError
from claimledger.store import SQLiteStore, open_store
from claimledger.store.base import migrations
from claimledger.types import Document, Removed, Segment, Span

NOW = "2026-03-10T12:00:00+00:00"


def make_doc(text: str, **extra: object) -> Document:
    return Document(id=identity.document_id(text), text=text, source=f"{text[:8]}.txt", format="text", **extra)  # type: ignore[arg-type]


def add(store: SQLiteStore, doc: Document, links: list[tuple[str, float]] | None = None) -> bool:
    sig = identity.minhash(doc.text)
    return store.add_document(
        doc, minhash=identity.pack(sig).hex(), bands=identity.band_keys(sig), links=links or [], now=NOW
    )


def test_new_database_is_migrated_to_the_latest_version(store: SQLiteStore) -> None:
    assert store.schema_version() == max(v for v, _, _ in migrations()) >= 1
    assert store.count_documents() == 0
    assert store.integrity_check() == "ok"


def test_round_trip_keeps_every_field(store: SQLiteStore) -> None:
    doc = make_doc(
        "Body of the Carrow story.", title="Carrow bridge", outlet="The Carrow Courier", author="Ines Vale",
        published="2026-03-10", language="en", url="https://carrow-courier.example/bridge",
        captions=(Span(0, 5, "Photo"),), boilerplate=(Removed("Subscribe now", "newsletter", 40, 53),),
        segments=(Segment(0, 7, 25),), extractor="test/1", warnings=("mixed encodings",),
    )  # fmt: skip
    assert add(store, doc)
    assert store.get_document(doc.id) == doc
    assert store.get_document(doc.id[:5]) == doc
    assert store.sources(doc.id) == [doc.source]


def test_adding_the_same_document_twice_keeps_one_record(store: SQLiteStore) -> None:
    doc = make_doc("Twice told tale of Carrow.")
    assert add(store, doc)
    assert not add(store, doc)
    store.add_source(doc.id, "mirror.txt", now=NOW)
    store.add_source(doc.id, "mirror.txt", now=NOW)
    assert store.count_documents() == 1
    assert store.sources(doc.id) == [doc.source, "mirror.txt"]


def test_not_found_and_ambiguous_prefixes(store: SQLiteStore) -> None:
    with pytest.raises(NotFoundError, match="no document with id 'beef'"):
        store.get_document("beef")
    docs = [make_doc(f"Document number {i} about Carrow.") for i in range(40)]
    for doc in docs:
        add(store, doc)
    first_chars = [d.id[0] for d in docs]
    shared = next(c for c in first_chars if first_chars.count(c) > 1)
    with pytest.raises(NotFoundError, match="ambiguous"):
        store.get_document(shared)
    with pytest.raises(NotFoundError):
        store.get_document("%")  # LIKE wildcards are escaped, not matched


def test_listing_pages_in_ingest_order(store: SQLiteStore) -> None:
    docs = [make_doc(f"Listing document {i}.") for i in range(5)]
    for doc in docs:
        add(store, doc)
    rows = store.list_documents(limit=2, offset=1)
    assert len(rows) == 2
    assert {r.id for r in store.list_documents(limit=10)} == {d.id for d in docs}
    assert rows[0].chars == len(docs[0].text)


def test_candidates_and_near_duplicate_links(store: SQLiteStore) -> None:
    base = " ".join(f"word{i}" for i in range(200))
    a, b, c = make_doc(base), make_doc(base + " extra tail"), make_doc("nothing alike at all here, no")
    add(store, a)
    add(store, c)
    sig_b = identity.minhash(b.text)
    found = dict(store.candidates(identity.band_keys(sig_b)))
    assert a.id in found
    assert c.id not in found
    add(store, b, links=[(a.id, 0.97)])
    assert store.near_duplicates(a.id) == [(b.id, 0.97)]
    assert store.near_duplicates(b.id) == [(a.id, 0.97)]
    assert store.candidates([]) == []


def test_failed_write_leaves_nothing_behind(store: SQLiteStore) -> None:
    doc = make_doc("A write that breaks half-way.")
    with pytest.raises(StoreError, match="rolled back"):
        # A link to a document that does not exist violates the foreign key after the row went in.
        add(store, doc, links=[("0" * 16, 0.9)])
    assert store.count_documents() == 0
    assert not store.has_document(doc.id)
    assert add(store, doc)


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "keep.db")
    doc = make_doc("Persistent Carrow report.")
    with open_store(path) as first:
        add(first, doc)
    with open_store(path) as second:
        assert second.get_document(doc.id) == doc
        assert second.schema_version() >= 1


def test_bad_locations_are_clear_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(StoreError, match="Is it a claimledger SQLite file"):
        open_store(str(junk))
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing-folder" / "x.db"))


def test_in_memory_store() -> None:
    with open_store(":memory:") as memory:
        assert add(memory, make_doc("In memory."))
        assert memory.count_documents() == 1


def test_ledger_rows_replace_list_and_get(store: SQLiteStore) -> None:
    from claimledger.store import LedgerRow

    doc = make_doc("The Carrow bridge reopened, the mayor said.")
    add(store, doc)
    day1, day2, day3 = "2026-03-10", "2026-03-11", "2026-03-12"
    rows = [
        LedgerRow("c1", "The Carrow bridge reopened", "unverified", 1, 0, day1, day1, "{}", ((doc.id, 0),)),
        LedgerRow("c2", "The ferry was seized", "disputed", 1, 2, day2, day3, "{}", ()),
    ]
    store.replace_ledger(rows, now=NOW)
    assert [r.claim_id for r in store.list_ledger()] == ["c2", "c1"]  # most origins first
    assert [r.claim_id for r in store.list_ledger(status="unverified")] == ["c1"]
    assert [r.claim_id for r in store.list_ledger(search="FERRY")] == ["c2"]
    assert store.list_ledger(search="%") == []
    assert store.get_ledger("c1").members == ((doc.id, 0),)
    with pytest.raises(NotFoundError, match="ambiguous"):
        store.get_ledger("c")
    store.replace_ledger(rows[1:], now=NOW)
    assert [r.claim_id for r in store.list_ledger(limit=None)] == ["c2"]


def test_listing_pages_carry_summaries_not_records(store: SQLiteStore) -> None:
    from claimledger.store import LedgerRow
    from claimledger.store.base import LedgerQuery

    big = '{"timeline": [' + ",".join(['{"origin": "Velden Post"}'] * 2000) + "]}"
    store.replace_ledger([LedgerRow("c1", "The ferry was seized", "disputed", 1, 2, NOW, NOW, big, ())], now=NOW)
    (row,) = store.query_ledger(LedgerQuery(), limit=10)
    assert row.summary() == {
        "claim_id": "c1", "text": "The ferry was seized", "status": "disputed", "origins_for": 1,
        "origins_against": 2, "first_seen": NOW, "last_seen": NOW,
    }  # fmt: skip
    assert row.record == ""  # a page of claims never reads their (possibly huge) records
    assert store.get_ledger("c1").record == big


def test_pending_finds_new_and_old_work_among_many_documents(store: SQLiteStore) -> None:
    """pending() looks among the newest documents first; it must still find an old document left undone,
    one analysed at another version, and nothing once all are done."""
    docs = [make_doc(f"Pending check {i} in Carrow.") for i in range(700)]
    for i, doc in enumerate(docs):
        store.add_document(doc, minhash="", bands=[], links=[], now=f"2026-03-10T12:{i // 60:02d}:{i % 60:02d}+00:00")
    assert store.pending("attributions", "v2") == [d.id for d in docs]  # nothing done: every one, oldest first
    for doc in docs[:-3]:
        store.put_attributions(doc.id, [], version="v2", now=NOW)
    assert store.pending("attributions", "v2") == [d.id for d in docs[-3:]]  # the usual case: the newest
    store.put_attributions(docs[5].id, [], version="v1", now=NOW)  # an old one, done at another version
    assert store.pending("attributions", "v2") == [docs[5].id] + [d.id for d in docs[-3:]]
    for doc in (docs[5], *docs[-3:]):
        store.put_attributions(doc.id, [], version="v2", now=NOW)
    assert store.pending("attributions", "v2") == []
    assert len(store.pending("attributions", "v3")) == 700  # a new version: all of them again


def test_whole_ids_and_prefixes_find_the_same_document(store: SQLiteStore) -> None:
    doc = make_doc("Whole id lookup in Carrow.")
    add(store, doc)
    assert store.get_document(doc.id) == store.get_document(doc.id[:6]) == doc
    assert store.get_document(doc.id.upper()[:6]) == doc  # a typed prefix may be in capitals, on either store
