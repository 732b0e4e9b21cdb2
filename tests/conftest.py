"""Shared fixtures: the development data beside the repo, a store, the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.config import Options
from claimledger.store import Store, open_store

from .conftest_stores import BACKENDS, locations

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"
SEED_ARTICLE = SHARED / "corpus" / "seed" / "000_9ce259030b0ff029.txt"
SEED_GOLD = SHARED / "gold" / "seed-000.json"


def need_shared(path: Path) -> Path:
    """Skip the calling test cleanly when ``../shared`` data is not on this machine."""
    if not path.exists():
        pytest.skip(f"development data not found: {path}")
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Every test that takes a store runs on SQLite and on PostgreSQL (see conftest_stores)."""
    return str(request.param)


@pytest.fixture
def options(backend: str, tmp_path: Path) -> Iterator[Options]:
    with locations(backend, tmp_path) as new:
        yield Options(db=new("test"))


@pytest.fixture
def store(options: Options) -> Iterator[Store]:
    with open_store(options.db) as opened:
        yield opened


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
