"""extract_html: HTML page → article text, metadata and the audit of what was dropped.

Every page here is invented (the Kessing harbour bridge, The Vellmar Courier, Imogen
Castellane, Orla Penhallow); none comes from the benchmark pages the extractor was tuned on.
"""

from __future__ import annotations

import pytest

from claimledger.errors import EmptyInputError, FormatError, InputError
from claimledger.identity import document_id
from claimledger.ingest.html import BOILERPLATE, EXTRACTOR, extract_html
from claimledger.ingest.htmlmeta import canonical_url, page_language, text_blocks
from claimledger.types import Document

PARAGRAPHS = (
    "The Kessing harbour bridge reopened to traffic on Thursday morning, six weeks after a winter storm "
    "tore away part of its eastern railing and cracked two of its supporting piers.",
    "Engineers from the county works department spent most of February replacing the damaged sections, "
    "working in shifts through the night to keep the closure as short as possible.",
    "“We were lucky that the main span held,” said Orla Penhallow, who chairs the county transport "
    "committee. “Had it failed, we would be talking about a closure of a year or more.”",
    "Local traders in the old town said the closure had cost them a third of their usual trade, as "
    "visitors from the mainland chose the longer coast road or stayed away altogether.",
    "The council has promised a review of how the bridge is inspected, with a report due before the "
    "autumn storms begin in earnest.",
)
BODY = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)

HEAD = """<meta charset="utf-8">
<title>Harbour bridge reopens after storm repairs | The Vellmar Courier</title>
<meta property="og:title" content="Harbour bridge reopens after storm repairs">
<meta property="og:site_name" content="The Vellmar Courier">
<meta name="author" content="Imogen Castellane">
<meta property="article:published_time" content="2024-03-14T09:30:00+00:00">
<link rel="canonical" href="https://courier.example/news/harbour-bridge-reopens">
<script>window.dataLayer = [];</script>
<style>.byline { color: grey }</style>"""

ARTICLE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>{HEAD}</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our website.</p>
<button>Accept all</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main><article>
<h1>Harbour bridge reopens after storm repairs</h1>
<p class="byline">By Imogen Castellane</p>
{BODY}
<figure><img src="/img/bridge.jpg" alt="">
<figcaption>Welders on the bridge deck in late February, photographed by Tomas Ferrant.</figcaption></figure>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>Sign up for our newsletter to get the Courier's top stories in your inbox every morning.</p>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Storm closes coast road for the weekend</a></li>
<li><a href="/b">Ferry timetable changes announced</a></li></ul></aside>
</main>
<footer><p>© 2024 The Vellmar Courier. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def article() -> Document:
    return extract_html(ARTICLE, source="courier.html")


def page(body: str, *, head: str = HEAD, lang: str = ' lang="en"') -> str:
    return f"<!DOCTYPE html><html{lang}><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Harbour bridge reopens after storm repairs"),
        ("outlet", "The Vellmar Courier"),
        ("author", "Imogen Castellane"),
        ("published", "2024-03-14"),
        ("language", "en"),
        ("url", "https://courier.example/news/harbour-bridge-reopens"),
        ("format", "html"),
        ("source", "courier.html"),
        ("extractor", EXTRACTOR),
    ],
)
def test_metadata(article: Document, field: str, expected: str) -> None:
    assert getattr(article, field) == expected


def test_body_is_the_article_paragraphs_in_order(article: Document) -> None:
    assert article.text == "\n".join(PARAGRAPHS)
    assert article.id == document_id(article.text)
    assert "trafilatura/" in article.extractor


@pytest.mark.parametrize(
    "furniture",
    [
        "We use cookies",  # cookie banner
        "Accept all",
        "Home",  # navigation
        "Sport",
        "Share on Facebook",  # share buttons
        "Sign up for our newsletter",  # closing appeal
        "Related stories",  # related links
        "Ferry timetable",
        "All rights reserved",  # footer
        "Privacy policy",
        "Welders on the bridge deck",  # image caption
        "By Imogen Castellane",  # byline: kept as ``author``
        "Harbour bridge reopens",  # headline: kept as ``title``
        "window.dataLayer",  # scripts and styles
        "color: grey",
    ],
)
def test_body_excludes_page_furniture(article: Document, furniture: str) -> None:
    assert furniture not in article.text


