"""A ledger-level score: per key event of a story, is it one claim, with the right status and the right
independent origins on each side?

The gold is hand-made JSON (``tests/fixtures/ledger_gold/gold.json``, ``tests/fixtures/examples-gold.json``)::

    {"events": [{"id": "e1", "claim": "...", "evidence": ["verbatim content substring", ...],
                 "status": "disputed", "for": [["Name", "alias", ...], ...], "against": [[...], ...]}]}

An event's claim is the ledger claim that holds most of its ``evidence`` (a substring is held by a claim when
one of its stance edges quotes it, or its label contains it). The event is **found** when one claim holds
every piece of evidence the ledger has at all; its **status** is right when that claim's status is the gold
one; a **side** is right when the claim's origins on it (supports; denies and doubts) are exactly the gold
origins, each matched by any of its names (case, spacing, quotes and a leading "the" ignored). Shared
anonymous statements (``(unsourced)``) are not counted on either side. Each miss says what differed, so a
reader of the score sees what the ledger got wrong, not only how often.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimledger.errors import FormatError
from claimledger.ledger.origins import UNSOURCED
from claimledger.types import LedgerEntry

__all__ = ["EventScore", "LedgerScore", "read_gold", "score_ledger"]

_AGAINST = frozenset({"denies", "doubts"})
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class EventScore:
    """How the ledger did on one gold event; the lists say what differed."""

    id: str
    claim: str  # the gold proposition
    found: bool
    status_right: bool
    for_right: bool
    against_right: bool
    claim_id: str | None = None
    label: str | None = None  # the ledger's text for the claim it chose
    status: str | None = None
    held: int = 0  # evidence pieces in that claim
    located: int = 0  # evidence pieces anywhere in the ledger
    evidence: int = 0
    missing_for: tuple[str, ...] = ()
    extra_for: tuple[str, ...] = ()
    missing_against: tuple[str, ...] = ()
    extra_against: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        return self.found and self.status_right and self.for_right and self.against_right


@dataclass(frozen=True)
class LedgerScore:
    events: tuple[EventScore, ...] = field(default_factory=tuple)

    def count(self, what: str) -> int:
        return sum(1 for e in self.events if getattr(e, what))

    def summary(self) -> dict[str, Any]:
        n = len(self.events)
        return {
            "events": n,
            **{what: self.count(what) for what in ("found", "status_right", "for_right", "against_right", "right")},
            "score": round(sum(_points(e) for e in self.events) / n, 4) if n else 0.0,
        }


def _points(event: EventScore) -> float:
    """A quarter each for found, status, for, against: partial credit that still needs the claim found."""
    if not event.found:
        return 0.0
    return 0.25 * (1 + event.status_right + event.for_right + event.against_right)


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """The events of a gold file, checked for the fields the scorer reads."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FormatError(str(path), f"cannot read the ledger gold: {exc}") from None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not events:
        raise FormatError(str(path), "expected an object with a non-empty 'events' list")
    for event in events:
        missing = [k for k in ("id", "claim", "evidence", "status", "for", "against") if k not in event]
        if missing:
            raise FormatError(str(path), f"event {event.get('id', '?')} lacks {', '.join(missing)}")
    return events


def score_ledger(entries: Iterable[LedgerEntry], gold: Sequence[Mapping[str, Any]]) -> LedgerScore:
    """Score ``entries`` (a whole ledger) against the gold events (:func:`read_gold`)."""
    ledger = list(entries)
    quoted = {entry.claim.id: _quoted(entry) for entry in ledger}
    return LedgerScore(tuple(_score_event(event, ledger, quoted) for event in gold))


def _score_event(event: Mapping[str, Any], ledger: Sequence[LedgerEntry], quoted: Mapping[str, str]) -> EventScore:
    pieces = [_norm(text) for text in event["evidence"]]
    holders = [{cid for cid, text in quoted.items() if piece in text} for piece in pieces]
    located = sum(1 for found in holders if found)
    counts: dict[str, int] = {}
    for found in holders:
        for cid in found:
            counts[cid] = counts.get(cid, 0) + 1
    if not counts:
        return EventScore(
            event["id"], event["claim"], False, False, False, False, evidence=len(pieces),
            missing_for=tuple(n[0] for n in event["for"]), missing_against=tuple(n[0] for n in event["against"]),
        )  # fmt: skip
    best = max(counts, key=lambda cid: (counts[cid], cid))
    entry = next(e for e in ledger if e.claim.id == best)
    sides = _sides(entry)
    missing_for, extra_for = _compare(event["for"], sides["for"])
    missing_against, extra_against = _compare(event["against"], sides["against"])
    return EventScore(
        id=event["id"], claim=event["claim"], found=counts[best] == located,
        status_right=entry.status == event["status"], for_right=not (missing_for or extra_for),
        against_right=not (missing_against or extra_against), claim_id=best, label=entry.claim.text,
        status=entry.status, held=counts[best], located=located, evidence=len(pieces),
        missing_for=missing_for, extra_for=extra_for, missing_against=missing_against, extra_against=extra_against,
    )  # fmt: skip


def _quoted(entry: LedgerEntry) -> str:
    texts = [entry.claim.text, *(edge.evidence.text for edge in entry.timeline if edge.evidence is not None)]
    return "\n".join(_norm(t) for t in texts)


def _sides(entry: LedgerEntry) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"for": [], "against": []}
    for group in entry.origins:
        if group.origin == UNSOURCED:
            continue
        if group.stance == "supports":
            out["for"].append(group.origin)
        elif group.stance in _AGAINST:
            out["against"].append(group.origin)
    return out


def _compare(gold: Sequence[Sequence[str]], found: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(gold origins not found, found origins that are no gold origin), each by its first name."""
    keys = [{_name_key(n) for n in names} for names in gold]
    found_keys = {_name_key(n): n for n in found}
    missing = tuple(names[0] for names, k in zip(gold, keys, strict=True) if not k & found_keys.keys())
    extra = tuple(n for key, n in found_keys.items() if not any(key in k for k in keys))
    return missing, extra


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().lower()


def _name_key(name: str) -> str:
    key = _norm(name).strip("\"' .,")
    return key[4:] if key.startswith("the ") else key
