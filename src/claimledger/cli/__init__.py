"""The ``claimledger`` command: the group in ``common``, its commands in one module per subject.

Public names: :data:`cli` (the click group) and :func:`main` (the console script). Modules: ``common`` (the
group, options, store opening, progress bars, error translation), ``documents`` (ingest, extract, documents,
show, settings), ``analysis`` (attributions, analyze, group, stance, eval), ``ledger`` (claims, claim, actors,
report), ``web`` (serve). Each command parses, calls one library function and renders.
"""

from __future__ import annotations

from claimledger.cli import analysis, documents, ledger, web  # noqa: F401  (importing registers the commands)
from claimledger.cli.common import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="claimledger")
