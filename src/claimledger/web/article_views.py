"""One article as its page and the API show it: text cut into runs at attribution spans, claims, near-duplicates.

Plain data, no HTML: every string taken from an article stays a string here and the templates escape it;
:func:`safe_url` keeps article metadata from becoming a ``javascript:`` link.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from claimledger.store.base import Store
from claimledger.types import Attribution, Document


@dataclass(frozen=True)
class Run:
    """A stretch of the article text, inside (the innermost of) an attribution's spans or outside all."""

    text: str
    attribution: int | None = None
    part: str = ""  # content | cue | source | via | channel
    anchor: bool = False  # the attribution's first run: carries its id="a{n}"


@dataclass(frozen=True)
class AttributionView:
    position: int
    attribution: Attribution
    claim_id: str | None

    @property
    def title(self) -> str:
        a = self.attribution
        via = f"; via {', '.join(v.text for v in a.via)}" if a.via else ""
        channel = f"; in {', '.join(c.text for c in a.channels)}" if a.channels else ""
        return f"{a.speaker or 'unattributed'} ({a.stance}); cue “{a.cue.text}”{via}{channel}"


def article_runs(text: str, attributions: Sequence[Attribution]) -> list[Run]:
    """Cut ``text`` at every span boundary; each piece belongs to the shortest span covering it."""
    spans: list[tuple[int, int, int, str]] = []  # start, end, attribution, part
    for i, a in enumerate(attributions):
        parts = [(c, "content") for c in a.content] + [(a.cue, "cue")]
        parts += [(a.source, "source")] if a.source else []
        parts += [(v, "via") for v in a.via]
        parts += [(c, "channel") for c in a.channels]
        for span, part in parts:
            if 0 <= span.start < span.end <= len(text):
                spans.append((span.start, span.end, i, part))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    runs: list[Run] = []
    anchored: set[int] = set()
    for lo, hi in itertools.pairwise(cuts):
        covering = [s for s in spans if s[0] <= lo and hi <= s[1]]
        if not covering:
            runs.append(Run(text[lo:hi]))
            continue
        _start, _end, index, part = min(covering, key=lambda s: (s[1] - s[0], s[3] != "cue"))
        runs.append(Run(text[lo:hi], index, part, index not in anchored))
        anchored.add(index)
    return runs


@dataclass
class ArticleView:
    document: Document
    runs: list[Run]
    attributions: list[AttributionView]
    near_duplicates: list[tuple[str, float, Document | None]]
    sources: list[str]
    headline_claim: str | None


def article_view(store: Store, document_id: str) -> ArticleView:
    doc = store.get_document(document_id)
    found = store.get_attributions(doc.id)
    claims = dict(store.claims_of_document(doc.id))
    near = store.near_duplicates(doc.id)
    others = store.get_documents([other for other, _ in near])
    return ArticleView(
        document=doc,
        runs=article_runs(doc.text, found),
        attributions=[AttributionView(i, a, claims.get(i)) for i, a in enumerate(found)],
        near_duplicates=[(other, score, others.get(other)) for other, score in near],
        sources=[public_source(s) for s in store.sources(doc.id)],
        headline_claim=claims.get(-1),
    )


def article_json(view: ArticleView) -> dict[str, Any]:
    doc = view.document
    return {
        "id": doc.id,
        **{k: v for k, v in doc.summary().items() if k not in ("document", "id")},
        "source": public_source(doc.source),
        "format": doc.format,
        "extractor": doc.extractor,
        "warnings": list(doc.warnings),
        "sources": view.sources,
        "boilerplate": [b.to_json() for b in doc.boilerplate],
        "attributions": [
            {"position": a.position, "claim_id": a.claim_id, **a.attribution.to_json()} for a in view.attributions
        ],
        "headline_claim_id": view.headline_claim,
        "near_duplicates": [{"id": other, "similarity": score} for other, score, _ in view.near_duplicates],
    }


def public_source(source: str | None) -> str:
    """Where an article came from, as a web user may see it: a URL whole, a file by its name only ("a.txt",
    "articles.jsonl#3"): the server's folders are nobody's business (issue 16)."""
    if not source:
        return ""
    if re.match(r"^https?://", source, flags=re.IGNORECASE) or source in {"-", "stdin", "<stdin>"}:
        return source
    return PurePath(source.replace("\\", "/")).name or source


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None: article metadata never becomes a javascript: link."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None
