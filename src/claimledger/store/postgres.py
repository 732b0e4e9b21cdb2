"""The team store: the same schema and the same SQL as the SQLite store, on a PostgreSQL server.

The migrations and queries are written in the SQL both engines share (TEXT/INTEGER/REAL columns,
``ON CONFLICT``, ``LOWER(x) LIKE ?``), so this module only supplies what differs: the connection, the
placeholder style, and how a write transaction is serialised. SQLite lets one writer in at a time
(``BEGIN IMMEDIATE``); here every write transaction takes one transaction-level advisory lock, which gives
the same guarantee across processes and machines (the claim index update reads, then writes, and must
not interleave with another), while readers never wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from claimledger.errors import StoreError
from claimledger.store.sqlite import SQLiteStore

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a core dependency; this guards broken installs
    psycopg = None  # type: ignore[assignment]

__all__ = ["POSTGRES_SCHEMES", "PostgresStore", "is_postgres_location", "redact"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_WRITE_LOCK = 0x636C6D6C  # "clml": the advisory lock every write transaction holds


def is_postgres_location(location: str) -> bool:
    return location.startswith(POSTGRES_SCHEMES)


def redact(location: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _sql(statement: str) -> str:
    """sqlite3's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled first)."""
    return statement.replace("%", "%%").replace("?", "%s")


class _Connection:
    """The part of ``sqlite3.Connection`` the SQL store calls, over one psycopg connection in autocommit mode
    (transactions are opened with explicit BEGIN/COMMIT, as with sqlite3's ``isolation_level=None``)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._connection.cursor()
        cursor.execute(_sql(statement), tuple(params))
        return cursor

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> Any:
        cursor = self._connection.cursor()
        batch = [tuple(row) for row in rows]
        if batch:
            cursor.executemany(_sql(statement), batch)
        return cursor

    def close(self) -> None:
        self._connection.close()


def connect(location: str) -> _Connection:
    if psycopg is None:  # pragma: no cover
        raise StoreError("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'")
    try:
        return _Connection(psycopg.connect(location, autocommit=True, connect_timeout=10))
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"cannot connect to PostgreSQL at {redact(location)}: {reason}. "
            "Is the server running, and does the database exist?"
        ) from None


@contextmanager
def write_transaction(db: _Connection, location: str) -> Iterator[_Connection]:
    """BEGIN, take the write lock, yield; COMMIT, or ROLLBACK and raise StoreError on a database error."""
    try:
        db.execute("BEGIN")
        db.execute(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")
    except psycopg.Error as exc:
        _rollback(db)
        raise StoreError(f"cannot write to {redact(location)}: {exc}") from None
    try:
        yield db
    except psycopg.Error as exc:
        _rollback(db)
        raise StoreError(f"write to {redact(location)} failed and was rolled back: {exc}") from None
    except BaseException:
        _rollback(db)
        raise
    db.execute("COMMIT")


def _rollback(db: _Connection) -> None:
    with suppress(psycopg.Error):  # the connection is gone: nothing was committed
        db.execute("ROLLBACK")


class PostgresStore(SQLiteStore):
    """PostgreSQL with the SQLite store's schema, migrations and queries (see the module docstring)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._db = connect(location)  # type: ignore[assignment]
        try:
            self._migrate()
        except StoreError:
            self._db.close()
            raise

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with write_transaction(self._db, self.location) as db:  # type: ignore[arg-type]
            yield db

    def integrity_check(self) -> str:
        """PostgreSQL enforces keys and constraints on every write; this checks the server answers."""
        self._db.execute("SELECT 1").fetchone()
        return "ok"
