"""The orchestrator: runs the stages over inputs and writes through the store.

Stages are plain functions that never touch the store; this module is the one place that does, for the
first two stages (ingest, then attributions), one document per transaction, so a rerun after an
interruption resumes. The third stage, the ledger update, is :func:`claimledger.ledger.update_ledger`,
re-exported here so that ``ingest_articles`` → ``attribute_stored`` → ``update_ledger`` read as one run.
:mod:`claimledger.distributed` runs the same stages on a Ray cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO

from claimledger import identity
from claimledger.config import Options
from claimledger.ingest.sources import Item, plan, read_item
from claimledger.ledger import HEADLINE, LedgerUpdate, StanceClassifier, rebuild_ledger, update_ledger
from claimledger.store.base import Store
from claimledger.types import Attribution, Document, Failure, IngestReport

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "HEADLINE",
    "LedgerUpdate",
    "StanceClassifier",
    "attribute_stored",
    "extract_documents",
    "ingest_articles",
    "link_near_duplicates",
    "pending_attributions",
    "rebuild_ledger",
    "store_attributions",
    "store_documents",
    "update_ledger",
]


def extract_documents(
    inputs: Iterable[str],
    *,
    options: Options,
    follow: bool = False,
    stdin: BinaryIO | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_item: Callable[[Item], None] | None = None,
) -> Iterator[Document | Failure]:
    """Yield the documents (and failures) of every input, without storing anything.

    ``on_plan`` hears the number of work items once folders are expanded, ``on_item`` each one done.
    """  # fmt: skip
    items, failures = plan(inputs)
    if on_plan is not None:
        on_plan(len(items))
    yield from failures
    for item in items:
        yield from read_item(item, options=options, follow=follow, stdin=stdin)
        if on_item is not None:
            on_item(item)


def link_near_duplicates(
    doc: Document, store: Store, *, threshold: float
) -> tuple[str, list[str], list[tuple[str, float]]]:
    """Signature, LSH bands and the stored documents similar enough to link to ``doc``."""
    signature = identity.minhash(doc.text)
    bands = identity.band_keys(signature)
    links = []
    for other_id, other_sig in store.candidates(bands):
        if other_id == doc.id:
            continue
        score = identity.similarity(signature, identity.unpack(bytes.fromhex(other_sig)))
        if score >= threshold:
            links.append((other_id, round(score, 4)))
    return identity.pack(signature).hex(), bands, links


def store_documents(docs: Iterable[Document | Failure], *, store: Store, options: Options) -> IngestReport:
    """Write documents, skipping ones already stored (same normalised text) and linking near-duplicates."""
    added: list[str] = []
    unchanged: list[str] = []
    near: list[tuple[str, str, float]] = []
    failures: list[Failure] = []
    for doc in docs:
        if isinstance(doc, Failure):
            failures.append(doc)
            continue
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if store.has_document(doc.id):
            store.add_source(doc.id, doc.source, now=now)
            unchanged.append(doc.id)
            continue
        minhash, bands, links = link_near_duplicates(doc, store, threshold=options.near_duplicate_threshold)
        if store.add_document(doc, minhash=minhash, bands=bands, links=links, now=now):
            added.append(doc.id)
            near.extend((doc.id, other, score) for other, score in links)
        else:  # another process stored it between our check and our insert: keep where we found it
            store.add_source(doc.id, doc.source, now=now)
            unchanged.append(doc.id)
    return IngestReport(tuple(added), tuple(unchanged), tuple(near), tuple(failures))


def ingest_articles(
    inputs: Iterable[str],
    *,
    store: Store,
    options: Options,
    follow: bool = False,
    stdin: BinaryIO | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_item: Callable[[Item], None] | None = None,
) -> IngestReport:
    """Read every input and store its documents: the library form of ``claimledger ingest``."""  # fmt: skip
    docs = extract_documents(inputs, options=options, follow=follow, stdin=stdin, on_plan=on_plan, on_item=on_item)
    return store_documents(docs, store=store, options=options)


def attribute_stored(
    store: Store,
    *,
    nlp: Language | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_item: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Extract and store the attributions of every stored document not yet analysed at this engine version.

    Each document's attributions are written in one transaction with the stage mark, so an interrupted
    run resumes where it stopped. Returns the number of attributions found per document analysed.
    """  # fmt: skip
    from claimledger.attribution import extract_attributions
    from claimledger.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    todo = pending_attributions(store)
    found_in: dict[str, int] = {}
    if on_plan is not None:
        on_plan(len(todo))
    for document_id in todo:
        doc = store.get_document(document_id)
        found = extract_attributions(doc, nlp=nlp)
        store_attributions(document_id, found, store=store)
        found_in[document_id] = len(found)
        if on_item is not None:
            on_item(document_id)
    return found_in


def pending_attributions(store: Store) -> list[str]:
    """The stored documents whose attributions are not yet extracted at this engine version."""
    from claimledger.attribution import ENGINE_VERSION

    return store.pending("attributions", ENGINE_VERSION)


def store_attributions(document_id: str, found: Sequence[Attribution], *, store: Store) -> None:
    """Write one document's attributions with the stage mark of this engine version, in one transaction."""
    from claimledger.attribution import ENGINE_VERSION

    now = datetime.now(UTC).isoformat(timespec="seconds")
    store.put_attributions(document_id, found, version=ENGINE_VERSION, now=now)
