"""The ledger stage: bring the ledger up to date with the stored attributions, fully or incrementally.

:func:`update_ledger` is the one entry point (``claimledger analyze`` calls it after the attribution stage):
it reads the claim index state, decides between a full regrouping (:mod:`claimledger.ledger.regroup`) and
adding the documents not grouped yet (:mod:`claimledger.ledger.incremental`), and writes the result in one
optimistic transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from claimledger.errors import StoreError
from claimledger.ledger.context import StanceClassifier
from claimledger.ledger.incremental import add_documents
from claimledger.ledger.regroup import regroup_all
from claimledger.ledger.status import StatusRules
from claimledger.ledger.write import LedgerUpdate
from claimledger.store.base import ClaimIndexState, Store
from claimledger.types import LedgerEntry

__all__ = ["WINDOW_MARGIN", "rebuild_ledger", "update_ledger"]

_ATTEMPTS = 5
WINDOW_MARGIN = timedelta(minutes=2)  # longer than a write waits for the lock (store busy timeout: 30 s)


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
    document: see ``_pending``): each finds its
    candidate claims through the stored postings (rarest words first, bounded as in
    :class:`~claimledger.claims.ClaimIndex`), the candidates' latest members come back into a scratch
    index that weighs terms by the stored frequencies, and only the claims the new statements join or open
    are written again. So the work per added article is bounded, not proportional to the database.

    Incremental updates (:mod:`claimledger.ledger.incremental`, whose bounds are named below) approximate a
    full regrouping in documented ways: a new statement joins a claim or
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
            write, update = regroup_all(store, rules=rules, now=now, classify=classify)
        elif not marks:
            return LedgerUpdate(rebuilt=False, documents=0, touched=0, added=0, claims=state.claims)
        else:
            pending = [(doc_id, mark) for doc_id, mark, _ in marks]
            write, update = add_documents(store, state, pending, rules=rules, classify=classify)
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
