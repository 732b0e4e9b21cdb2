"""Readers and cleaners over a parsed HTML page, used by ``claimledger.ingest.html``.

- ``text_blocks``: the visible text as blocks, for the audit and for readability's output;
- ``prune_noise`` and ``expose_embeds``: prepare the tree for the extractors;
- ``continuation_chunks``: the other parts of an article split over same-class containers;
- ``page_language`` and ``canonical_url``: metadata trafilatura lacks (it has no language and
  prefers ``og:url`` to ``rel=canonical``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from lxml import etree

__all__ = [
    "Chunks",
    "canonical_url",
    "continuation_chunks",
    "expose_embeds",
    "page_language",
    "prune_noise",
    "text_blocks",
    "tokens",
]

# Elements that break the text flow: each starts a new block.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is never visible text.
_SKIP_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "select"}
)
_WORD = re.compile(r"\w+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Hover cards and tooltips repeat linked names and headlines inside a sentence; they are never shown
# inline. Only the card itself is matched (``tooltip``, ``rollover-people-block``), never the wrapper
# that also holds the visible link (``rollover-people``).
_POPUP_CLASS = re.compile(
    r"(?:^|\s)(?:tooltip|popover|rollover|hovercard)"
    r"(?:(?:[-_][\w-]*)?[-_](?:block|body|box|card|content|inner|panel|text|wrapper))?(?=\s|$)",
    re.IGNORECASE,
)
_CAPTION_TAGS = frozenset({"figcaption"})
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "noscript"})  # page furniture, never the article's text
# A class token naming a caption or photo credit (``caption``, ``wp-caption-text``, ``image_credit``).
_CAPTION_CLASS = re.compile(r"(?:^|\s)(?:[\w-]*[-_])?(?:caption|credit)s?(?:[-_][\w-]*)?(?=\s|$)", re.IGNORECASE)
CAPTION_MAX_WORDS = 100  # a longer "caption" is a mislabelled container: keep it
_NEVER_PRUNED = frozenset({"html", "body", "main", "article"})
_PRUNE_CANDIDATES = etree.XPath(
    "//figcaption | //nav | //footer | //aside | //noscript | //*[@hidden] | //*[re:test(@style, 'none|hidden', 'i')]"
    " | //*[re:test(@class, 'tooltip|popover|rollover|hovercard|caption|credit', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
_EMBED_XPATH = (
    "//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' instagram-media ')]"
)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, the unit every text comparison here works on."""
    return _WORD.findall(text.lower())


def _tag(element: Any) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


