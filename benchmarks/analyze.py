"""`analyze` on FNC-1 bodies: time per stage, and the cost of adding one article as the database grows.

    .venv/bin/python benchmarks/analyze.py [--bodies 300] [--sizes 100,1000,10000] [--repeats 5] [--rounds 3]
                                           [--rebuild-at 100,1000] [--cli] [--json OUT]
    .venv/bin/python benchmarks/analyze.py --quality     # incremental vs full grouping on Emergent

The last two lines are ``peak_rss_mib=N`` and ``add_one_ratio=R`` (the median add at the largest size over the
one at the smallest), for a command to check (issue 15).

1. Analyses the first ``--sizes[0]`` FNC-1 training bodies for real (ingest, attributions with spaCy, ledger),
   each with one of its FNC-1 headlines as title, and times each stage.
2. Grows the database to each size and keeps a copy: the rest of ``--bodies`` real bodies are analysed for
   real; beyond them, stored documents are cloned with new ids and lightly perturbed text (a sixth of the
   words swapped for corpus words of the same length, so attribution offsets stay valid) straight through
   the store, their statements joining their originals' claims in the persisted claim index, in chunks.
   Running the real NLP on 10,000 texts would take hours. ``--rebuild-at`` also times a full regrouping
   (``analyze --rebuild``) at that size.
3. Then, in ``--rounds`` rounds taking the sizes in turn, adds the same ``--repeats`` new real articles one
   at a time to a fresh copy of each size's database (ingest + attributions + ledger update, in process,
   models already loaded) and reports the median over all of them and its split per stage; with ``--cli``
   also the wall time of one ``claimledger analyze --db DB one.jsonl`` process (model loading included).

Everything lives in a temporary folder; nothing is written into the repository. Exits 0 with a message
when the data is absent. The added articles are real bodies that are not in the database.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger import identity  # noqa: E402
from claimledger.attribution import ENGINE_VERSION  # noqa: E402
from claimledger.claims import GROUPING_VERSION, bcubed, statement_items  # noqa: E402
from claimledger.claims.features import term_counts  # noqa: E402
from claimledger.config import Options  # noqa: E402
from claimledger.nlp import load_pipeline  # noqa: E402
from claimledger.pipeline import HEADLINE, attribute_stored, ingest_articles, rebuild_ledger, update_ledger  # noqa: E402
from claimledger.stance import load_stance_model  # noqa: E402
from claimledger.store import SQLiteStore  # noqa: E402
from claimledger.store.base import (  # noqa: E402
    DOCUMENT_COLUMNS,
    ClaimIndexWrite,
    IndexedStatement,
    attribution_values,
    document_values,
)
from claimledger.types import Attribution, ClaimItem, Document, Span  # noqa: E402

FNC1 = ROOT.parent / "shared" / "datasets" / "fnc1"
EMERGENT = ROOT.parent / "shared" / "datasets" / "emergent" / "emergent-train.csv"
CHUNK = 1000  # clones per write to the claim index while growing
ARCHIVED = "2026-01-01T00:00:00+00:00"  # when the clones' attributions were done
_WORD = re.compile(r"[A-Za-z]+")


def articles() -> list[tuple[str, str]]:
    """(headline, body) of every FNC-1 training body, in file order; the headline of a related stance row."""
    csv.field_size_limit(sys.maxsize)
    headline: dict[str, str] = {}
    with (FNC1 / "train_stances.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Stance"] != "unrelated":
                headline.setdefault(row["Body ID"], row["Headline"])
    with (FNC1 / "train_bodies.csv").open(encoding="utf-8") as fh:
        return [(headline[r["Body ID"]], r["articleBody"]) for r in csv.DictReader(fh) if r["Body ID"] in headline]


def write_jsonl(batch: list[tuple[str, str]], path: Path, start: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, (title, text) in enumerate(batch, start=start):
            day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
            record = {"text": text, "title": title, "outlet": f"outlet-{i % 50}", "published": day}
            fh.write(json.dumps(record) + "\n")
    return path


def timed(stages: dict[str, Callable[[], Any]]) -> tuple[dict[str, float], dict[str, Any]]:
    seconds, results = {}, {}
    for name, run in stages.items():
        started = time.perf_counter()
        results[name] = run()
        seconds[name] = time.perf_counter() - started
    return seconds, results


def analyze_in_process(store: SQLiteStore, inputs: list[str]) -> tuple[dict[str, float], dict[str, Any]]:
    return timed(
        {
            "ingest": lambda: ingest_articles(inputs, store=store, options=Options(db=store.location)),
            "attributions": lambda: attribute_stored(store),
            "ledger": lambda: update_ledger(store),
        }
    )


@dataclass(frozen=True)
class _Seed:
    """A stored document clones are made of, read once."""

    doc: Document
    found: list[Attribution]
    minhash: str
    bands: list[str]
    grouped: dict[int, tuple[str, str]]  # statement position → (claim id, stance edges as stored)
    words: list[tuple[int, int, tuple[int, bool]]]  # (start, end, (length, capitalised)) of each word


def _shapes(text: str) -> list[tuple[int, int, tuple[int, bool]]]:
    """(start, end, (length, capitalised)) of each word of ``text``: what a swapped-in word must match."""
    return [(m.start(), m.end(), (len(m.group()), m.group()[0].isupper())) for m in _WORD.finditer(text)]


class Cloner:
    """Clones of stored documents with new ids and lightly perturbed text, written in bulk.

    A clone's statements join the claims of its original's (a near-copy states the same claims) and enter
    the claim index with their own text, postings and document frequencies, without regrouping anything.
    Each chunk of clones is written in one transaction through the store's own row encoders (documents,
    sources, LSH bands, attributions and their stage marks), then through ``write_claim_index``: growing
    the database to 100,000 articles one store call per row spent most of its time committing.
    """

    def __init__(self, store: SQLiteStore, seeds: list[str], seed: int = 7) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.seeds: list[_Seed] = []
        self.vocabulary: dict[tuple[int, bool], list[str]] = {}
        with sqlite3.connect(store.location) as db:
            for doc_id in seeds:
                doc = store.get_document(doc_id)
                minhash = db.execute("SELECT minhash FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
                bands = [
                    r[0] for r in db.execute("SELECT band_key FROM document_bands WHERE document_id = ?", (doc_id,))
                ]
                rows = db.execute("SELECT position, claim_id, edges FROM claim_items WHERE document_id = ?", (doc_id,))
                grouped = {int(pos): (claim_id, edges) for pos, claim_id, edges in rows}
                words = _shapes(doc.text)
                self.seeds.append(_Seed(doc, store.get_attributions(doc_id), minhash, bands, grouped, words))
                for start, end, shape in words:
                    self.vocabulary.setdefault(shape, []).append(doc.text[start:end])

    def perturb(self, text: str, words: list[tuple[int, int, tuple[int, bool]]]) -> str:
        """``text`` with a sixth of its words swapped for corpus words of the same length and case."""
        pieces, at = [], 0
        for start, end, shape in sorted(self.rng.sample(words, len(words) // 6)):
            pool = self.vocabulary.get(shape)
            if pool:
                pieces += [text[at:start], self.rng.choice(pool)]
                at = end
        return "".join(pieces) + text[at:] if pieces else text

    def perturb_title(self, title: str) -> str:
        return self.perturb(title, _shapes(title))

    def clone(self, n: int, now: str) -> None:
        state = self.store.claim_index_state()
        seq = state.next_seq
        rows: dict[str, list[tuple[Any, ...]]] = {
            "documents": [],
            "sources": [],
            "bands": [],
            "attributions": [],
            "stages": [],
        }
        statements: list[IndexedStatement] = []
        postings: list[tuple[str, int]] = []
        frequencies: Counter[str] = Counter()
        marks: list[tuple[str, str]] = []
        taken: set[str] = set()
        for _ in range(n):
            seed = self.rng.choice(self.seeds)
            original = seed.doc
            text = self.perturb(original.text, seed.words)
            doc = dataclasses.replace(
                original, id=identity.document_id(text), text=text, source=f"clone-{self.rng.random()}",
                title=self.perturb_title(original.title or ""), outlet=f"outlet-{self.rng.randrange(200)}",
            )  # fmt: skip
            if doc.id in taken or self.store.has_document(doc.id):  # too short to change: the same text
                continue
            taken.add(doc.id)
            found = [_respan(a, text) for a in seed.found]
            rows["documents"].append(document_values(doc, seed.minhash, now))
            rows["sources"].append((doc.id, doc.source, now))
            rows["bands"] += [(band, doc.id) for band in seed.bands]
            rows["attributions"] += [attribution_values(doc.id, i, a) for i, a in enumerate(found)]
            # analysed long ago, as most of a real archive was
            rows["stages"].append((doc.id, "attributions", ENGINE_VERSION, ARCHIVED))
            items = statement_items(doc.id, found, published=doc.published)
            items.append((HEADLINE, ClaimItem(f"{doc.id}:{HEADLINE}", doc.title or "", doc.outlet, doc.published)))
            for position, item in items:
                if position not in seed.grouped or not item.text.strip():
                    continue
                claim_id, edges = seed.grouped[position]
                moved = [e | {"document_id": doc.id, "outlet": doc.outlet} for e in json.loads(edges)]
                for edge in moved:
                    if edge["kind"] == "article":
                        edge["actor"] = edge["origin"] = doc.outlet
                statements.append(
                    IndexedStatement(
                        seq, doc.id, position, claim_id, item.text, item.source, item.published, json.dumps(moved)
                    )
                )
                counts = term_counts(item.text)
                postings += [(key, seq) for key in counts.keys]
                frequencies.update(counts.words.keys())
                frequencies.update(counts.chars.keys())
                seq += 1
            marks.append((doc.id, f"{GROUPING_VERSION}/{ENGINE_VERSION}"))
        with sqlite3.connect(self.store.location) as db:  # one transaction: committed on leaving the block
            db.execute("PRAGMA busy_timeout = 30000")
            db.executemany(
                f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({', '.join('?' * 17)})", rows["documents"]
            )
            db.executemany("INSERT INTO document_sources VALUES (?, ?, ?)", rows["sources"])
            db.executemany("INSERT INTO document_bands VALUES (?, ?) ON CONFLICT DO NOTHING", rows["bands"])
            db.executemany("INSERT INTO attributions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows["attributions"])
            db.executemany("INSERT INTO document_stages VALUES (?, ?, ?, ?)", rows["stages"])
        db.close()
        write = ClaimIndexWrite(
            version=state.version, replace=False, items=state.items + len(statements), claims=state.claims,
            next_seq=seq, statements=tuple(statements), postings=tuple(postings),
            frequencies=tuple(frequencies.items()), marks=tuple(marks),
            attributed_through=self.store.analysis_progress()[1],
        )  # fmt: skip
        if not self.store.write_claim_index(write, expected_generation=state.generation, now=now):
            raise RuntimeError("the claim index changed while cloning")


def _respan(a: Attribution, text: str) -> Attribution:
    def span(s: Span | None) -> Span | None:
        return Span(s.start, s.end, text[s.start : s.end]) if s is not None else None

    source = span(a.source)
    speaker = source.text if a.source and source and a.speaker == a.source.text else a.speaker
    return dataclasses.replace(
        a, cue=span(a.cue) or a.cue, content=tuple(Span(s.start, s.end, text[s.start : s.end]) for s in a.content),
        source=source, speaker=speaker, via=tuple(Span(s.start, s.end, text[s.start : s.end]) for s in a.via),
    )  # fmt: skip


def index_figures(location: str) -> dict[str, int]:
    with sqlite3.connect(location) as db:

        def one(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0] or 0)

        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "statements": one("SELECT COUNT(*) FROM claim_items"),
            "claims": one("SELECT COUNT(*) FROM ledger"),
            "largest_claim": one("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM claim_members GROUP BY claim_id)"),
        }


def copy_database(location: str, target: Path) -> str:
    with sqlite3.connect(location) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def add_one(location: str, batch: list[tuple[str, str]], folder: Path) -> list[dict[str, float]]:
    """Add each article of ``batch`` in turn, in process, timing each stage."""
    runs = []
    with SQLiteStore(location) as store:
        for r, one in enumerate(batch):
            path = write_jsonl([one], folder / f"one-{r}.jsonl", 100_000 + r)
            seconds, results = analyze_in_process(store, [str(path)])
            runs.append(seconds | {"touched": results["ledger"].touched, "total": sum(seconds.values())})
    return runs


def grouping_quality(folder: Path, *, first_share: float = 0.2) -> dict[str, Any]:
    """B-cubed F1 of the ledger's claims on Emergent headlines (fold 0 of tests/test_quality_gate_claims.py):
    grouped all at once (``analyze --rebuild``) against grouped as they arrive (the first ``first_share``
    at once, then one article per ``analyze``). Each headline is an article with no attributions."""
    with (EMERGENT).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    claims = sorted({row["claimId"] for row in rows})
    random.Random(0).shuffle(claims)
    kept = set(claims[0::5])
    fold = [row for row in rows if row["claimId"] in kept]
    docs = [
        Document(
            id=identity.document_id(f"{n} {row['articleHeadline']}"),
            text=row["articleHeadline"],
            source=f"r{n}",
            format="text",
            title=row["articleHeadline"],
            outlet=row["source"],
        )
        for n, row in enumerate(fold)
    ]
    gold = {f"{doc.id}:{HEADLINE}": row["claimId"] for doc, row in zip(docs, fold, strict=True)}
    scores: dict[str, Any] = {"headlines": len(docs), "claims": len(kept)}
    for mode in ("rebuild", "incremental"):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with SQLiteStore(str(folder / f"quality-{mode}.db")) as store:
            started = time.perf_counter()
            first = len(docs) if mode == "rebuild" else int(len(docs) * first_share)
            for n, doc in enumerate(docs):
                store.add_document(doc, minhash="", bands=[], links=[], now=now)
                store.put_attributions(doc.id, [], version=ENGINE_VERSION, now=now)
                if n + 1 >= first:
                    update_ledger(store)
            predicted = {
                f"{doc_id}:{position}": row.claim_id
                for row in store.list_ledger(limit=None)
                for doc_id, position in store.get_ledger(row.claim_id).members
            }
            scores[mode] = dict(zip(("precision", "recall", "f1"), bcubed(predicted, gold), strict=True))
            scores[mode]["seconds"] = time.perf_counter() - started
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=300, help="real bodies analysed; more documents are clones")
    parser.add_argument("--sizes", default="100,1000,10000", help="database sizes at which one article is added")
    parser.add_argument("--repeats", type=int, default=5, help="articles added per round at each size")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the sizes (median of all adds)")
    parser.add_argument("--rebuild-at", default="", help="sizes at which a full --rebuild is also timed")
    parser.add_argument("--cli", action="store_true", help="also time one `claimledger analyze` process per size")
    parser.add_argument("--quality", action="store_true", help="only compare grouping quality on Emergent")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the databases here (default: a temp folder)")
    parser.add_argument("--reuse", action="store_true", help="measure on the databases already in --workdir")
    args = parser.parse_args(argv)
    if args.quality:
        if not EMERGENT.exists():
            print(f"skipped: {EMERGENT} not found")
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            quality = grouping_quality(Path(tmp))
        for mode in ("rebuild", "incremental"):
            q = quality[mode]
            print(
                f"{mode:12s} B-cubed P {q['precision']:.3f} R {q['recall']:.3f} F1 {q['f1']:.3f} "
                f"({quality['headlines']} Emergent headlines, {quality['claims']} claims; {q['seconds']:.0f} s)"
            )
        if args.json:
            args.json.write_text(json.dumps(quality, indent=2))
        return 0
    if not (FNC1 / "train_bodies.csv").exists():
        print(f"skipped: {FNC1} not found")
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    rebuild_at = {int(s) for s in args.rebuild_at.split(",") if s}
    corpus = articles()
    base, fresh = corpus[: args.bodies], corpus[args.bodies : args.bodies + args.repeats + 1]
    figures: dict[str, Any] = {"bodies": args.bodies, "repeats": args.repeats, "sizes": {}}
    load_pipeline()
    load_stance_model()
    with contextlib.nullcontext(str(args.workdir)) if args.workdir else tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        location = str(folder / "grow.db")
        reused = args.reuse and all((folder / f"size-{size}.db").exists() for size in sizes)
        if reused:
            print(f"reusing the databases in {folder}")
            for size in sizes:
                figures["sizes"][size] = {"index": index_figures(str(folder / f"size-{size}.db")), "add_one": []}
        else:
            store = SQLiteStore(location)
            first = min(sizes[0], len(base))
            stages, _ = analyze_in_process(store, [str(write_jsonl(base[:first], folder / "base-0.jsonl", 0))])
            figures["first_analysis"] = stages
            total = sum(stages.values())
            print(f"analyze of {first} FNC-1 bodies: {total:.1f} s")
            for name, seconds in stages.items():
                print(f"  {name:13s} {seconds:8.1f} s  {seconds / total:6.1%}  {first / seconds:8.1f} docs/s")
            real_done, cloner = first, None
            for size in sizes:
                started = time.perf_counter()
                if store.count_documents() < size and real_done < len(base):
                    upto = min(len(base), real_done + size - store.count_documents())
                    path = write_jsonl(base[real_done:upto], folder / f"base-{real_done}.jsonl", real_done)
                    analyze_in_process(store, [str(path)])
                    real_done = upto
                while store.count_documents() < size:
                    if cloner is None:
                        cloner = Cloner(store, [row.id for row in store.list_documents(limit=real_done)])
                    now = datetime.now(UTC).isoformat(timespec="seconds")
                    cloner.clone(min(CHUNK, size - store.count_documents()), now)
                if time.perf_counter() - started > 1:
                    print(f"  grew to {store.count_documents()} documents in {time.perf_counter() - started:.0f} s")
                at_size: dict[str, Any] = {"index": index_figures(location)}
                if size in rebuild_at:
                    with SQLiteStore(copy_database(location, folder / "rebuild.db")) as other:
                        started = time.perf_counter()
                        rebuild_ledger(other)
                        at_size["rebuild_s"] = time.perf_counter() - started
                    (folder / "rebuild.db").unlink()
                copy_database(location, folder / f"size-{size}.db")
                figures["sizes"][size] = at_size | {"add_one": []}
            store.close()
        # The same new articles at every size, each time on a fresh copy of that size's database; the sizes
        # take turns, round after round, so that a slow spell of this shared machine hits them alike.
        for _ in range(args.rounds):
            for size in sizes:
                measured = copy_database(str(folder / f"size-{size}.db"), folder / "measure.db")
                figures["sizes"][size]["add_one"] += add_one(measured, fresh[: args.repeats], folder)
                Path(measured).unlink()
        for size in sizes:
            at_size = figures["sizes"][size]
            runs = at_size["add_one"]
            at_size["median_s"] = statistics.median(run["total"] for run in runs)
            at_size["median_stage_s"] = {
                name: statistics.median(run[name] for run in runs) for name in ("ingest", "attributions", "ledger")
            }
            if args.cli:
                measured = copy_database(str(folder / f"size-{size}.db"), folder / "measure.db")
                one = write_jsonl(fresh[args.repeats :], folder / "cli.jsonl", 200_000)
                command = [str(ROOT / ".venv" / "bin" / "claimledger"), "analyze", "--db", measured, "--no-progress"]
                started = time.perf_counter()
                process = subprocess.Popen([*command, str(one)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory, not the largest child's
                process.returncode = os.waitstatus_to_exitcode(status)
                if process.returncode != 0:
                    raise subprocess.CalledProcessError(process.returncode, command)
                at_size["cli_s"] = time.perf_counter() - started
                at_size["cli_peak_mib"] = usage.ru_maxrss / 1024
                Path(measured).unlink()
            split = ", ".join(f"{k} {v:.3f}" for k, v in at_size["median_stage_s"].items())
            extra = f"; full rebuild {at_size['rebuild_s']:.1f} s" if "rebuild_s" in at_size else ""
            extra += (
                f"; CLI process {at_size['cli_s']:.1f} s, peak {at_size['cli_peak_mib']:.0f} MiB"
                if "cli_s" in at_size
                else ""
            )
            touched = statistics.median(run["touched"] for run in runs)
            print(
                f"  adding one article to {size:>6} articles: {at_size['median_s']:.3f} s median of {len(runs)} "
                f"({split}; {touched:.0f} claims touched){extra}\n      index: {at_size['index']}"
            )
    smallest = figures["sizes"][sizes[0]]["median_s"]
    ratios = {size: figures["sizes"][size]["median_s"] / smallest for size in sizes}
    figures["ratio_to_smallest"] = ratios
    print("  ratio to the smallest: " + ", ".join(f"{s}: {r:.2f}x" for s, r in ratios.items()))
    figures["add_one_ratio"] = ratios[sizes[-1]]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mib={peak:.0f}")
    # the last line, for a command to check (issue 15): median add at the largest size over the smallest
    print(f"add_one_ratio={ratios[sizes[-1]]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
