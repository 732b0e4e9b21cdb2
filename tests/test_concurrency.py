"""Two ingesting processes and the web server on one database at once: nothing lost, nothing doubled.

Real processes (the ``claimledger`` command), a real server (``claimledger serve`` on a free loopback
port) and a real database: a SQLite file in WAL mode, and a PostgreSQL schema. The two ingests overlap on
purpose: a third of the articles reach both, through different files, and must be stored once with both
sources remembered.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimledger.store import open_store

from .conftest_stores import BACKENDS, locations

CLI = [str(Path(sys.executable).with_name("claimledger"))]
ARTICLES = 36


def _article(n: int) -> str:
    return (
        f"Harbour notice {n}\n\n"
        f"The harbour office of Velmstad said on Monday that berth {n} would close for {n + 2} days of repairs "
        f"to the quay wall, and that ferries to Ostra Island would use berth {n + 40} instead. "
        f"Pilot Anja Ferrol told the Velmstad Courier that the work on berth {n} was overdue.\n"
    )


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with locations(request.param, tmp_path) as new:
        yield new("shared")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            reply.read()
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_two_ingests_and_the_server_share_one_database(database: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for n in range(ARTICLES):
        if n < 2 * ARTICLES // 3:  # articles 0..23 go to the first ingest
            (first / f"a{n}.txt").write_text(_article(n), encoding="utf-8")
        if n >= ARTICLES // 3:  # articles 12..35 to the second: 12..23 reach both
            (second / f"b{n}.txt").write_text(_article(n), encoding="utf-8")
    with open_store(database):  # create and migrate before the race, as a deployment would
        pass
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([*CLI, "serve", "--db", database, "--port", str(port)], stdout=sink, stderr=sink)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/api/claims") == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        ingests = [
            subprocess.Popen([*CLI, "ingest", "--db", database, "--json", str(folder)], stdout=subprocess.PIPE)
            for folder in (first, second)
        ]
        statuses = []
        while any(p.poll() is None for p in ingests):  # the server keeps answering while both write
            statuses += [_get(f"{base}/api/claims"), _get(f"{base}/claims")]
        outputs = [p.communicate(timeout=120)[0] for p in ingests]  # reads and closes each pipe
        assert [p.returncode for p in ingests] == [0, 0], outputs
        assert statuses
        assert set(statuses) == {200}
    finally:
        server.terminate()
        server.wait(timeout=30)
    reports = [json.loads(out) for out in outputs]
    overlap = ARTICLES // 3
    assert sum(r["added"] for r in reports) == ARTICLES  # each article added by exactly one process
    assert sum(r["unchanged"] for r in reports) == overlap  # and found already there by the other
    assert [r["failed"] for r in reports] == [0, 0]
    with open_store(database) as store:
        assert store.count_documents() == ARTICLES
        rows = store.list_documents(limit=ARTICLES + 10)
        assert len({row.id for row in rows}) == ARTICLES
        assert sorted(int((row.title or "-1").split()[-1]) for row in rows) == list(range(ARTICLES))
        for row in rows:
            number = int(row.title.split()[-1]) if row.title else -1
            expected = 2 if ARTICLES // 3 <= number < 2 * ARTICLES // 3 else 1
            assert len(store.sources(row.id)) == expected, (row.title, store.sources(row.id))
        assert store.integrity_check() == "ok"
