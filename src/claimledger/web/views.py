"""What the pages and the API show, computed from the store: plain data, no HTML.

Every string taken from an article stays a string here; the templates escape it. Nothing in this module
builds markup, so nothing from an article can become markup.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from claimledger.export import entries_from_json, entry_to_dict
from claimledger.store.base import LEDGER_SORTS, LedgerQuery, LedgerRow, Store
from claimledger.types import EDGE_STANCES, STATUSES, Attribution, Document, LedgerEntry, StanceEdge

from .security import BadRequest

PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
CONTEXT_CHARS = 280  # at most this much text either side of a highlighted statement
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s|\n")


# --- the claims listing ------------------------------------------------------------------------------


def ledger_query(
    *,
    status: str | None = None,
    search: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
) -> LedgerQuery:
    """Validated filters; empty strings mean "no filter". BadRequest (400) names the bad parameter."""
    status = (status or "").strip() or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    sort = (sort or "").strip() or "origins"
    if sort not in LEDGER_SORTS:
        raise BadRequest(f"unknown sort {sort!r}; use one of {', '.join(LEDGER_SORTS)}")
    for name, value in (("since", since), ("until", until)):
        if value and not _valid_date(value.strip()):
            raise BadRequest(f"{name} must be a date like 2026-03-10, not {value!r}")
    return LedgerQuery(
        status=status,
        search=(search or "").strip() or None,
        actor=(actor or "").strip() or None,
        outlet=(outlet or "").strip() or None,
        since=(since or "").strip() or None,
        until=(until or "").strip() or None,
        sort=sort,
    )


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def encode_cursor(query: LedgerQuery, row: LedgerRow) -> str:
    """An opaque cursor: the sort and the position of ``row`` in it (its key and claim id)."""
    key = LEDGER_SORTS[query.sort].key(row)
    raw = json.dumps([query.sort, key, row.claim_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(query: LedgerQuery, cursor: str | None) -> tuple[Any, str] | None:
    """The position a cursor points after; BadRequest when it is malformed or from another sort."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort, key, claim_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadRequest("the cursor is not one this server gave out; start again from the first page") from None
    if sort != query.sort or not isinstance(claim_id, str) or not isinstance(key, (int, str)) or isinstance(key, bool):
        raise BadRequest("the cursor belongs to another sort order; start again from the first page")
    return key, claim_id


@dataclass(frozen=True)
class ClaimsPage:
    rows: list[LedgerRow]
    total: int
    next_cursor: str | None


def claims_page(store: Store, query: LedgerQuery, *, limit: int = PAGE_SIZE, cursor: str | None = None) -> ClaimsPage:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise BadRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    after = decode_cursor(query, cursor)
    rows = store.query_ledger(query, limit=limit + 1, after=after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(query, rows[-1]) if more and rows else None
    return ClaimsPage(rows, store.count_ledger(query), next_cursor)


# --- one claim ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One stance edge with the text around its evidence, split so the template can highlight the middle."""

    edge: StanceEdge
    document: Document | None
    before: str
    evidence: str
    after: str

    @property
    def title(self) -> str:
        doc = self.document
        return (doc.title or doc.outlet or doc.source) if doc else self.edge.document_id


@dataclass(frozen=True)
class OriginView:
    origin: str
    origin_type: str
    stance: str
    articles: int
    statements: list[Statement]


@dataclass
class ClaimView:
    entry: LedgerEntry
    row: LedgerRow
    origins: dict[str, list[OriginView]]  # "for", "against", "doubting", "observing"
    statements: list[Statement]
    timeline: Timeline
    graph: RelayGraph
    related: list[LedgerRow]
    documents: dict[str, Document] = field(default_factory=dict)


SIDES = {"supports": "for", "denies": "against", "doubts": "doubting", "observes": "observing"}


def load_entry(row: LedgerRow) -> LedgerEntry:
    entries = entries_from_json(row.record)
    if len(entries) != 1:
        raise ValueError(f"ledger row {row.claim_id} holds {len(entries)} entries, expected one")
    return entries[0]


def claim_view(store: Store, claim_id: str) -> ClaimView:
    row = store.get_ledger(claim_id)
    entry = load_entry(row)
    documents = store.get_documents([edge.document_id for edge in entry.timeline])
    statements = [statement(edge, documents.get(edge.document_id)) for edge in entry.timeline]
    by_edge = {id(edge): s for edge, s in zip(entry.timeline, statements, strict=True)}
    origins: dict[str, list[OriginView]] = {side: [] for side in SIDES.values()}
    for group in entry.origins:
        shown = [by_edge.get(id(e)) or statement(e, documents.get(e.document_id)) for e in group.edges]
        view = OriginView(group.origin, group.origin_type, group.stance, group.articles, shown)
        origins[SIDES.get(group.stance, "observing")].append(view)
    return ClaimView(
        entry=entry,
        row=row,
        origins=origins,
        statements=statements,
        timeline=timeline_chart(entry.timeline),
        graph=relay_graph(entry.timeline, documents),
        related=related_claims(store, entry),
        documents=documents,
    )


def statement(edge: StanceEdge, document: Document | None) -> Statement:
    """The evidence in its sentence: the text around ``edge.evidence`` up to the sentence bounds."""
    span = edge.evidence
    if span is None:
        return Statement(edge, document, "", "", "")
    if document is None or document.text[span.start : span.end] != span.text:
        return Statement(edge, document, "", span.text, "")
    text = document.text
    lo = max(0, span.start - CONTEXT_CHARS)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, lo, span.start)]
    start = starts[-1] if starts else lo
    found = _SENTENCE_END.search(text, span.end, min(len(text), span.end + CONTEXT_CHARS))
    end = found.end() if found else min(len(text), span.end + CONTEXT_CHARS)
    before = ("…" if start == lo and lo > 0 else "") + text[start : span.start].lstrip()
    after = text[span.end : end].rstrip() + ("…" if not found and end < len(text) else "")
    return Statement(edge, document, before, span.text, after)


