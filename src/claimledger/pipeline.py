"""The orchestrator: runs the stages over inputs and writes through the store.

Stages are plain functions that never touch the store; this module is the one place
that does, one document per transaction, so a rerun after an interruption resumes. The ledger is kept
up to date incrementally over a claim index persisted in the store (:func:`update_ledger`).
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, BinaryIO

from claimledger import identity
from claimledger.config import Options
from claimledger.errors import StoreError
from claimledger.ingest.sources import Item, plan, read_item
from claimledger.store.base import ClaimIndexState, ClaimIndexWrite, IndexedStatement, LedgerRow, Store
from claimledger.types import (
    Attribution,
    Claim,
    ClaimItem,
    Document,
    Failure,
    IngestReport,
    LedgerEntry,
    Span,
    StanceEdge,
    StanceResult,
)

HEADLINE = -1  # the claim-member position that stands for a document's headline

# Scores ``(claim, article text)`` pairs, in order: claimledger.stance.classify_stances or a distributed stand-in.
StanceClassifier = Callable[[Sequence[tuple[str, str]]], list[StanceResult]]

if TYPE_CHECKING:
    from spacy.language import Language

    from claimledger.claims import ClaimIndex, GroupingOptions
    from claimledger.claims.features import TermCounts
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
    """Regroup every stored statement from scratch and rewrite the whole ledger and claim index.

    The library form of ``claimledger analyze --rebuild``; returns every entry of the new ledger.
    """
    return list(update_ledger(store, rules=rules, rebuild=True).entries)


def update_ledger(
    store: Store, *, rules: StatusRules | None = None, rebuild: bool = False, classify: StanceClassifier | None = None
) -> LedgerUpdate:
    """Bring the ledger up to date with the stored attributions: the ledger stage of ``claimledger analyze``.

    Each attribution's content and each headline is a statement; statements of one proposition form a
    claim; each attribution becomes a stance edge whose origin is its first speaker (relays and syndicated
    copies add articles, not origins), and each headline an edge from its outlet with the article's stance
    toward the claim (claimledger.stance).

    Documents count once their attributions are stored (``attribute_stored``). The grouping is kept in the
    store as a claim index (statements, term postings, document frequencies). A full regrouping of every
    statement (:func:`~claimledger.claims.build_claims`, best quality) runs on the first call, with
    ``rebuild``, when the grouping version changed, or when a grouped document was analysed again.
    Otherwise only the statements of documents not grouped yet are added (found without reading every
    document: see :func:`_pending`): each finds its
    candidate claims through the stored postings (rarest words first, bounded as in
    :class:`~claimledger.claims.ClaimIndex`), the candidates' latest members come back into a scratch
    index that weighs terms by the stored frequencies, and only the claims the new statements join or open
    are written again. So the work per added article is bounded, not proportional to the database.

    Incremental updates approximate a full regrouping in documented ways: a new statement joins a claim or
    opens one (claims are never merged or split afterwards); a claim compares against its
    ``MEMBER_CAP`` latest members; a claim larger than ``REPRESENTATIVE_LIMIT`` keeps its wording and one
    larger than ``ENTITY_SAMPLE`` names the entities of that many of its members; an old
    article's stance is scored again only when the wording of a claim that small changes; a new claim joins
    the story of the candidate claim it is most similar to (``story_threshold``) and older claims keep
    theirs; and short names ("Quill") are matched to long ones seen in the same claims or documents.

    Reading, computing and writing form one optimistic transaction: the write is refused when another
    process changed the index in between, and the update starts again from what that process wrote.

    ``classify`` scores the articles' stances (default: :func:`claimledger.stance.classify_stances` in this
    process; ``analyze --engine ray`` passes one that spreads the pairs over the cluster).
    """
    from claimledger.claims import GROUPING_VERSION

    for _ in range(_ATTEMPTS):
        state = store.claim_index_state()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        full = rebuild or state.version != GROUPING_VERSION
        if not full:
            marks, through = _pending(store, state, GROUPING_VERSION)
            full = any(grouped for _, _, grouped in marks)
        if full:
            through = store.analysis_progress()[1]
            write, update = _regroup_all(store, rules=rules, now=now, classify=classify)
        elif not marks:
            return LedgerUpdate(rebuilt=False, documents=0, touched=0, added=0, claims=state.claims)
        else:
            pending = [(doc_id, mark) for doc_id, mark, _ in marks]
            write, update = _add_documents(store, state, pending, rules=rules, classify=classify)
        write = dataclasses.replace(write, attributed_through=through)
        if store.write_claim_index(write, expected_generation=state.generation, now=now):
            return update
    raise StoreError(
        f"the claim index changed under {_ATTEMPTS} ledger updates in a row (other analyze runs are writing); "
        "run analyze again when they finish"
    )


def _pending(store: Store, state: ClaimIndexState, version: str) -> tuple[list[tuple[str, str, bool]], str]:
    """The documents to group (see ``Store.grouping_marks``), and the latest time attributions were done.

    Looks only at attributions done since the index was last written (less ``WINDOW_MARGIN``, for runs that
    committed late): an index range, not a scan of the database. The number of stage rows tells whether a
    new document was analysed with an older time than that, and then every document is read. A document
    analysed *again* with a time that old (never the case for ``attribute_stored``) waits for a rebuild.
    """
    since = None
    if state.attributed_through:
        try:
            since = (datetime.fromisoformat(state.attributed_through) - WINDOW_MARGIN).isoformat(timespec="seconds")
        except ValueError:
            since = None
    through = store.analysis_progress()[1]  # read first: what is done later waits for the next update
    if since is not None:
        marks = store.grouping_marks(version, since=since)
        rows = store.analysis_progress()[0]  # read after the marks: a document done in between shows up
        if rows == state.stage_rows + sum(1 for _, _, grouped in marks if not grouped):
            return marks, through
    return store.grouping_marks(version), through


@dataclass(frozen=True)
class LedgerUpdate:
    """What one ledger update did; ``entries`` are the ledger entries it wrote (all, on a full rebuild)."""

    rebuilt: bool  # every statement was grouped again from scratch
    documents: int  # documents whose statements were grouped
    touched: int  # claims whose ledger entries were written
    added: int  # of those, claims that are new
    claims: int  # claims in the ledger afterwards
    entries: tuple[LedgerEntry, ...] = ()


_ATTEMPTS = 5
WINDOW_MARGIN = timedelta(minutes=2)  # longer than a write waits for the lock (store busy timeout: 30 s)
MEMBER_CAP = 8  # latest members of a candidate claim compared with a new statement
REPRESENTATIVE_LIMIT = 8  # claims up to this size choose their wording again when they grow
RESTORE_BUDGET = 160  # most stored statements brought into the scratch index per update
STORY_CANDIDATES = 3  # stored claims a new claim may share its story with: its statements' best candidates
ENTITY_SAMPLE = 64  # a claim's entities come from its last this many members (in the ledger's order)
_MAX_ENTITIES = 8  # as claimledger.claims.build


@dataclass
class _Context:
    """What stance edges are made from: documents, their attributions, syndication and outlets."""

    documents: dict[str, Document]
    attributions: dict[str, list[Attribution]]
    original_of: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # one type per actor (claimledger.actors)
    classify: StanceClassifier | None = None  # None: claimledger.stance.classify_stances, here


def _name_actors(context: _Context, known: Sequence[str]) -> None:
    """The context's alias table and actor types, from its attributions and the origins already stored."""
    from claimledger.actors import build_actor_table
    from claimledger.origins import short_name_aliases

    table = build_actor_table(a for found in context.attributions.values() for a in found)
    names = [*dict.fromkeys([*table.aliases.values(), *table.types, *known])]
    shorts = short_name_aliases(names)
    context.aliases = {name: shorts.get(target, target) for name, target in table.aliases.items()} | shorts
    context.types = dict(table.types)


