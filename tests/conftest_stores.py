"""Database locations for tests: a SQLite file, or a fresh schema on a real PostgreSQL server.

The server is ``CL_TEST_POSTGRES`` (default: the local one, trust auth, database ``test``). Each
location gets its own schema (named in the URL's ``search_path``), dropped when the test ends. When the
server cannot be reached the PostgreSQL cases skip with the reason, unless ``CL_REQUIRE_POSTGRES``
is set (``.ci/run`` sets it): then they fail, so CI never passes by skipping the second store. (Not
``CLAIMLEDGER_*``: that prefix is reserved for settings, and an unknown setting is an error.)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

BACKENDS = ("sqlite", "postgresql")
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"


def server() -> str:
    return os.environ.get("CL_TEST_POSTGRES", DEFAULT_SERVER)


@cache
def unreachable() -> str | None:
    """Why the test server cannot be used, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(server(), autocommit=True, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL test server {server()} unreachable: {str(exc).strip().splitlines()[0]}"
    return None


def require_postgres() -> None:
    reason = unreachable()
    if reason is None:
        return
    if os.environ.get("CL_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason} (CL_REQUIRE_POSTGRES is set: CI needs the PostgreSQL run)")
    pytest.skip(reason)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A store URL whose tables live in a schema of their own, dropped afterwards."""
    import psycopg

    require_postgres()
    schema = "cltest_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server(), autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in server() else "?"
        try:
            yield f"{server()}{separator}options={quote(f'-csearch_path={schema}')}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def locations(backend: str, folder: Path) -> Iterator[Callable[[str], str]]:
    """A factory of fresh database locations of one backend, all removed on exit."""
    with ExitStack() as stack:

        def new(name: str = "test") -> str:
            if backend == "sqlite":
                return str(folder / f"{name}.db")
            return stack.enter_context(postgres_schema())

        yield new
