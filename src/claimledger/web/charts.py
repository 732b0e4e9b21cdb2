"""The claim page's charts, drawn as plain data for the SVG templates: the statement timeline and the relay graph."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from claimledger.types import EDGE_STANCES, Document, StanceEdge


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
        # the tick of a day sits at that day's start, where its label is true (not at the span's midpoint)
        halfway = first + (last - first) / 2
        middle = datetime(halfway.year, halfway.month, halfway.day, tzinfo=halfway.tzinfo)
        if first < middle < last and middle.date() not in (first.date(), last.date()):
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