@pytest.mark.parametrize(
    "dropped",
    ["We use cookies to improve your experience on our website.", "Share on Facebook", "Privacy policy", "Sport"],
)
def test_dropped_visible_text_is_kept_for_audit(article: Document, dropped: str) -> None:
    audit = [removed.text for removed in article.boilerplate]
    assert any(dropped in text for text in audit)
    assert {removed.reason for removed in article.boilerplate} == {BOILERPLATE}
    assert not any(PARAGRAPHS[0] in text for text in audit)


def test_audit_leaves_out_scripts(article: Document) -> None:
    assert not any("dataLayer" in removed.text for removed in article.boilerplate)


@pytest.mark.parametrize(
    ("head", "given", "expected"),
    [
        (HEAD, "https://mirror.example/bridge", "https://mirror.example/bridge"),  # the caller's URL wins
        (HEAD, None, "https://courier.example/news/harbour-bridge-reopens"),  # else rel=canonical
        (
            '<meta property="og:url" content="https://courier.example/og/bridge">',
            None,
            "https://courier.example/og/bridge",
        ),
        ("<title>No URL here</title>", None, None),
    ],
)
def test_url(head: str, given: str | None, expected: str | None) -> None:
    doc = extract_html(page(BODY, head=head), source="p.html", url=given)
    assert doc.url == expected


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        (' lang="de-AT"', "", "de"),
        (' lang="PT_br"', "", "pt"),
        ("", '<meta http-equiv="Content-Language" content="fr">', "fr"),
        ("", '<meta property="og:locale" content="es_ES">', "es"),
        (' lang="not a language!"', "", None),
        ("", "", None),
    ],
)
def test_language(lang: str, head: str, expected: str | None) -> None:
    assert extract_html(page(BODY, head=head, lang=lang), source="p.html").language == expected


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("unclosed paragraphs and divs", "<html><body><div><p>" + "<p>".join(PARAGRAPHS)),
        ("no html, head or body tags", "<title>Bridge</title>" + BODY),
        ("stray closing tags", "<html><body></span></div>" + BODY + "</td></table></body></html></html>"),
        ("unquoted attributes", "<html><body><div class=story id=main>" + BODY + "</div></body></html>"),
    ],
)
def test_malformed_html_still_extracts(name: str, html: str) -> None:
    doc = extract_html(html, source=name)
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text


@pytest.mark.parametrize(
    ("name", "html", "error"),
    [
        ("empty", "", EmptyInputError),
        ("whitespace", " \n\t ", EmptyInputError),
        ("empty body", "<html><head><title>Nothing</title></head><body></body></html>", EmptyInputError),
        ("comment only", "<!-- nothing to see -->", EmptyInputError),
        ("script only", "<script>document.write('hello')</script>", EmptyInputError),
        (
            "script-only body",
            page("<script>var story = {headline: 'Bridge reopens'};</script><noscript>Enable JavaScript.</noscript>"),
            EmptyInputError,
        ),
        (
            "navigation only",
            page(
                "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
                "<div class='menu'><ul><li><a href='/a'>Weather</a></li><li><a href='/b'>Letters</a></li></ul></div>"
                "<footer>© 2024 The Vellmar Courier</footer>"
            ),
            EmptyInputError,
        ),
        ("plain text", "The bridge reopened on Thursday, said Orla Penhallow.", FormatError),
        ("binary junk", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", FormatError),
    ],
)
def test_pages_without_article_text_raise(name: str, html: str, error: type[InputError]) -> None:
    with pytest.raises(error) as caught:
        extract_html(html, source=name)
    assert caught.value.source == name
    assert name in str(caught.value)


def test_hidden_elements_and_hover_cards_stay_out() -> None:
    body = (
        "<p>A long-serving councillor, <span class='person'><a href='/p/orla'>Orla Penhallow</a>"
        "<span class='tooltip-card'>Orla Penhallow: all stories about the transport committee chair</span></span>, "
        "said the bridge would be inspected every spring from now on, whatever the weather.</p>"
        "<div style='display: none'><p>Subscriber-only teaser that the page never shows to anyone.</p></div>"
        "<p hidden>An old draft paragraph that was left in the page by the content system.</p>" + BODY
    )
    doc = extract_html(page(body), source="p.html")
    assert "councillor, Orla Penhallow, said the bridge" in doc.text
    assert "all stories about" not in doc.text
    assert "Subscriber-only teaser" not in doc.text
    assert "old draft" not in doc.text


def test_embedded_posts_count_as_quoted_text() -> None:
    tweet = (
        "<div class='social-embed'><blockquote class='twitter-tweet'><p lang='en'>The harbour bridge is open again. "
        "Thank you to every welder and engineer who worked through the storm nights.</p>"
        "— Orla Penhallow (@orlapenhallow) March 14, 2024</blockquote></div>"
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3]) + tweet + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    doc = extract_html(page(f"<article>{body}</article>"), source="p.html")
    assert "Thank you to every welder and engineer" in doc.text


