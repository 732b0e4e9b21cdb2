"""claimledger: who claims what in the news, through whom, and how many independent sources stand behind it.

The common case is one call (``ingest`` into a store, ``extract_documents`` without one);
the stages under it (``extract_html``, ``extract_text``) take a string and return a record.
"""

from claimledger.config import Options, __version__, load_options
from claimledger.errors import ClaimledgerError
from claimledger.ingest.html import extract_html
from claimledger.ingest.text import extract_text
from claimledger.pipeline import extract_documents, ingest_articles
from claimledger.store import Store, open_store
from claimledger.types import Document, Failure, IngestReport, Removed, Segment, Span

__all__ = [
    "ClaimledgerError",
    "Document",
    "Failure",
    "IngestReport",
    "Options",
    "Removed",
    "Segment",
    "Span",
    "Store",
    "__version__",
    "extract_documents",
    "extract_html",
    "extract_text",
    "ingest_articles",
    "load_options",
    "open_store",
]
