"""kill -9 during ``ingest`` and ``analyze``, again and again, then a rerun: nothing lost, nothing doubled.

Real processes (the ``claimledger`` command) on a real database, a SQLite file and a PostgreSQL schema, killed
with SIGKILL (no ``finally``, no ``atexit``, no rollback by the process itself) at random (seeded) points:
each kill waits until the database shows a randomly chosen amount of progress (documents stored, documents
analysed), then a random fraction of a second more, so it lands inside the work however slow the machine.
After every kill the database must pass its integrity check; after a final uninterrupted ``analyze`` it must
hold every article exactly once, every document marked analysed by this engine version, the same
attributions as a clean run, and every statement in exactly one claim of the ledger, as in a clean run.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from claimledger.attribution import ENGINE_VERSION
from claimledger.store import PostgresStore, SQLiteStore, Store, open_store

from .conftest_stores import BACKENDS, locations

CLI = [str(Path(sys.executable).with_name("claimledger"))]
ARTICLES = 30
INGEST_KILLS = 4
ANALYZE_KILLS = 3  # the last while it groups claims and writes the ledger; each restart reloads spaCy

TOWNS = ("Kelmstad", "Ostra", "Varnholm", "Brisk", "Tallow Bay", "Eskerby")
PEOPLE = ("Ilse Varnow", "Bram Ostery", "Nella Quist", "Odo Marran", "Petra Glenn", "Saul Fenwick")
PAPERS = ("Kelmstad Gazette", "Ostra Wire", "Varnholm Post")


def _article(n: int) -> str:
    town, other = TOWNS[n % 6], TOWNS[(n + 2) % 6]
    speaker, rival = PEOPLE[n % 6], PEOPLE[(n + 3) % 6]
    paper = PAPERS[n % 3]
    return (
        f"Notice {n} from the port of {town}\n\n"
        f"The port authority of {town} said on Tuesday that pier {n} would close for {n + 3} days. "
        f'Harbour master {speaker} told the {paper} that the repairs on pier {n} were "long overdue". '
        f"Councillor {rival} denied that the closure would raise ferry fares to {other}, according to the "
        f"{paper}. {speaker} added that a new crane for {town} had been ordered in the spring.\n"
    )


def _integrity(store: Store) -> str:
    """SQLite's ``PRAGMA integrity_check`` or PostgreSQL's equivalent: ``ok`` when the store is whole."""
    assert isinstance(store, SQLiteStore | PostgresStore)
    return store.integrity_check()


@dataclass(frozen=True)
class Snapshot:
    documents: dict[str, str]  # id -> title
    attributions: dict[str, int]  # id -> how many
    members: dict[str, list[int]]  # id -> positions of its statements in the ledger


def _snapshot(location: str) -> Snapshot:
    """What a finished run left, checked for the invariants that hold whatever the history."""
    with closing(open_store(location)) as store:
        assert _integrity(store) == "ok"
        assert store.pending("attributions", ENGINE_VERSION) == []
        rows = store.list_documents(limit=ARTICLES * 2)
        assert len(rows) == store.count_documents()
        claims = {row.claim_id for row in store.list_ledger(limit=None)}
        members: dict[str, list[int]] = {}
        seen: Counter[tuple[str, int]] = Counter()
        for row in rows:
            assert len(store.sources(row.id)) == 1, (row.title, store.sources(row.id))
            pairs = store.claims_of_document(row.id)
            assert {claim for _, claim in pairs} <= claims  # no member points at a claim the ledger lacks
            members[row.id] = [position for position, _ in pairs]
            seen.update((row.id, position) for position, _ in pairs)
        assert max(seen.values(), default=1) == 1  # each statement in one claim only
        assert store.claim_index_state().items == sum(seen.values())
        return Snapshot(
            documents={row.id: row.title or "" for row in rows},
            attributions={row.id: len(store.get_attributions(row.id)) for row in rows},
            members=members,
        )


def _write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"notice{n:02d}.txt").write_text(_article(n), encoding="utf-8")
    return folder


def _run(*args: str) -> dict[str, object]:
    done = subprocess.run([*CLI, *args, "--json", "--no-progress"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    report: dict[str, object] = json.loads(done.stdout)
    return report


def _kill_when(args: list[str], location: str, reached: Callable[[Store], bool], delay: float) -> bool:
    """Start the command, SIGKILL it ``delay`` seconds after ``reached`` first holds of the database.

    Waiting for progress, rather than for a fixed time, lands the kill in the middle of the work on any
    machine, however slow its start. True when the process was still running at the kill.
    """
    process = subprocess.Popen([*CLI, *args, "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        with closing(open_store(location)) as store:  # a fresh connection: sees every commit so far
            if reached(store):
                break
        time.sleep(0.02)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60) == -signal.SIGKILL


def _documents_at_least(target: int) -> Callable[[Store], bool]:
    return lambda store: store.count_documents() >= target


def _attributed_at_least(target: int) -> Callable[[Store], bool]:
    """Whether ``target`` documents carry this engine version's attributions."""
    return lambda store: store.count_documents() - len(store.pending("attributions", ENGINE_VERSION)) >= target


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """One uninterrupted run: the reference a killed and resumed run must match."""
    folder = tmp_path_factory.mktemp("clean")
    location = str(folder / "clean.db")
    report = _run("analyze", "--db", location, str(_write_corpus(folder / "corpus")))
    assert report["added"] == ARTICLES
    return _snapshot(location)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with locations(request.param, tmp_path) as new:
        yield new("crashed")


