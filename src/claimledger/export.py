"""Exports of ledger entries: JSON/JSONL, CSV, a Markdown or HTML report, ClaimReview JSON-LD, GraphML.

Every function takes the entries and, optionally, the documents they cite (``id → Document``) for titles,
outlets and URLs. Only the standard library is used: GraphML is written with ``xml.etree``.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from claimledger.config import __version__
from claimledger.ledger.record import Documents, entry_from_dict, entry_to_dict
from claimledger.ledger.status import LEDGER_VERSION
from claimledger.types import LedgerEntry

__all__ = [
    "CSV_COLUMNS",
    "entries_from_json",
    "entry_from_dict",
    "entry_to_dict",
    "to_claimreview",
    "to_csv",
    "to_graphml",
    "to_html_report",
    "to_json",
    "to_jsonl",
    "to_markdown_report",
]

CSV_COLUMNS = (
    "claim_id",
    "claim_text",
    "status",
    "origin",
    "origin_type",
    "origin_stance",
    "actor",
    "stance",
    "source_stance",
    "via",
    "document_id",
    "outlet",
    "title",
    "url",
    "published",
    "kind",
    "attribution",
    "evidence",
    "evidence_start",
    "evidence_end",
    "confidence",
)
_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_STATUS_WORDS = {
    "unverified": "Unverified",
    "corroborated": "Corroborated",
    "disputed": "Disputed",
    "denied": "Denied",
    "confirmed": "Confirmed",
    "unsourced": "Unsourced",
}

# --- JSON -----------------------------------------------------------------------------------------------


def to_json(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """``{"claimledger": version, "ledger": rules version, "entries": [...]}``, indented.

    Read it back with :func:`entries_from_json`.
    """
    payload = {
        "claimledger": __version__,
        "ledger": LEDGER_VERSION,
        "entries": [entry_to_dict(e, documents) for e in entries],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def to_jsonl(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """One entry per line (the shape of :func:`entry_to_dict`)."""
    return "".join(json.dumps(entry_to_dict(e, documents), ensure_ascii=False) + "\n" for e in entries)


def entries_from_json(text: str) -> list[LedgerEntry]:
    """Entries from the output of :func:`to_json` or :func:`to_jsonl`."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        return [entry_from_dict(json.loads(line)) for line in stripped.splitlines() if line.strip()]
    if isinstance(data, dict) and "entries" in data:
        return [entry_from_dict(e) for e in data["entries"]]
    if isinstance(data, dict):
        return [entry_from_dict(data)]
    raise ValueError("expected the output of to_json (an object with 'entries') or to_jsonl (one entry a line)")


# --- CSV -------------------------------------------------------------------------------------------------


