"""Features of a (claim, text) pair for the stance model: plain numpy and scipy, no fitted objects but arrays.

A pair becomes one sparse row: ``DENSE_NAMES`` hand-crafted columns (similarities, overlaps, lexicon
counts near the claim's words), then a latent-topic block (the claim's and the text's SVD coordinates),
then two bag-of-words blocks over a small vocabulary: the claim's words and the words of the text's
sentences that are most similar to the claim (where a denial or a hedge about the claim is written).

Every text-level step (tokens, sentences, TF-IDF rows) is computed once per distinct text, so a batch
of many claims against few articles (or the reverse) costs little more than its distinct texts.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float32]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself
    now of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself yourselves
    s t 's said says say also new one two us"""
)

# Lexicons: words that deny or refute, hedge or report without commitment, and confirm.
REFUTE = _words(
    """fake fakes faked fraud hoax hoaxes false falsely deny denies denied denying denial not no nope despite
    doubt doubts doubted bogus debunk debunks debunked debunking prank pranks retract retracts retracted
    untrue rumor rumors rumour rumours myth myths lie lies lying misleading incorrect wrong baseless
    refute refutes refuted reject rejects rejected dismiss dismisses dismissed never nothing nonsense
    satire satirical hoaxer scam spoof parody unfounded fabricated fabrication insists clarified
    clarifies contrary"""
)
HEDGE = _words(
    """reportedly allegedly alleged claims claim claimed claiming according purportedly purported apparently
    appears appear seems seem may might could possibly possible unconfirmed unverified rumored rumoured
    speculation speculated suggests suggest suggested believed thought reports reported report sources source
    supposedly unclear if whether perhaps maybe likely unlikely"""
)
SUPPORT = _words(
    """confirmed confirms confirm confirming announced announces official officially revealed reveals
    verified proven proof true indeed actually authentic genuine footage shows showed evidence"""
)
NEGATION = _words(
    """not no never nothing none neither nor cannot can't won't don't doesn't didn't isn't wasn't
    aren't weren't hasn't haven't hadn't couldn't shouldn't wouldn't without"""
)
LEXICONS = (("refute", REFUTE), ("hedge", HEDGE), ("support", SUPPORT), ("negation", NEGATION))

TOP_SENTENCES = 3  # sentences most similar to the claim, read for lexicon counts and words
WINDOW = 8  # tokens either side of a claim word in the text


def _lexicon_names() -> tuple[str, ...]:
    names = []
    for lex, _ in LEXICONS:
        names += [f"claim_{lex}", f"text_{lex}_rate", f"top_{lex}", f"lead_{lex}", f"window_{lex}_rate"]
    return tuple(names)


DENSE_NAMES: tuple[str, ...] = (
    "cos_text",
    "cos_lead",
    "cos_sent_max",
    "cos_sent_top_mean",
    "sent_max_position",
    "cos_svd",
    "cos_svd_lead",
    "overlap_text",
    "overlap_lead",
    "overlap_bigram",
    "overlap_char",
    "overlap_number",
    "claim_words",
    "text_words_log",
    "text_sentences_log",
    "claim_question",
    "text_question_rate",
    "top_question",
    "claim_quote",
    *_lexicon_names(),
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, typographic apostrophes folded."""
    return _TOKEN.findall(text.translate(_QUOTES).lower())


def content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


def terms(words: Sequence[str]) -> list[str]:
    """TF-IDF terms: content unigrams and bigrams of consecutive content words."""
    kept = content(words)
    return kept + [f"{a} {b}" for a, b in itertools.pairwise(kept)]


def sentences(text: str) -> list[str]:
    found = [s.strip() for s in _SENTENCE.split(text.translate(_QUOTES))]
    return [s for s in found if s] or [text]


@dataclass(frozen=True)
class FeatureSpace:
    """The fitted arrays that turn pairs into rows: TF-IDF vocabulary, SVD basis, bag-of-words vocabulary."""

    vocab: dict[str, int]
    idf: FloatArray
    svd: FloatArray  # (k, len(vocab)): rows of the latent basis over TF-IDF terms
    bow: dict[str, int]  # the small word vocabulary of the bag-of-words blocks

    @property
    def width(self) -> int:
        return len(DENSE_NAMES) + 2 * int(self.svd.shape[0]) + 2 * len(self.bow)

    def tfidf(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Rows of sublinear, l2-normalised TF-IDF over ``terms`` of each token list."""
        indptr, indices, data = [0], [], []
        for words in docs:
            counts: dict[int, int] = {}
            for term in terms(words):
                j = self.vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = sorted(counts)
            vals = [(1.0 + math.log(counts[j])) * float(self.idf[j]) for j in cols]
            norm = math.sqrt(sum(v * v for v in vals)) or 1.0
            indices += cols
            data += [v / norm for v in vals]
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(docs), len(self.vocab)),
        )

    def latent(self, rows: sp.csr_matrix) -> FloatArray:
        """SVD coordinates of TF-IDF rows, l2-normalised (zero rows stay zero)."""
        z = np.asarray(rows @ self.svd.T, dtype=np.float32)
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        return np.asarray(z / np.maximum(norms, 1e-9), dtype=np.float32)

    def rows(self, pairs: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        """One feature row per ``(claim, text)`` pair."""
        claims = _Cache(self)
        texts = _Cache(self)
        indptr, indices, data = [0], [], []
        for claim, text in pairs:
            cols, vals = _pair_row(self, claims.get(claim, split=False), texts.get(text, split=True))
            indices += cols
            data += vals
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(pairs), self.width),
        )


