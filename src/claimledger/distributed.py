"""``analyze --engine ray``: the same stages as :mod:`claimledger.pipeline`, spread over a Ray cluster.

The driver (this process) is the only one that touches the store. It plans the inputs, sends batches of
work items to Ray tasks that read them (:func:`~claimledger.ingest.sources.read_item`) and stores the
documents that come back in plan order with :func:`~claimledger.pipeline.store_documents`, so duplicates and
near-duplicates are decided by one writer, as in a single-process run. Attribution extraction then runs on a
pool of Ray actors, each loading the spaCy pipeline once; the driver sends them batches of stored documents
and writes each document's attributions with its stage mark (one transaction) as the results come back.

A worker that dies loses only its in-flight batches: the driver starts a new actor in its place and sends
those batches again. A document is written once: its result is stored only if no result for it was
stored in this run, and a document is only ever sent again if its batch produced no result. A run that
is itself interrupted resumes on the next one, since only documents without a stage mark are pending.

The ledger update runs on the driver, which alone reads and writes the claim index in the store; the article
stances it asks for (each article's stance toward the claims its headline joins) are scored on the cluster,
in chunks of pairs given to Ray tasks (the stance model is loaded once per worker process; a task whose
worker dies runs again elsewhere).
"""

from __future__ import annotations

import logging
import os
import socket
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from claimledger import pipeline
from claimledger.config import Options
from claimledger.errors import ClaimledgerError, ClusterError
from claimledger.ingest.sources import Item, is_url, plan, read_item
from claimledger.store.base import Store
from claimledger.types import Attribution, Document, Failure, IngestReport, StanceResult

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Attributor", "RayProgress", "RayRun", "RayStance", "analyze_on_ray", "classify_chunk", "read_items"]

DEFAULT_BATCH_SIZE = 8  # documents per attribution batch; work items per ingest task
IN_FLIGHT = 2  # batches queued per actor, so it never waits for the driver to write
STANCE_CHUNK = 32  # (claim, article) pairs per stance task
MAX_ATTEMPTS = 3  # tries per batch before the run gives up on the cluster
_CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class RayProgress:
    """One step of a distributed run, for progress bars: ``done`` of ``total`` in ``stage``.

    ``stage`` is ``ingest`` (work items read) or ``attributions`` (documents analysed); ``documents``
    are the ids just written and ``worker`` the process id of the Ray worker that produced them.
    """

    stage: str
    done: int
    total: int
    documents: tuple[str, ...] = ()
    worker: int | None = None


@dataclass(frozen=True)
class RayRun:
    """What one distributed analyze run did."""

    ingest: IngestReport
    analysed: dict[str, int]  # attributions found per document analysed in this run
    ledger: Any  # what the ledger stage returned (claimledger.ledger.LedgerUpdate)
    workers: int  # actors in the attribution pool
    batches: int  # attribution batches that came back
    retried: int = 0  # batches sent again because their worker died
    workers_lost: int = 0  # actors that died and were replaced
    stance_tasks: int = 0  # stance tasks the ledger update ran on the cluster
    address: str | None = None  # the cluster connected to; None for a local Ray started and stopped here
    worker_pids: tuple[int, ...] = field(default=(), compare=False)


def read_items(items: Sequence[Item], *, options: Options, follow: bool = False) -> list[Document | Failure]:
    """The documents and failures of ``items``, in order: the ingest task each Ray worker runs."""
    return [found for item in items for found in read_item(item, options=options, follow=follow)]


class Attributor:
    """A Ray actor's state: the spaCy pipeline, loaded once, applied to batches of documents."""

    def __init__(self) -> None:
        from claimledger.nlp import load_pipeline

        self.nlp: Language | None = None
        self.error: ClaimledgerError | None = None
        try:
            self.nlp = load_pipeline()
        except ClaimledgerError as exc:  # reported with the first batch, as the library error it is
            self.error = exc

    def extract(self, documents: Sequence[Document]) -> tuple[int, list[tuple[str, list[Attribution]]]]:
        """This worker's process id and each document's attributions."""
        from claimledger.attribution import extract_attributions

        if self.error is not None:
            raise self.error
        return os.getpid(), [(doc.id, extract_attributions(doc, nlp=self.nlp)) for doc in documents]


