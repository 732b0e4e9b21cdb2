"""The ``claimledger`` command: the group in ``common``, its commands in one module per subject."""

from __future__ import annotations

from claimledger.cli import analysis, documents, ledger, web  # noqa: F401  (importing registers the commands)
from claimledger.cli.common import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="claimledger")
