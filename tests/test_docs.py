"""The README's promises: its first lines are the two commands, and what it documents exists."""

import re

from claimledger.cli import cli

from .conftest import REPO


def test_readme_starts_with_the_two_commands() -> None:
    head = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    commands = [line.split("#")[0].strip() for line in head if line.strip().startswith("make ")]
    assert commands[:2] == ["make run", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"claimledger ([a-z]+)", readme))
    assert set(cli.commands) <= documented  # type: ignore[attr-defined]