def text_blocks(root: Any) -> list[str]:
    """The visible text of ``root`` as whitespace-normalised blocks, in document order."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            blocks.append(text)

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = _tag(element)
        if closing:
            if tag in _BLOCK_TAGS:
                flush()
        elif tag is not None and tag not in _SKIP_TAGS:
            if tag in _BLOCK_TAGS or tag == "br":
                flush()
            if element.text:
                buf.append(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        if element is not root and element.tail:
            buf.append(element.tail)
    flush()
    return blocks


def prune_noise(root: Any) -> None:
    """Drop, in place, what is never article text: hidden elements, hover cards, captions, nav, footer, aside."""
    doomed = []
    for element in _PRUNE_CANDIDATES(root):  # a coarse XPath filter first: iterating in Python is slow
        tag = _tag(element)
        if tag is None or tag in _NEVER_PRUNED:
            continue
        attrs = element.attrib
        classes = attrs.get("class", "")
        if (
            tag in _CAPTION_TAGS
            or tag in _CHROME_TAGS
            or "hidden" in attrs
            or _HIDDEN_STYLE.search(attrs.get("style", ""))
            or _POPUP_CLASS.search(classes)
            or (_CAPTION_CLASS.search(classes) and len(element.text_content().split()) <= CAPTION_MAX_WORDS)
        ):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def expose_embeds(root: Any) -> None:
    """Strip the class of embedded posts (tweets, Instagram) and of wrappers holding only them.

    Articles quote posts through the platforms' ``<blockquote class="twitter-tweet">`` embed
    code; the quoted words are part of the story, but "social" and "embed" classes read as
    share widgets to extractors, which then drop them.
    """
    for quote in root.xpath(_EMBED_XPATH):
        text = " ".join(quote.text_content().split())
        element = quote
        while element is not None and _tag(element) not in _NEVER_PRUNED:
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
            element = element.getparent()
            if element is None or " ".join(element.text_content().split()) != text:
                break


@dataclass(frozen=True)
class Chunks:
    """Text blocks of the containers that continue the one holding the main text."""

    container: tuple[str, ...]  # the blocks of the container itself
    after: tuple[str, ...]  # blocks of the same-class containers later in the page


ANCHOR_TOKENS = 10  # a paragraph is found in the page by its first words
MAX_CLIMB = 4  # how far above the anchor paragraph a chunk container may sit
MAX_LINK_SHARE = 0.3  # a chunk mostly made of link text is a teaser list, not a continuation
PROSE_BLOCK_WORDS = 15
PROSE_SHARE = 0.6  # ... and so is one whose words are not mostly in paragraph-length blocks


def continuation_chunks(root: Any, anchors: Iterable[str]) -> Chunks | None:
    """Find an article split over several containers that share one class, as some CMSs do.

    ``anchors`` are paragraphs already extracted; the closest ancestor of the first one found
    whose exact ``class`` recurs elsewhere in the page is the chunk container, and the other
    elements of that tag and class (outside it, not mostly links) are its continuations.
    """
    keys = {tuple(words[:ANCHOR_TOKENS]) for words in map(tokens, anchors) if len(words) >= ANCHOR_TOKENS}
    if not keys:
        return None
    found = next((p for p in root.iter("p") if tuple(tokens(p.text_content())[:ANCHOR_TOKENS]) in keys), None)
    if found is None:
        return None
    for depth, container in enumerate(found.iterancestors()):
        if depth >= MAX_CLIMB or _tag(container) in _NEVER_PRUNED:
            return None
        classes = container.get("class", "").strip()
        if not classes:
            continue
        lineage = set(container.iterancestors())
        cousins = [
            e
            for e in root.iter(container.tag)
            if e is not container
            and e.get("class", "").strip() == classes
            and e not in lineage
            and not any(a is container for a in e.iterancestors())
        ]
        if cousins:
            break
    else:
        return None
    order = {e: i for i, e in enumerate(root.iter())}
    after: list[str] = []
    for cousin in sorted(cousins, key=order.__getitem__):
        if order[cousin] < order[container] or _link_share(cousin) > MAX_LINK_SHARE:
            continue
        blocks = text_blocks(cousin)
        if _mostly_prose(blocks):
            after.extend(blocks)
    return Chunks(tuple(text_blocks(container)), tuple(after))


def _mostly_prose(blocks: Sequence[str]) -> bool:
    """Most words sit in paragraph-length blocks (not menus, bylines or teaser lists)."""
    counts = [len(tokens(block)) for block in blocks]
    total = sum(counts)
    return total > 0 and sum(n for n in counts if n >= PROSE_BLOCK_WORDS) >= PROSE_SHARE * total


def _link_share(element: Any) -> float:
    total = len(element.text_content())
    if total == 0:
        return 1.0
    return sum(len(a.text_content()) for a in element.iter("a")) / total


def _first(values: Iterable[Any]) -> str | None:
    for value in values:
        text = str(value).strip()
        if text:
            return text
    return None


def page_language(root: Any) -> str | None:
    """The page's declared language as a lower-case primary tag (``en``, ``pt``), if any."""
    declared = _first(
        chain(
            root.xpath("/html/@lang"),
            root.xpath("/html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}),
            root.xpath("//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content"),
            root.xpath("//meta[@property='og:locale']/@content"),
        )
    )
    if declared is None:
        return None
    code = declared.split(",")[0].strip()
    if not _LANG.match(code):
        return None
    return code.replace("_", "-").split("-")[0].lower()


def canonical_url(root: Any) -> str | None:
    """The page's own absolute URL: ``<link rel=canonical>``, else ``og:url``."""
    found = _first(
        chain(
            root.xpath("//link[translate(@rel,'CANOICL','canoicl')='canonical']/@href"),
            root.xpath("//meta[@property='og:url']/@content"),
        )
    )
    if found is None or not found.startswith(("http://", "https://")):
        return None
    return found
