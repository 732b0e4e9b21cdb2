"""HTML pages → clean article text and metadata.

trafilatura in precision mode (comments off) gives the *base* text; two cheap second
opinions then repair it paragraph by paragraph:

- **continuation chunks**: some CMSs split an article over several containers sharing one
  class, and trafilatura keeps only the first; the prose of the others is added in place;
- **readability** (trafilatura's fork of readability-lxml): when it holds most of the base
  text, the two found the same article, so its new prose paragraphs fill gaps in the base
  (text sitting directly in a ``<div>``) and the base's leading and trailing paragraphs it
  lacks are dropped (related links, "about us" blurbs). When it disagrees, the base stands.

Nothing is added before the base text's first paragraph: what precedes it is a standfirst,
pull-quote or teaser far more often than a lost lead. Lines repeating the headline (kept
as ``title``) and short promotional lines (share, subscribe, "Related: …") go last.

Before either extractor runs, hidden elements, hover cards and image captions are pruned
and embedded posts (tweets) are unwrapped so they count as quoted text. Every visible block
of the page left out of the body is kept in ``Document.boilerplate`` for audit.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.readability_lxml import Document as Readability
from trafilatura.settings import set_date_params

from claimledger.errors import EmptyInputError, FormatError
from claimledger.identity import document_id
from claimledger.ingest.htmlmeta import (
    Chunks,
    canonical_url,
    continuation_chunks,
    expose_embeds,
    page_language,
    prune_noise,
    text_blocks,
    tokens,
)
from claimledger.ingest.limits import Deadline
from claimledger.types import Document, Removed

__all__ = ["EXTRACTOR", "extract_html"]

EXTRACTOR = f"claimledger-html/1 trafilatura/{trafilatura.__version__}"
BOILERPLATE = "html-boilerplate"

SHINGLE = 4  # paragraphs are compared as sets of 4-word shingles
AGREEMENT = 0.6  # share of the base text readability must hold for the two to agree
NOVEL = 0.8  # share of a paragraph's shingles missing from a text for it to be new there
PROSE_WORDS = 12  # an added paragraph is at least this long and ends like a sentence ...
LONG_PROSE_WORDS = 20  # ... or is this long (readability splits sentences around inline tags)
KEEP_AT_LEAST = 0.5  # edges are trimmed only while this share of the base's words remains
CHUNK_COVERED = 0.6  # share of a chunk container's text the base must hold for it to be the article's
ANCHOR_CHARS = 100  # base paragraphs long enough to find again in the page
ANCHORS = 3
PROMO_WORDS = 25  # promotional lines are short
BINARY_PROBE = 1024  # characters at the start where a NUL means binary data
FALLBACK_BELOW = 250  # characters: trafilatura's own threshold for trying its fallbacks

_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]»]\s*$")
# Short lines that introduce or advertise something else instead of continuing the article.
_PROMO = re.compile(
    r"""^\W*(?:
        related(?:\s+\w+){0,2}\s*: | read\s+more\b | more\s*: | also\s*: | also\s+on\s+[\w-]+\.[a-z]{2,}\b |
        you\s+(?:may|might)\s+also\s+like | don'?t\s+miss\s*(?::|$) | recommended\s*(?::|$|for\s+you) |
        (?:top|more)\s+stories\b | (?:like|enjoy(?:ed)?)\s+this\s+(?:story|article)\b | share\s+(?:this|on|via)\b |
        tell\s+us\s+what\b | (?:click|tap)\s+here\b | sign\s+up\b | subscribe\b | get\s+the\s+latest\b |
        follow\s+(?:us|(?!up\b)\w+)\s+on\b | filed\s+under\b | (?:\d+\s+)?comments?\s*$ | advertisement\s*$ | source\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Words of an appeal (newsletter, subscription, social accounts) and of a wire-copy credit line.
_APPEAL = re.compile(
    r"\bnewsletters?\b|\bsubscri(?:be|bers?|ptions?)\b|\bsign\s+up\b|\binbox\b|\bclick\s+here\b", re.IGNORECASE
)
_SOCIAL = re.compile(r"\bfollow\s+\w+(?:\s+\w+){0,4}\s+on\s+(?:twitter|facebook|instagram)\b", re.IGNORECASE)
# ... which closes an article only when it speaks to the reader or on the outlet's behalf.
_ADDRESSED = re.compile(
    r"\b(?:you|your|our|us)\b|^\W*(?:sign|subscribe|click|tap|get|join|download|register|follow|try)\b", re.IGNORECASE
)
_CREDIT = re.compile(r"^\W*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b|\bcontributed\s+reporting\b", re.I)
# Image captions and credits, which readability keeps and trafilatura drops.
_CAPTION = re.compile(
    r"\((?:image|photo|picture|credit)s?\s*:|\b(?:AP|AFP|Reuters|Getty)\s+(?:Photo|Images)\b|\bphoto\s*:", re.I
)
_SHORTCODE = re.compile(r"\[/\w+\]")  # an unrendered CMS shortcode: "[button ...]Send[/button]"


@dataclass(frozen=True)
class _Paragraph:
    text: str
    shingles: frozenset[tuple[str, ...]]
    words: int
    confirmed: bool = False  # found through the page's structure: readability's silence cannot drop it


def extract_html(html: str, *, source: str, url: str | None = None, time_limit: float = 0.0) -> Document:
    """Extract the main text and metadata of one HTML page.

    Raises ``FormatError`` when the input is not HTML at all, ``EmptyInputError`` when the page holds
    no article text (empty, navigation only, script only), and ``ParseTimeoutError`` when extraction
    runs past ``time_limit`` seconds (checked between its stages; 0: no limit).
    """
    deadline = Deadline(time_limit, source=source)
    tree = _parse(html, source)
    meta = trafilatura.extract_metadata(tree, default_url=url, date_config=_DATE_PARAMS)
    language = page_language(tree)
    page_url = canonical_url(tree)
    page = text_blocks(tree)  # everything visible, for the audit
    prune_noise(tree)
    expose_embeds(tree)
    deadline.check()
    base = _trafilatura_lines(tree, url, fast=True)
    deadline.check()
    second = _readability_lines(copy.deepcopy(tree))  # readability rewrites the tree it reads
    deadline.check()
    if _length(base) < FALLBACK_BELOW or (_length(second) > 2 * _length(base) and _agreement(base, second) < AGREEMENT):
        base = _trafilatura_lines(tree, url, fast=False)  # little or doubtful: let trafilatura's fallbacks judge
        deadline.check()
    chunks = continuation_chunks(tree, [line for line in base if len(line) >= ANCHOR_CHARS][:ANCHORS])
    paragraphs = _combine(base, second, chunks, title=meta.title)
    if not any(p.words for p in paragraphs):
        raise EmptyInputError(source, "no article text found in the HTML (navigation, scripts or an empty body only)")
    text = "\n".join(p.text for p in paragraphs)
    return Document(
        id=document_id(text),
        text=text,
        source=source,
        format="html",
        title=meta.title or None,
        outlet=meta.sitename or None,
        author=meta.author or None,
        published=meta.date or None,
        language=language,
        url=url or page_url or meta.url,
        boilerplate=_audit(page, paragraphs),
        extractor=EXTRACTOR,
    )


_DATE_PARAMS = set_date_params(False)  # htmldate's quick search; the extensive one costs more than it finds
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, default_doctype=False)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # characters XML cannot hold