def _load(store: Store, document_ids: Sequence[str], classify: StanceClassifier | None) -> _Context:
    """Documents and attributions of ``document_ids``, with the originals of syndicated copies among them."""
    documents = {doc_id: store.get_document(doc_id) for doc_id in document_ids}
    attributions = {doc_id: store.get_attributions(doc_id) for doc_id in document_ids}
    context = _Context(documents, attributions, classify=classify)
    _add_originals(store, context, document_ids)
    return context


def _add_originals(store: Store, context: _Context, document_ids: Sequence[str]) -> None:
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


def _statements(context: _Context) -> list[ClaimItem]:
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


@functools.lru_cache(maxsize=4096)
def _features(text: str) -> TermCounts:
    """The grouping features of ``text``; one statement's are read several times per update."""
    from claimledger.claims.features import term_counts

    return term_counts(text)


def _split(item_id: str) -> tuple[str, int]:
    doc_id, position = item_id.rsplit(":", 1)
    return doc_id, int(position)


def _attribution_edges(
    claim_id: str, members: Sequence[tuple[str, int]], context: _Context
) -> dict[tuple[str, int], list[StanceEdge]]:
    """The stance edges of a claim's attribution members, per member, from each document's members together."""
    from claimledger.origins import edges_from_attributions

    out: dict[tuple[str, int], list[StanceEdge]] = {}
    for doc_id in dict.fromkeys(doc_id for doc_id, pos in members if pos != HEADLINE):
        found = context.attributions[doc_id]
        pairs = [(pos, found[pos]) for d, pos in members if d == doc_id and pos != HEADLINE]
        edges = edges_from_attributions(
            claim_id, context.documents[doc_id], pairs,
            near_duplicate_of=context.original_of, outlets=context.outlets, aliases=context.aliases,
            types=context.types,
        )  # fmt: skip
        for pos, _ in pairs:
            out[doc_id, pos] = [e for e in edges if e.attribution == pos]
    return out


