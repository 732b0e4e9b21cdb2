"""Ingest from the web: pasted text or HTML and uploaded files, through the same pipeline as the CLI.

One ingest runs at a time (a lock), since each one extends the ledger; readers keep reading meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimledger import pipeline
from claimledger.config import Options
from claimledger.errors import EmptyInputError, InputError
from claimledger.ingest.sources import read_bytes
from claimledger.store.base import Store
from claimledger.types import Document, Failure

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Upload:
    """One piece of input: a name for the record (``web:...``) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class IngestOutcome:
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    failures: tuple[Failure, ...]
    claims: tuple[str, ...]  # ids of the claims the ingested documents' statements belong to
    analysed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "unchanged": list(self.unchanged),
            "failures": [{"source": f.source, "reason": f.reason, "code": f.code} for f in self.failures],
            "claims": list(self.claims),
            "analysed": self.analysed,
        }


def update_ledger(store: Store) -> None:
    """The one call that brings the ledger up to date after new attributions."""
    pipeline.update_ledger(store)


class Ingester:
    """Runs uploads through ingest, attributions and the ledger, one run at a time."""

    def __init__(self, *, options: Options, nlp: Language | None = None) -> None:
        self.options = options
        self._nlp = nlp
        self._lock = threading.Lock()

    def nlp(self) -> Language:
        if self._nlp is None:
            from claimledger.nlp import load_pipeline

            self._nlp = load_pipeline()
        return self._nlp

    def run(self, store: Store, uploads: Sequence[Upload]) -> IngestOutcome:
        if not uploads:
            raise EmptyInputError("web", "nothing to ingest: paste an article or choose a file")
        docs: list[Document | Failure] = []
        for upload in uploads:
            source = f"web:{upload.name}"
            try:
                docs.extend(read_bytes(upload.data, source=source, reader=None, options=self.options))
            except InputError as exc:
                docs.append(Failure(exc.source, exc.reason, exc.code))
        with self._lock:
            report = pipeline.store_documents(docs, store=store, options=self.options)
            analysed = pipeline.attribute_stored(store, nlp=self.nlp()) if report.added else {}
            if analysed:
                update_ledger(store)
        claims: dict[str, None] = {}
        for doc_id in (*report.added, *report.unchanged):
            for _, claim_id in store.claims_of_document(doc_id):
                claims[claim_id] = None
        return IngestOutcome(report.added, report.unchanged, report.failures, tuple(claims), len(analysed))
