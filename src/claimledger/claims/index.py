"""Incremental grouping of statements into claims over a candidate index.

Each added item is compared only with the items that share one of its rarest content words
(an inverted index read rarest-term-first, with a cap on how much of each posting list is
read), never with every claim: the work per added item is bounded by ``probe_terms`` x
``max_postings`` postings and ``candidates`` exact scores, so it grows while posting lists are
short and then stays flat (benchmarks/claims.py: the same at 100,000 claims as at 10,000).

Similarity is TF-IDF cosine over two blocks, content words and character 4-grams, with
document frequencies kept up to date as items arrive; stance and hedge words are not
features, so a denial meets its assertion. An optional sentence embedder mixes its cosine in
(``embedding_weight``). Half of the similarity (``second_order``) is then the overlap of the
two items' neighbourhoods (each item with its ``neighbourhood`` nearest, as unit vectors of
similarities): two headlines that word a claim differently ("third boob" and "third breast")
meet through the wordings between them. An item joins the claim with the highest linkage
score when that reaches ``threshold``, else it opens a new claim; the score mixes the mean
similarity to the claim's members with the cosine of the centroids (``centroid_weight``),
which keeps a loose but large family of paraphrases together. A batch given to an empty index
is clustered as a whole by :func:`average_linkage` (order only matters for claim ids, taken
from each claim's earliest item, and exact ties): on Emergent headlines this scores B-cubed F1
0.92 (5-fold CV by claim; 0.91 with mean first-order similarity) where one-by-one adding scores 0.83.

Layout: ``GroupingOptions``, ``Frequencies`` and ``Embedder`` live in ``claims/options.py``, batch
clustering (:func:`average_linkage`) in ``claims/linkage.py``; all are importable from here.
Why this module is long: what remains is :class:`ClaimIndex` (about 340 lines), whose adding, batch
grouping, restoring and similarity scoring all work on the same entries, postings and frequencies,
so it stays one class rather than being split into mixins.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from claimledger.claims.features import FEATURES_VERSION, TermCounts, term_counts
from claimledger.claims.linkage import average_linkage, linkage_score
from claimledger.claims.options import Embedder, Frequencies, GroupingOptions
from claimledger.errors import ConfigError, InputError
from claimledger.types import ClaimItem

__all__ = [
    "GROUPING_VERSION",
    "ClaimIndex",
    "Embedder",
    "Frequencies",
    "GroupingOptions",
    "Vector",
    "average_linkage",
    "claim_id",
    "group_claims",
]

GROUPING_VERSION = f"claim-grouping-5+{FEATURES_VERSION}"

Vector = NDArray[np.float32]
_Weights = tuple[dict[str, float], float, dict[str, float], float]  # word weights, their norm, char weights, norm


@dataclass
class _Entry:
    item: ClaimItem
    counts: TermCounts
    claim: int
    day: int | None
    vector: Vector | None = None
    row: dict[int, float] | None = None  # unit-length weights of the item and its nearest neighbours


@dataclass
class _ClaimState:
    id: str
    members: list[int] = field(default_factory=list)
    inner: float | None = None  # summed similarity over ordered member pairs, self pairs included; None: not known


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def claim_id(first_item_id: str) -> str:
    """A claim's id: stable, from the id of the item that opened it."""
    return "c" + hashlib.blake2b(first_item_id.encode("utf-8"), digest_size=6).hexdigest()