def analyze_on_ray(
    inputs: Sequence[str],
    *,
    store: Store,
    options: Options,
    address: str | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    follow: bool = False,
    stdin: BinaryIO | None = None,
    rebuild: bool = False,
    on_progress: Callable[[RayProgress], None] | None = None,
) -> RayRun:
    """Ingest ``inputs``, extract attributions and update the ledger, with the reading and the extraction on Ray.

    Connects to the cluster at ``address`` (``host:port``, ``ray://host:port`` or ``auto``) when given, else
    starts a local Ray with ``workers`` CPUs (default: all) and stops it at the end. A Ray already started in
    this process (``ray.init``) is used as it is and left running. The attribution actors, one CPU each,
    number ``workers`` (default: the cluster's CPUs), at most the cluster's CPUs. Standard input (``-``) is
    read on the driver.

    The documents and attributions stored are those of :func:`claimledger.pipeline.ingest_articles` followed
    by :func:`claimledger.pipeline.attribute_stored` on the same inputs.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    with _cluster(address, workers) as ray:
        # One CPU per actor: more actors than CPUs would wait for a CPU that the others never give back.
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        size = min(workers or cpus, cpus)
        report = _ingest(ray, inputs, store=store, options=options, follow=follow, stdin=stdin,
                         batch_size=batch_size, ahead=2 * size, on_progress=on_progress)  # fmt: skip
        pool = _AttributionPool(ray, store, size=size, batch_size=batch_size, on_progress=on_progress)
        analysed = pool.run()
        stance = RayStance(ray)
        ledger = pipeline.update_ledger(store, rebuild=rebuild, classify=stance)
    return RayRun(
        ingest=report, analysed=analysed, ledger=ledger, workers=size, batches=pool.batches, retried=pool.retried,
        workers_lost=pool.lost, stance_tasks=stance.tasks, address=address, worker_pids=tuple(sorted(pool.pids)),
    )  # fmt: skip


# -- stance --------------------------------------------------------------------------------------------


def classify_chunk(pairs: list[tuple[str, str]]) -> list[StanceResult]:
    """The stance task each Ray worker runs: the shipped model, loaded once per worker process."""
    from claimledger.stance import classify_stances

    return classify_stances(pairs)


class RayStance:
    """A :data:`~claimledger.ledger.StanceClassifier` that scores its pairs on the Ray cluster.

    The pairs go out in chunks of ``chunk`` as Ray tasks, those of one article side by side (the model
    computes an article's features once per chunk), and come back in the order given. A task whose worker
    dies is run again, up to ``MAX_ATTEMPTS`` times in all.
    """

    def __init__(self, ray: Any, *, chunk: int = STANCE_CHUNK) -> None:
        self.ray = ray
        self.chunk = chunk
        self.tasks = 0
        self._task = ray.remote(classify_chunk).options(max_retries=MAX_ATTEMPTS - 1)

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        order = sorted(range(len(pairs)), key=lambda i: (pairs[i][1], i))
        chunks = [order[start : start + self.chunk] for start in range(0, len(order), self.chunk)]
        refs = [self._task.remote([pairs[i] for i in chunk]) for chunk in chunks]
        try:
            answers = self.ray.get(refs)
        except self.ray.exceptions.RayTaskError as exc:
            raise _unwrap(self.ray, exc) from None
        except self.ray.exceptions.RayError as exc:
            raise _cluster_lost(exc, "stance scoring") from None
        self.tasks += len(refs)
        results: dict[int, StanceResult] = {}
        for chunk, answer in zip(chunks, answers, strict=True):
            results.update(zip(chunk, answer, strict=True))
        return [results[i] for i in range(len(pairs))]


# -- the cluster ---------------------------------------------------------------------------------------


@contextmanager
def _cluster(address: str | None, workers: int | None) -> Iterator[Any]:
    """The ``ray`` module, connected: to ``address``, to the Ray this process already runs, or to a new local one."""
    try:
        import ray
    except ImportError:
        raise ClusterError(
            "Ray is not installed; install it with `pip install 'claimledger[ray]'`, or use --engine local"
        ) from None
    if address is not None:
        _check_reachable(address)
    if ray.is_initialized():
        yield ray
        return
    try:
        ray.init(
            address=address, num_cpus=workers if address is None else None, include_dashboard=False,
            logging_level=logging.ERROR,  # not its notes on a cluster we start and stop ourselves
        )  # fmt: skip
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise ClusterError(f"cannot start or reach {where}: {_first_line(exc)}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def _check_reachable(address: str) -> None:
    """Fail fast, with a clear message, when a ``host:port`` address does not answer (Ray itself waits a minute)."""
    target = address.removeprefix("ray://")
    if target in {"auto", "local"} or is_url(target):
        return
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        raise ClusterError(f"--address {address!r} is not host:port, ray://host:port or auto")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise ClusterError(
            f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}. Start one with "
            "`ray start --head` (and give the address it prints), or leave out --address to run on this machine"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _cluster_lost(exc: BaseException, what: str) -> ClusterError:
    return ClusterError(f"{what} kept failing on the Ray cluster ({type(exc).__name__}): {_first_line(exc)}")


def _unwrap(ray: Any, exc: BaseException) -> BaseException:
    """The library error a Ray task raised, when it raised one; else the Ray error itself."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayTaskError) and isinstance(cause, ClaimledgerError):
        return cause
    return exc


# -- ingest --------------------------------------------------------------------------------------------


def _ingest(
    ray: Any,
    inputs: Sequence[str],
    *,
    store: Store,
    options: Options,
    follow: bool,
    stdin: BinaryIO | None,
    batch_size: int,
    ahead: int,
    on_progress: Callable[[RayProgress], None] | None,
) -> IngestReport:
    """Read the planned items on Ray tasks and store what comes back, in plan order, on the driver.

    At most ``ahead`` tasks run or wait ahead of the batch being stored, so a large archive never sits
    whole in the object store.
    """
    items, planned_failures = plan(inputs)
    reports = [pipeline.store_documents(planned_failures, store=store, options=options)]
    # Standard input exists only here; the rest goes to the cluster, batch_size items per task, in order.
    batches: list[list[Item]] = []
    for item in items:
        if item.kind == "stdin" or not batches or batches[-1][0].kind == "stdin" or len(batches[-1]) >= batch_size:
            batches.append([])
        batches[-1].append(item)
    task = ray.remote(read_items).options(max_retries=MAX_ATTEMPTS)
    window: deque[Any] = deque()  # tasks submitted ahead of the one being stored, at most `ahead`

    def submit(index: int) -> None:
        if index < len(batches):
            batch = batches[index]
            window.append(None if batch[0].kind == "stdin" else task.remote(batch, options=options, follow=follow))

    for index in range(ahead):
        submit(index)
    done = 0
    for index, batch in enumerate(batches):
        ref = window.popleft()
        submit(index + ahead)
        if ref is None:
            found = [f for item in batch for f in read_item(item, options=options, follow=follow, stdin=stdin)]
        else:
            try:
                found = ray.get(ref)
            except ray.exceptions.RayTaskError as exc:  # the stage itself raised: as in a single-process run
                raise _unwrap(ray, exc) from None
            except ray.exceptions.RayError as exc:  # its worker died MAX_ATTEMPTS times, or the cluster went away
                raise _cluster_lost(exc, f"reading {batch[0].value}") from None
        reports.append(pipeline.store_documents(found, store=store, options=options))
        done += len(batch)
        if on_progress is not None:
            on_progress(RayProgress("ingest", done, len(items)))
    return IngestReport(
        added=tuple(d for r in reports for d in r.added),
        unchanged=tuple(d for r in reports for d in r.unchanged),
        near_duplicates=tuple(n for r in reports for n in r.near_duplicates),
        failures=tuple(f for r in reports for f in r.failures),
    )


# -- attributions --------------------------------------------------------------------------------------


@dataclass
class _Batch:
    documents: list[str]
    attempts: int = 0


class _AttributionPool:
    """Actors that extract attributions; the driver keeps each busy and writes what comes back."""

    def __init__(
        self,
        ray: Any,
        store: Store,
        *,
        size: int,
        batch_size: int,
        on_progress: Callable[[RayProgress], None] | None,
    ) -> None:
        self.ray = ray
        self.store = store
        self.size = size
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.actor_class = ray.remote(Attributor).options(num_cpus=1, max_restarts=0, max_task_retries=0)
        self.actors: list[Any] = []
        self.generation: list[int] = []
        self.batches = 0
        self.retried = 0
        self.lost = 0
        self.pids: set[int] = set()

    def run(self) -> dict[str, int]:
        todo = pipeline.pending_attributions(self.store)
        queue = deque(_Batch(todo[i : i + self.batch_size]) for i in range(0, len(todo), self.batch_size))
        written: dict[str, int] = {}
        if not queue:
            return written
        self.actors = [self.actor_class.remote() for _ in range(min(self.size, len(queue)))]
        self.generation = [0] * len(self.actors)
        in_flight: dict[Any, tuple[int, int, _Batch]] = {}  # ref → (slot, actor generation, batch)
        try:
            while queue or in_flight:
                self._fill(queue, in_flight)
                ready, _ = self.ray.wait(list(in_flight), num_returns=1)
                for ref in ready:
                    slot, generation, batch = in_flight.pop(ref)
                    try:
                        pid, results = self.ray.get(ref)
                    except self.ray.exceptions.RayActorError as exc:
                        self._replace(slot, generation)
                        if batch.attempts >= MAX_ATTEMPTS:
                            raise _cluster_lost(exc, "attribution extraction") from None
                        self.retried += 1
                        queue.appendleft(batch)
                        continue
                    except self.ray.exceptions.RayTaskError as exc:
                        raise _unwrap(self.ray, exc) from None
                    self._write(results, written, worker=pid, total=len(todo))
        finally:
            for actor in self.actors:
                self.ray.kill(actor)
        return written

    def _fill(self, queue: deque[_Batch], in_flight: dict[Any, tuple[int, int, _Batch]]) -> None:
        load = [0] * len(self.actors)
        for slot, _, _ in in_flight.values():
            load[slot] += 1
        while queue:
            slot = min(range(len(self.actors)), key=load.__getitem__)
            if load[slot] >= IN_FLIGHT:
                return
            batch = queue.popleft()
            batch.attempts += 1
            found = self.store.get_documents(batch.documents)
            documents = [found[doc_id] for doc_id in batch.documents if doc_id in found]
            in_flight[self.actors[slot].extract.remote(documents)] = (slot, self.generation[slot], batch)
            load[slot] += 1

    def _replace(self, slot: int, generation: int) -> None:
        """Start a new actor in ``slot`` unless the dead one was replaced already (by an earlier failed batch)."""
        if self.generation[slot] != generation:
            return
        self.ray.kill(self.actors[slot])
        self.actors[slot] = self.actor_class.remote()
        self.generation[slot] += 1
        self.lost += 1

    def _write(
        self, results: list[tuple[str, list[Attribution]]], written: dict[str, int], *, worker: int, total: int
    ) -> None:
        self.batches += 1
        self.pids.add(worker)
        fresh = []
        for doc_id, found in results:
            if doc_id in written:  # a batch sent twice whose first answer arrived after all
                continue
            pipeline.store_attributions(doc_id, found, store=self.store)
            written[doc_id] = len(found)
            fresh.append(doc_id)
        if self.on_progress is not None:
            self.on_progress(RayProgress("attributions", len(written), total, tuple(fresh), worker))
