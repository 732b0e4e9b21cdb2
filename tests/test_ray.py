"""analyze on Ray (claimledger.distributed): a real local Ray with 2 CPUs, compared with the single-process path.

One Ray runtime serves the whole module (starting one takes ~15 s here). Workers are killed by process id,
the ids Ray reports with each finished batch.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimledger import distributed
from claimledger.config import Options
from claimledger.errors import ClusterError, ModelError
from claimledger.pipeline import attribute_stored, ingest_articles, update_ledger
from claimledger.store import Store, open_store
from claimledger.types import Document
from tests.conftest import EXAMPLES
from tests.test_warc import MARKET, ORCHARD, TOLL, Rec, write_warc

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'claimledger[ray]')")

pytestmark = pytest.mark.slow

ARTICLE_COUNT = 9  # examples/: 4 HTML pages, 2 text files, 3 JSONL lines


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        yield ray
        ray.shutdown()


class CountingStore:
    """A store that counts the attribution writes per document."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.writes: Counter[str] = Counter()

    def put_attributions(self, document_id: str, *args: Any, **kwargs: Any) -> None:
        self.writes[document_id] += 1
        self.store.put_attributions(document_id, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def snapshot(store: Store) -> dict[str, Any]:
    """What a run leaves in the store, without timestamps: documents, their sources and links, attributions."""
    ids = sorted(store.get_documents([row.id for row in store.list_documents(limit=10_000)]))
    return {
        doc_id: (
            store.get_document(doc_id),
            sorted(store.sources(doc_id)),
            sorted(store.near_duplicates(doc_id)),
            store.get_attributions(doc_id),
        )
        for doc_id in ids
    }


def ledger(location: str) -> list[tuple[Any, ...]]:
    """The ledger a run left: each claim with its wording, status and origins on each side."""
    with open_store(location) as store:
        return sorted(
            (r.claim_id, r.text, r.status, r.origins_for, r.origins_against) for r in store.list_ledger(limit=None)
        )


def local_run(inputs: list[str], db: Path) -> tuple[dict[str, Any], int]:
    options = Options(db=str(db))
    with open_store(options.db) as store:
        ingest_articles(inputs, store=store, options=options)
        attribute_stored(store)
        claims = update_ledger(store).claims
        return snapshot(store), claims


@pytest.fixture(scope="module")
def examples_local(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], int]:
    return local_run([str(EXAMPLES)], tmp_path_factory.mktemp("local") / "local.db")


def ray_run(
    inputs: list[str], db: Path, **kwargs: Any
) -> tuple[distributed.RayRun, dict[str, Any], Counter[str], list[distributed.RayProgress]]:
    options = Options(db=str(db))
    events: list[distributed.RayProgress] = []
    on_progress = kwargs.pop("on_progress", None)

    def record(event: distributed.RayProgress) -> None:
        events.append(event)
        if on_progress is not None:
            on_progress(event)

    with open_store(options.db) as opened:
        store = CountingStore(opened)
        run = distributed.analyze_on_ray(inputs, store=store, options=options, on_progress=record, **kwargs)  # type: ignore[arg-type]
        return run, snapshot(opened), store.writes, events


def test_ray_run_stores_what_the_single_process_run_stores(
    cluster: Any, tmp_path: Path, examples_local: tuple[dict[str, Any], int]
) -> None:
    local, _ = examples_local
    run, stored, writes, events = ray_run([str(EXAMPLES)], tmp_path / "ray.db", batch_size=2)
    assert len(local) == ARTICLE_COUNT
    assert stored == local
    assert writes == Counter(dict.fromkeys(local, 1))
    assert run.analysed == {doc_id: len(found) for doc_id, (_, _, _, found) in local.items()}
    assert sum(run.analysed.values()) > 0
    assert run.ledger.claims == len(ledger(str(tmp_path / "ray.db"))) > 0
    # The stances scored on the cluster give the ledger this process's give, on the same store. (Not against
    # the local run's ledger: grouping follows the documents' ingest times, and those differ between runs.)
    assert run.stance_tasks >= 1
    again = tmp_path / "again.db"
    with sqlite3.connect(tmp_path / "ray.db") as source, sqlite3.connect(again) as target:
        source.backup(target)
    with open_store(str(again)) as store:
        update_ledger(store, rebuild=True)
    assert ledger(str(tmp_path / "ray.db")) == ledger(str(again))
    assert run.workers == 2
    assert len(run.worker_pids) == 2  # each actor, one process with one spaCy pipeline, took batches
    assert (run.retried, run.workers_lost) == (0, 0)
    assert run.batches == 5  # 9 documents, 2 per batch
    assert run.ingest.ok
    assert len(run.ingest.added) == ARTICLE_COUNT
    assert events[-1] == distributed.RayProgress("attributions", 9, 9, events[-1].documents, events[-1].worker)
    assert [e.done for e in events if e.stage == "ingest"] == [2, 4, 6, 7]  # 7 files, 2 per task