class ClaimIndex:
    """Claims seen so far, with the candidate index that lets new items find theirs.

    ``add`` assigns one item and returns its claim id; grouping a list in one call
    (:func:`group_claims`) is exactly a sequence of ``add`` calls, so a batch run and an
    incremental one over the same items in the same order give the same claims.
    """

    def __init__(
        self,
        options: GroupingOptions | None = None,
        *,
        embed: Embedder | None = None,
        frequencies: Frequencies | None = None,
    ) -> None:
        """``embed`` adds sentence-embedding cosine to the lexical similarity (``options.embedding_weight``).

        ``frequencies`` (see :class:`Frequencies`) replace the counts over this index's own items, so that a
        scratch index holding a few claims of a large stored one weighs terms as the whole would.

        Candidates still come from the lexical index, so an embedder re-ranks and re-scores them.
        """
        self.options = options or GroupingOptions()
        self._embed = embed
        self._entries: list[_Entry] = []
        self._by_id: dict[str, int] = {}
        self._claims: list[_ClaimState] = []
        self._postings: dict[str, list[int]] = {}
        self._frequencies = frequencies
        self._cache: dict[int, _Weights] | None = None  # entries' weights, while no frequency changes (a batch)
        self._df_words: dict[str, int] = frequencies.words if frequencies is not None else {}
        self._df_chars: dict[str, int] = frequencies.chars if frequencies is not None else {}

    def __len__(self) -> int:
        """The number of claims."""
        return len(self._claims)

    @property
    def items(self) -> int:
        return len(self._entries)

    def add(self, item: ClaimItem) -> str:
        """Assign ``item`` to the claim it states, opening a new claim when none is close enough."""
        if item.id in self._by_id:
            raise InputError(item.id, "this item id was already grouped; give every statement its own id")
        counts = term_counts(item.text)
        self._count(counts)
        day = _day(item.published)
        vector = self._vectors([item.text])[0]
        new = len(self._entries)
        found = self.neighbours(counts, day=day, vector=vector)
        row = self._row(new, found)
        totals: dict[int, float] = {}
        for pos, sim in self._blend(row, found):
            claim = self._entries[pos].claim
            totals[claim] = totals.get(claim, 0.0) + sim
        best_claim, best_sim = -1, -1.0
        for claim, total in sorted(totals.items()):
            linkage = _linkage(total, 1, 1.0, len(self._claims[claim].members), self._inner(claim), self.options)
            if linkage > best_sim:
                best_claim, best_sim = claim, linkage
        if best_sim < self.options.threshold and (continued := self._continued_claim(item, counts)) is not None:
            best_claim, best_sim = continued, self.options.threshold
        if best_sim < self.options.threshold:
            best_claim = self._open(item.id)
            self._claims[best_claim].inner = 1.0
        else:
            self._claims[best_claim].inner = self._inner(best_claim) + 1.0 + 2.0 * totals.get(best_claim, 0.0)
        self._insert(item, counts, day, best_claim, vector, row)
        return self._claims[best_claim].id

    def _continued_claim(self, item: ClaimItem, counts: TermCounts) -> int | None:
        """The claim of the statement ``item`` continues ("..., the ministry added"), when that statement is
        indexed and the two share a content word: a continuation too different to group on its own words
        is still about what was just being said."""
        if item.follows is None or item.follows not in self._by_id:
            return None
        before = self._entries[self._by_id[item.follows]]
        if before.claim < 0 or not set(counts.keys) & set(before.counts.keys):
            return None
        return before.claim

    def _inner(self, claim: int) -> float:
        """A claim's summed inner similarity; for a restored claim, that of one whose pairs sit at the threshold."""
        state = self._claims[claim]
        if state.inner is not None:
            return state.inner
        size = len(state.members)
        return size + size * (size - 1) * self.options.threshold

    def _open(self, first_item_id: str) -> int:
        self._claims.append(_ClaimState(claim_id(first_item_id)))
        return len(self._claims) - 1

    def _count(self, counts: TermCounts) -> None:
        if self._frequencies is not None:
            return  # counted by their owner
        for key in counts.words:
            self._df_words[key] = self._df_words.get(key, 0) + 1
        for key in counts.chars:
            self._df_chars[key] = self._df_chars.get(key, 0) + 1

    def _vectors(self, texts: Sequence[str]) -> list[Vector | None]:
        if self._embed is None or not texts:
            return [None] * len(texts)
        matrix = np.asarray(self._embed(texts), dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(texts):
            raise ValueError(
                f"the embedder returned shape {matrix.shape} for {len(texts)} texts; expected one row each"
            )
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit: Vector = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        return list(unit)

    def _insert(
        self,
        item: ClaimItem,
        counts: TermCounts,
        day: int | None,
        claim: int,
        vector: Vector | None = None,
        row: dict[int, float] | None = None,
    ) -> None:
        pos = len(self._entries)
        self._entries.append(_Entry(item, counts, claim, day, vector, row))
        self._by_id[item.id] = pos
        if claim >= 0:
            self._claims[claim].members.append(pos)
        for key in counts.keys:
            self._postings.setdefault(key, []).append(pos)

    def restore(self, groups: Iterable[tuple[str, Sequence[ClaimItem]]]) -> None:
        """Load claims grouped earlier (``(claim id, items)`` each) without comparing anything.

        This is how a stored ledger comes back into an index before new items are added.
        """
        for cid, members in groups:
            if not members:
                continue
            claim = len(self._claims)
            self._claims.append(_ClaimState(cid))
            vectors = self._vectors([item.text for item in members])
            for item, vector in zip(members, vectors, strict=True):
                if item.id in self._by_id:
                    raise InputError(item.id, "this item id was already grouped; give every statement its own id")
                counts = term_counts(item.text)
                self._count(counts)
                self._insert(item, counts, _day(item.published), claim, vector)

    def add_batch(self, items: Iterable[ClaimItem]) -> list[str]:
        """Group ``items`` as a whole (average linkage over their candidate graph) into an empty index.

        Returns the claim id of every item, in order. A claim's id comes from its earliest item,
        as with :meth:`add`. Into an index that already holds claims, items are added one by one.
        """
        batch = list(items)
        if self._entries:
            return [self.add(item) for item in batch]
        seen: set[str] = set()
        for item in batch:
            if item.id in seen:
                raise InputError(item.id, "this item id was already grouped; give every statement its own id")
            seen.add(item.id)
        all_counts = [term_counts(item.text) for item in batch]
        for counts in all_counts:
            self._count(counts)
        # Index everything first (claim -1 for now), then read each item's neighbours.
        vectors = self._vectors([item.text for item in batch])
        for item, counts, vector in zip(batch, all_counts, vectors, strict=True):
            self._insert(item, counts, _day(item.published), -1, vector)
        edges: dict[tuple[int, int], float] = {}
        self._cache = {}  # every item is counted: weights hold until the batch is grouped
        try:
            for pos, counts in enumerate(all_counts):
                entry = self._entries[pos]
                found = [(o, s) for o, s in self.neighbours(counts, day=entry.day, vector=entry.vector) if o != pos]
                entry.row = self._row(pos, found)
                for other, sim in found:
                    if sim > 0.0:
                        edges[min(pos, other), max(pos, other)] = sim
        finally:
            self._cache = None
        if self.options.second_order > 0.0:
            edges = self._blend_batch(edges)
        opts = self.options
        labels = average_linkage(len(batch), edges, opts.threshold, centroid_weight=opts.centroid_weight)
        _join_continuations(batch, all_counts, labels, self._by_id)
        claims: dict[int, int] = {}
        for pos, label in enumerate(labels):
            if label not in claims:
                claims[label] = self._open(batch[pos].id)
                self._claims[claims[label]].inner = 0.0
            claim = claims[label]
            self._entries[pos].claim = claim
            self._claims[claim].members.append(pos)
            self._claims[claim].inner = (self._claims[claim].inner or 0.0) + 1.0
        for (i, j), sim in edges.items():
            if labels[i] == labels[j]:
                state = self._claims[claims[labels[i]]]
                state.inner = (state.inner or 0.0) + 2.0 * sim
        return [self._claims[self._entries[pos].claim].id for pos in range(len(batch))]

    def groups(self) -> list[tuple[str, list[ClaimItem]]]:
        """Every claim id with its items, claims in the order they were opened."""
        return [(c.id, [self._entries[p].item for p in c.members]) for c in self._claims]

    def linked(self, item_id: str) -> list[tuple[str, float]]:
        """``(item id, similarity)`` of the indexed items nearest to an item already added, best first."""
        pos = self._by_id[item_id]
        entry = self._entries[pos]
        found = self.neighbours(entry.counts, day=entry.day, vector=entry.vector)
        return [(self._entries[p].item.id, sim) for p, sim in found if p != pos]

    def claim_of(self, item_id: str) -> str:
        """The claim id of an item already added."""
        return self._claims[self._entries[self._by_id[item_id]].claim].id

    # -- similarity ---------------------------------------------------------------------------

    def _row(self, pos: int, found: Sequence[tuple[int, float]]) -> dict[int, float] | None:
        """The unit-length neighbourhood of the item at ``pos``: itself (weight 1) and its nearest items.

        ``found`` is its neighbours, best first. None when second-order similarity is off.
        """
        if self.options.second_order <= 0.0:
            return None
        row = {pos: 1.0}
        for other, sim in found[: self.options.neighbourhood + 1]:
            if other != pos and sim > 0.0 and len(row) <= self.options.neighbourhood:
                row[other] = sim
        norm = math.sqrt(sum(w * w for w in row.values()))
        return {p: w / norm for p, w in row.items()}

    def _blend(self, row: dict[int, float] | None, found: Sequence[tuple[int, float]]) -> list[tuple[int, float]]:
        """``found`` with each similarity mixed with the overlap of the two items' neighbourhoods.

        An item indexed by :meth:`restore` has no neighbourhood yet and counts as its own.
        """
        gamma = self.options.second_order
        if row is None or gamma <= 0.0:
            return list(found)
        out = []
        for pos, sim in found:
            other = self._entries[pos].row or {pos: 1.0}
            if len(other) < len(row):
                overlap = sum(w * row.get(p, 0.0) for p, w in other.items())
            else:
                overlap = sum(w * other.get(p, 0.0) for p, w in row.items())
            out.append((pos, (1.0 - gamma) * sim + gamma * overlap))
        return out

    def _blend_batch(self, edges: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
        """Every pair of batch items whose neighbourhoods overlap or who are neighbours, similarity blended."""
        gamma = self.options.second_order
        holders: dict[int, list[tuple[int, float]]] = {}
        for pos, entry in enumerate(self._entries):
            for member, weight in (entry.row or {pos: 1.0}).items():
                holders.setdefault(member, []).append((pos, weight))
        overlap: dict[tuple[int, int], float] = {}
        for members in holders.values():
            for x, (i, wi) in enumerate(members):
                for j, wj in members[x + 1 :]:
                    key = (i, j) if i < j else (j, i)
                    overlap[key] = overlap.get(key, 0.0) + wi * wj
        blended = {key: (1.0 - gamma) * sim for key, sim in edges.items()}
        for key, value in overlap.items():
            blended[key] = blended.get(key, 0.0) + gamma * value
        return blended

    def _idf(self, df: int) -> float:
        items = self._frequencies.items if self._frequencies is not None else len(self._entries)
        return math.log((1 + items) / (1 + df)) + self.options.idf_floor

    def _weights(self, counts: TermCounts) -> _Weights:
        words = {
            k: (1.0 + math.log(v)) * self._idf(self._df_words.get(k, 0))
            for k, v in counts.words.items()
            if self.options.bigrams or " " not in k
        }
        chars = {k: (1.0 + math.log(v)) * self._idf(self._df_chars.get(k, 0)) for k, v in counts.chars.items()}
        norm_w = math.sqrt(sum(w * w for w in words.values())) or 1.0
        norm_c = math.sqrt(sum(w * w for w in chars.values())) or 1.0
        return words, norm_w, chars, norm_c

    def similarity(self, a: TermCounts, b: TermCounts) -> float:
        """TF-IDF cosine of two texts' features, word and character blocks mixed by ``word_weight``."""
        return self._similarity(self._weights(a), self._weights(b))

    def _similarity(self, query: _Weights, other: _Weights) -> float:
        qw, qnw, qc, qnc = query
        bw, bnw, bc, bnc = other
        dot_w = sum(v * bw[k] for k, v in qw.items() if k in bw)
        dot_c = sum(v * bc[k] for k, v in qc.items() if k in bc)
        ww = self.options.word_weight
        return ww * dot_w / (qnw * bnw) + (1.0 - ww) * dot_c / (qnc * bnc)

    def _candidates(self, counts: TermCounts) -> list[int]:
        opts = self.options
        keys = sorted(counts.keys, key=lambda k: (self._df_words.get(k, 0), k))[: opts.probe_terms]
        score: dict[int, float] = {}
        for key in keys:
            posting = self._postings.get(key)
            if not posting:
                continue
            idf = self._idf(self._df_words.get(key, 0))
            for pos in posting[-opts.max_postings :]:
                score[pos] = score.get(pos, 0.0) + idf
        if len(score) <= opts.candidates:
            return sorted(score)
        return sorted(heapq.nlargest(opts.candidates, score, key=lambda p: (score[p], p)))

    def neighbours(
        self, counts: TermCounts, *, day: int | None = None, vector: Vector | None = None
    ) -> list[tuple[int, float]]:
        """``(entry position, similarity)`` of the indexed items nearest to ``counts``, best first."""
        if counts.empty:
            return []
        query = self._weights(counts)
        limit = self.options.max_days_apart
        ew = self.options.embedding_weight
        out = []
        for pos in self._candidates(counts):
            entry = self._entries[pos]
            if limit is not None and day is not None and entry.day is not None and abs(entry.day - day) > limit:
                continue
            if self._cache is None:
                sim = self._similarity(query, self._weights(entry.counts))
            else:
                if pos not in self._cache:
                    self._cache[pos] = self._weights(entry.counts)
                sim = self._similarity(query, self._cache[pos])
            if vector is not None and entry.vector is not None:
                sim = (1.0 - ew) * sim + ew * float(vector @ entry.vector)
            out.append((pos, sim))
        out.sort(key=lambda ps: (-ps[1], ps[0]))
        return out


def group_claims(
    items: Iterable[ClaimItem], *, index: ClaimIndex | None = None, options: GroupingOptions | None = None
) -> Iterator[tuple[str, str]]:
    """Yield ``(item_id, claim_id)`` for every item, in order.

    Pass an ``index`` to keep grouping against claims from earlier calls (it is updated in
    place); ``options`` configures a fresh index and cannot be combined with one.
    """
    if index is not None and options is not None:
        raise ConfigError("pass options to ClaimIndex(options) when you pass an index, not to group_claims")
    target = index if index is not None else ClaimIndex(options)
    batch = list(items)
    yield from zip((item.id for item in batch), target.add_batch(batch), strict=True)


def _linkage(total: float, size_a: int, inner_a: float, size_b: int, inner_b: float, options: GroupingOptions) -> float:
    return linkage_score(total, size_a, inner_a, size_b, inner_b, options.centroid_weight)


def _join_continuations(
    batch: Sequence[ClaimItem], counts: Sequence[TermCounts], labels: list[int], position: Mapping[str, int]
) -> None:
    """A continuation left alone by the linkage joins the group of the statement it follows (see
    :meth:`ClaimIndex._continued_claim`); in order, so a chain of continuations follows its head."""
    sizes = Counter(labels)
    for pos, item in enumerate(batch):
        before = position.get(item.follows) if item.follows is not None else None
        if before is None or before >= len(batch) or sizes[labels[pos]] > 1:
            continue
        if set(counts[pos].keys) & set(counts[before].keys):
            sizes[labels[pos]] -= 1
            labels[pos] = labels[before]
            sizes[labels[pos]] += 1
