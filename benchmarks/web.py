"""Web UI speed: the claims page over a ledger of 10,000 claims, in-process and over real HTTP.

    .venv/bin/python benchmarks/web.py [--claims 10000] [--repeat 30] [--json OUT]

Synthesises a ledger through the store (invented documents, attributions and entries; no NLP), then times
the first page of /claims (median of ``--repeat`` requests after a warm-up), a filtered and a deep cursor
page, /api/claims, one claim page, and, as baselines measured in the same run, the same first page over a
100-claim ledger and a static file (the server's own floor). The target is a first page under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from claimledger.export import entry_to_dict  # noqa: E402
from claimledger.store import SQLiteStore  # noqa: E402
from claimledger.store.base import LedgerRow  # noqa: E402
from claimledger.types import Attribution, Claim, Document, LedgerEntry, OriginGroup, Span, StanceEdge  # noqa: E402
from claimledger.web import create_app  # noqa: E402

NOW = "2026-11-27T00:00:00+00:00"
PLACES = ("Velby", "Norrmark", "Oskarvik", "Brennvik", "Lunholm", "Tarn", "Skarn", "Ossly")
PEOPLE = ("Orla Venn", "Pell Arvid", "Maren Lidt", "Edda Lind", "Ilsa Dorn", "Tomas Rell", "Brask Line", "Holm Vesk")
OUTLETS = ("Velby Courier", "Norrmark Post", "Skarn Wire", "Gate Herald", "Tarn Daily")
STATUSES = ("unverified", "corroborated", "disputed", "denied", "confirmed", "unsourced")
STANCES = ("supports", "denies", "doubts", "observes")


def synthesise(path: str, claims: int, *, statements_per_claim: int = 3) -> None:
    """A ledger of ``claims`` entries over ``claims // 10`` documents, each claim with a few statements."""
    documents = max(1, claims // 10)
    per_doc = (claims * statements_per_claim + documents - 1) // documents
    with SQLiteStore(path) as store:
        docs = []
        for d in range(documents):
            sentences = [
                f"{PEOPLE[(d + i) % 8]} said the quay at {PLACES[(d + i) % 8]} was closed on day {i}."
                for i in range(per_doc)
            ]
            text = " ".join(sentences)
            doc = Document(
                id=f"d{d:015d}", text=text, source=f"synthetic/{d}.txt", format="text",
                title=f"Quay news {d}", outlet=OUTLETS[d % 5], published=f"2026-{1 + d % 12:02d}-{1 + d % 28:02d}",
            )  # fmt: skip
            found = []
            offset = 0
            for i, sentence in enumerate(sentences):
                speaker = PEOPLE[(d + i) % 8]
                said = offset + len(speaker) + 1
                content = Span(said + 5, offset + len(sentence) - 1, sentence[len(speaker) + 6 : -1])
                found.append(
                    Attribution(
                        kind="indirect", stance="assert", cue=Span(said, said + 4, "said"), content=(content,),
                        source=Span(offset, offset + len(speaker), speaker), speaker=speaker, speaker_type="person",
                    )
                )  # fmt: skip
                offset += len(sentence) + 1
            store.add_document(doc, minhash="00", bands=[], links=[], now=NOW)
            store.put_attributions(doc.id, found, version="bench", now=NOW)
            docs.append((doc, found))
        rows = []
        slot = 0
        for c in range(claims):
            edges = []
            members = []
            for s in range(statements_per_claim):
                d, pos = divmod(slot, per_doc)
                slot += 1
                doc, found = docs[d % documents]
                a = found[pos % len(found)]
                members.append((doc.id, pos % len(found)))
                edges.append(
                    StanceEdge(
                        claim_id=f"c{c:012d}", actor=a.speaker or "", origin=a.speaker or "", origin_type="person",
                        stance=STANCES[(c + s) % 4], document_id=doc.id, evidence=a.content[0],
                        attribution=pos % len(found), kind="indirect", outlet=doc.outlet, published=doc.published,
                    )
                )  # fmt: skip
            groups: dict[str, list[StanceEdge]] = {}
            for edge in edges:
                groups.setdefault(edge.origin, []).append(edge)
            dates = sorted(e.published or "" for e in edges)
            status = STATUSES[c % 6]
            entry = LedgerEntry(
                claim=Claim(f"c{c:012d}", f"the quay at {PLACES[c % 8]} was closed on day {c}", (), story=f"s{c // 5}",
                            first_seen=dates[0], last_seen=dates[-1]),
                status=status, reasons=(f"Rule {status}: synthetic.",),
                origins=tuple(OriginGroup(o, "person", es[-1].stance, tuple(es)) for o, es in groups.items()),
                timeline=tuple(sorted(edges, key=lambda e: e.published or "")),
                first_seen=dates[0], last_seen=dates[-1],
            )  # fmt: skip
            sides = {g.origin: g.stance for g in entry.origins}
            rows.append(
                LedgerRow(
                    claim_id=entry.claim.id, text=entry.claim.text, status=status,
                    origins_for=sum(1 for v in sides.values() if v == "supports"),
                    origins_against=sum(1 for v in sides.values() if v in ("denies", "doubts")),
                    first_seen=dates[0], last_seen=dates[-1],
                    record=json.dumps(entry_to_dict(entry), ensure_ascii=False),
                    members=tuple(dict.fromkeys(members)),
                )
            )  # fmt: skip
        store.replace_ledger(rows, now=NOW)


def median_ms(get: Callable[[str], Any], url: str, repeat: int) -> float:
    for _ in range(3):
        assert get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def measure(path: str, urls: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    app = create_app(path)
    results: dict[str, dict[str, float]] = {name: {} for name in urls}
    with TestClient(app) as client:
        for name, url in urls.items():
            results[name]["in_process_ms"] = round(median_ms(client.get, url, repeat), 1)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            for name, url in urls.items():
                results[name]["http_ms"] = round(median_ms(http.get, url, repeat), 1)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        big, small = str(Path(tmp) / "big.db"), str(Path(tmp) / "small.db")
        started = time.perf_counter()
        synthesise(big, args.claims)
        build_s = time.perf_counter() - started
        synthesise(small, 100)
        with TestClient(create_app(big)) as client:
            deep = "/claims"
            for _ in range(50):  # the 51st page: 1,250 claims in
                html = client.get(deep).text
                marker = 'href="/claims?'
                at = html.find(marker, html.find('class="pager"'))
                deep = html[at + 6 : html.index('"', at + 6)].replace("&amp;", "&")
        urls = {
            "claims first page": "/claims",
            "claims filtered (disputed, text)": "/claims?status=disputed&q=quay+at+velby",
            "claims by actor": "/claims?actor=Orla+Venn",
            "claims sorted newest": "/claims?sort=newest",
            "claims page 51 (cursor)": deep,
            "api claims first page": "/api/claims",
            "claim page": "/claims/c000000004242",
        }
        results = measure(big, urls, args.repeat)
        baseline = measure(
            small, {"claims first page (100 claims)": "/claims", "static file": "/static/style.css"}, args.repeat
        )
    floor = baseline["claims first page (100 claims)"]
    figures: dict[str, Any] = {
        "claims": args.claims,
        "build_s": round(build_s, 1),
        "pages": results,
        "baseline": baseline,
    }
    print(f"{args.claims:,} claims synthesised in {build_s:.1f} s; median of {args.repeat} requests each")
    print(f"{'page':40} {'in-process ms':>14} {'HTTP ms':>9} {'x 100-claim page (HTTP)':>24}")
    for name, row in {**results, **baseline}.items():
        ratio = row["http_ms"] / floor["http_ms"] if floor["http_ms"] else float("nan")
        print(f"{name:40} {row['in_process_ms']:>14.1f} {row['http_ms']:>9.1f} {ratio:>24.2f}")
    first = results["claims first page"]
    ok = max(first["in_process_ms"], first["http_ms"]) < 300
    print(f"target: first page under 300 ms: {'met' if ok else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
