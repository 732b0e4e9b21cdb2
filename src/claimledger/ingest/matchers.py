"""How a boilerplate rule matches a paragraph: the ``Cue`` record and the matchers it may carry.

A cue's pattern is anything with a ``search(text)`` method (``Matcher``): a compiled regex, or
``InOrder`` / ``AnyOf``, which combine regexes in linear time where a single regex would
backtrack. The rules themselves are in ``claimledger.ingest.boilerplate_cues``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

__all__ = ["AnyOf", "Cue", "InOrder", "Matcher"]


class Matcher(Protocol):
    def search(self, text: str) -> object: ...


@dataclass(frozen=True)
class InOrder:
    """Matches a line where ``first`` is followed by ``then``, as the regex ``first.*then`` would, in
    linear time: that regex retries the rest of the line from every match of ``first``, which is
    quadratic on a long paragraph ("we we we ..." of 24 KB took 6 s)."""

    first: re.Pattern[str]
    then: re.Pattern[str]

    def search(self, text: str) -> bool:
        for line in text.split("\n"):
            found = self.first.search(line)
            if found is not None and self.then.search(line, found.end()) is not None:
                return True
        return False


@dataclass(frozen=True)
class AnyOf:
    """Matches where any of its matchers does."""

    matchers: tuple[Matcher, ...]

    def search(self, text: str) -> bool:
        return any(m.search(text) for m in self.matchers)


@dataclass(frozen=True)
class Cue:
    """One boilerplate phrase: its family, pattern, and the longest paragraph it applies to."""

    reason: str
    pattern: Matcher
    max_words: int | None = None  # ``None``: applies to paragraphs of any length
    opens: str | None = None  # what a line like this starts: an "appeal", a "list", or the page "footer"
