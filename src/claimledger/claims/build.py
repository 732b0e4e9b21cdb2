"""Claims as records: representative wording, entities, first and last seen, and stories.

Also the contract of ``claimledger group``: JSON lines of items in, ``{"id", "claim"}`` lines out.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from claimledger.claims.features import STANCE_WORDS
from claimledger.claims.index import ClaimIndex, GroupingOptions, group_claims
from claimledger.claims.nonclaim import non_claim, stated_pieces
from claimledger.claims.proposition import clearest, first_sentence, readable
from claimledger.errors import ConfigError, FormatError
from claimledger.types import Attribution, Claim, ClaimItem

_CAPITALISED = re.compile(r"(?:\b[A-Z][\w’'.-]*|\b\d[\d.,]*\w*)(?:\s+(?:[A-Z][\w’'.-]*|\d[\d.,]*\w*))*")
_MAX_ENTITIES = 8


def heuristic_entities(text: str) -> list[str]:
    """Capitalised runs and numbers of ``text``: a model-free stand-in for named entities.

    In a headline set in title case every word is capitalised, so there only numbers and
    all-capitals words (acronyms) count.
    """
    words = re.findall(r"[^\W\d_][\w’'-]*|\d[\d.,]*\w*", text)
    if sum(w[0].isupper() for w in words) > 0.6 * len(words):
        return [w.strip(".,") for w in words if (w.isupper() and len(w) > 1) or w[0].isdigit()]
    found = []
    for match in _CAPITALISED.finditer(text):
        run = match.group().strip(".,'’-")
        if run.casefold() in STANCE_WORDS or len(run) < 2:
            continue
        if match.start() == 0 and " " not in run and not run.isupper() and not run[0].isdigit():
            continue  # a sentence's first word is capitalised anyway
        found.append(run)
    return found


def build_claims(
    items: Iterable[ClaimItem],
    *,
    index: ClaimIndex | None = None,
    options: GroupingOptions | None = None,
    entities: Callable[[str], Iterable[str]] | None = None,
) -> list[Claim]:
    """Group ``items`` and describe every claim of the index, in the order the claims were opened.

    ``entities`` names the entities of one text (default :func:`heuristic_entities`; pass e.g.
    ``lambda t: [e.text for e in nlp(t).ents]`` for spaCy's). A claim's entities are those
    named by at least two of its members, or by its only member. Stories link claims whose
    average similarity reaches ``options.story_threshold``.
    """
    if index is not None and options is not None:
        raise ConfigError("pass options to ClaimIndex(options) when you pass an index, not to build_claims")
    target = index if index is not None else ClaimIndex(options)
    for _ in group_claims(items, index=target):
        pass
    name = entities or heuristic_entities
    groups = target.groups()
    claim_of = {item.id: cid for cid, members in groups for item in members}
    size = {cid: len(members) for cid, members in groups}
    inner: defaultdict[str, float] = defaultdict(float)  # per item: summed similarity to the other members of its claim
    across: defaultdict[tuple[str, str], float] = defaultdict(float)  # summed similarity between two claims' members
    for cid, members in groups:
        for item in members:
            for other, sim in target.linked(item.id):
                if claim_of[other] == cid:
                    inner[item.id] += sim
                else:
                    first, second = sorted((cid, claim_of[other]))
                    across[first, second] += sim
    stories = _stories([cid for cid, _ in groups], across, size, target.options.story_threshold)
    out = []
    for cid, members in groups:
        # Rounded: members with the same features tie exactly, whatever order their sums were taken in.
        representative = clearest(members, lambda it: round(inner[it.id], 9))
        named: Counter[str] = Counter()
        for item in members:
            named.update(dict.fromkeys(e.strip() for e in name(item.text) if e.strip()).keys())
        floor = 1 if len(members) == 1 else 2
        kept = tuple(e for e, n in named.most_common() if n >= floor)[:_MAX_ENTITIES]
        dates = sorted(item.published for item in members if item.published)
        out.append(
            Claim(
                id=cid,
                text=readable(representative),
                members=tuple(item.id for item in members),
                story=stories[cid],
                entities=kept,
                first_seen=dates[0] if dates else None,
                last_seen=dates[-1] if dates else None,
            )
        )
    return out


def _stories(
    ids: Sequence[str], across: dict[tuple[str, str], float], size: dict[str, int], threshold: float
) -> dict[str, str]:
    """Story id per claim: claims linked by an average similarity of ``threshold`` share one."""
    parent = {cid: cid for cid in ids}
    order = {cid: i for i, cid in enumerate(ids)}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for (a, b), total in sorted(across.items()):
        # ``across`` counts each pair from both sides: halve it.
        if total / 2 / (size[a] * size[b]) >= threshold:
            ra, rb = root(a), root(b)
            if ra != rb:
                first, second = sorted((ra, rb), key=order.__getitem__)
                parent[second] = first
    return {cid: "s" + root(cid)[1:] for cid in ids}


def group_jsonl(lines: Iterable[str], *, options: GroupingOptions | None = None) -> Iterator[dict[str, str]]:
    """The contract of ``claimledger group``: JSON lines ``{"id", "text", "source"?, "published"?}`` in,
    ``{"id", "claim"}`` out, one per input item and in input order. Blank lines are skipped.

    Raises :class:`~claimledger.errors.FormatError` (source ``input#LINE``) on a malformed line.
    """
    items = [_item(line, n) for n, line in enumerate(lines, start=1) if line.strip()]
    for item_id, cid in group_claims(items, options=options):
        yield {"id": item_id, "claim": cid}


def _item(line: str, number: int) -> ClaimItem:
    where = f"input#{number}"
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(where, f"not JSON ({exc.msg}); give one JSON object per line") from exc
    if not isinstance(data, dict):
        raise FormatError(where, 'expected a JSON object like {"id": "1", "text": "..."}')
    unknown = data.keys() - {"id", "text", "source", "published"}
    if unknown:
        raise FormatError(where, f"unknown keys {sorted(unknown)}; allowed: id, text, source, published")
    for key in ("id", "text"):
        if not isinstance(data.get(key), str):
            raise FormatError(where, f'"{key}" must be a string')
    for key in ("source", "published"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise FormatError(where, f'"{key}" must be a string or absent')
    return ClaimItem(id=data["id"], text=data["text"], source=data.get("source"), published=data.get("published"))


def statement_items(
    document_id: str, attributions: Sequence[Attribution], *, published: str | None = None
) -> list[tuple[int, ClaimItem]]:
    """One item per attribution with content, as ``(position, item)``; item ids are ``"<document>:<position>"``.

    A statement whose cue continues the one before it ("..., the ministry added") names that statement in
    ``follows``: if it would stand alone, it joins that statement's claim (see ``ClaimIndex``).
    A nested statement's words leave its enclosing statement's text ("the army said it took the city where
    [the militia claims it captured the soldiers] on Sept. 5" states the city, not the capture), so that the
    two are not read as one proposition. The attributions themselves keep their full content.
    """
    holes: dict[int, list[tuple[int, int]]] = {}
    for a in attributions:
        if a.nested_in is not None:
            spans = [a.cue, *a.content, *([a.source] if a.source else [])]
            holes.setdefault(a.nested_in, []).append((min(x.start for x in spans), max(x.end for x in spans)))
    items: list[tuple[int, ClaimItem]] = []
    for position, a in enumerate(attributions):
        words: list[str] = []
        for span in a.content:
            kept = [(span.start, span.end)]
            for lo, hi in holes.get(position, []):
                kept = [piece for s, e in kept for piece in ((s, min(e, lo)), (max(s, hi), e)) if piece[0] < piece[1]]
            words.extend(span.text[s - span.start : e - span.start].strip() for s, e in kept)
        text = " ".join(stated_pieces(words)) or " ".join(c.text for c in a.content)
        if a.kind == "direct":  # a quotation of several sentences: its first states the claim
            text = first_sentence(stated_pieces(words)[0] if stated_pieces(words) else text)
        if not text.strip() or non_claim(a, text) is not None or non_claim(a) is not None:
            continue  # nothing said, or nothing claimed: "declined to comment", a question, a fragment
        if a.nested_in is not None and non_claim(attributions[a.nested_in]) is not None:
            continue  # "the union would verify [the names of ...]": nothing inside a procedure is claimed
        # "..., the Defense Ministry added": a continuation is about what the statement before it was about.
        before = items[-1][1] if items and items[-1][0] == position - 1 else None
        follows = before.id if before is not None and _continues(a) else None
        item = ClaimItem(
            f"{document_id}:{position}", text, source=a.speaker, published=published, follows=follows, cue=a.cue.text
        )
        items.append((position, item))
    return items


_CONTINUATION_CUES = frozenset({"add", "added", "adds", "adding", "continued", "continues", "went on", "goes on"})


def _continues(attribution: Attribution) -> bool:
    return attribution.nested_in is None and attribution.cue.text.lower() in _CONTINUATION_CUES
