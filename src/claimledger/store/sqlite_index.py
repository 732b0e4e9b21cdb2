"""The claim-index part of the SQL store: the persisted ``ClaimIndex`` that
``claimledger.ledger.update_ledger`` reads and writes (claim_index_state, claim_items,
claim_postings, claim_terms, claim_groups, and the claims stage's marks).

``ClaimIndexTables`` is a mixin of :class:`~claimledger.store.sqlite.SQLiteStore` (and so of
``PostgresStore``): it runs its SQL on the store's ``_db`` connection and writes in the store's
``_transaction``, which the store classes supply. Its ``_rows_in`` (reads of ``IN (...)`` in chunks)
serves the store's other reads too.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from claimledger.store.base import ClaimIndexState, ClaimIndexWrite, IndexedStatement, LedgerRow

__all__ = ["ClaimIndexTables"]

_STATEMENT_COLUMNS = "seq, document_id, position, claim_id, text, source, published, edges, follows"
# What a full rebuild of the claim index clears, children before parents.
_INDEX_TABLES = ("claim_postings", "claim_items", "claim_terms", "claim_groups", "claim_members", "ledger")


class ClaimIndexTables:
    """The claim-index reads and the one claim-index write of the SQL stores (see the module docstring)."""

    _db: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; supplied by the store class."""
        raise NotImplementedError

    def claim_index_state(self) -> ClaimIndexState:
        row = self._db.execute(
            "SELECT version, items, claims, next_seq, generation, stage_rows, attributed_through FROM claim_index_state"
        ).fetchone()
        version, items, claims, next_seq, generation, stage_rows, through = row
        return ClaimIndexState(
            version, int(items), int(claims), int(next_seq), int(generation), int(stage_rows), through
        )

    def grouping_marks(
        self, version: str, *, pending_only: bool = True, since: str | None = None
    ) -> list[tuple[str, str, bool]]:
        """(document id, claims-stage mark, grouped before) per document with attributions, in ingest order.

        The mark is ``version/<attributions version>``: a document whose mark differs from its stored one
        was grouped from other attributions (or never). ``pending_only`` keeps just those; ``since`` just
        the documents whose attributions were done at or after that time (an index range, not a scan).
        """
        where, args = ["a.stage = 'attributions'"], [version]
        if since is not None:
            where.append("a.done_at >= ?")
            args.append(since)
        if pending_only:
            where.append("(c.version IS NULL OR c.version <> CAST(? AS TEXT) || '/' || a.version)")
            args.append(version)
        rows = self._db.execute(
            "SELECT a.document_id, CAST(? AS TEXT) || '/' || a.version, c.version IS NOT NULL FROM document_stages a "
            "JOIN documents d ON d.id = a.document_id "
            "LEFT JOIN document_stages c ON c.document_id = a.document_id AND c.stage = 'claims' "
            f"WHERE {' AND '.join(where)} ORDER BY d.ingested_at, d.id",
            args,
        )
        return [(row[0], row[1], bool(row[2])) for row in rows]

    def analysis_progress(self) -> tuple[int, str]:
        """The number of document_stages rows (any new stage run adds one), and the latest time attributions
        were done ('' when never): two cheap reads that tell whether anything may need grouping."""
        rows = self._db.execute("SELECT COUNT(*) FROM document_stages").fetchone()[0]
        latest = self._db.execute("SELECT MAX(done_at) FROM document_stages WHERE stage = 'attributions'")
        return int(rows), latest.fetchone()[0] or ""

    def _rows_in(self, query: str, values: Sequence[Any], *, chunk: int = 500) -> Iterator[Sequence[Any]]:
        """The rows of ``query`` (whose ``IN ({})`` takes the values) for distinct ``values``, read in chunks so
        that no statement carries more parameters than the engines allow."""
        unique = list(dict.fromkeys(values))
        for start in range(0, len(unique), chunk):
            part = unique[start : start + chunk]
            yield from self._db.execute(query.format(", ".join("?" * len(part))), part)

    def term_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """Stored document frequency of each of ``terms`` that has one."""
        rows = self._rows_in("SELECT term, df FROM claim_terms WHERE term IN ({})", terms)
        return {term: int(df) for term, df in rows}

    def recent_postings(self, term: str, *, limit: int) -> list[int]:
        """Seqs of the ``limit`` most recent statements containing ``term``, newest first."""
        rows = self._db.execute(
            "SELECT seq FROM claim_postings WHERE term = ? ORDER BY seq DESC LIMIT ?", (term, limit)
        )
        return [int(row[0]) for row in rows]

    def claims_of_statements(self, seqs: Sequence[int]) -> dict[int, str]:
        rows = self._rows_in("SELECT seq, claim_id FROM claim_items WHERE seq IN ({})", seqs)
        return {int(seq): claim for seq, claim in rows}

    def claim_statements(self, claim_id: str, *, limit: int | None = None) -> list[IndexedStatement]:
        """The claim's statements in arrival order; with ``limit``, only the most recent ``limit``."""
        query = f"SELECT {_STATEMENT_COLUMNS} FROM claim_items WHERE claim_id = ? ORDER BY seq DESC"
        if limit is None:
            rows = self._db.execute(query, (claim_id,)).fetchall()
        else:
            rows = self._db.execute(query + " LIMIT ?", (claim_id, limit)).fetchall()
        return [IndexedStatement(*row) for row in reversed(rows)]

    def claim_groups(self, claim_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(story, representative text) of each of ``claim_ids`` in the index."""
        rows = self._rows_in("SELECT claim_id, story, text FROM claim_groups WHERE claim_id IN ({})", claim_ids)
        return {claim: (story, text) for claim, story, text in rows}

    def ingest_order(self, document_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(ingested at, id) of each stored document of ``document_ids``: sorting by it gives ingest order."""
        rows = self._rows_in("SELECT id, ingested_at FROM documents WHERE id IN ({})", document_ids)
        return {doc_id: (at, doc_id) for doc_id, at in rows}

    def write_claim_index(self, write: ClaimIndexWrite, *, expected_generation: int, now: str) -> bool:
        """Apply ``write`` in one transaction, unless another writer got there first.

        Returns False, writing nothing, when the index generation is no longer ``expected_generation``
        (the caller read an index that has changed since, and should read it again).
        """
        with self._transaction() as db:
            row = db.execute("SELECT generation FROM claim_index_state WHERE id = 1").fetchone()
            if int(row[0]) != expected_generation:
                return False
            if write.replace:
                for table in _INDEX_TABLES:
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM document_stages WHERE stage = 'claims'")
            db.executemany(
                "INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET "
                "text = excluded.text, status = excluded.status, origins_for = excluded.origins_for, "
                "origins_against = excluded.origins_against, first_seen = excluded.first_seen, "
                "last_seen = excluded.last_seen, record = excluded.record, built_at = excluded.built_at",
                [(*_ledger_values(e), now) for e in write.ledger],
            )
            db.executemany(
                "INSERT INTO claim_groups VALUES (?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET "
                "story = excluded.story, text = excluded.text",
                write.groups,
            )
            db.executemany(
                f"INSERT INTO claim_items ({_STATEMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [dataclasses.astuple(s) for s in write.statements],
            )
            db.executemany(
                "INSERT INTO claim_members VALUES (?, ?, ?)",
                [(s.claim_id, s.document_id, s.position) for s in write.statements],
            )
            db.executemany("INSERT INTO claim_postings VALUES (?, ?)", write.postings)
            db.executemany(
                "INSERT INTO claim_terms VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = claim_terms.df + excluded.df",
                write.frequencies,
            )
            db.executemany("UPDATE claim_items SET edges = ? WHERE seq = ?", [(e, s) for s, e in write.edges])
            db.executemany(
                "INSERT INTO document_stages VALUES (?, 'claims', ?, ?) ON CONFLICT (document_id, stage) "
                "DO UPDATE SET version = excluded.version, done_at = excluded.done_at",
                [(doc_id, mark, now) for doc_id, mark in write.marks],
            )
            db.execute(
                "UPDATE claim_index_state SET version = ?, items = ?, claims = ?, next_seq = ?, "
                "generation = generation + 1, attributed_through = ?, "
                "stage_rows = (SELECT COUNT(*) FROM document_stages) WHERE id = 1",
                (write.version, write.items, write.claims, write.next_seq, write.attributed_through),
            )
        return True


def _ledger_values(e: LedgerRow) -> tuple[Any, ...]:
    return (e.claim_id, e.text, e.status, e.origins_for, e.origins_against, e.first_seen, e.last_seen, e.record)
