"""The store interface every backend implements, and the row codecs they share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from claimledger.types import Attribution, Document, Removed, Segment, Span


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

    def close(self) -> None: ...


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