def test_killed_worker_is_replaced_and_every_document_is_written_once(
    cluster: Any, tmp_path: Path, examples_local: tuple[dict[str, Any], int]
) -> None:
    local, _ = examples_local
    killed: list[int] = []

    def kill_first_worker(event: distributed.RayProgress) -> None:
        if event.stage == "attributions" and not killed:
            assert event.worker is not None
            assert event.worker != os.getpid()
            os.kill(event.worker, signal.SIGKILL)  # the worker still has a batch queued, with more to come
            killed.append(event.worker)

    run, stored, writes, _ = ray_run([str(EXAMPLES)], tmp_path / "ray.db", batch_size=1, on_progress=kill_first_worker)
    assert killed
    assert run.workers_lost == 1
    assert run.retried >= 1
    assert stored == local
    assert writes == Counter(dict.fromkeys(local, 1))  # exactly once, the retried batches included
    assert run.batches == ARTICLE_COUNT


def test_an_interrupted_run_resumes_where_it_stopped(
    cluster: Any, tmp_path: Path, examples_local: tuple[dict[str, Any], int]
) -> None:
    local, _ = examples_local

    class Interrupted(Exception):
        pass

    def stop_after_three(event: distributed.RayProgress) -> None:
        if event.stage == "attributions" and event.done == 3:
            raise Interrupted

    options = Options(db=str(tmp_path / "ray.db"))
    with open_store(options.db) as opened:
        store = CountingStore(opened)
        with pytest.raises(Interrupted):
            distributed.analyze_on_ray(
                [str(EXAMPLES)],
                store=store,
                options=options,
                batch_size=1,
                on_progress=stop_after_three,  # type: ignore[arg-type]
            )
        first = dict(store.writes)
        assert len(first) == 3
        run = distributed.analyze_on_ray([str(EXAMPLES)], store=store, options=options, batch_size=1)  # type: ignore[arg-type]
        assert len(run.ingest.unchanged) == ARTICLE_COUNT
        assert not run.ingest.added
        assert set(run.analysed) == set(local) - set(first)  # only what the first run left
        assert store.writes == Counter(dict.fromkeys(local, 1))
        assert snapshot(opened) == local


def test_warc_archive_and_bad_inputs(cluster: Any, tmp_path: Path) -> None:
    data, _ = write_warc(
        [
            Rec("https://brackenford-herald.example/bridge-toll", TOLL),
            Rec("https://saltreach-post.example/night-market", MARKET),
            Rec("https://harlow-vale.example/orchard-prize", ORCHARD),
        ],
        gz=True,
    )
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "crawl.warc.gz").write_bytes(data)
    (inputs / "empty.txt").write_bytes(b"")  # read on a worker: a failure record, not an exception
    given = [str(inputs), str(tmp_path / "missing.html")]  # the second fails while planning, on the driver
    local, _ = local_run(given, tmp_path / "local.db")
    run, stored, writes, _ = ray_run(given, tmp_path / "ray.db", batch_size=1, workers=5)
    assert run.workers == 2  # no more actors than the cluster's 2 CPUs: a third would wait for ever
    assert len(stored) == 3
    assert stored == local
    assert {doc.url for doc, *_ in stored.values()} == {
        "https://brackenford-herald.example/bridge-toll",
        "https://saltreach-post.example/night-market",
        "https://harlow-vale.example/orchard-prize",
    }
    assert writes == Counter(dict.fromkeys(local, 1))
    assert sorted((Path(f.source).name, f.code) for f in run.ingest.failures) == [
        ("empty.txt", "E103"),
        ("missing.html", "E100"),
    ]