@pytest.mark.parametrize(
    "promo",
    [
        "Related: Storm closes coast road for the weekend",
        "Read more: Ferry timetable changes announced",
        "Follow us on Twitter and Facebook for the latest updates.",
        "Like this story? Share it with a friend!",
        "Reporting by Tomas Ferrant; Editing by Imogen Castellane",
    ],
)
def test_promotional_lines_are_trimmed(promo: str) -> None:
    doc = extract_html(page(f"<article>{BODY}<p>{promo}</p></article>"), source="p.html")
    assert promo not in doc.text
    assert PARAGRAPHS[-1] in doc.text


def test_repeated_lines_of_the_article_are_kept() -> None:
    question = "What do you say to drivers who were stuck on the coast road for six weeks this winter?"
    body = "".join(f"<h3>{question}</h3><p>{p}</p>" for p in PARAGRAPHS)
    doc = extract_html(page(f"<article>{body}</article>"), source="p.html")
    assert doc.text.count(question) == len(PARAGRAPHS)


def test_article_split_over_same_class_containers_is_read_whole() -> None:
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    rail = "<div class='ad-rail'>Advertisement</div>"
    body = (
        "<article><div class='story-chunks'>"
        f"<div class='grid'><div class='article-body chunk'>{first}</div>{rail}</div>"
        f"<div class='grid'><div class='article-body chunk'>{second}</div>{rail}</div>"
        "</div></article>"
    )
    doc = extract_html(page(body), source="p.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    assert "Advertisement" not in doc.text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div>a<!-- note -->b<script>x()</script>c<p>one<br>two</p>tail</div>", ["abc", "one", "two", "tail"]),
        ("<ul><li>first <b>bold</b> item</li><li>second</li></ul>", ["first bold item", "second"]),
        ("<p>  spaced \n\n out  </p>", ["spaced out"]),
    ],
)
def test_text_blocks(html: str, expected: list[str]) -> None:
    from lxml import html as lxml_html

    assert text_blocks(lxml_html.fromstring(f"<html><body>{html}</body></html>")) == expected


def test_page_readers_on_a_bare_page() -> None:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring("<html><body><p>x</p></body></html>")
    assert page_language(tree) is None
    assert canonical_url(tree) is None


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("xml declaration naming another charset", '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + ARTICLE),
        ("byte-order mark", "\ufeff" + ARTICLE),
        ("stray NUL deep in the page", ARTICLE.replace("third of", "third\x00 of")),
        ("windows line endings", ARTICLE.replace("\n", "\r\n")),
    ],
)
def test_decoded_oddities_still_extract(name: str, html: str) -> None:
    doc = extract_html(html, source=name)
    assert doc.text == "\n".join(PARAGRAPHS)
    assert doc.title == "Harbour bridge reopens after storm repairs"
