"""The ledger: a claim's stance edges grouped by independent origin, a status with its reasons, a timeline.

``build_ledger(claim, edges)`` is the one call. The status comes from transparent rules over origins
(:class:`StatusRules`, checked in this order, the first that holds wins):

1. ``unsourced``: no credible origin takes a side; only unattributed passives or anonymous origins do
   (or nothing does at all).
2. ``confirmed``: a primary origin confirms it (its latest supporting statement came from a "confirm" cue,
   and its type is in ``primary_types`` or its name in ``primary_origins``), and no other primary origin
   denies or doubts it.
3. ``disputed``: credible origins stand on both sides (supports vs denies, or doubts when ``doubts_dispute``).
4. ``denied``: credible origins deny it and none supports it.
5. ``corroborated``: at least ``min_corroborating`` independent credible origins support it, none denies.
6. ``unverified``: otherwise (one supporting origin; or only doubts or neutral reports).

*Credible* origins are the named ones: an origin of a type in ``uncredited_types`` (by default
``anonymous``, which includes the shared ``(unsourced)`` origin of passives) is listed in the reasons but
never decides a status on its own side against a named origin. The voices of one government (ministries,
ministers, spokespeople, officials) are one origin (``one_government``, :func:`government_blocs`), whose stance
is that of its latest voice.

``veracity`` is a separate, calibrated-ish estimate shown beside the status, never instead of it; when it leans
against the status, a reason says so and why.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from claimledger.ledger.origins import UNSOURCED
from claimledger.ledger.voices import GOVERNMENT, government_key, government_role
from claimledger.types import EDGE_STANCES, Claim, LedgerEntry, OriginGroup, StanceEdge

__all__ = [
    "LEDGER_VERSION",
    "VERACITY_LABELS",
    "StatusRules",
    "build_ledger",
    "government_blocs",
    "origin_groups",
    "timeline",
    "veracity",
]

LEDGER_VERSION = "ledger-2+veracity-emergent-1"  # bump when the rules, reasons or veracity weights change
_STRENGTH = {"denies": 3, "doubts": 2, "supports": 1, "observes": 0}
_VERB = {"supports": "asserted", "denies": "denied", "doubts": "doubted", "observes": "reported neutrally"}


@dataclass(frozen=True)
class StatusRules:
    """The knobs of the status rules (module docstring); the defaults are the documented behaviour."""

    min_corroborating: int = 2  # independent supporting origins needed for "corroborated"
    primary_types: frozenset[str] = frozenset({"government", "organisation"})  # types with standing to confirm
    primary_origins: frozenset[str] = frozenset()  # names with standing to confirm, whatever their type
    confirm_needs_cue: bool = True  # "confirmed" needs a "confirm" cue, not a plain assertion
    doubts_dispute: bool = True  # a doubting origin against a supporting one makes "disputed"
    uncredited_types: frozenset[str] = frozenset({"anonymous"})  # listed, but never decide a side
    one_government: bool = True  # a government's ministries, ministers and officials are one origin

    def __post_init__(self) -> None:
        if self.min_corroborating < 1:
            raise ValueError(f"min_corroborating must be at least 1, not {self.min_corroborating}")


DEFAULT_RULES = StatusRules()


def build_ledger(claim: Claim, edges: Sequence[StanceEdge], *, rules: StatusRules | None = None) -> LedgerEntry:
    """The ledger entry of ``claim`` from its stance edges (edges of other claims are an error)."""
    rules = rules or DEFAULT_RULES
    for edge in edges:
        if edge.claim_id != claim.id:
            raise ValueError(f"edge of claim {edge.claim_id!r} passed to the ledger of claim {claim.id!r}")
        if edge.stance not in EDGE_STANCES:
            raise ValueError(f"edge stance {edge.stance!r}; expected one of {list(EDGE_STANCES)}")
    ordered = timeline(edges)
    groups = origin_groups(ordered, one_government=rules.one_government)
    status, rule = _status(groups, rules)
    estimate = veracity(groups, rules=rules)
    note = _veracity_note(status, estimate)
    reasons = (*_stance_clauses(groups), *([note] if note else []), rule)
    dated = [e.published for e in ordered if e.published]
    return LedgerEntry(
        claim=claim,
        status=status,
        reasons=reasons,
        origins=groups,
        timeline=ordered,
        first_seen=min(dated, key=_instant) if dated else claim.first_seen,
        last_seen=max(dated, key=_instant) if dated else claim.last_seen,
        veracity=estimate,
    )


def _veracity_note(status: str, estimate: Sequence[tuple[str, float]]) -> str | None:
    """A reason when the veracity estimate leans against the status ("confirmed" yet more likely false), so the
    two are never shown side by side without saying why they differ (issue 13)."""
    p = dict(estimate)
    leans_false = p["false"] >= p["true"]
    if status in {"confirmed", "corroborated"} and leans_false:
        side = "false"
    elif status == "denied" and not leans_false:
        side = "true"
    else:
        return None
    return (
        f"The veracity estimate leans {side} ({p['true']:.0%} true, {p['false']:.0%} false) although the status "
        f"is {status}: it counts only how many independent origins stand on each side, as outlets' stances have "
        "historically implied, while the status rule weighs who they are and what they said last."
    )


def timeline(edges: Iterable[StanceEdge]) -> tuple[StanceEdge, ...]:
    """Every edge by published time (undated last), then document order (documents by first appearance),
    then position in the document (the article's own stance first)."""
    items = list(edges)
    rank: dict[str, int] = {}
    for edge in items:
        rank.setdefault(edge.document_id, len(rank))

    def key(edge: StanceEdge) -> tuple[bool, float, int, int, int]:
        when = _instant(edge.published) if edge.published else math.inf
        position = -1 if edge.attribution is None else edge.attribution
        start = edge.evidence.start if edge.evidence else -1
        return (edge.published is None, when, rank[edge.document_id], position, start)

    return tuple(sorted(items, key=key))


def origin_groups(edges: Iterable[StanceEdge], *, one_government: bool = True) -> tuple[OriginGroup, ...]:
    """Edges grouped by origin, in order of first appearance in ``edges`` (pass them in timeline order).

    An origin's stance is that of its latest statement; statements at the same latest time (one article,
    one day) resolve to the strongest: denies > doubts > supports > observes. A neutral report never
    withdraws an earlier stance: ``observes`` wins only when it is all the origin did.

    With ``one_government``, the voices of one government (ministries, ministers, spokespeople, officials:
    :func:`government_blocs`) are one origin, so a minister who reverses her ministry's denial changes the
    government's stance instead of adding a second, independent one.
    """
    items = list(edges)
    blocs = government_blocs(items) if one_government else {}
    grouped: dict[str, list[StanceEdge]] = {}
    for edge in items:
        grouped.setdefault(blocs.get(edge.origin, edge.origin), []).append(edge)
    groups = []
    for origin, members in grouped.items():
        taking = [e for e in members if e.stance != "observes"] or members
        latest = max(_instant(e.published) if e.published else -math.inf for e in taking)
        last = [e for e in taking if (_instant(e.published) if e.published else -math.inf) == latest]
        stance = max((e.stance for e in last), key=_STRENGTH.__getitem__)
        kind = "government" if origin in blocs.values() else _origin_type(members)
        groups.append(OriginGroup(origin, kind, stance, tuple(members)))
    return tuple(groups)


def government_blocs(edges: Sequence[StanceEdge]) -> dict[str, str]:
    """Origin → the one name of its government, for the government voices among ``edges`` (one claim's).

    Voices are origins typed ``government`` and anonymous ones that say whose they are ("a ministry
    official"). Each belongs to the country it names (:func:`claimledger.ledger.voices.government_key`); one
    that names none ("Interior Ministry", a minister) belongs to the only country named, or, with none or
    several named, to an unnamed government of its own. A bloc is named by a voice that says "government",
    else by a body ("Kremlin") before a person, then by the most frequent.
    """
    voices: dict[str, int] = {}
    for edge in edges:
        if edge.origin == UNSOURCED:
            continue
        if edge.origin_type == "government" or (edge.origin_type == "anonymous" and government_role(edge.origin)):
            voices[edge.origin] = voices.get(edge.origin, 0) + 1
    keys = {origin: government_key(origin) for origin in voices}
    named = {k for k in keys.values() if k is not None}
    default = next(iter(named)) if len(named) == 1 else None
    members: dict[str | None, list[str]] = {}
    for origin in voices:
        members.setdefault(keys[origin] or default, []).append(origin)
    out = {}
    for found in members.values():
        if len(found) < 2:
            continue
        # "Calvoria's government", else a body ("Kremlin") before a person speaking for it ("Dmitry Peskov")
        ranked = sorted(found, key=lambda o: (GOVERNMENT not in o.casefold(), not government_role(o), -voices[o], o))
        for origin in found:
            out[origin] = ranked[0]
    return out


def _origin_type(edges: Sequence[StanceEdge]) -> str:
    known = [e.origin_type for e in edges if e.origin_type != "unknown"]
    # sorted: a tie must not be broken by set order, which differs between processes
    return max(sorted(set(known)), key=known.count) if known else "unknown"


def _credible(group: OriginGroup, rules: StatusRules) -> bool:
    return group.origin != UNSOURCED and group.origin_type not in rules.uncredited_types


def _primary(group: OriginGroup, rules: StatusRules) -> bool:
    return group.origin_type in rules.primary_types or group.origin in rules.primary_origins


def _confirms(group: OriginGroup, rules: StatusRules) -> bool:
    if group.stance != "supports" or not _primary(group, rules):
        return False
    if not rules.confirm_needs_cue:
        return True
    return any(e.source_stance == "confirm" for e in group.edges)


def _status(groups: Sequence[OriginGroup], rules: StatusRules) -> tuple[str, str]:
    credible = [g for g in groups if _credible(g, rules)]
    side = {s: [g for g in credible if g.stance == s] for s in EDGE_STANCES}
    support, deny, doubt = side["supports"], side["denies"], side["doubts"]
    against = deny + doubt if rules.doubts_dispute else deny
    if not support and not deny and not doubt:
        if any(g.stance != "observes" for g in groups):
            return "unsourced", (
                "Rule unsourced: no named origin takes a side; only unattributed or anonymous statements do."
            )
        if not credible:
            return "unsourced", "Rule unsourced: no statement about it names an origin."
    confirmers = [g for g in support if _confirms(g, rules)]
    opposing_primaries = [g for g in against if _primary(g, rules)]
    if confirmers and not opposing_primaries:
        return "confirmed", (
            f"Rule confirmed: {_names(confirmers)}, with standing as a primary origin "
            f"({', '.join(sorted({g.origin_type for g in confirmers}))}), confirmed it and no other primary "
            "origin denies or doubts it."
        )
    if support and against:
        return "disputed", (
            f"Rule disputed: independent origins stand on both sides ({_count(len(support))} for, "
            f"{_count(len(against))} against)."
        )
    if deny and not support:
        return "denied", f"Rule denied: {_count(len(deny))} denied it and no named origin supports it."
    if len(support) >= rules.min_corroborating:
        return "corroborated", (
            f"Rule corroborated: {_count(len(support))} support it independently (at least "
            f"{rules.min_corroborating} needed) and no named origin denies it."
        )
    if support:
        extra = " or doubts" if rules.doubts_dispute else ""
        return "unverified", (
            f"Rule unverified: only {_count(len(support))} supports it (at least {rules.min_corroborating} "
            f"needed to corroborate) and no named origin denies{extra} it."
        )
    return "unverified", "Rule unverified: no named origin supports or denies it (only doubts or neutral reports)."


def _count(n: int) -> str:
    return f"{n} origin" if n == 1 else f"{n} origins"


def _names(groups: Sequence[OriginGroup]) -> str:
    return _join([g.origin for g in groups])


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _with_change(group: OriginGroup) -> str:
    """The origin's name, with the voices it spoke through when several ("Calvoria's government, 3 voices:
    ...") and the other stances it took ("Port Authority (also denied)")."""
    others = [s for s in _STRENGTH if s not in (group.stance, "observes") and any(e.stance == s for e in group.edges)]
    notes = []
    voices = list(dict.fromkeys(e.origin for e in group.edges))
    if len(voices) > 1:
        notes.append(f"{len(voices)} voices of one government: {', '.join(voices)}")
    if others:
        notes.append(f"also {' and '.join(_VERB[s] for s in others)}")
    return f"{group.origin} ({'; '.join(notes)})" if notes else group.origin


def _articles(groups: Sequence[OriginGroup]) -> int:
    return len({e.document_id for g in groups for e in g.edges})


def _stance_clauses(groups: Sequence[OriginGroup]) -> list[str]:
    """One clause per side, naming the origins: 'Asserted by X (1 origin, 1 article); denied by ...'."""
    parts = []
    for stance in ("supports", "denies", "doubts", "observes"):
        named = [g for g in groups if g.stance == stance and g.origin != UNSOURCED]
        unsourced = [g for g in groups if g.stance == stance and g.origin == UNSOURCED]
        if named:
            shown = [_with_change(g) for g in named]
            anonymous = [g.origin for g in named if g.origin_type == "anonymous"]
            note = f"; anonymous: {_join(anonymous)}" if anonymous else ""
            articles = _articles(named)
            parts.append(
                f"{_VERB[stance]} by {_join(shown)} ({_count(len(named))}, "
                f"{articles} article{'s' if articles != 1 else ''}{note})"
            )
        if unsourced:
            n = _articles(unsourced)
            parts.append(f"{_VERB[stance]} without a named source in {n} article{'s' if n != 1 else ''}")
    if not parts:
        return ["No statement takes a stance toward it."]
    sentence = "; ".join(parts)
    return [sentence[0].upper() + sentence[1:]]


# --- veracity ------------------------------------------------------------------------------------------

VERACITY_LABELS = ("true", "false", "unresolved")

# Multinomial logistic regression over x = (1, log1p(supporting), log1p(denying), log1p(observing)) counts of
# independent credible origins (denying = denies + doubts; unsourced and anonymous origins are left out).
# Fitted (L2 = 1, full batch gradient descent) on Emergent's training claims (Ferreira & Vlachos 2016,
# ../shared/datasets/emergent/emergent-train.csv): 240 claims, each outlet (`source`) one origin with its
# strongest headline stance (against > for > observing), label = claimTruth (unknown → unresolved).
# 10-fold cross-validation by claim: multi-class Brier 0.475 (class-prior baseline 0.638), log loss 0.80,
# accuracy 0.62; reliability within ±0.07 in every bin holding at least 20 claims.
# Read it as "what outlets' stances alone have historically implied", beside the status, never instead.
_VERACITY_WEIGHTS: Mapping[str, tuple[float, float, float, float]] = {
    "true": (-1.5900, 0.9740, -1.0533, 0.1253),
    "false": (1.1185, -0.9831, 1.5479, -0.3828),
    "unresolved": (0.4715, 0.0092, -0.4946, 0.2575),
}


def veracity(groups: Sequence[OriginGroup], *, rules: StatusRules | None = None) -> tuple[tuple[str, float], ...]:
    """``(("true", p), ("false", p), ("unresolved", p))`` from the counts of independent origins per side.

    The probabilities sum to one. See the comment above ``_VERACITY_WEIGHTS`` for the fit and its calibration.
    """
    rules = rules or DEFAULT_RULES
    credible = [g for g in groups if _credible(g, rules)]
    supporting = sum(g.stance == "supports" for g in credible)
    denying = sum(g.stance in ("denies", "doubts") for g in credible)
    observing = sum(g.stance == "observes" for g in credible)
    x = (1.0, math.log1p(supporting), math.log1p(denying), math.log1p(observing))
    scores = {label: sum(w * v for w, v in zip(_VERACITY_WEIGHTS[label], x, strict=True)) for label in VERACITY_LABELS}
    top = max(scores.values())
    exp = {label: math.exp(s - top) for label, s in scores.items()}
    total = sum(exp.values())
    return tuple((label, exp[label] / total) for label in VERACITY_LABELS)


# --- time ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def _instant(value: str | None) -> float:
    """Seconds since the epoch for an ISO date or datetime (naive times are UTC); unparsable → +inf.

    Cached: a claim's edges share a few dates, and a large claim sorts and groups thousands of edges."""
    if not value:
        return math.inf
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return math.inf
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
