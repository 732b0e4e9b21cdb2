import pytest

from claimledger.ingest.dates import find_date, guess_language
from claimledger.ingest.text import extract_text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["March 13, 2026 · 4 min read"], "2026-03-13"),
        (["By Ines Vale | 11 Mar 2026"], "2026-03-11"),
        (["Updated: Sept. 5th, 2025 at 10:00"], "2025-09-05"),
        (["Published 2026-01-30T08:00:00Z"], "2026-01-30"),
        (["February 30, 2026", "June 1, 2026"], "2026-06-01"),
        (["No date here", "Share this"], None),
        ([], None),
    ],
)
def test_find_date(lines: list[str], expected: str | None) -> None:
    assert find_date(lines) == expected


def test_guess_language() -> None:
    english = "The mayor of Carrow said on Monday that the bridge would reopen, and that it was safe for cars."
    assert guess_language(english * 2) == "en"
    assert guess_language("Der Bürgermeister von Carrow sagte am Montag, dass die Brücke wieder öffnet. " * 3) is None
    assert guess_language("too short") is None


def test_scraped_page_dateline_becomes_published() -> None:
    page = (
        "Bridge at Carrow to Reopen Friday\n\nBy Ines Vale | March 9, 2026\n\n"
        "Mayor Odile Fenn said on Monday that the bridge at Carrow would reopen on Friday after repairs.\n\n"
        "Engineers told the Carrow Courier that the work had finished ahead of schedule.\n"
    )
    doc = extract_text(page, source="page.txt")
    assert doc.published == "2026-03-09"
    assert doc.author == "Ines Vale"
    assert doc.language == "en"