@dataclass
class _Text:
    words: list[str]
    content: list[str]
    content_set: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    chargrams: frozenset[str]
    numbers: frozenset[str]
    sentence_words: list[list[str]]
    vector: sp.csr_matrix  # 1 x V
    lead: sp.csr_matrix  # 1 x V: the first two sentences
    sentence_vectors: sp.csr_matrix  # S x V
    latent: FloatArray  # (k,)
    lead_latent: FloatArray
    question: bool
    question_rate: float
    quote: bool
    lexicon_counts: dict[str, int] = field(default_factory=dict)


class _Cache:
    def __init__(self, space: FeatureSpace) -> None:
        self.space = space
        self.seen: dict[str, _Text] = {}

    def get(self, text: str, *, split: bool) -> _Text:
        found = self.seen.get(text)
        if found is None:
            found = self.seen[text] = _analyse(self.space, text, split=split)
        return found


def _chargrams(words: Sequence[str], n: int = 5) -> frozenset[str]:
    joined = " ".join(words)
    return frozenset(joined[i : i + n] for i in range(max(len(joined) - n + 1, 0)))


def _analyse(space: FeatureSpace, text: str, *, split: bool) -> _Text:
    words = tokens(text)
    kept = content(words)
    sents = sentences(text) if split else [text]
    sentence_words = [tokens(s) for s in sents]
    sentence_words = [s for s in sentence_words if s] or [words]
    vectors = space.tfidf([words, [w for s in sentence_words[:2] for w in s], *sentence_words])
    latent = space.latent(vectors[:2])
    return _Text(
        words=words,
        content=kept,
        content_set=frozenset(kept),
        bigrams=frozenset(itertools.pairwise(kept)),
        chargrams=_chargrams(kept),
        numbers=frozenset(w for w in words if w.isdigit()),
        sentence_words=sentence_words,
        vector=vectors[0],
        lead=vectors[1],
        sentence_vectors=vectors[2:],
        latent=latent[0],
        lead_latent=latent[1],
        question="?" in text,
        question_rate=sum("?" in s for s in sents) / len(sents),
        quote=any(q in text.translate(_QUOTES) for q in ('"', " '")),
        lexicon_counts={name: sum(w in lex for w in words) for name, lex in LEXICONS},
    )


def _cos(a: sp.csr_matrix, b: sp.csr_matrix) -> FloatArray:
    return np.asarray((a @ b.T).toarray(), dtype=np.float32).ravel()


def _frac(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _pair_row(space: FeatureSpace, claim: _Text, text: _Text) -> tuple[list[int], list[float]]:
    sent_cos = _cos(claim.vector, text.sentence_vectors)
    order = np.argsort(-sent_cos, kind="stable")[:TOP_SENTENCES]
    top_words = [w for i in order for w in text.sentence_words[int(i)]]
    lead_words = [w for s in text.sentence_words[:2] for w in s]
    n_words = max(len(text.words), 1)

    # Windows of WINDOW tokens around every text token that is one of the claim's content words.
    hits = [i for i, w in enumerate(text.words) if w in claim.content_set]
    window: set[int] = set()
    for i in hits:
        window.update(range(max(i - WINDOW, 0), min(i + WINDOW + 1, len(text.words))))
    window_words = [text.words[i] for i in sorted(window)]

    dense = [
        float(_cos(claim.vector, text.vector)[0]),
        float(_cos(claim.vector, text.lead)[0]),
        float(sent_cos.max()) if sent_cos.size else 0.0,
        float(sent_cos[order].mean()) if sent_cos.size else 0.0,
        float(order[0]) / max(len(sent_cos), 1) if sent_cos.size else 0.0,
        float(claim.latent @ text.latent),
        float(claim.latent @ text.lead_latent),
        _frac(len(claim.content_set & text.content_set), len(claim.content_set)),
        _frac(len(claim.content_set & set(lead_words)), len(claim.content_set)),
        _frac(len(claim.bigrams & text.bigrams), len(claim.bigrams)),
        _frac(len(claim.chargrams & text.chargrams), len(claim.chargrams)),
        _frac(len(claim.numbers & text.numbers), len(claim.numbers)) if claim.numbers else -1.0,
        float(len(claim.words)),
        math.log1p(len(text.words)),
        math.log1p(len(text.sentence_words)),
        float(claim.question),
        text.question_rate,
        float(any("?" in " ".join(text.sentence_words[int(i)]) for i in order)),
        float(claim.quote),
    ]
    for name, lex in LEXICONS:
        dense += [
            float(claim.lexicon_counts[name]),
            100.0 * text.lexicon_counts[name] / n_words,
            float(sum(w in lex for w in top_words)),
            float(sum(w in lex for w in lead_words)),
            100.0 * sum(w in lex for w in window_words) / n_words,
        ]

    k = space.svd.shape[0]
    nb = len(space.bow)
    base = len(dense)
    cols = list(range(base))
    vals = dense
    cols += range(base, base + k)
    vals += claim.latent.tolist()
    cols += range(base + k, base + 2 * k)
    vals += text.latent.tolist()
    offset = base + 2 * k
    claim_bow = sorted({space.bow[w] for w in claim.words if w in space.bow})
    top_bow = sorted({space.bow[w] for w in top_words if w in space.bow})
    cols += [offset + j for j in claim_bow] + [offset + nb + j for j in top_bow]
    vals += [1.0] * (len(claim_bow) + len(top_bow))
    kept = [(c, v) for c, v in zip(cols, vals, strict=True) if v != 0.0]
    return [c for c, _ in kept], [v for _, v in kept]
