"""The ledger: statuses by rule, reasons naming origins, independence, timeline, veracity."""

from __future__ import annotations

import math
from typing import NamedTuple

import pytest

from claimledger.ledger import StatusRules, build_ledger, origin_groups, timeline, veracity
from claimledger.ledger.origins import UNSOURCED
from claimledger.types import STATUSES, Claim, Span, StanceEdge

CLAIM = Claim(id="c1", text="The dam at Oskel was breached", members=())


def edge(
    origin: str,
    stance: str = "supports",
    *,
    doc: str = "d1",
    origin_type: str = "organisation",
    via: tuple[str, ...] = (),
    published: str | None = "2031-05-02",
    at: int | None = 0,
    cue: str = "",
    actor: str | None = None,
) -> StanceEdge:
    fields = {
        "claim_id": "c1",
        "actor": actor or origin,
        "origin": origin,
        "origin_type": origin_type,
        "stance": stance,
        "document_id": doc,
        "evidence": Span(at or 0, (at or 0) + 5, "words"),
        "via": via,
        "attribution": at,
        "kind": "indirect" if at is not None else "article",
        "outlet": "Valdoran Courier",
        "published": published,
    }
    if cue:
        return StanceEdge(**fields, source_stance=cue)  # type: ignore[arg-type]
    return StanceEdge(**fields)  # type: ignore[arg-type]


class Case(NamedTuple):
    name: str
    edges: list[StanceEdge]
    status: str
    named: tuple[str, ...]  # origins the reasons must name