def _parse(html: str, source: str) -> Any:
    if not html.strip():
        raise EmptyInputError(source, "the HTML is empty")
    if "<" not in html or "\x00" in html[:BINARY_PROBE]:
        raise FormatError(source, "this is not HTML (no markup, or binary data); ingest plain text as text")
    # A stray NUL or control character deep in a page is damage, not a sign of binary data; lxml
    # refuses such characters when the tree is edited later, so they go before parsing.
    html = NOT_XML.sub("", html)
    try:
        tree = lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except etree.ParserError as err:  # lxml's only complaint about markup: "Document is empty"
        raise EmptyInputError(source, f"the HTML holds no elements ({err})") from err
    except (ValueError, UnicodeError) as err:
        raise FormatError(source, f"the HTML cannot be parsed ({err}); check that the file is a web page") from err
    if tree.find("body") is None:
        raise EmptyInputError(source, "the HTML has no <body>, so no article text")
    return tree


def _trafilatura_lines(tree: Any, url: str | None, *, fast: bool) -> list[str]:
    """trafilatura's precision mode; ``fast`` skips its own readability/justext fallbacks, which
    double its cost and change nothing on a page where it finds a full article."""
    # bare_extraction works on its own copy of ``tree``
    result = trafilatura.bare_extraction(tree, url=url, fast=fast, favor_precision=True, include_comments=False)
    text = getattr(result, "text", None) or ""
    return [line for line in text.split("\n") if line.strip()]