@pytest.mark.parametrize(
    ("address", "message"),
    [("127.0.0.1:1", "cannot reach the Ray cluster at 127.0.0.1:1"), ("nowhere", "is not host:port")],
)
def test_unreachable_address_is_a_clear_error(tmp_path: Path, address: str, message: str) -> None:
    options = Options(db=str(tmp_path / "ray.db"))
    with open_store(options.db) as store:
        with pytest.raises(ClusterError, match=message) as caught:
            distributed.analyze_on_ray([str(EXAMPLES)], store=store, options=options, address=address)
        assert caught.value.code == "E400"
        assert store.count_documents() == 0


def test_missing_ray_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if it were not installed
    options = Options(db=str(tmp_path / "ray.db"))
    with open_store(options.db) as store, pytest.raises(ClusterError, match=r"claimledger\[ray\]"):
        distributed.analyze_on_ray([str(EXAMPLES)], store=store, options=options)


def test_a_worker_without_its_model_reports_the_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ModelError("the spaCy pipeline is not installed")

    monkeypatch.setattr("claimledger.nlp.load_pipeline", broken)
    attributor = distributed.Attributor()
    with pytest.raises(ModelError, match="not installed"):
        attributor.extract([Document(id="x", text="Mira Tolvey said the ferry left.", source="t", format="text")])


def test_bad_arguments(tmp_path: Path) -> None:
    options = Options(db=str(tmp_path / "ray.db"))
    with open_store(options.db) as store:
        with pytest.raises(ValueError, match="batch_size"):
            distributed.analyze_on_ray([], store=store, options=options, batch_size=0)
        with pytest.raises(ValueError, match="workers"):
            distributed.analyze_on_ray([], store=store, options=options, workers=0)


def test_cli_analyze_on_ray(cluster: Any, runner: Any, tmp_path: Path) -> None:
    from claimledger.cli import cli

    db = str(tmp_path / "cli.db")
    result = runner.invoke(cli, ["analyze", "--engine", "ray", "--db", db, "--json", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["added"], summary["analysed"]) == (ARTICLE_COUNT, ARTICLE_COUNT)
    assert summary["claims"] > 0
    again = runner.invoke(cli, ["analyze", "--engine", "ray", "--db", db, "--json", str(EXAMPLES)])
    assert json.loads(again.output)["analysed"] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--engine", "ray", "--address", "127.0.0.1:1"], 1, "[E400] cannot reach the Ray cluster at 127.0.0.1:1"),
        (["--workers", "2"], 2, "--address and --workers need --engine ray"),
        (["--engine", "spark"], 2, "'spark' is not one of 'local', 'ray'"),
    ],
)
def test_cli_engine_errors(runner: Any, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    from claimledger.cli import cli

    result = runner.invoke(cli, ["analyze", *args, "--db", str(tmp_path / "cli.db"), str(EXAMPLES)])
    assert result.exit_code == code
    assert message in " ".join(result.output.split())


def test_stance_on_the_cluster_matches_stance_here(cluster: Any) -> None:
    from claimledger.stance import classify_stances

    harbour = "Harbour master Tomas Quill said the ferry Aurelia was held at Port Velden for six hours."
    council = "The council of Lindmark voted to close the old tram depot, mayor Odile Fenn said."
    pairs = [
        ("The ferry Aurelia was held at Port Velden", harbour),
        ("Lindmark will close its tram depot", council),
        ("The Aurelia crew were detained", harbour),
        ("Odile Fenn resigned", council),
        ("Port Velden is closed", harbour),
    ]
    stance = distributed.RayStance(cluster, chunk=2)
    assert stance(pairs) == classify_stances(pairs)  # the same results, in the order given
    assert stance.tasks == 3
    assert stance([]) == []


def test_stance_errors_on_the_cluster_are_the_library_errors(cluster: Any) -> None:
    from claimledger.errors import EmptyInputError

    with pytest.raises(EmptyInputError, match="the claim is empty"):
        distributed.RayStance(cluster)([(" ", "Some article text about Port Velden.")])