PASSIVE = edge(UNSOURCED, origin_type="anonymous", actor="Valdoran Courier")
CASES = [
    Case("unsourced: only a passive", [PASSIVE], "unsourced", ()),
    Case(
        "unsourced: passive and an anonymous official",
        [PASSIVE, edge("an official close to the Port Authority", origin_type="anonymous", at=1)],
        "unsourced",
        ("an official close to the Port Authority",),
    ),
    Case("unsourced: nothing at all", [], "unsourced", ()),
    Case("unverified: one origin", [edge("Red Banner", origin_type="armed-group")], "unverified", ("Red Banner",)),
    Case(
        "unverified: one origin, twice, through relays",
        [edge("Red Banner", via=("Velta agency",)), edge("Red Banner", doc="d2", via=("Lanter Post",))],
        "unverified",
        ("Red Banner",),
    ),
    Case(
        "corroborated: two independent origins",
        [edge("Red Banner"), edge("Mira Osk", origin_type="person", at=1)],
        "corroborated",
        ("Red Banner", "Mira Osk"),
    ),
    Case(
        "corroborated: an anonymous denial is not credible",
        [edge("Red Banner"), edge("Mira Osk", at=1), edge("a source", "denies", origin_type="anonymous", at=2)],
        "corroborated",
        ("Red Banner", "Mira Osk", "a source"),
    ),
    Case(
        "disputed: supports vs denies",
        [edge("Red Banner"), edge("Port Authority", "denies", at=1), edge("Ostrava", "denies", at=2)],
        "disputed",
        ("Red Banner", "Port Authority", "Ostrava"),
    ),
    Case(
        "disputed: supports vs doubts",
        [edge("Red Banner"), edge("Citadel", "doubts", origin_type="government", at=1)],
        "disputed",
        ("Red Banner", "Citadel"),
    ),
    Case(
        "denied: only denials",
        [edge("Port Authority", "denies"), edge("Ostrava", "denies", at=1)],
        "denied",
        ("Port Authority", "Ostrava"),
    ),
    Case(
        "confirmed: a government confirms",
        [edge("Red Banner"), edge("Port Authority", origin_type="government", cue="confirm", at=1)],
        "confirmed",
        ("Port Authority",),
    ),
    Case(
        "not confirmed: a plain assertion by a government is one origin",
        [edge("Port Authority", origin_type="government", cue="assert")],
        "unverified",
        ("Port Authority",),
    ),
    Case(
        "not confirmed: a person's confirmation has no standing",
        [edge("Mira Osk", origin_type="person", cue="confirm")],
        "unverified",
        ("Mira Osk",),
    ),
    Case(
        "disputed: a primary confirmation against a primary denial",
        [
            # an organisation and a government: two governments' voices without a country would be one origin
            edge("Port Authority", origin_type="organisation", cue="confirm"),
            edge("Citadel", "denies", origin_type="government", at=1),
        ],
        "disputed",
        ("Port Authority", "Citadel"),
    ),
    Case(
        "unverified: only doubts",
        [edge("Citadel", "doubts")],
        "unverified",
        ("Citadel",),
    ),
    Case(
        "unverified: only neutral reports",
        [edge("Lanter Post", "observes", origin_type="outlet", at=None)],
        "unverified",
        ("Lanter Post",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_status_and_reasons(case: Case) -> None:
    entry = build_ledger(CLAIM, case.edges)
    assert entry.status == case.status
    assert entry.status in STATUSES
    text = " ".join(entry.reasons)
    for name in case.named:
        assert name in text, (name, entry.reasons)
    assert entry.reasons[-1].startswith(f"Rule {case.status}:")
    assert math.isclose(sum(p for _label, p in entry.veracity), 1.0)


def test_every_status_is_covered() -> None:
    assert {c.status for c in CASES} == set(STATUSES)


def test_reasons_read_like_the_design() -> None:
    entry = build_ledger(
        CLAIM,
        [
            edge("Red Banner", origin_type="armed-group"),
            edge("Port Authority", "denies", at=1),
            edge("Ostrava", "denies", at=2),
            edge("Citadel", "doubts", at=3),
            edge("Ilya Vorn", "doubts", doc="d2", at=0),
            PASSIVE,
        ],
    )
    assert entry.reasons[0] == (
        "Asserted by Red Banner (1 origin, 1 article); asserted without a named source in 1 article; "
        "denied by Port Authority and Ostrava (2 origins, 1 article); "
        "doubted by Citadel and Ilya Vorn (2 origins, 2 articles)"
    )
    assert (
        entry.reasons[1] == "Rule disputed: independent origins stand on both sides (1 origin for, 4 origins against)."
    )


def test_relays_and_syndicated_copies_do_not_add_origins() -> None:
    edges = [
        edge("Red Banner", via=("Velta agency",)),
        edge("Red Banner", doc="d2", via=("Velta agency", "Valdoran Courier")),  # a syndicated copy
        edge("Red Banner", doc="d3", via=("Northern Guard",)),  # carried inside another's statement
    ]
    entry = build_ledger(CLAIM, edges)
    assert [g.origin for g in entry.origins] == ["Red Banner"]
    assert entry.origins[0].articles == 3
    assert entry.status == "unverified"
    assert "Red Banner (1 origin, 3 articles)" in entry.reasons[0]


def test_unsourced_statements_are_their_own_class() -> None:
    entry = build_ledger(CLAIM, [edge("Red Banner"), PASSIVE])
    assert entry.status == "unverified"  # the passive does not corroborate the named origin
    assert [g.origin for g in entry.origins] == ["Red Banner", UNSOURCED]


def test_origin_stance_is_latest_then_strongest() -> None:
    changed_mind = [edge("Citadel", "supports", published="2031-05-01"), edge("Citadel", "denies", doc="d2")]
    (group,) = origin_groups(timeline(changed_mind))
    assert group.stance == "denies"
    same_day = [edge("Citadel", "supports"), edge("Citadel", "doubts", at=1)]
    assert origin_groups(same_day)[0].stance == "doubts"
    neutral_later = [edge("Citadel", "denies", published="2031-05-01"), edge("Citadel", "observes", doc="d2")]
    assert origin_groups(neutral_later)[0].stance == "denies"


def test_timeline_by_time_then_document_order() -> None:
    edges = [
        edge("C", doc="d2", at=0, published="2031-05-03"),
        edge("B", doc="d1", at=5),
        edge("A", doc="d1", at=2),
        edge("H", doc="d1", at=None),  # the headline's stance comes first in its article
        edge("U", doc="d3", published=None),
        edge("Z", doc="d4", published="2031-05-02T06:00:00+09:00"),  # 2031-05-01 21:00 UTC
    ]
    entry = build_ledger(CLAIM, edges)
    assert [e.origin for e in entry.timeline] == ["Z", "H", "A", "B", "C", "U"]
    assert (entry.first_seen, entry.last_seen) == ("2031-05-02T06:00:00+09:00", "2031-05-03")


@pytest.mark.parametrize(
    ("rules", "status"),
    [
        (StatusRules(), "corroborated"),
        (StatusRules(min_corroborating=3), "unverified"),
        (StatusRules(uncredited_types=frozenset()), "disputed"),
        (StatusRules(primary_origins=frozenset({"Mira Osk"}), confirm_needs_cue=False), "confirmed"),
    ],
)
def test_rules_change_the_outcome(rules: StatusRules, status: str) -> None:
    edges = [
        edge("Red Banner", origin_type="armed-group"),
        edge("Mira Osk", origin_type="person", at=1),
        edge("a source", "denies", origin_type="anonymous", at=2),
    ]
    assert build_ledger(CLAIM, edges, rules=rules).status == status


def test_doubts_need_not_dispute() -> None:
    edges = [edge("Red Banner"), edge("Citadel", "doubts", at=1)]
    assert build_ledger(CLAIM, edges, rules=StatusRules(doubts_dispute=False)).status == "unverified"


def test_bad_input_is_an_error() -> None:
    with pytest.raises(ValueError, match="claim"):
        build_ledger(CLAIM, [StanceEdge("c2", "A", "A", "person", "supports", "d1")])
    with pytest.raises(ValueError, match="stance"):
        build_ledger(CLAIM, [StanceEdge("c1", "A", "A", "person", "agrees", "d1")])
    with pytest.raises(ValueError, match="min_corroborating"):
        StatusRules(min_corroborating=0)


@pytest.mark.parametrize(("supports", "denies"), [(0, 0), (1, 0), (0, 1), (5, 0), (0, 5), (3, 3)])
def test_veracity_is_a_distribution_that_follows_the_counts(supports: int, denies: int) -> None:
    edges = [edge(f"S{i}", at=i) for i in range(supports)] + [edge(f"D{i}", "denies", at=10 + i) for i in range(denies)]
    probs = dict(veracity(origin_groups(edges)))
    assert list(probs) == ["true", "false", "unresolved"]
    assert math.isclose(sum(probs.values()), 1.0)
    assert all(0.0 < p < 1.0 for p in probs.values())


def test_veracity_moves_with_the_evidence() -> None:
    many_for = dict(veracity(origin_groups([edge(f"S{i}", at=i) for i in range(6)])))
    many_against = dict(veracity(origin_groups([edge(f"D{i}", "denies", at=i) for i in range(6)])))
    assert many_for["true"] > many_against["true"]
    assert many_against["false"] > many_for["false"]
