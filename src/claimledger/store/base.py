"""The store interface every backend implements, and the row codecs they share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from claimledger.types import Attribution, ClaimItem, Document, Removed, Segment, Span


@dataclass(frozen=True)
class DocumentRow:
    """A document's listing line: everything but the text."""

    id: str
    source: str
    format: str
    title: str | None
    outlet: str | None
    published: str | None
    chars: int
    ingested_at: str

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class LedgerRow:
    """A stored ledger entry: listing columns, the statements it groups, and the whole entry as JSON."""

    claim_id: str
    text: str
    status: str
    origins_for: int
    origins_against: int
    first_seen: str | None
    last_seen: str | None
    record: str  # claimledger.export.entry_to_dict, as JSON
    members: tuple[tuple[str, int], ...] = ()  # (document id, attribution position)

    def summary(self) -> dict[str, Any]:
        fields = ("claim_id", "text", "status", "origins_for", "origins_against", "first_seen", "last_seen")
        return {name: getattr(self, name) for name in fields}


class Store(Protocol):
    """What the pipeline needs from storage. Each write method is one transaction."""

    def schema_version(self) -> int: ...

    def has_document(self, document_id: str) -> bool: ...

    def add_document(
        self, doc: Document, *, minhash: str, bands: Sequence[str], links: Sequence[tuple[str, float]], now: str
    ) -> bool: ...

    def add_source(self, document_id: str, source: str, *, now: str) -> None: ...

    def get_document(self, id_or_prefix: str) -> Document: ...

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[DocumentRow]: ...

    def count_documents(self) -> int: ...

    def candidates(self, bands: Sequence[str]) -> list[tuple[str, str]]: ...

    def near_duplicates(self, document_id: str) -> list[tuple[str, float]]: ...

    def sources(self, document_id: str) -> list[str]: ...

    def put_attributions(
        self, document_id: str, attributions: Sequence[Attribution], *, version: str, now: str
    ) -> None: ...

    def get_attributions(self, document_id: str) -> list[Attribution]: ...

    def pending(self, stage: str, version: str) -> list[str]: ...

    def replace_ledger(self, entries: Sequence[LedgerRow], *, now: str) -> None: ...

    def list_ledger(
        self, *, status: str | None = None, search: str | None = None, limit: int | None = 50, offset: int = 0
    ) -> list[LedgerRow]: ...

    def get_ledger(self, id_or_prefix: str) -> LedgerRow: ...

    # -- claim index (claimledger.ledger.update_ledger): the persisted ClaimIndex --------------------

    def claim_index_state(self) -> ClaimIndexState: ...

    def grouping_marks(
        self, version: str, *, pending_only: bool = True, since: str | None = None
    ) -> list[tuple[str, str, bool]]: ...

    def analysis_progress(self) -> tuple[int, str]: ...

    def term_frequencies(self, terms: Sequence[str]) -> dict[str, int]: ...

    def recent_postings(self, term: str, *, limit: int) -> list[int]: ...

    def claims_of_statements(self, seqs: Sequence[int]) -> dict[int, str]: ...

    def claim_statements(self, claim_id: str, *, limit: int | None = None) -> list[IndexedStatement]: ...

    def claim_groups(self, claim_ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...

    def ingest_order(self, document_ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...

    def write_claim_index(self, write: ClaimIndexWrite, *, expected_generation: int, now: str) -> bool: ...

    def close(self) -> None: ...

    # -- web reads (claimledger.web): listing, filtering and cursor pages over the stored ledger ----------

    def query_ledger(
        self, query: LedgerQuery, *, limit: int = 50, after: tuple[Any, str] | None = None
    ) -> list[LedgerRow]: ...

    def count_ledger(self, query: LedgerQuery) -> int: ...

    def ledger_mentioning(self, text: str, *, limit: int = 500) -> list[LedgerRow]: ...

    def claims_of_document(self, document_id: str) -> list[tuple[int, str]]: ...

    def attributions_by_speaker(self, speaker: str, *, limit: int = 500) -> list[tuple[str, int, Attribution]]: ...

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]: ...


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered migration, in order."""
    folder = resources.files("claimledger.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def document_values(doc: Document, minhash: str, now: str) -> tuple[Any, ...]:
    return (
        doc.id, doc.source, doc.format, doc.title, doc.outlet, doc.author, doc.published, doc.language, doc.url,
        doc.text,
        json.dumps([c.to_json() for c in doc.captions]),
        json.dumps([b.to_json() for b in doc.boilerplate]),
        json.dumps([[s.clean_start, s.raw_start, s.length] for s in doc.segments]),
        json.dumps(list(doc.warnings)),
        doc.extractor, minhash, now,
    )  # fmt: skip


DOCUMENT_COLUMNS = (
    "id, source, format, title, outlet, author, published, language, url, text, "
    "captions, boilerplate, segments, warnings, extractor, minhash, ingested_at"
)


def document_from_row(row: Sequence[Any]) -> Document:
    (id_, source, format_, title, outlet, author, published, language, url, text,
     captions, boilerplate, segments, warnings, extractor) = row[:15]  # fmt: skip
    return Document(
        id=id_, text=text, source=source, format=format_, title=title, outlet=outlet, author=author,
        published=published, language=language, url=url,
        captions=tuple(Span(**c) for c in json.loads(captions)),
        boilerplate=tuple(Removed(**b) for b in json.loads(boilerplate)),
        segments=tuple(Segment(*s) for s in json.loads(segments)),
        extractor=extractor, warnings=tuple(json.loads(warnings)),
    )  # fmt: skip


def attribution_values(document_id: str, position: int, attribution: Attribution) -> tuple[Any, ...]:
    a = attribution
    record = json.dumps(a.to_json(), ensure_ascii=False)
    return (document_id, position, a.kind, a.stance, a.speaker, a.speaker_type, a.confidence, record)


# -- web reads -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerQuery:
    """Filters over the ledger listing; every field is optional and they combine with AND.

    ``actor`` matches a speaker of one of the claim's statements, ``outlet`` the outlet of an article that
    carries one (both case-insensitive, whole name); ``since``/``until`` (ISO dates) keep the claims seen
    in that range; ``sort`` is a key of :data:`LEDGER_SORTS`.
    """

    status: str | None = None
    search: str | None = None
    actor: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "origins"


@dataclass(frozen=True)
class LedgerSort:
    """One listing order: an SQL key (ties broken by claim id), and the same key computed from a row,
    which is what a cursor carries."""

    sql: str
    descending: bool
    key: Any  # Callable[[LedgerRow], int | str]


LEDGER_SORTS: dict[str, LedgerSort] = {
    "origins": LedgerSort("origins_for + origins_against", True, lambda r: r.origins_for + r.origins_against),
    "newest": LedgerSort("COALESCE(last_seen, '')", True, lambda r: r.last_seen or ""),
    "oldest": LedgerSort("COALESCE(first_seen, '')", False, lambda r: r.first_seen or ""),
    "status": LedgerSort("status", False, lambda r: r.status),
    "text": LedgerSort("text", False, lambda r: r.text),
}


# -- claim index (claimledger.ledger.update_ledger) ----------------------------------------------------


@dataclass(frozen=True)
class IndexedStatement:
    """One statement of the persisted claim index: a claim item with its claim, arrival order and edges."""

    seq: int  # order of arrival; postings are read newest first
    document_id: str
    position: int  # attribution position; -1: the headline
    claim_id: str
    text: str
    source: str | None
    published: str | None
    edges: str  # JSON list of the stance edges the statement gives its claim
    follows: str | None = None  # ClaimItem.follows: the statement this one continues

    @property
    def item(self) -> ClaimItem:
        return ClaimItem(f"{self.document_id}:{self.position}", self.text, self.source, self.published, self.follows)


@dataclass(frozen=True)
class ClaimIndexState:
    """The grouping version the index was built with, its statement count, next seq and write generation."""

    version: str
    items: int
    claims: int
    next_seq: int
    generation: int
    stage_rows: int = 0  # document_stages rows right after the last write
    attributed_through: str = ""  # the latest attributions done_at read before it


@dataclass(frozen=True)
class ClaimIndexWrite:
    """One write of the claim index and the ledger, applied in one transaction by ``write_claim_index``.

    With ``replace`` the whole index and ledger are dropped first (a full rebuild); otherwise
    ``statements`` are new, ``frequencies`` are increments, and ``groups``/``ledger`` replace the rows of
    the claims they name, leaving every other claim's row untouched. Claim members follow ``statements``.
    """

    version: str
    replace: bool
    items: int  # statement count after the write
    claims: int  # claim count after the write
    next_seq: int
    attributed_through: str = ""  # the latest attributions done_at, read before the work
    statements: tuple[IndexedStatement, ...] = ()
    postings: tuple[tuple[str, int], ...] = ()  # (term, seq)
    frequencies: tuple[tuple[str, int], ...] = ()  # (term, document-frequency increment)
    groups: tuple[tuple[str, str, str], ...] = ()  # (claim id, story, representative text)
    ledger: tuple[LedgerRow, ...] = ()
    edges: tuple[tuple[int, str], ...] = ()  # (seq, edges JSON) of stored statements scored again
    marks: tuple[tuple[str, str], ...] = ()  # (document id, claims-stage version)