def _length(lines: Sequence[str]) -> int:
    return sum(len(line) for line in lines)


def _agreement(base: Sequence[str], second: Sequence[str]) -> float:
    """The share of the base text's shingles that the second opinion holds too."""
    base_pool = _pool([_paragraph(line) for line in base])
    if not base_pool:
        return 0.0
    return len(base_pool & _pool([_paragraph(line) for line in second])) / len(base_pool)


def _readability_lines(tree: Any) -> list[str]:
    try:
        summary = Readability(tree, min_text_length=25).summary()
        return text_blocks(lxml_html.fromstring(summary)) if summary.strip() else []
    except Exception:  # a second opinion is optional: any failure in it means "no opinion"
        return []


def _paragraph(text: str) -> _Paragraph:
    words = tokens(text)
    if len(words) < SHINGLE:
        grams = frozenset({tuple(words)}) if words else frozenset()
    else:
        grams = frozenset(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return _Paragraph(text=text.strip(), shingles=grams, words=len(words))


def _pool(paragraphs: Sequence[_Paragraph]) -> set[tuple[str, ...]]:
    return set().union(*(p.shingles for p in paragraphs))


def _share_in(paragraph: _Paragraph, pool: set[tuple[str, ...]]) -> float:
    if not paragraph.shingles:
        return 1.0
    return len(paragraph.shingles & pool) / len(paragraph.shingles)


def _paragraphs(lines: Sequence[str], title: str | None, *, dedupe: bool = False) -> list[_Paragraph]:
    """Paragraphs without copies of the headline and, if asked, without repeated long lines."""
    headline = tuple(tokens(title or ""))
    seen: set[tuple[str, ...]] = set()
    out = []
    for line in lines:
        key = tuple(tokens(line))
        if len(headline) >= 3 and key == headline:
            continue
        if dedupe and len(key) >= 8:
            if key in seen:
                continue
            seen.add(key)
        out.append(_paragraph(line))
    return out


def _combine(
    base_lines: Sequence[str], second_lines: Sequence[str], chunks: Chunks | None, *, title: str | None
) -> list[_Paragraph]:
    base = _paragraphs(base_lines, title)
    second = _paragraphs(second_lines, title, dedupe=True)
    if not any(p.words for p in base):
        # trafilatura found nothing: readability alone is trusted only with some prose to show
        return _trim_promotions(second) if any(_addable(p) for p in second) else []
    if chunks is not None:
        base = _add_chunks(base, chunks, title)
    base_pool, second_pool = _pool(base), _pool(second)
    if len(base_pool & second_pool) < AGREEMENT * len(base_pool):
        return _trim_promotions(base)
    return _trim_promotions(_merge(base, second, base_pool, second_pool))


def _add_chunks(base: list[_Paragraph], chunks: Chunks, title: str | None) -> list[_Paragraph]:
    """Put the prose of the article's other chunks after the base text's own chunk."""
    pool = _pool(base)
    own = _pool(_paragraphs(chunks.container, title))
    if not own or len(own & pool) < CHUNK_COVERED * len(own):
        return base  # the container is not the article's: a teaser list, a whole-page wrapper
    inside = [i for i, p in enumerate(base) if p.words and _share_in(p, own) >= 0.5]
    if not inside:
        return base
    added = [
        replace(p, confirmed=True)
        for p in _paragraphs(chunks.after, title, dedupe=True)
        if _share_in(p, pool) <= 1 - NOVEL and _addable(p)
    ]
    last = inside[-1] + 1
    return base[:last] + added + base[last:]


def _addable(paragraph: _Paragraph) -> bool:
    """Prose that is neither an appeal nor an image caption."""
    text = paragraph.text
    long_enough = paragraph.words >= LONG_PROSE_WORDS or (
        paragraph.words >= PROSE_WORDS and _SENTENCE_END.search(text) is not None
    )
    return long_enough and not any(pattern.search(text) for pattern in (_APPEAL, _SOCIAL, _CREDIT, _CAPTION))


def _merge(
    base: list[_Paragraph],
    second: list[_Paragraph],
    base_pool: set[tuple[str, ...]],
    second_pool: set[tuple[str, ...]],
) -> list[_Paragraph]:
    """Add readability's new prose after its predecessor; drop the base's unconfirmed edges."""
    first_index: dict[tuple[str, ...], int] = {}
    for i, paragraph in enumerate(base):
        for gram in paragraph.shingles:
            first_index.setdefault(gram, i)
    inserts: dict[int, list[_Paragraph]] = {}
    anchor = -1  # the base paragraph readability's reading position has reached
    for paragraph in second:
        if _share_in(paragraph, base_pool) <= 1 - NOVEL:
            if anchor >= 0 and _addable(paragraph):
                inserts.setdefault(anchor, []).append(paragraph)
            continue
        hits = [first_index[g] for g in paragraph.shingles if g in first_index]
        if hits:
            anchor = max(anchor, min(hits))
    start, end = 0, len(base)
    while end > 0 and not base[end - 1].confirmed and _share_in(base[end - 1], second_pool) < 1 - NOVEL:
        end -= 1
    while start < end and not base[start].confirmed and _share_in(base[start], second_pool) < 1 - NOVEL:
        start += 1
    if sum(p.words for p in base[start:end]) < KEEP_AT_LEAST * sum(p.words for p in base):
        start, end = 0, len(base)  # readability missed too much for its edges to be trusted
    merged: list[_Paragraph] = []
    for i, paragraph in enumerate(base):
        if start <= i < end:
            merged.append(paragraph)
        merged.extend(inserts.get(i, []))
    return merged


def _trim_promotions(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """Drop short promotional lines anywhere, and appeals or credits closing the text."""
    kept = [
        p
        for p in paragraphs
        if not (p.words <= PROMO_WORDS and _PROMO.search(p.text)) and not _SHORTCODE.search(p.text)
    ]
    end = len(kept)
    while end > 0 and kept[end - 1].words <= 2 * PROMO_WORDS and _closes_with_appeal(kept[end - 1].text):
        end -= 1
    return kept[:end]


def _closes_with_appeal(text: str) -> bool:
    return bool(_CREDIT.search(text) or _SOCIAL.search(text) or (_APPEAL.search(text) and _ADDRESSED.search(text)))


def _audit(page: Sequence[str], body: Sequence[_Paragraph]) -> tuple[Removed, ...]:
    """The page's visible blocks that did not make it into the body."""
    pool = _pool(body)
    removed = []
    for block in page:
        paragraph = _paragraph(block)
        if paragraph.words and _share_in(paragraph, pool) < 0.5:
            removed.append(Removed(text=block, reason=BOILERPLATE))
    return tuple(removed)
