"""The orchestrator: runs the stages over inputs and writes through the store.

Stages are plain functions that never touch the store; this module is the one place
that does, one document per transaction, so a rerun after an interruption resumes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO

from claimledger import identity
from claimledger.config import Options
from claimledger.ingest.sources import Item, plan, read_item
from claimledger.store.base import LedgerRow, Store
from claimledger.types import ClaimItem, Document, Failure, IngestReport, LedgerEntry, StanceEdge

HEADLINE = -1  # the claim-member position that stands for a document's headline

if TYPE_CHECKING:
    from spacy.language import Language

    from claimledger.ledger import StatusRules


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
        else:  # another process stored it between our check and our insert
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
    from claimledger.attribution import ENGINE_VERSION, extract_attributions
    from claimledger.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    todo = store.pending("attributions", ENGINE_VERSION)
    found_in: dict[str, int] = {}
    if on_plan is not None:
        on_plan(len(todo))
    for document_id in todo:
        doc = store.get_document(document_id)
        found = extract_attributions(doc, nlp=nlp)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        store.put_attributions(document_id, found, version=ENGINE_VERSION, now=now)
        found_in[document_id] = len(found)
        if on_item is not None:
            on_item(document_id)
    return found_in


def rebuild_ledger(store: Store, *, rules: StatusRules | None = None) -> list[LedgerEntry]:
    """Group every stored attribution into claims and rebuild the whole ledger in one transaction.

    Each attribution's content and each headline is a statement; statements of one proposition form a
    claim; each attribution becomes a stance edge whose origin is its first speaker (relays and syndicated
    copies add articles, not origins), and each headline an edge from its outlet with the article's stance
    toward the claim (claimledger.stance). This is a full rebuild: its cost grows with the database (to be made
    incremental with a persisted claim index).
    """
    from claimledger.claims import build_claims, statement_items
    from claimledger.export import entry_to_dict
    from claimledger.ledger import build_ledger
    from claimledger.origins import article_edge, edges_from_attributions, short_name_aliases
    from claimledger.stance import classify_stances

    documents = {row.id: store.get_document(row.id) for row in store.list_documents(limit=store.count_documents())}
    attributions = {doc_id: store.get_attributions(doc_id) for doc_id in documents}
    order = {doc_id: i for i, doc_id in enumerate(documents)}  # ingest order: the earlier copy is the original
    original_of: dict[str, str] = {}
    for doc_id in order:
        for other, _ in store.near_duplicates(doc_id):
            if order[other] < order[doc_id]:
                original_of.setdefault(doc_id, other)
    outlets = {doc_id: doc.outlet or doc.source for doc_id, doc in documents.items()}
    # "Front" in one article is the "Harl Coast Defence Front" another spelled out: one origin, not two.
    aliases = short_name_aliases(a.speaker for found in attributions.values() for a in found if a.speaker)
    items = [
        item
        for doc_id, found in attributions.items()
        for _, item in statement_items(doc_id, found, published=documents[doc_id].published)
    ]
    # Headlines are statements too: the outlet's own. Their article's stance toward the claim they fall
    # into becomes an edge from the outlet (position HEADLINE among the claim's members).
    items += [
        ClaimItem(id=f"{doc_id}:{HEADLINE}", text=doc.title, source=doc.outlet, published=doc.published)
        for doc_id, doc in documents.items()
        if doc.title and doc.title.strip()
    ]
    claims = build_claims(items)
    members_of = {
        claim.id: [(doc_id, int(position)) for doc_id, position in (m.rsplit(":", 1) for m in claim.members)]
        for claim in claims
    }
    headline_pairs = [(claim, doc_id) for claim in claims for doc_id, pos in members_of[claim.id] if pos == HEADLINE]
    stances = classify_stances([(claim.text, documents[doc_id].text) for claim, doc_id in headline_pairs])
    article_edges: dict[str, list[StanceEdge]] = {}
    for (claim, doc_id), result in zip(headline_pairs, stances, strict=True):
        edge = article_edge(claim.id, documents[doc_id], result, near_duplicate_of=original_of, outlets=outlets)
        if edge is not None:
            article_edges.setdefault(claim.id, []).append(edge)
    entries: list[LedgerEntry] = []
    rows: list[LedgerRow] = []
    for claim in claims:
        members = members_of[claim.id]
        edges = list(article_edges.get(claim.id, []))
        for doc_id in dict.fromkeys(doc_id for doc_id, pos in members if pos != HEADLINE):
            pairs = [(pos, attributions[doc_id][pos]) for d, pos in members if d == doc_id and pos != HEADLINE]
            edges.extend(
                edges_from_attributions(
                    claim.id, documents[doc_id], pairs, near_duplicate_of=original_of, outlets=outlets, aliases=aliases
                )
            )
        entry = build_ledger(claim, edges, rules=rules)
        entries.append(entry)
        sides = {group.origin: group.stance for group in entry.origins}
        rows.append(
            LedgerRow(
                claim_id=claim.id, text=claim.text, status=entry.status,
                origins_for=sum(1 for s in sides.values() if s == "supports"),
                origins_against=sum(1 for s in sides.values() if s in ("denies", "doubts")),
                first_seen=entry.first_seen, last_seen=entry.last_seen,
                record=json.dumps(entry_to_dict(entry), ensure_ascii=False), members=tuple(members),
            )
        )  # fmt: skip
    store.replace_ledger(rows, now=datetime.now(UTC).isoformat(timespec="seconds"))
    return entries