def _article_edges(pairs: Sequence[tuple[str, str, str]], context: _Context) -> dict[tuple[str, str], list[StanceEdge]]:
    """The article edge (or none, when unrelated) of each ``(claim id, claim text, document id)`` headline."""
    from claimledger.origins import article_edge
    from claimledger.stance import classify_stances

    if not pairs:
        return {}
    classify = context.classify or classify_stances
    results = classify([(text, context.documents[doc_id].text) for _, text, doc_id in pairs])
    out: dict[tuple[str, str], list[StanceEdge]] = {}
    for (claim_id, _, doc_id), result in zip(pairs, results, strict=True):
        edge = article_edge(
            claim_id, context.documents[doc_id], result, near_duplicate_of=context.original_of, outlets=context.outlets
        )
        out[claim_id, doc_id] = [edge] if edge is not None else []
    return out


def _ledger_edges(
    members: Sequence[tuple[str, int]], edges: Mapping[tuple[str, int], list[StanceEdge]]
) -> list[StanceEdge]:
    """A claim's edges in the ledger's order: headlines' first, then each document's attributions'."""
    out = [e for member in members if member[1] == HEADLINE for e in edges[member]]
    by_document: dict[str, list[StanceEdge]] = {}
    for member in members:
        if member[1] != HEADLINE:
            by_document.setdefault(member[0], []).extend(edges[member])
    return out + [e for found in by_document.values() for e in found]


def _ledger_row(claim: Claim, edges: Sequence[StanceEdge], rules: StatusRules | None) -> tuple[LedgerEntry, LedgerRow]:
    from claimledger.export import entry_to_dict
    from claimledger.ledger import build_ledger

    entry = build_ledger(claim, edges, rules=rules)
    sides = {group.origin: group.stance for group in entry.origins}
    row = LedgerRow(
        claim_id=claim.id, text=claim.text, status=entry.status,
        origins_for=sum(1 for s in sides.values() if s == "supports"),
        origins_against=sum(1 for s in sides.values() if s in ("denies", "doubts")),
        first_seen=entry.first_seen, last_seen=entry.last_seen,
        record=json.dumps(entry_to_dict(entry), ensure_ascii=False),
        members=tuple(_split(m) for m in claim.members),
    )  # fmt: skip
    return entry, row


