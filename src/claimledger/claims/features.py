"""Sparse text features for claim grouping: content words, word bigrams and character 4-grams.

A statement and its denial share a proposition, so the words that carry stance, hedging or
attribution ("not", "denies", "hoax", "reportedly", "says") are dropped before anything is
compared: "X was captured" and "X was not captured" get the same features.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u00a0": " "})


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words: no proposition lives in them.
_FUNCTION = _wordlist(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just let me
    more most my myself now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up upon very was we were what when where which while who whom why will with would you
    your yours yourself yourselves may might must shall via per amid among s t ll ve re d m o y
    here's there's it's that's what's who's let's"""
)

# Stance, hedge and attribution words: they say who holds the proposition and how, not what it is.
STANCE_WORDS = _wordlist(
    """not no nor never none nothing neither n't isn't aren't wasn't weren't don't doesn't didn't won't
    wouldn't can't cannot couldn't shouldn't hasn't haven't hadn't ain't
    deny denies denied denying denial denials dismiss dismisses dismissed debunk debunks debunked debunking
    refute refutes refuted reject rejects rejected false falsely fake fakes hoax hoaxes untrue rubbish
    myth bogus baseless unfounded nonsense lie lies lied satire satirical
    confirm confirms confirmed confirming confirmation verify verifies verified true truth
    claim claims claimed claiming allegedly alleged alleges allege reportedly report reports reported
    reporting rumor rumors rumored rumour rumours rumoured rumoured purportedly apparently supposedly
    possibly probably maybe perhaps likely unlikely could say says said saying tell tells told
    according insists insisted insist suggest suggests suggested suggesting believe believes believed
    doubt doubts doubted question questions questioned really actually officially unconfirmed
    news story stories article exclusive update updated breaking viral"""
)

_STOP = _FUNCTION | STANCE_WORDS
FEATURES_VERSION = "claim-features-1"


@dataclass(frozen=True)
class TermCounts:
    """Raw term counts of one text, one mapping per feature block."""

    words: dict[str, float]  # content words and word bigrams
    chars: dict[str, float]  # character 4-grams of the content words
    keys: tuple[str, ...]  # the content words, for candidate generation

    @property
    def empty(self) -> bool:
        return not self.words and not self.chars


def normalise(text: str) -> str:
    """NFKC, typographic quotes folded, case folded."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()


def _stem(word: str) -> str:
    """A light, deterministic suffix stripper: enough to meet "captures"/"captured"/"capturing"."""
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isalpha() or len(word) <= 3:
        return word
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + repl
            break
    # "capture" meets "captured": a final silent e goes too.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def content_words(text: str) -> list[str]:
    """The stemmed content words of ``text``, in order, stance and function words dropped."""
    out = []
    for match in _WORD.finditer(normalise(text)):
        word = match.group()
        if word in _STOP or (word.endswith("n't") and len(word) > 3):
            continue
        stem = _stem(word)
        if stem and stem not in _STOP:
            out.append(stem)
    return out


def term_counts(text: str) -> TermCounts:
    """Count the features of ``text``."""
    words = content_words(text)
    counts: dict[str, float] = {}
    chars: dict[str, float] = {}
    for w in words:
        counts[w] = counts.get(w, 0.0) + 1.0
        padded = f" {w} "
        for i in range(max(1, len(padded) - 3)):
            gram = "#" + padded[i : i + 4]
            chars[gram] = chars.get(gram, 0.0) + 1.0
    for a, b in itertools.pairwise(words):
        key = a + " " + b
        counts[key] = counts.get(key, 0.0) + 1.0
    return TermCounts(words=counts, chars=chars, keys=tuple(dict.fromkeys(words)))
