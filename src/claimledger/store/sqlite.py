"""The default store: one SQLite file, readable by any SQLite tool.

The claim-index queries (the persisted ``ClaimIndex``) are the mixin ``ClaimIndexTables`` in
``claimledger.store.sqlite_index``; this module holds the connection, the migrations, and the
documents, attributions, ledger and web reads.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from claimledger.errors import NotFoundError, StoreError
from claimledger.store.base import (
    DOCUMENT_COLUMNS,
    LEDGER_SORTS,
    DocumentRow,
    LedgerQuery,
    LedgerRow,
    attribution_values,
    document_from_row,
    document_values,
    migrations,
)
from claimledger.store.sqlite_index import ClaimIndexTables
from claimledger.types import Attribution, Document

_BUSY_TIMEOUT_MS = 30_000
NO_LIMIT = 2**63 - 1  # LIMIT for "all rows" that SQLite and PostgreSQL both accept (SQLite's -1 is not SQL)
_PENDING_WINDOW = 256  # newest documents searched first for those a stage has not done


class SQLiteStore(ClaimIndexTables):
    """SQLite in WAL mode; every write is one transaction, so an interrupted run leaves no half-written document."""

    def __init__(self, location: str) -> None:
        self.location = location
        if location != ":memory:":
            parent = Path(location).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot create database {location}: folder {parent} does not exist")
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            self._db = sqlite3.connect(location, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
            self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA foreign_keys = ON")
            if location != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {location}: {exc}. Is it a claimledger SQLite file?") from None

    # -- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so concurrent writers wait instead of failing mid-way.
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.location}: {exc}") from None
        try:
            yield self._db
        except sqlite3.Error as exc:
            self._db.execute("ROLLBACK")
            raise StoreError(f"write to {self.location} failed and was rolled back: {exc}") from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
            for version, name, sql in migrations():
                if version in done:
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))

    def schema_version(self) -> int:
        row = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # -- documents -------------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone() is not None

    def add_document(
        self, doc: Document, *, minhash: str, bands: Sequence[str], links: Sequence[tuple[str, float]], now: str
    ) -> bool:
        """Insert ``doc`` with its bands and near-duplicate links; False if it was already there."""
        with self._transaction() as db:
            placeholders = ", ".join("?" * 17)
            cursor = db.execute(
                f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({placeholders}) ON CONFLICT (id) DO NOTHING",
                document_values(doc, minhash, now),
            )
            if cursor.rowcount == 0:
                return False
            db.execute("INSERT INTO document_sources VALUES (?, ?, ?)", (doc.id, doc.source, now))
            db.executemany(
                "INSERT INTO document_bands VALUES (?, ?) ON CONFLICT DO NOTHING", [(b, doc.id) for b in bands]
            )
            db.executemany(
                "INSERT INTO near_duplicates VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(*sorted((doc.id, other)), sim) for other, sim in links],
            )
        return True

    def add_source(self, document_id: str, source: str, *, now: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO document_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (document_id, source, now)
            )

    def get_document(self, id_or_prefix: str) -> Document:
        row = self._one_by_prefix(
            "documents", "id", DOCUMENT_COLUMNS, id_or_prefix, noun="document", listing="documents"
        )
        return document_from_row(row)

    def _one_by_prefix(
        self, table: str, key: str, columns: str, id_or_prefix: str, *, noun: str, listing: str
    ) -> tuple[Any, ...]:
        """The one row whose ``key`` is ``id_or_prefix`` or starts with it; NotFoundError if none or several."""
        # A whole id, as every caller but a person typing one gives, is one index lookup; the LIKE below
        # cannot use the index (it ignores case) and reads the whole table (about 1 ms a call at 4,000
        # documents, growing with the table).
        exact = self._db.execute(f"SELECT {columns} FROM {table} WHERE {key} = ?", (id_or_prefix,)).fetchone()
        if exact is not None:
            return tuple(exact)
        rows = self._db.execute(
            f"SELECT {columns} FROM {table} WHERE {key} LIKE ? ESCAPE '\\' ORDER BY {key} LIMIT 2",
            (_prefix(id_or_prefix.lower()),),  # ids are lower-case hex, and PostgreSQL's LIKE minds case
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no {noun} with id {id_or_prefix!r}. List ids with: claimledger {listing}")
        if len(rows) > 1 and rows[0][0] != id_or_prefix:
            raise NotFoundError(
                f"{noun} id prefix {id_or_prefix!r} is ambiguous ({rows[0][0]}, {rows[1][0]}, ...); "
                "give more characters"
            )
        return tuple(rows[0])

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[DocumentRow]:
        rows = self._db.execute(
            "SELECT id, source, format, title, outlet, published, LENGTH(text), ingested_at FROM documents "
            "ORDER BY ingested_at, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [DocumentRow(*row) for row in rows]

    def count_documents(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def candidates(self, bands: Sequence[str]) -> list[tuple[str, str]]:
        """(id, minhash) of stored documents sharing at least one LSH band with ``bands``."""
        if not bands:
            return []
        marks = ", ".join("?" * len(bands))
        rows = self._db.execute(
            "SELECT id, minhash FROM documents WHERE id IN "
            f"(SELECT DISTINCT document_id FROM document_bands WHERE band_key IN ({marks}))",
            tuple(bands),
        )
        return [(row[0], row[1]) for row in rows]

    def near_duplicates(self, document_id: str) -> list[tuple[str, float]]:
        rows = self._db.execute(
            "SELECT other_id, similarity FROM near_duplicates WHERE document_id = ? "
            "UNION SELECT document_id, similarity FROM near_duplicates WHERE other_id = ? ORDER BY 2 DESC",
            (document_id, document_id),
        )
        return [(row[0], float(row[1])) for row in rows]

    def sources(self, document_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT source FROM document_sources WHERE document_id = ? ORDER BY seen_at, source", (document_id,)
        )
        return [row[0] for row in rows]

    # -- attributions -----------------------------------------------------------------------------

    def put_attributions(
        self, document_id: str, attributions: Sequence[Attribution], *, version: str, now: str
    ) -> None:
        """Replace the document's attributions and mark the stage done, in one transaction."""
        with self._transaction() as db:
            db.execute("DELETE FROM attributions WHERE document_id = ?", (document_id,))
            db.executemany(
                "INSERT INTO attributions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [attribution_values(document_id, i, a) for i, a in enumerate(attributions)],
            )
            db.execute(
                "INSERT INTO document_stages VALUES (?, 'attributions', ?, ?) "
                "ON CONFLICT (document_id, stage) DO UPDATE SET version = excluded.version, done_at = excluded.done_at",
                (document_id, version, now),
            )

    def get_attributions(self, document_id: str) -> list[Attribution]:
        rows = self._db.execute(
            "SELECT record FROM attributions WHERE document_id = ? ORDER BY position", (document_id,)
        )
        return [Attribution.from_json(json.loads(row[0])) for row in rows]

    def pending(self, stage: str, version: str) -> list[str]:
        """Ids of documents on which ``stage`` has not run at ``version``, oldest first.

        Documents wait for a stage mostly because they are new: the ones not done are sought among the
        newest (twice as many as the counts say are missing, then four times more, ...), and the whole table
        is read only when they are not all there (a version change, an old run left unfinished). The counts
        are read before and after, so a document stored meanwhile sends the search to the whole table too.
        Reading every document each time cost 182 ms at 100,000 documents for each ``analyze``.
        """
        counts = self._stage_counts(stage, version)
        missing = counts[0] - counts[1]
        if missing <= 0:
            return []
        window = max(_PENDING_WINDOW, 2 * missing)
        while window < counts[0]:
            found = self._pending_among(stage, version, newest=window)
            if len(found) == missing and self._stage_counts(stage, version) == counts:
                return found
            window *= 4
        return self._pending_among(stage, version, newest=None)

    def _stage_counts(self, stage: str, version: str) -> tuple[int, int]:
        """(documents, documents with ``stage`` done at ``version``): two index-only counts."""
        total = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        done = self._db.execute(
            "SELECT COUNT(*) FROM document_stages WHERE stage = ? AND version = ?", (stage, version)
        ).fetchone()[0]
        return int(total), int(done)

    def _pending_among(self, stage: str, version: str, *, newest: int | None) -> list[str]:
        """Ids of the documents not done, among the ``newest`` stored (all when None), oldest first."""
        rows = self._db.execute(
            "SELECT d.id FROM (SELECT id, ingested_at FROM documents ORDER BY ingested_at DESC, id DESC LIMIT ?) d "
            "LEFT JOIN document_stages s ON s.document_id = d.id AND s.stage = ? "
            "WHERE s.version IS NULL OR s.version <> ? ORDER BY d.ingested_at, d.id",
            (NO_LIMIT if newest is None else newest, stage, version),
        )
        return [row[0] for row in rows]

    # -- ledger ------------------------------------------------------------------------------------

    def replace_ledger(self, entries: Sequence[LedgerRow], *, now: str) -> None:
        """Swap the whole ledger for ``entries`` in one transaction: readers see the old or the new one."""
        with self._transaction() as db:
            db.execute("DELETE FROM claim_members")
            db.execute("DELETE FROM ledger")
            db.executemany(
                "INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.claim_id,
                        e.text,
                        e.status,
                        e.origins_for,
                        e.origins_against,
                        e.first_seen,
                        e.last_seen,
                        e.record,
                        now,
                    )
                    for e in entries
                ],
            )
            db.executemany(
                "INSERT INTO claim_members VALUES (?, ?, ?)",
                [(e.claim_id, doc, pos) for e in entries for doc, pos in e.members],
            )

    def list_ledger(
        self, *, status: str | None = None, search: str | None = None, limit: int | None = 50, offset: int = 0
    ) -> list[LedgerRow]:
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if search:
            where.append("LOWER(text) LIKE ? ESCAPE '\\'")
            args.append("%" + _prefix(search.lower()))
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        rows = self._db.execute(
            f"SELECT {_LEDGER_COLUMNS} FROM ledger {clause}"
            "ORDER BY origins_for + origins_against DESC, first_seen, claim_id LIMIT ? OFFSET ?",
            (*args, NO_LIMIT if limit is None else limit, offset),
        )
        return [LedgerRow(*row) for row in rows]

    def get_ledger(self, id_or_prefix: str) -> LedgerRow:
        row = self._one_by_prefix("ledger", "claim_id", _LEDGER_COLUMNS, id_or_prefix, noun="claim", listing="claims")
        members = self._db.execute(
            "SELECT document_id, position FROM claim_members WHERE claim_id = ? ORDER BY document_id, position",
            (row[0],),
        )
        return dataclasses.replace(LedgerRow(*row), members=tuple((d, int(p)) for d, p in members))

    # -- web reads (claimledger.web): plain SQL, the same on PostgreSQL ---------------------------------

    def query_ledger(
        self, query: LedgerQuery, *, limit: int = 50, after: tuple[Any, str] | None = None
    ) -> list[LedgerRow]:
        """One page of the filtered ledger in ``query.sort`` order, starting after the row keyed ``after``
        (the sort key and the claim id of the previous page's last row).

        The rows' ``record`` is left empty: listings show the summary columns, and the record of a claim with
        thousands of statements runs to megabytes (``get_ledger`` reads one whole)."""
        sort = LEDGER_SORTS[query.sort]
        where, args = _ledger_filters(query)
        if after is not None:
            key, claim_id = after
            where.append(f"({sort.sql} {'<' if sort.descending else '>'} ? OR ({sort.sql} = ? AND claim_id > ?))")
            args += [key, key, claim_id]
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        order = f"ORDER BY {sort.sql} {'DESC' if sort.descending else 'ASC'}, claim_id"
        rows = self._db.execute(f"SELECT {_SUMMARY_COLUMNS} FROM ledger {clause}{order} LIMIT ?", (*args, limit))
        return [
            LedgerRow(claim_id, text, status, for_, against, first, last, record="")
            for claim_id, text, status, for_, against, first, last in rows
        ]

    def count_ledger(self, query: LedgerQuery) -> int:
        where, args = _ledger_filters(query)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return int(self._db.execute(f"SELECT COUNT(*) FROM ledger {clause}", args).fetchone()[0])

    def ledger_mentioning(self, text: str, *, limit: int = 500) -> list[LedgerRow]:
        """Entries whose stored record contains ``text`` anywhere (a name, a story id): a coarse first cut
        that the caller narrows by reading the records."""
        rows = self._db.execute(
            f"SELECT {_LEDGER_COLUMNS} FROM ledger WHERE record LIKE ? ESCAPE '\\' ORDER BY claim_id LIMIT ?",
            ("%" + _prefix(text), limit),
        )
        return [LedgerRow(*row) for row in rows]

    def claims_of_document(self, document_id: str) -> list[tuple[int, str]]:
        """(attribution position, claim id) of the document's statements that belong to a claim; -1 is the headline."""
        rows = self._db.execute(
            "SELECT position, claim_id FROM claim_members WHERE document_id = ? ORDER BY position", (document_id,)
        )
        return [(int(row[0]), row[1]) for row in rows]

    def attributions_by_speaker(self, speaker: str, *, limit: int = 500) -> list[tuple[str, int, Attribution]]:
        """(document id, position, attribution) of the statements whose resolved speaker is ``speaker``."""
        rows = self._db.execute(
            "SELECT a.document_id, a.position, a.record FROM attributions a JOIN documents d ON d.id = a.document_id "
            "WHERE LOWER(a.speaker) = LOWER(?) ORDER BY d.published, a.document_id, a.position LIMIT ?",
            (speaker, limit),
        )
        return [(row[0], int(row[1]), Attribution.from_json(json.loads(row[2]))) for row in rows]

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]:
        """The documents with these exact ids (missing ones are left out)."""
        rows = self._rows_in(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id IN ({{}})", ids)
        return {row[0]: document_from_row(row) for row in rows}


def _ledger_filters(query: LedgerQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if query.status:
        where.append("status = ?")
        args.append(query.status)
    if query.search:
        where.append("LOWER(text) LIKE ? ESCAPE '\\'")
        args.append("%" + _prefix(query.search.lower()))
    if query.actor:
        # The whole name in any case, or whole words of it: "strand" finds "Helka Strand" and "Minister Strand",
        # not "Strandberg".
        where.append(
            "claim_id IN (SELECT m.claim_id FROM attributions a JOIN claim_members m "
            "ON m.document_id = a.document_id AND m.position = a.position WHERE a.speaker IN "
            "(SELECT DISTINCT speaker FROM attributions WHERE LOWER(speaker) = LOWER(?) "
            "OR ' ' || LOWER(speaker) || ' ' LIKE ? ESCAPE '\\'))"
        )
        args.extend([query.actor, "% " + _prefix(" ".join(query.actor.lower().split()))[:-1] + " %"])
    if query.outlet:
        where.append(
            "claim_id IN (SELECT m.claim_id FROM claim_members m JOIN documents d ON d.id = m.document_id "
            "WHERE LOWER(d.outlet) = LOWER(?))"
        )
        args.append(query.outlet)
    if query.since:
        where.append("SUBSTR(COALESCE(last_seen, first_seen), 1, 10) >= ?")
        args.append(query.since[:10])
    if query.until:
        where.append("SUBSTR(COALESCE(first_seen, last_seen), 1, 10) <= ?")
        args.append(query.until[:10])
    return where, args


_SUMMARY_COLUMNS = "claim_id, text, status, origins_for, origins_against, first_seen, last_seen"
_LEDGER_COLUMNS = f"{_SUMMARY_COLUMNS}, record"


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
