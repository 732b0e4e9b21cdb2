"""Headline cues: how a headline frames a claim, read from its surface, for the headline head of the stance model.

A headline that restates a claim supports it ("Giant squid washes up on Brighton beach"); one that
attributes or hedges it observes it ("Giant squid washed up in Brighton, council says", "Report: giant
squid ...?"); one that calls it a hoax or negates it denies it. These columns, appended to the shared
``FeatureSpace`` row, say where such cues are: attribution prefixes ("X: ...") and suffixes
("..., X says"), question marks, scare quotes, hedge, report, modal, debunk, denial and negation words
(counts, first position, and whether they stand within three words of one of the claim's words), and
how much of the headline is the claim's content.

``CueWords`` is the second reader of headlines: a logistic regression over the headline's words with the
claim's own words masked, plus the same cues.

The word lists follow Ferreira & Vlachos (2016), who introduced the Emergent data, widened by hand after
reading a sample of Emergent training headlines from all folds (so the cross-validation figure in
docs/models/stance-fnc1.md may flatter them a little); they were not tuned fold by fold.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

from .features import NEGATION, FloatArray, content, tokens


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


REFUTE = _words("fake fraud hoax false deny denies refute not despite nope doubt doubts bogus debunk pranks retract")
HEDGE = _words(
    """alleged allegedly apparently appear appears claim claims could evidently largely likely mainly may maybe
    might mostly perhaps presumably probably purported purportedly reported reportedly rumor rumour rumors rumours
    rumored rumoured says seem somewhat supposedly unconfirmed"""
)
REPORT = _words(
    "says said say claims claim claimed reports report reported according suggests suggest told tells insists "
    "insist warns believes thinks"
)
MODAL = _words("may might could would can should will")
DEBUNK = _words(
    "hoax hoaxes fake fakes faked debunk debunked debunks false myth satire satirical prank spoof parody untrue "
    "bogus scam rumors rumours"
)
DENY = _words("deny denies denied denying dismiss dismisses dismissed rejects rejected refutes refuted")
SPECULATE = _words(
    "rumor rumour rumors rumours rumored rumoured speculation speculated unconfirmed unverified possible possibly "
    "reportedly allegedly purportedly"
)
NEGATED = NEGATION | _words("isn't wasn't aren't didn't doesn't don't no")
CUE_SETS = (
    ("refute", REFUTE),
    ("hedge", HEDGE),
    ("report", REPORT),
    ("modal", MODAL),
    ("debunk", DEBUNK),
    ("deny", DENY),
    ("speculate", SPECULATE),
    ("negation", NEGATED),
)
NEAR = 3  # words either side of a claim word that count as "near" it

_PREFIX = re.compile(r"^[^:]{2,40}:\s")  # "Pentagon: ...", "Report: ..."
_SUFFIX = re.compile(r"(,|—|-|:)\s*[\w .'&]{2,40}\s(says|said|claims|reports|suggests)\s*\W*$", re.I)
_QUOTED = re.compile(r"[\"“‘']\w[^\"”’']{0,30}[\"”’']")
_REPORTING = re.compile(r"\b(report|reports|reportedly|rumou?rs?)\b", re.I)
_NOT = re.compile(r"\b(is|are|was|were)\s+not\b|n't\b", re.I)
_NO_COMMA = re.compile(r"\b(no|not)\s*,", re.I)
_TRUTH = re.compile(r"\b(really|truth|true|actually)\b", re.I)
_ASKS = re.compile(r"\bwhy\b|\bhow\b|\bwhat\b|\bdid\b|\bis\b.*\?$", re.I)

HEADLINE_NAMES: tuple[str, ...] = (
    "ends_question",
    "has_question",
    "question_marks",
    "has_exclamation",
    "attribution_prefix",
    "attribution_suffix",
    "has_quote",
    "scare_quote",
    *(f"count_{name}" for name, _ in CUE_SETS[:7]),
    "count_negation",
    *(f"first_{name}" for name, _ in CUE_SETS if name != "speculate"),
    *(f"near_{name}" for name in ("negation", "debunk", "modal", "hedge")),
    "words",
    "claim_coverage",
    "headline_in_claim",
    "negation_mismatch",
    "all_caps",
    "caps_rate",
    "reporting_word",
    "negated_be",
    "no_comma",
    "truth_word",
    "asks",
)


def headline_cues(claim: str, headline: str) -> list[float]:
    """The ``HEADLINE_NAMES`` columns of one ``(claim, headline)`` pair."""
    words = tokens(headline)
    n = max(len(words), 1)
    claim_content = set(content(tokens(claim)))
    head_content = set(content(words))
    hits = [i for i, w in enumerate(words) if w in claim_content]
    stripped = headline.strip()

    def first(cues: frozenset[str]) -> float:
        return next((i / n for i, w in enumerate(words) if w in cues), -1.0)

    def near(cues: frozenset[str]) -> float:
        return float(any(w in cues for i in hits for w in words[max(i - NEAR, 0) : i + NEAR + 1]))

    shared = len(claim_content & head_content)
    row = [
        float(stripped.endswith("?")),
        float("?" in stripped),
        float(stripped.count("?")),
        float("!" in stripped),
        float(bool(_PREFIX.match(stripped))),
        float(bool(_SUFFIX.search(stripped))),
        float(any(q in stripped for q in "\"'“‘")),
        float(bool(_QUOTED.search(stripped))),
        *(float(sum(w in cues for w in words)) for _, cues in CUE_SETS),
        *(first(cues) for name, cues in CUE_SETS if name != "speculate"),
        near(NEGATED),
        near(DEBUNK),
        near(MODAL),
        near(HEDGE),
        float(len(words)),
        shared / max(len(claim_content), 1),
        shared / max(len(head_content), 1),
        float(bool(set(tokens(claim)) & NEGATED)) - float(bool(set(words) & NEGATED)),
        float(headline.isupper()),
        sum(c.isupper() for c in headline) / max(len(headline), 1),
        float(bool(_REPORTING.search(headline))),
        float(bool(_NOT.search(headline))),
        float(bool(_NO_COMMA.search(headline))),
        float(bool(_TRUTH.search(headline))),
        float(bool(_ASKS.search(headline))),
    ]
    return row


def headline_rows(pairs: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """``headline_cues`` of each pair, one sparse row per pair."""
    rows = np.asarray([headline_cues(claim, text) for claim, text in pairs], dtype=np.float32)
    return sp.csr_matrix(rows.reshape(len(pairs), len(HEADLINE_NAMES)))


CLAIM_WORD = "claimw"  # stands for any of the claim's own words in ``masked_terms``


def masked_terms(claim: str, headline: str) -> list[str]:
    """The headline's words and word bigrams, each of the claim's own words replaced by ``CLAIM_WORD``.

    Masking the claim keeps what the headline adds to it (attributions, hedges, denials) and drops its topic,
    which does not carry to a new claim.
    """
    claim_words = set(tokens(claim))
    words = [CLAIM_WORD if w in claim_words else w for w in tokens(headline)]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class CueWords:
    """A multinomial logistic regression over ``masked_terms`` (binary TF-IDF, l2) and standardised cues.

    Predicts supports / denies / observes (the first three ``ARTICLE_STANCES``); the stance model averages
    it with the headline booster's related labels.
    """

    vocab: dict[str, int]
    idf: FloatArray
    mean: FloatArray  # (len(HEADLINE_NAMES),)
    scale: FloatArray
    coef: FloatArray  # (3, len(vocab) + len(HEADLINE_NAMES))
    intercept: FloatArray  # (3,)

    def rows(self, pairs: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        """The regression's input rows: the masked terms' TF-IDF, then the standardised cues."""
        indptr, indices, data = [0], [], []
        for claim, text in pairs:
            cols = sorted({j for t in masked_terms(claim, text) if (j := self.vocab.get(t)) is not None})
            vals = [float(self.idf[j]) for j in cols]
            norm = math.sqrt(sum(v * v for v in vals)) or 1.0
            indices += cols
            data += [v / norm for v in vals]
            indptr.append(len(indices))
        words = sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(pairs), len(self.vocab)),
        )
        cues = (headline_rows(pairs).toarray() - self.mean) / self.scale
        return sp.hstack([words, sp.csr_matrix(cues.astype(np.float32))], format="csr")

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        z = np.asarray(self.rows(pairs) @ self.coef.T, dtype=np.float64) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)
