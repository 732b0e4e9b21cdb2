"""Write every view of the examples' ledger to a folder, so that two versions of the code can be compared byte
for byte (a structural change must not change a byte of them).

    python scripts/ledger_snapshot.py OUT            # then: diff -r OUT_BEFORE OUT_AFTER

It analyses ``examples/`` twice into fresh SQLite files: all at once, and one input at a time (the incremental
ledger), and writes ``claims --json``, ``claim ID --json`` for every claim, ``actors`` and ``report`` in every
format. The clock is frozen: ingest order follows ingest time (one-second resolution), so a run on a loaded
machine would otherwise group differently from one on an idle machine (see issue 15), which is not what
this compares; for the same reason string hashing is seeded (PYTHONHASHSEED=0). Run it with
``PYTHONPATH=OTHER/src`` to snapshot another checkout with the same environment.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("md", "html", "json", "jsonl", "csv", "claimreview", "graphml")


class FrozenClock(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> FrozenClock:
        return cls(2026, 3, 14, 12, 0, 0, tzinfo=UTC)


def freeze_clocks() -> None:
    """Every claimledger module's ``datetime`` is the frozen one (modules import the class, not the module)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("claimledger") and getattr(module, "datetime", None) is datetime:
            module.datetime = FrozenClock  # type: ignore[attr-defined]


def run(cli: Any, args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"claimledger {' '.join(args)} exited {result.exit_code}: {result.output}")
    return result.stdout


def snapshot(out: Path) -> None:
    from claimledger.cli.common import cli

    import_everything()
    freeze_clocks()
    out.mkdir(parents=True, exist_ok=False)
    examples = ROOT / "examples"
    inputs = [examples / "articles.jsonl", *sorted(p for p in examples.glob("*/*") if p.is_file())]
    full, incremental = out / "full.db", out / "incremental.db"
    run(cli, ["analyze", "--db", str(full), "--no-progress", str(examples)])
    for path in inputs:
        run(cli, ["analyze", "--db", str(incremental), "--no-progress", str(path)])
    for label, db in (("full", full), ("incremental", incremental)):
        claims = run(cli, ["claims", "--db", str(db), "--json", "--limit", "100000"])
        (out / f"{label}.claims.jsonl").write_text(claims, encoding="utf-8")
        ids = [line.split('"claim_id": "', 1)[1].split('"', 1)[0] for line in claims.splitlines() if line]
        each = "".join(run(cli, ["claim", "--db", str(db), claim_id, "--json"]) for claim_id in ids)
        (out / f"{label}.claim-each.json").write_text(each, encoding="utf-8")
        actors = run(cli, ["actors", "--db", str(db)]).replace(str(db), "DB")
        (out / f"{label}.actors.txt").write_text(actors, encoding="utf-8")
        for fmt in FORMATS:
            report = run(cli, ["report", "--db", str(db), "--format", fmt])
            (out / f"{label}.report.{fmt}").write_text(report, encoding="utf-8")
    for db in (full, incremental):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def import_everything() -> None:
    """Load the modules that read the clock before it is frozen (the CLI imports some lazily)."""
    import importlib
    import pkgutil

    import claimledger

    for info in pkgutil.walk_packages(claimledger.__path__, "claimledger."):
        if info.name.startswith(("claimledger.web", "claimledger.distributed")):
            continue  # FastAPI and Ray: not used here, slow to import
        importlib.import_module(info.name)


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":  # set iteration order decides some ties: make it one order
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to create (must not exist)")
    snapshot(parser.parse_args().out)


if __name__ == "__main__":
    main()
