"""claimledger: who claims what in the news, through whom, and how many independent sources stand behind it.

The common case is one call (``ingest`` into a store, ``extract_documents`` without one);
the stages under it (``extract_html``, ``extract_text``) take a string and return a record.
"""

from typing import TYPE_CHECKING, Any

from claimledger.config import Options, __version__, load_options
from claimledger.errors import ClaimledgerError
from claimledger.ingest.html import extract_html
from claimledger.ingest.text import extract_text
from claimledger.pipeline import extract_documents, ingest_articles
from claimledger.store import Store, open_store
from claimledger.types import Attribution, Document, Failure, IngestReport, Removed, Segment, Span, TimeRef

if TYPE_CHECKING:
    from claimledger.attribution import extract_attributions


def __getattr__(name: str) -> Any:
    # spaCy takes most of a second to import: load the attribution engine only when it is asked for.
    if name == "extract_attributions":
        from claimledger.attribution import extract_attributions

        return extract_attributions
    raise AttributeError(f"module 'claimledger' has no attribute {name!r}")


__all__ = [
    "Attribution",
    "ClaimledgerError",
    "Document",
    "Failure",
    "IngestReport",
    "Options",
    "Removed",
    "Segment",
    "Span",
    "Store",
    "TimeRef",
    "__version__",
    "extract_attributions",
    "extract_documents",
    "extract_html",
    "extract_text",
    "ingest_articles",
    "load_options",
    "open_store",
]
