"""Storage behind one interface: a SQLite file by default, a PostgreSQL server for teams.

Public names: :func:`open_store` (a location in, a migrated store out), the :class:`Store` interface,
:class:`SQLiteStore` and :class:`PostgresStore`, and the row records :class:`DocumentRow`, :class:`LedgerRow`.
Modules: ``base`` (the interface and its records), ``sqlite`` (the SQL store), ``sqlite_index`` (its claim
index tables), ``postgres`` (the same SQL on PostgreSQL), ``migrations/`` (numbered SQL files).
"""

from __future__ import annotations

from claimledger.store.base import DocumentRow, LedgerRow, Store
from claimledger.store.postgres import PostgresStore, is_postgres_location
from claimledger.store.sqlite import SQLiteStore


def open_store(location: str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``.

    A ``postgresql://`` (or ``postgres://``) URL opens PostgreSQL; anything else is a SQLite file path,
    or ``:memory:``.
    """
    if is_postgres_location(location):
        return PostgresStore(location)
    return SQLiteStore(location)


__all__ = ["DocumentRow", "LedgerRow", "PostgresStore", "SQLiteStore", "Store", "open_store"]
