"""What a ledger update reads: the documents, their attributions, syndication, outlets and actors.

A :class:`Context` holds everything stance edges are made from, loaded once per update from the store
(:func:`load_context`); :func:`statements_of` turns it into the statements that claims group: each
attribution's content, and each headline (member position :data:`HEADLINE`), the outlet's own statement.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimledger.ledger.actors import build_actor_table
from claimledger.ledger.origins import normalise_name, short_name_aliases
from claimledger.ledger.voices import government_role, speakers_for
from claimledger.store.base import Store
from claimledger.types import Attribution, ClaimItem, Document, StanceResult

if TYPE_CHECKING:
    from claimledger.claims.features import TermCounts

__all__ = [
    "HEADLINE",
    "Context",
    "StanceClassifier",
    "add_originals",
    "load_context",
    "name_actors",
    "split_member",
    "statements_of",
    "term_features",
    "with_speakers",
]

HEADLINE = -1  # the claim-member position that stands for a document's headline

# Scores ``(claim, article text)`` pairs, in order: claimledger.stance.classify_stances or a distributed stand-in.
StanceClassifier = Callable[[Sequence[tuple[str, str]]], list[StanceResult]]


@dataclass
class Context:
    """What stance edges are made from: documents, their attributions, syndication and outlets."""

    documents: dict[str, Document]
    attributions: dict[str, list[Attribution]]
    original_of: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # one type per actor (claimledger.ledger.actors)
    speaks_for: dict[str, str] = field(default_factory=dict)  # person → organisation (claimledger.ledger.voices)
    classify: StanceClassifier | None = None  # None: claimledger.stance.classify_stances, here


def name_actors(context: Context, known: Sequence[str]) -> None:
    """The context's alias table and actor types, from its attributions and the origins already stored."""
    table = build_actor_table(a for found in context.attributions.values() for a in found)
    names = [*dict.fromkeys([*table.aliases.values(), *table.types, *known])]
    shorts = short_name_aliases(names)
    context.aliases = {name: shorts.get(target, target) for name, target in table.aliases.items()} | shorts
    context.types = dict(table.types)
    found = [a for found in context.attributions.values() for a in found]
    context.speaks_for = speakers_for(found, aliases=context.aliases)
    # A minister, a government spokesman, "a ministry official": voices of a government, whatever the
    # entity recogniser typed them; a name that is an outlet of the corpus ("according to Tidewire") is one.
    for attribution in found:
        if attribution.speaker and attribution.kind != "unattributed-passive":
            name = normalise_name(attribution.speaker, aliases=context.aliases)
            if government_role(attribution.speaker, attribution.role) and context.types.get(name) != "outlet":
                context.types[name] = "government"
    outlets = {normalise_name(o).casefold() for o in context.outlets.values() if o}
    for name in context.types:
        if name.casefold() in outlets:
            context.types[name] = "outlet"


def load_context(store: Store, document_ids: Sequence[str], classify: StanceClassifier | None) -> Context:
    """Documents and attributions of ``document_ids``, with the originals of syndicated copies among them."""
    documents = {doc_id: store.get_document(doc_id) for doc_id in document_ids}
    attributions = {doc_id: store.get_attributions(doc_id) for doc_id in document_ids}
    context = Context(documents, attributions, classify=classify)
    add_originals(store, context, document_ids)
    return context


def add_originals(store: Store, context: Context, document_ids: Sequence[str]) -> None:
    """A copy's original is its earliest-ingested near-duplicate ingested before it."""
    links = {doc_id: store.near_duplicates(doc_id) for doc_id in document_ids}
    order = store.ingest_order([*document_ids, *(other for found in links.values() for other, _ in found)])
    for doc_id, found in links.items():
        for other, _ in found:
            if other in order and order[other] < order[doc_id]:
                context.original_of.setdefault(doc_id, other)
    for doc_id in [*document_ids, *context.original_of.values()]:
        if doc_id not in context.outlets:
            doc = context.documents.get(doc_id) or store.get_document(doc_id)
            context.outlets[doc_id] = doc.outlet or doc.source


def statements_of(context: Context) -> list[ClaimItem]:
    """The statements of the context's documents: attribution contents, then headlines (position HEADLINE)."""
    from claimledger.claims import statement_items

    docs = context.documents
    items = [
        item
        for doc_id, found in context.attributions.items()
        for _, item in statement_items(doc_id, found, published=docs[doc_id].published)
    ]
    # Headlines are statements too: the outlet's own. Their article's stance toward the claim they fall
    # into becomes an edge from the outlet.
    items += [
        ClaimItem(id=f"{doc_id}:{HEADLINE}", text=doc.title, source=doc.outlet, published=doc.published)
        for doc_id, doc in docs.items()
        if doc.title and doc.title.strip()
    ]
    return items


def with_speakers(items: Sequence[ClaimItem], context: Context) -> list[ClaimItem]:
    """``items`` with each speaker under its one name for the corpus ("Front" → "Harl Coast Defence Front"),
    which a claim's label puts in place of a pronoun ("it boarded the ship", claimledger.claims.proposition).
    """
    return [
        dataclasses.replace(item, source=normalise_name(item.source, aliases=context.aliases)) if item.source else item
        for item in items
    ]


@functools.lru_cache(maxsize=4096)
def term_features(text: str) -> TermCounts:
    """The grouping features of ``text``; one statement's are read several times per update."""
    from claimledger.claims.features import term_counts

    return term_counts(text)


def split_member(item_id: str) -> tuple[str, int]:
    doc_id, position = item_id.rsplit(":", 1)
    return doc_id, int(position)