def test_kill_9_during_ingest_and_analyze_loses_and_doubles_nothing(
    database: str, clean: Snapshot, tmp_path: Path
) -> None:
    corpus = str(_write_corpus(tmp_path / "corpus"))
    backend = "postgresql" if database.startswith("postgres") else "sqlite"
    rng = random.Random(f"crash-safety:{backend}")  # seeded per backend: the same kill points every run
    with closing(open_store(database)):  # create and migrate first, as a deployment would
        pass
    # Each kill waits for a random amount of progress, so together they cut the work at scattered points:
    # ingest between and inside document writes; analyze while it ingests the rest, between and inside
    # the per-document attribution writes, and (the last) while it groups claims and writes the ledger.
    plan: list[tuple[str, Callable[[Store], bool], float]] = []
    for target in sorted(rng.sample(range(1, ARTICLES * 3 // 4), INGEST_KILLS)):
        plan.append(("ingest", _documents_at_least(target), rng.uniform(0, 0.02)))
    for target in sorted(rng.sample(range(1, ARTICLES - 1), ANALYZE_KILLS - 1)):
        plan.append(("analyze", _attributed_at_least(target), rng.uniform(0, 0.05)))
    plan.append(("analyze", _attributed_at_least(ARTICLES), rng.uniform(0, 1.0)))
    landed = {"ingest": 0, "analyze": 0}
    progress = []  # (documents stored, documents analysed) after each kill
    for phase, reached, delay in plan:
        landed[phase] += _kill_when([phase, "--db", database, corpus], database, reached, delay)
        with closing(open_store(database)) as store:  # reopening recovers; the store must be whole after each kill
            assert _integrity(store) == "ok"
            stored = store.count_documents()
            assert stored <= ARTICLES
            progress.append((stored, stored - len(store.pending("attributions", ENGINE_VERSION))))
    # the kills must have hit running processes part-way through, or the test proves nothing
    assert landed["ingest"] >= 1, landed
    assert landed["analyze"] >= ANALYZE_KILLS - 1, landed
    assert any(0 < stored < ARTICLES for stored, _ in progress[:INGEST_KILLS]), progress
    assert any(0 < analysed < ARTICLES for _, analysed in progress[INGEST_KILLS:]), progress
    report = _run("analyze", "--db", database, corpus)
    assert report["failed"] == 0
    assert report["documents_in_db"] == ARTICLES
    after = _snapshot(database)
    assert sorted(after.documents.values()) == sorted(clean.documents.values())
    assert after.documents == clean.documents
    assert after.attributions == clean.attributions
    assert after.members == clean.members