def to_csv(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """One row per stance edge (columns :data:`CSV_COLUMNS`), in each entry's timeline order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        stance_of = {g.origin: g.stance for g in entry.origins}
        for edge in entry.timeline:
            doc = (documents or {}).get(edge.document_id)
            writer.writerow(
                {
                    "claim_id": entry.claim.id,
                    "claim_text": entry.claim.text,
                    "status": entry.status,
                    "origin": edge.origin,
                    "origin_type": edge.origin_type,
                    "origin_stance": stance_of.get(edge.origin, ""),
                    "actor": edge.actor,
                    "stance": edge.stance,
                    "source_stance": edge.source_stance or "",
                    "via": " > ".join(edge.via),
                    "document_id": edge.document_id,
                    "outlet": edge.outlet or (doc.outlet if doc else "") or "",
                    "title": (doc.title if doc else "") or "",
                    "url": (doc.url if doc else "") or "",
                    "published": edge.published or "",
                    "kind": edge.kind,
                    "attribution": "" if edge.attribution is None else edge.attribution,
                    "evidence": edge.evidence.text if edge.evidence else "",
                    "evidence_start": edge.evidence.start if edge.evidence else "",
                    "evidence_end": edge.evidence.end if edge.evidence else "",
                    "confidence": edge.confidence,
                }
            )
    return out.getvalue()


# --- Markdown --------------------------------------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown_report(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """A readable report: per claim, its status, the reasons, the origins on each side, and the timeline."""
    docs = documents or {}
    lines = ["# Claim ledger", ""]
    for entry in entries:
        lines += [f"## {entry.claim.id}: {entry.claim.text}", "", f"**Status: {entry.status}**", ""]
        lines += [f"- {reason}" for reason in entry.reasons]
        if entry.veracity:
            shown = ", ".join(f"{label} {p:.0%}" for label, p in entry.veracity)
            lines += ["", f"Veracity estimate (beside the status, from origin counts only): {shown}"]
        if entry.first_seen or entry.last_seen:
            lines += ["", f"First seen {entry.first_seen or '?'}, last seen {entry.last_seen or '?'}."]
        lines += ["", "| Origin | Type | Stance | Statements | Articles | Via |", "|---|---|---|---|---|---|"]
        for g in entry.origins:
            via = sorted({" > ".join(e.via) for e in g.edges if e.via})
            lines.append(
                f"| {_cell(g.origin)} | {_cell(g.origin_type)} | {g.stance} | {len(g.edges)} | {g.articles} "
                f"| {_cell('; '.join(via))} |"
            )
        lines += ["", "Timeline:", ""]
        for edge in entry.timeline:
            doc = docs.get(edge.document_id)
            where = (doc.title or doc.outlet or doc.source) if doc else edge.document_id
            link = f"[{_cell(where)}]({doc.url})" if doc and doc.url else _cell(where)
            quote = f": “{_cell(edge.evidence.text)}”" if edge.evidence else ""
            relays = f" via {', '.join(edge.via)}" if edge.via else ""
            who = edge.origin if edge.actor == edge.origin else f"{edge.origin} (voiced by {edge.actor})"
            lines.append(f"- {edge.published or 'undated'}: {_cell(who)} {edge.stance}{relays}{quote} ({link})")
        lines.append("")
    return "\n".join(lines)


_HTML_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#1a1a1a}
h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
.status{display:inline-block;padding:0 .5rem;border-radius:.3rem;color:#fff;background:#555}
.disputed{background:#8a4b00}.denied{background:#a01d1d}.confirmed{background:#1d6b2e}
.corroborated{background:#2d5f8a}.unsourced{background:#6b6b6b}.unverified{background:#4a4a4a}
blockquote{margin:.2rem 0 .2rem 1rem;color:#333}
"""


def _link(text: str, url: str | None) -> str:
    """An anchor only for web addresses: a ``javascript:`` URL from an article never becomes a link."""
    shown = html.escape(text)
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer nofollow">{shown}</a>'
    return shown


def to_html_report(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """The Markdown report's content as one self-contained HTML page: no script, every text escaped."""
    docs = documents or {}
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Claim ledger</title>",
        f"<style>{_HTML_STYLE}</style></head><body><h1>Claim ledger</h1>",
    ]
    for entry in entries:
        parts.append(f'<section id="{esc(entry.claim.id, quote=True)}">')
        parts.append(f"<h2>{esc(entry.claim.id)}: {esc(entry.claim.text)}</h2>")
        parts.append(f'<p><span class="status {esc(entry.status, quote=True)}">{esc(entry.status)}</span></p>')
        parts.append("<ul>" + "".join(f"<li>{esc(reason)}</li>" for reason in entry.reasons) + "</ul>")
        if entry.veracity:
            shown = ", ".join(f"{label} {p:.0%}" for label, p in entry.veracity)
            parts.append(f"<p>Veracity estimate (beside the status, from origin counts only): {esc(shown)}</p>")
        if entry.first_seen or entry.last_seen:
            parts.append(f"<p>First seen {esc(entry.first_seen or '?')}, last seen {esc(entry.last_seen or '?')}.</p>")
        rows = []
        for g in entry.origins:
            via = "; ".join(sorted({" > ".join(e.via) for e in g.edges if e.via}))
            cells = (g.origin, g.origin_type, g.stance, str(len(g.edges)), str(g.articles), via)
            rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{h}</th>" for h in ("Origin", "Type", "Stance", "Statements", "Articles", "Via"))
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        parts.append("<h3>Timeline</h3><ol>")
        for edge in entry.timeline:
            doc = docs.get(edge.document_id)
            where = _link(
                (doc.title or doc.outlet or doc.source) if doc else edge.document_id, doc.url if doc else None
            )
            who = edge.origin if edge.actor == edge.origin else f"{edge.origin} (voiced by {edge.actor})"
            relays = f" via {', '.join(edge.via)}" if edge.via else ""
            quote = f"<blockquote>{esc(edge.evidence.text)}</blockquote>" if edge.evidence else ""
            said = f"{edge.published or 'undated'}: {who} {edge.stance}{relays}"
            parts.append(f"<li>{esc(said)} ({where}){quote}</li>")
        parts.append("</ol></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- ClaimReview -----------------------------------------------------------------------------------------


def _creative_work(document_id: str, documents: Documents) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    doc = documents.get(document_id)
    if doc is None:
        work["identifier"] = document_id
        return work
    url = doc.url or (doc.source if doc.source.startswith(("http://", "https://")) else None)
    if url:
        work["url"] = url
    work["identifier"] = doc.id
    if doc.title:
        work["headline"] = doc.title
    if doc.outlet:
        work["publisher"] = {"@type": "Organization", "name": doc.outlet}
    if doc.published:
        work["datePublished"] = doc.published
    return work


def to_claimreview(
    entries: Iterable[LedgerEntry], documents: Documents | None = None, *, date_published: str | None = None
) -> list[dict[str, Any]]:
    """schema.org ``ClaimReview`` JSON-LD, one object per entry.

    ``reviewRating.alternateName`` is the status, ``ratingExplanation`` the reasons; ``itemReviewed`` is the
    ``Claim`` with every citing article as an ``appearance`` and the earliest as ``firstAppearance``.
    ``date_published`` (the review's date) defaults to today in UTC.
    """
    docs = documents or {}
    today = date_published or datetime.now(UTC).date().isoformat()
    reviews = []
    for entry in entries:
        order = list(dict.fromkeys(e.document_id for e in entry.timeline))
        item: dict[str, Any] = {"@type": "Claim", "name": entry.claim.text}
        if order:
            item["appearance"] = [_creative_work(d, docs) for d in order]
            item["firstAppearance"] = _creative_work(order[0], docs)
        supporters = [g for g in entry.origins if g.stance == "supports" and not g.origin.startswith("(")]
        if supporters:
            first = supporters[0]
            item["author"] = {
                "@type": "Person" if first.origin_type == "person" else "Organization",
                "name": first.origin,
            }
        if entry.first_seen:
            item["datePublished"] = entry.first_seen
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": entry.claim.text,
                "datePublished": today,
                "author": {"@type": "Organization", "name": "claimledger"},
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": entry.status,
                    "name": _STATUS_WORDS.get(entry.status, entry.status),
                    "ratingExplanation": _sentences(entry.reasons),
                },
                "itemReviewed": item,
            }
        )
    return reviews