def _edges_json(edges: Sequence[StanceEdge]) -> str:
    out = []
    for edge in edges:
        data = dataclasses.asdict(edge)
        del data["claim_id"]
        out.append(data)
    return json.dumps(out, ensure_ascii=False)


def _edges_from_jsons(texts: Sequence[str], claim_id: str) -> list[list[StanceEdge]]:
    """The edges of many stored statements of one claim: one JSON parse for all (a large claim has thousands)."""
    parsed = json.loads("[" + ",".join(texts) + "]") if texts else []
    out = []
    for found in parsed:
        edges = []
        for data in found:
            evidence = Span(**data.pop("evidence")) if data.get("evidence") else None
            data.pop("evidence", None)
            edges.append(StanceEdge(claim_id=claim_id, evidence=evidence, via=tuple(data.pop("via")), **data))
        out.append(edges)
    return out


def _indexed(
    numbered: Sequence[tuple[int, ClaimItem]],
    claim_of: Mapping[str, str],
    edges: Mapping[tuple[str, int], list[StanceEdge]],
) -> tuple[IndexedStatement, ...]:
    out = []
    for seq, item in numbered:
        doc_id, position = _split(item.id)
        found = edges[doc_id, position]
        out.append(
            IndexedStatement(
                seq,
                doc_id,
                position,
                claim_of[item.id],
                item.text,
                item.source,
                item.published,
                _edges_json(found),
                item.follows,
            )
        )
    return tuple(out)


def _postings_and_frequencies(
    statements: Sequence[tuple[int, ClaimItem]],
) -> tuple[list[tuple[str, int]], Counter[str]]:
    """(content word, seq) postings and the document frequency of every feature over ``statements``."""
    postings: list[tuple[str, int]] = []
    frequencies: Counter[str] = Counter()
    for seq, item in statements:
        counts = _features(item.text)
        postings.extend((key, seq) for key in counts.keys)
        frequencies.update(counts.words.keys())
        frequencies.update(counts.chars.keys())
    return postings, frequencies


def _regroup_all(
    store: Store, *, rules: StatusRules | None, now: str, classify: StanceClassifier | None
) -> tuple[ClaimIndexWrite, LedgerUpdate]:
    """Group every stored statement as one batch (average linkage) and describe the whole ledger and index."""
    from claimledger.claims import GROUPING_VERSION, build_claims

    marks = store.grouping_marks(GROUPING_VERSION, pending_only=False)
    context = _load(store, [doc_id for doc_id, _, _ in marks], classify)
    # "Front" in one article is the "Harl Coast Defence Front" another spelled out, "the navy" is "The Navy":
    # one origin, not two, with one type (claimledger.actors).
    _name_actors(context, [])
    items = _statements(context)
    claims = build_claims(items)
    members_of = {claim.id: [_split(m) for m in claim.members] for claim in claims}
    headline_pairs = [
        (claim.id, claim.text, doc_id) for claim in claims for doc_id, pos in members_of[claim.id] if pos == HEADLINE
    ]
    article = _article_edges(headline_pairs, context)
    edges: dict[tuple[str, int], list[StanceEdge]] = {}
    entries: list[LedgerEntry] = []
    rows: list[LedgerRow] = []
    for claim in claims:
        members = members_of[claim.id]
        edges.update(_attribution_edges(claim.id, members, context))
        edges.update(((doc_id, HEADLINE), article[claim.id, doc_id]) for doc_id, pos in members if pos == HEADLINE)
        entry, row = _ledger_row(claim, _ledger_edges(members, edges), rules)
        entries.append(entry)
        rows.append(row)
    claim_of = {m: claim.id for claim in claims for m in claim.members}
    numbered = list(enumerate(items))  # seq: the batch order, which is each claim's member order
    statements = _indexed(numbered, claim_of, edges)
    postings, frequencies = _postings_and_frequencies(numbered)
    write = ClaimIndexWrite(
        version=GROUPING_VERSION, replace=True, items=len(items), claims=len(claims), next_seq=len(items),
        statements=statements, postings=tuple(postings), frequencies=tuple(frequencies.items()),
        groups=tuple((c.id, c.story or "s" + c.id[1:], c.text) for c in claims), ledger=tuple(rows),
        marks=tuple((doc_id, mark) for doc_id, mark, _ in marks),
    )  # fmt: skip
    update = LedgerUpdate(
        rebuilt=True, documents=len(marks), touched=len(claims), added=len(claims), claims=len(claims),
        entries=tuple(entries),
    )  # fmt: skip
    return write, update


