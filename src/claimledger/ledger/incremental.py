"""How an article is added to the ledger: the statements of documents not grouped yet join the stored
claims they state, or open new ones, and only the claims they touch are described again.

Each new statement finds its candidate claims through the stored postings (rarest words first), the
candidates' latest members come back into a scratch :class:`~claimledger.claims.ClaimIndex` that weighs
terms by the stored frequencies, and the touched claims get their members, wording, story, entities, stance
edges and ledger entries again. The bounds below keep the work per article independent of the database
size; :func:`claimledger.ledger.update_ledger` documents how this approximates a full regrouping.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from claimledger.ledger.context import (
    HEADLINE,
    StanceClassifier,
    add_originals,
    load_context,
    name_actors,
    split_member,
    statements_of,
    term_features,
    with_speakers,
)
from claimledger.ledger.edges import (
    article_edges,
    attribution_edges,
    edges_from_jsons,
    edges_json,
    entry_and_row,
    ledger_edges,
)
from claimledger.ledger.label import representative, story_of
from claimledger.ledger.status import StatusRules
from claimledger.ledger.write import LedgerUpdate, indexed_statements, postings_and_frequencies
from claimledger.store.base import ClaimIndexState, ClaimIndexWrite, IndexedStatement, LedgerRow, Store
from claimledger.types import Claim, ClaimItem, LedgerEntry

if TYPE_CHECKING:
    from claimledger.claims import GroupingOptions

__all__ = ["add_documents"]

MEMBER_CAP = 8  # latest members of a candidate claim compared with a new statement
REPRESENTATIVE_LIMIT = 8  # claims up to this size choose their wording again when they grow
RESTORE_BUDGET = 160  # most stored statements brought into the scratch index per update
STORY_CANDIDATES = 3  # stored claims a new claim may share its story with: its statements' best candidates
ENTITY_SAMPLE = 64  # a claim's entities come from its last this many members (in the ledger's order)
_MAX_ENTITIES = 8  # as claimledger.claims.build


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
        rarest = sorted(term_features(item.text).keys, key=lambda k: (frequencies.get(k, 0), k))
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


def add_documents(
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
    context = load_context(store, [doc_id for doc_id, _ in marks], classify)
    items = statements_of(context)
    counts = {item.id: term_features(item.text) for item in items}
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
    restored = {s.seq: term_features(s.text) for found in loaded.values() for s in found}
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
        for s, edges in zip(found, edges_from_jsons([s.edges for s in found], claim_id), strict=True)
    }
    # Short names meet the long ones seen in the same claims or documents.
    name_actors(context, [e.origin for found in stored_edges.values() for e in found])

    claims: dict[str, Claim] = {}
    stories: dict[str, str] = {claim_id: story for claim_id, (story, _) in stored_groups.items()}
    refresh: list[tuple[str, str, str]] = []  # (claim id, text, document id) of old headlines to score again
    # Members in the order a full rebuild lists them (its batch order: attributions by document in ingest
    # order, then headlines), which is also the order that breaks ties between equally central wordings.
    ingested = store.ingest_order(
        [split_member(item.id)[0] for item in items] + [s.document_id for f in old.values() for s in f]
    )

    def batch_order(item: ClaimItem) -> tuple[bool, tuple[str, str], int]:
        doc_id, position = split_member(item.id)
        return position == HEADLINE, ingested[doc_id], position

    for claim_id, new in joined.items():
        members = [s.item for s in old[claim_id]]
        members = sorted([*members, *new], key=batch_order)
        if claim_id in stored_groups and len(members) > REPRESENTATIVE_LIMIT:
            text = stored_groups[claim_id][1]
        else:
            text = representative(with_speakers(members, context), index)
        if claim_id not in stories:
            near = [c for c in nearest[new[0].id] if c in stored_groups]
            stories[claim_id] = story_of(new[0], {c: stored_groups[c] for c in near}, index)
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
        add_originals(store, context, extra)
    new_headlines = [
        (claim_id, claims[claim_id].text, item.id.rsplit(":", 1)[0])
        for claim_id, new in joined.items()
        for item in new
        if item.id.endswith(f":{HEADLINE}")
    ]
    article = article_edges(new_headlines + refresh, context)
    edges = dict(stored_edges)
    for claim_id, new in joined.items():
        edges.update(attribution_edges(claim_id, [split_member(item.id) for item in new], context))
    edges.update(((doc_id, HEADLINE), found) for (_, doc_id), found in article.items())

    entries: list[LedgerEntry] = []
    rows: list[LedgerRow] = []
    for claim in claims.values():
        entry, row = entry_and_row(claim, ledger_edges([split_member(m) for m in claim.members], edges), rules)
        entries.append(entry)
        rows.append(row)
    seq_of = {(s.document_id, s.position): s.seq for found in old.values() for s in found}
    numbered = list(enumerate(items, start=state.next_seq))
    claim_of = {item.id: claim_id for claim_id, new in joined.items() for item in new}
    statements = indexed_statements(numbered, claim_of, edges)
    postings, increments = postings_and_frequencies(numbered)
    added = sum(1 for claim_id in joined if claim_id not in stored_groups)
    write = ClaimIndexWrite(
        version=GROUPING_VERSION, replace=False, items=state.items + len(items), claims=state.claims + added,
        next_seq=state.next_seq + len(items), statements=statements, postings=tuple(postings),
        frequencies=tuple(increments.items()),
        groups=tuple((c.id, stories[c.id], c.text) for c in claims.values()), ledger=tuple(rows),
        edges=tuple((seq_of[d, HEADLINE], edges_json(article[c, d])) for c, _, d in refresh),
        marks=tuple(marks),
    )  # fmt: skip
    update = LedgerUpdate(
        rebuilt=False, documents=len(marks), touched=len(claims), added=added, claims=state.claims + added,
        entries=tuple(entries),
    )  # fmt: skip
    return write, update