def related_claims(store: Store, entry: LedgerEntry, *, limit: int = 20) -> list[LedgerRow]:
    """Other claims of the same story."""
    story = entry.claim.story
    if not story:
        return []
    related = []
    for row in store.ledger_mentioning(json.dumps(story), limit=500):
        if row.claim_id == entry.claim.id:
            continue
        if load_entry(row).claim.story == story:
            related.append(row)
        if len(related) >= limit:
            break
    return related


def claim_json(view: ClaimView) -> dict[str, Any]:
    """The API shape of a claim: the stored entry with the metadata of the articles it cites."""
    data = entry_to_dict(view.entry, view.documents)
    data["id"] = view.entry.claim.id
    data["related"] = [row.summary() for row in view.related]
    return data


# --- charts, drawn as data for the SVG templates --------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    stance: str
    label: str
    href: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lanes: list[tuple[str, int]]  # stance, y
    dots: list[Dot]
    ticks: list[tuple[float, str, str]]  # x, label, text-anchor
    undated: int


def _when(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        parsed = datetime.fromisoformat(published)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def statement_href(edge: StanceEdge) -> str:
    anchor = f"#a{edge.attribution}" if edge.attribution is not None else ""
    return f"/articles/{edge.document_id}{anchor}"


def timeline_chart(edges: Sequence[StanceEdge], *, width: int = 640) -> Timeline:
    """Statements on a time axis, one lane per stance; several on one spot are nudged apart."""
    lane_height, left, right, top = 34, 96, 24, 16
    lanes = [(stance, top + 17 + i * lane_height) for i, stance in enumerate(EDGE_STANCES)]
    lane_y = dict(lanes)
    dated = [(when, edge) for edge in edges if (when := _when(edge.published)) is not None]
    height = top + lane_height * len(EDGE_STANCES) + 28
    if not dated:
        return Timeline(width, height, lanes, [], [], len(edges))
    first = min(w for w, _ in dated)
    last = max(w for w, _ in dated)
    span = (last - first).total_seconds()
    plot = width - left - right

    def x_of(when: datetime) -> float:
        return left + (plot / 2 if span == 0 else plot * (when - first).total_seconds() / span)

    seen: dict[tuple[int, str], int] = {}
    dots = []
    for when, edge in dated:
        x = x_of(when)
        slot = (round(x / 6), edge.stance)
        nudge = seen.get(slot, 0)
        seen[slot] = nudge + 1
        via = f" via {', '.join(edge.via)}" if edge.via else ""
        label = f"{edge.published}: {edge.actor} {edge.stance}{via} ({edge.outlet or edge.document_id})"
        y = lane_y.get(edge.stance, lane_y["observes"]) + (nudge % 3 - 1) * 7 * (1 if nudge else 0)
        dots.append(Dot(round(x + (nudge // 3) * 5, 1), y, edge.stance, label, statement_href(edge)))
    ticks = [(round(x_of(first), 1), first.date().isoformat(), "middle" if span == 0 else "start")]
    if span > 0:
        ticks.append((round(x_of(last), 1), last.date().isoformat(), "end"))
        middle = first + (last - first) / 2
        if middle.date() not in (first.date(), last.date()):
            ticks.insert(1, (round(x_of(middle), 1), middle.date().isoformat(), "middle"))
    return Timeline(width, height, lanes, dots, ticks, len(edges) - len(dated))


@dataclass(frozen=True)
class Node:
    name: str
    role: str  # origin | relay | outlet
    x: float
    y: float
    label: str  # the name, shortened to fit its box


@dataclass(frozen=True)
class Link:
    path: str
    stance: str  # an edge stance, or "mixed"
    label: str


@dataclass(frozen=True)
class RelayGraph:
    width: int
    height: int
    nodes: list[Node]
    links: list[Link]
    box_width: int = 170
    box_height: int = 26
    columns: list[tuple[int, str]] = field(default_factory=list)


def relay_graph(
    edges: Iterable[StanceEdge], documents: Mapping[str, Document], *, max_per_column: int = 40
) -> RelayGraph:
    """Origins on the left, relays (nearest the origin first) in the middle, publishing outlets on the right."""
    box_w, box_h, gap_x, gap_y, pad = 170, 26, 60, 12, 12
    chains = []
    depth = 0
    for edge in edges:
        doc = documents.get(edge.document_id)
        outlet = edge.outlet or (doc.outlet if doc else None)
        chains.append((edge, outlet))
        depth = max(depth, len(edge.via))
    columns: list[dict[str, set[str]]] = [{} for _ in range(depth + 2)]
    links: dict[tuple[tuple[int, str], tuple[int, str]], tuple[set[str], int]] = {}
    for edge, outlet in chains:
        chain = [(0, edge.origin)] + [(i + 1, relay) for i, relay in enumerate(edge.via)]
        if outlet:
            chain.append((depth + 1, outlet))
        for column, name in chain:
            columns[column].setdefault(name, set()).add(edge.stance)
        for source, target in itertools.pairwise(chain):
            if source[1] == target[1]:
                continue
            stances, count = links.get((source, target), (set(), 0))
            links[(source, target)] = (stances | {edge.stance}, count + 1)
    used = [i for i, column in enumerate(columns) if column]
    place: dict[tuple[int, str], tuple[float, float]] = {}
    nodes = []
    tallest = 0
    for slot, column in enumerate(used):
        names = sorted(columns[column], key=str.lower)[:max_per_column]
        tallest = max(tallest, len(names))
        for row, name in enumerate(names):
            x, y = pad + slot * (box_w + gap_x), pad + 18 + row * (box_h + gap_y)
            place[(column, name)] = (x, y)
            role = "origin" if column == 0 else "outlet" if column == depth + 1 else "relay"
            nodes.append(Node(name, role, x, y, name if len(name) <= 24 else name[:23] + "…"))
    drawn = []
    for (source, target), (stances, count) in sorted(links.items()):
        if source not in place or target not in place:
            continue
        (x1, y1), (x2, y2) = place[source], place[target]
        x1, y1, y2 = x1 + box_w, y1 + box_h / 2, y2 + box_h / 2
        bend = (x2 - x1) / 2
        path = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        stance = next(iter(stances)) if len(stances) == 1 else "mixed"
        label = (
            f"{source[1]} → {target[1]}: {count} statement{'s' if count != 1 else ''} ({', '.join(sorted(stances))})"
        )
        drawn.append(Link(path, stance, label))
    titles = ["origins", *(["relays"] * max(0, len(used) - 2)), "outlets"] if len(used) > 1 else ["origins"]
    column_titles = [(pad + slot * (box_w + gap_x), titles[min(slot, len(titles) - 1)]) for slot in range(len(used))]
    width = pad * 2 + len(used) * box_w + max(0, len(used) - 1) * gap_x
    height = pad * 2 + 18 + max(1, tallest) * (box_h + gap_y)
    return RelayGraph(width, height, nodes, drawn, box_w, box_h, column_titles)


# --- one article ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of the article text, inside (the innermost of) an attribution's spans or outside all."""

    text: str
    attribution: int | None = None
    part: str = ""  # content | cue | source | via
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
        return f"{a.speaker or 'unattributed'} ({a.stance}); cue “{a.cue.text}”{via}"


def article_runs(text: str, attributions: Sequence[Attribution]) -> list[Run]:
    """Cut ``text`` at every span boundary; each piece belongs to the shortest span covering it."""
    spans: list[tuple[int, int, int, str]] = []  # start, end, attribution, part
    for i, a in enumerate(attributions):
        parts = [(c, "content") for c in a.content] + [(a.cue, "cue")]
        parts += [(a.source, "source")] if a.source else []
        parts += [(v, "via") for v in a.via]
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
        sources=store.sources(doc.id),
        headline_claim=claims.get(-1),
    )


def article_json(view: ArticleView) -> dict[str, Any]:
    doc = view.document
    return {
        "id": doc.id,
        **{k: v for k, v in doc.summary().items() if k not in ("document", "id")},
        "source": doc.source,
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


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None: article metadata never becomes a javascript: link."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


# --- one actor ----------------------------------------------------------------------------------------


@dataclass
class ActorView:
    name: str
    roles: list[str]
    types: list[str]
    aliases: list[str]
    statements: dict[str, list[tuple[str, int, Attribution, Document | None]]]  # by stance
    claims: dict[str, list[tuple[LedgerRow, str]]]  # originates / voices / relays / publishes: (row, stance)


def actor_view(store: Store, name: str) -> ActorView:
    """Everything the ledger knows about one speaker, origin, relay or outlet; NotFound when nothing."""
    from claimledger.errors import NotFoundError

    said = store.attributions_by_speaker(name)
    documents = store.get_documents([doc_id for doc_id, _, _ in said])
    statements: dict[str, list[tuple[str, int, Attribution, Document | None]]] = {}
    aliases: dict[str, None] = {}
    roles: dict[str, None] = {}
    types: dict[str, None] = {}
    for doc_id, position, a in said:
        statements.setdefault(a.stance, []).append((doc_id, position, a, documents.get(doc_id)))
        if a.source and a.source.text.strip().lower() != name.lower():
            aliases[a.source.text.strip()] = None
        if a.role:
            roles[a.role] = None
        types[a.speaker_type] = None
    claims: dict[str, list[tuple[LedgerRow, str]]] = {"originates": [], "voices": [], "relays": [], "publishes": []}
    folded = name.lower()
    for row in store.ledger_mentioning(name):
        entry = load_entry(row)
        kinds: dict[str, str] = {}
        for edge in entry.timeline:
            if edge.origin.lower() == folded:
                kinds.setdefault("originates", edge.stance)
                types[edge.origin_type] = None
            elif edge.actor.lower() == folded:
                kinds.setdefault("voices", edge.stance)
            if any(relay.lower() == folded for relay in edge.via):
                kinds.setdefault("relays", edge.stance)
            if (edge.outlet or "").lower() == folded:
                kinds.setdefault("publishes", edge.stance)
        for kind, stance in kinds.items():
            claims[kind].append((row, stance))
    if not said and not any(claims.values()):
        raise NotFoundError(f"no actor named {name!r} in the ledger. Browse claims to find actors")
    order = {"assert": 0, "confirm": 1, "deny": 2, "doubt": 3, "question": 4}
    return ActorView(
        name=name,
        roles=list(roles),
        types=[t for t in types if t != "unknown"],
        aliases=sorted(aliases, key=str.lower),
        statements=dict(sorted(statements.items(), key=lambda kv: order.get(kv[0], 9))),
        claims=claims,
    )


def actor_json(view: ActorView) -> dict[str, Any]:
    return {
        "name": view.name,
        "roles": view.roles,
        "types": view.types,
        "aliases": view.aliases,
        "statements": {
            stance: [{"document_id": doc_id, "position": position, **a.to_json()} for doc_id, position, a, _ in found]
            for stance, found in view.statements.items()
        },
        "claims": {
            kind: [row.summary() | {"stance": stance} for row, stance in rows] for kind, rows in view.claims.items()
        },
    }