def _candidate_claims(
    store: Store, items: Sequence[ClaimItem], frequencies: Mapping[str, int], *, total: int, options: GroupingOptions
) -> tuple[list[str], dict[str, list[str]]]:
    """Claims of the stored statements that share the rarest words of ``items``, best candidates first,
    and the ``STORY_CANDIDATES`` best claims of each item.

    The stored index read the way :class:`~claimledger.claims.ClaimIndex` reads its own: per item the
    ``probe_terms`` rarest content words, the ``max_postings`` newest postings of each, and the
    ``candidates`` statements with the highest summed IDF of shared words.
    """
    best: dict[int, float] = {}
    per_item: dict[str, list[int]] = {}
    for item in items:
        rarest = sorted(_features(item.text).keys, key=lambda k: (frequencies.get(k, 0), k))
        keys = rarest[: options.probe_terms]
        score: dict[int, float] = {}
        for key in keys:
            df = frequencies.get(key, 0)
            if df == 0:
                continue  # a word no stored statement has
            idf = math.log((1 + total) / (1 + df)) + options.idf_floor
            for seq in store.recent_postings(key, limit=options.max_postings):
                score[seq] = score.get(seq, 0.0) + idf
        per_item[item.id] = heapq.nlargest(options.candidates, score, key=lambda s: (score[s], s))
        for seq in per_item[item.id]:
            best[seq] = max(best.get(seq, 0.0), score[seq])
    claim_of = store.claims_of_statements(list(best))
    claim_score: dict[str, float] = {}
    for seq, claim_id in claim_of.items():
        claim_score[claim_id] = max(claim_score.get(claim_id, 0.0), best[seq])
    nearest = {
        item_id: list(dict.fromkeys(claim_of[seq] for seq in seqs))[:STORY_CANDIDATES]
        for item_id, seqs in per_item.items()
    }
    return sorted(claim_score, key=lambda c: (-claim_score[c], c)), nearest


