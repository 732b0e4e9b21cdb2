"""Storage behind one interface: a SQLite file by default."""

from __future__ import annotations

from claimledger.store.base import DocumentRow, LedgerRow, Store
from claimledger.store.sqlite import SQLiteStore


def open_store(location: str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``: a SQLite path or ``:memory:``."""
    return SQLiteStore(location)


__all__ = ["DocumentRow", "LedgerRow", "SQLiteStore", "Store", "open_store"]