def _sentences(reasons: Sequence[str]) -> str:
    return " ".join(r if r.endswith((".", "!", "?")) else f"{r}." for r in reasons)


# --- GraphML ---------------------------------------------------------------------------------------------


def to_graphml(entries: Iterable[LedgerEntry], documents: Documents | None = None) -> str:
    """The relay graph as GraphML: origin → relays (nearest the origin first) → publishing outlet.

    Nodes carry ``role`` (``origin``, ``relay``, ``outlet``, or several joined by ``+``) and ``origin_type``;
    edges carry ``claims`` and ``stances`` (space-separated, sorted) and ``weight`` (statements carried).
    """
    docs = documents or {}
    roles: dict[str, set[str]] = {}
    types: dict[str, str] = {}
    links: dict[tuple[str, str], tuple[set[str], set[str], list[int]]] = {}
    for entry in entries:
        for edge in entry.timeline:
            doc = docs.get(edge.document_id)
            outlet = edge.outlet or (doc.outlet if doc else None)
            chain = [edge.origin, *edge.via]
            if outlet:
                chain.append(outlet)
            roles.setdefault(edge.origin, set()).add("origin")
            types.setdefault(edge.origin, edge.origin_type)
            for relay in edge.via:
                roles.setdefault(relay, set()).add("relay")
            if outlet:
                roles.setdefault(outlet, set()).add("outlet")
            for source, target in itertools.pairwise(chain):
                if source == target:
                    continue
                claims, stances, count = links.setdefault((source, target), (set(), set(), [0]))
                claims.add(entry.claim.id)
                stances.add(edge.stance)
                count[0] += 1
    ET.register_namespace("", _GRAPHML)
    root = ET.Element(f"{{{_GRAPHML}}}graphml")
    keys = (
        ("role", "node", "string"),
        ("origin_type", "node", "string"),
        ("claims", "edge", "string"),
        ("stances", "edge", "string"),
        ("weight", "edge", "int"),
    )
    for name, domain, kind in keys:
        ET.SubElement(root, f"{{{_GRAPHML}}}key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{_GRAPHML}}}graph", {"id": "relays", "edgedefault": "directed"})
    for name in sorted(roles):
        node = ET.SubElement(graph, f"{{{_GRAPHML}}}node", {"id": name})
        _data(node, "role", "+".join(sorted(roles[name])))
        if name in types:
            _data(node, "origin_type", types[name])
    for (source, target), (claims, stances, count) in sorted(links.items()):
        link = ET.SubElement(graph, f"{{{_GRAPHML}}}edge", {"source": source, "target": target})
        _data(link, "claims", " ".join(sorted(claims)))
        _data(link, "stances", " ".join(sorted(stances)))
        _data(link, "weight", str(count[0]))
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _data(parent: ET.Element, key: str, value: str) -> None:
    ET.SubElement(parent, f"{{{_GRAPHML}}}data", {"key": key}).text = value