def _add_documents(
    store: Store,
    state: ClaimIndexState,
    marks: Sequence[tuple[str, str]],
    *,
    rules: StatusRules | None,
    classify: StanceClassifier | None,
) -> tuple[ClaimIndexWrite, LedgerUpdate]:
    """Add the statements of not-yet-grouped documents to the stored claims; describe the claims they touch."""
    from claimledger.claims import GROUPING_VERSION, ClaimIndex, GroupingOptions, heuristic_entities
    from claimledger.claims.index import Frequencies

    options = GroupingOptions()
    context = _load(store, [doc_id for doc_id, _ in marks], classify)
    items = _statements(context)
    counts = {item.id: _features(item.text) for item in items}
    frequencies = store.term_frequencies([k for c in counts.values() for k in (*c.words, *c.chars)])
    # Candidate claims, and their latest members, within a budget of stored statements.
    loaded: dict[str, list[IndexedStatement]] = {}
    budget = RESTORE_BUDGET
    candidates, nearest = _candidate_claims(store, items, frequencies, total=state.items, options=options)
    for claim_id in candidates:
        if budget <= 0:
            break
        loaded[claim_id] = store.claim_statements(claim_id, limit=MEMBER_CAP)
        budget -= len(loaded[claim_id])
    restored = {s.seq: _features(s.text) for found in loaded.values() for s in found}
    frequencies |= store.term_frequencies(
        [k for c in restored.values() for k in (*c.words, *c.chars) if k not in frequencies]
    )
    # One dict serves both blocks: character 4-grams are '#'-prefixed, words never are.
    shared = Frequencies(items=state.items, words=frequencies, chars=frequencies)
    index = ClaimIndex(options, frequencies=shared)
    order = sorted(loaded, key=lambda c: loaded[c][0].seq)  # the order the claims were opened
    index.restore(
        (
            claim_id,
            [s.item for s in loaded[claim_id]],
        )
        for claim_id in order
    )
    for item in items:
        shared.items += 1
        for key in (*counts[item.id].words, *counts[item.id].chars):
            frequencies[key] = frequencies.get(key, 0) + 1
        index.add(item)
    joined: dict[str, list[ClaimItem]] = {}
    for item in items:
        joined.setdefault(index.claim_of(item.id), []).append(item)
    stored_groups = store.claim_groups(list(dict.fromkeys([*loaded, *(c for n in nearest.values() for c in n)])))

    # Every member of each touched claim: stored ones (all of them) and new ones.
    old: dict[str, list[IndexedStatement]] = {}
    for claim_id in joined:
        if claim_id in loaded:
            found = loaded[claim_id]
            old[claim_id] = found if len(found) < MEMBER_CAP else store.claim_statements(claim_id)
        else:
            old[claim_id] = []
    stored_edges = {
        (s.document_id, s.position): edges
        for claim_id, found in old.items()
        for s, edges in zip(found, _edges_from_jsons([s.edges for s in found], claim_id), strict=True)
    }
    # Short names meet the long ones seen in the same claims or documents.
    _name_actors(context, [e.origin for found in stored_edges.values() for e in found])

    claims: dict[str, Claim] = {}
    stories: dict[str, str] = {claim_id: story for claim_id, (story, _) in stored_groups.items()}
    refresh: list[tuple[str, str, str]] = []  # (claim id, text, document id) of old headlines to score again
    # Members in the order a full rebuild lists them (its batch order: attributions by document in ingest
    # order, then headlines), which is also the order that breaks ties between equally central wordings.
    ingested = store.ingest_order(
        [_split(item.id)[0] for item in items] + [s.document_id for f in old.values() for s in f]
    )

    def batch_order(item: ClaimItem) -> tuple[bool, tuple[str, str], int]:
        doc_id, position = _split(item.id)
        return position == HEADLINE, ingested[doc_id], position

    for claim_id, new in joined.items():
        members = [s.item for s in old[claim_id]]
        members = sorted([*members, *new], key=batch_order)
        if claim_id in stored_groups and len(members) > REPRESENTATIVE_LIMIT:
            text = stored_groups[claim_id][1]
        else:
            text = _representative(members, index)
        if claim_id not in stories:
            near = [c for c in nearest[new[0].id] if c in stored_groups]
            stories[claim_id] = _story(new[0], {c: stored_groups[c] for c in near}, index)
        named: Counter[str] = Counter()
        for item in members[-ENTITY_SAMPLE:]:
            named.update(dict.fromkeys(e.strip() for e in heuristic_entities(item.text) if e.strip()).keys())
        floor = 1 if len(members) == 1 else 2
        dates = sorted(item.published for item in members if item.published)
        claims[claim_id] = Claim(
            id=claim_id, text=text, members=tuple(item.id for item in members), story=stories[claim_id],
            entities=tuple(e for e, n in named.most_common() if n >= floor)[:_MAX_ENTITIES],
            first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        )  # fmt: skip
        if claim_id in stored_groups and text != stored_groups[claim_id][1]:
            refresh += [(claim_id, text, s.document_id) for s in old[claim_id] if s.position == HEADLINE]

    # Edges: new members' from their documents; old headlines' scored again where the wording changed.
    if refresh:
        extra = [doc_id for _, _, doc_id in refresh if doc_id not in context.documents]
        context.documents.update((doc_id, store.get_document(doc_id)) for doc_id in extra)
        _add_originals(store, context, extra)
    new_headlines = [
        (claim_id, claims[claim_id].text, item.id.rsplit(":", 1)[0])
        for claim_id, new in joined.items()
        for item in new
        if item.id.endswith(f":{HEADLINE}")
    ]
    article = _article_edges(new_headlines + refresh, context)
    edges = dict(stored_edges)
    for claim_id, new in joined.items():
        edges.update(_attribution_edges(claim_id, [_split(item.id) for item in new], context))
    edges.update(((doc_id, HEADLINE), found) for (_, doc_id), found in article.items())

    entries: list[LedgerEntry] = []
    rows: list[LedgerRow] = []
    for claim in claims.values():
        entry, row = _ledger_row(claim, _ledger_edges([_split(m) for m in claim.members], edges), rules)
        entries.append(entry)
        rows.append(row)
    seq_of = {(s.document_id, s.position): s.seq for found in old.values() for s in found}
    numbered = list(enumerate(items, start=state.next_seq))
    claim_of = {item.id: claim_id for claim_id, new in joined.items() for item in new}
    statements = _indexed(numbered, claim_of, edges)
    postings, increments = _postings_and_frequencies(numbered)
    added = sum(1 for claim_id in joined if claim_id not in stored_groups)
    write = ClaimIndexWrite(
        version=GROUPING_VERSION, replace=False, items=state.items + len(items), claims=state.claims + added,
        next_seq=state.next_seq + len(items), statements=statements, postings=tuple(postings),
        frequencies=tuple(increments.items()),
        groups=tuple((c.id, stories[c.id], c.text) for c in claims.values()), ledger=tuple(rows),
        edges=tuple((seq_of[d, HEADLINE], _edges_json(article[c, d])) for c, _, d in refresh),
        marks=tuple(marks),
    )  # fmt: skip
    update = LedgerUpdate(
        rebuilt=False, documents=len(marks), touched=len(claims), added=added, claims=state.claims + added,
        entries=tuple(entries),
    )  # fmt: skip
    return write, update


