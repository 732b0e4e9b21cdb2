"""One actor as its page and the API show them: aliases, roles, statements by stance, claims by part played."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimledger.store.base import LedgerRow, Store
from claimledger.types import Attribution, Document

from .claim_views import load_entry


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