def _representative(members: Sequence[ClaimItem], index: ClaimIndex) -> str:
    """The member most similar to the others (summed similarity; the earliest on ties), as build_claims picks."""
    counts = [_features(item.text) for item in members]
    inner = [0.0] * len(members)
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            sim = index.similarity(counts[i], counts[j])
            inner[i] += sim
            inner[j] += sim
    # max keeps the earliest on ties; rounding makes sums that differ in their last bits (the same similarities
    # added in another order) ties too
    best = max(range(len(members)), key=lambda i: round(inner[i], 9))
    return members[best].text


def _story(first: ClaimItem, near: Mapping[str, tuple[str, str]], index: ClaimIndex) -> str:
    """A new claim's story: that of the nearest stored claim (``near``: story and wording by claim id) whose
    wording is at least ``story_threshold`` similar to the claim's first statement; else a story of its own.

    A full rebuild links claims by the average similarity of all their members; this compares one statement
    with one wording per candidate, so that a new claim costs a few similarities, not a few hundred.
    """
    counts = _features(first.text)
    scored = [(index.similarity(counts, _features(text)), claim_id) for claim_id, (_, text) in near.items()]
    best = max(scored, key=lambda sc: (sc[0], sc[1]), default=None)
    if best is not None and best[0] >= index.options.story_threshold:
        return near[best[1]][0]
    return "s" + index.claim_of(first.id)[1:]
