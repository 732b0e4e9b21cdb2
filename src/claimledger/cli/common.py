"""What every ``claimledger`` command shares: the group, consoles, options, store and progress helpers.

Each command module (``documents``, ``analysis``, ``ledger``) parses, calls one library function, renders.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimledger.config import Options, __version__, load_options
from claimledger.errors import ClaimledgerError
from claimledger.pipeline import ingest_articles
from claimledger.store import Store, open_store
from claimledger.types import Attribution, Failure, IngestReport

F = TypeVar("F", bound=Callable[..., Any])

# Pipes and logs get 120 columns rather than Rich's default of 80.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, soft_wrap=True, highlight=False)


class CliError(click.ClickException):
    """A library error shown as one line, with the error class's exit status."""

    def __init__(self, error: ClaimledgerError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        err.print(f"[red]error:[/red] {self.message}", markup=True)


def db_option(func: F) -> F:
    return click.option(
        "--db", envvar="CLAIMLEDGER_DB", default=None, show_envvar=True,
        help="SQLite database file [default: claimledger.db].",
    )(func)  # fmt: skip


def resolve_options(ctx: click.Context, **overrides: Any) -> Options:
    try:
        return load_options(ctx.obj.get("config"), overrides=overrides)
    except ClaimledgerError as exc:
        raise CliError(exc) from None


@contextmanager
def open_cli_store(options: Options) -> Iterator[Store]:
    try:
        store = open_store(options.db)
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    try:
        yield store
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    finally:
        store.close()


@contextmanager
def progress_bar(
    enabled: bool, description: str = "reading inputs"
) -> Iterator[tuple[Callable[[int], None], Callable[[Any], None]]]:
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not (enabled and err.is_terminal),
    )  # fmt: skip
    task = progress.add_task(description, total=None)
    with progress:
        yield (lambda total: progress.update(task, total=total)), (lambda _item: progress.advance(task))


def stdin() -> BinaryIO:
    return sys.stdin.buffer


def report_failure(failure: Failure) -> None:
    err.print(f"[red]error:[/red] {failure.source}: {failure.reason} [{failure.code}]", markup=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="claimledger")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML file of settings (see `claimledger settings`).",
)
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """Turn news articles into a ledger of who claims what, through whom, and with how many independent sources.

    \b
    Examples:
      claimledger ingest examples/                 # store the bundled articles in claimledger.db
      claimledger documents                        # list what is stored
      claimledger extract page.html | jq .title    # clean text and metadata, no database
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


def ingest_options(func: F) -> F:
    """The options every command that reads inputs into the store shares."""
    for option in (
        click.option("--no-progress", is_flag=True, help="Never show a progress bar."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        click.option("--follow", is_flag=True, help="For RSS/Atom feeds, fetch each entry's linked page."),
        db_option,
    ):
        func = option(func)
    return func


def ingest_inputs(
    store: Store, options: Options, inputs: tuple[str, ...], *, follow: bool, progress: bool
) -> IngestReport:
    with progress_bar(progress) as (on_plan, on_item):
        return ingest_articles(
            inputs, store=store, options=options, follow=follow, stdin=stdin(), on_plan=on_plan, on_item=on_item
        )


def ingest_summary(report: IngestReport, **extra: Any) -> dict[str, Any]:
    """The JSON summary of a run that read inputs: counts, then what the command adds (``extra``)."""
    counts = {"added": len(report.added), "unchanged": len(report.unchanged), "failed": len(report.failures)}
    return counts | extra


def finish_run(ctx: click.Context, report: IngestReport, summary: dict[str, Any], line: str, *, as_json: bool) -> None:
    """Report failures one line each, print the summary (JSON or ``line``), exit 1 if any input failed."""
    for failure in report.failures:
        report_failure(failure)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        out.print(line)
    if report.failures:
        ctx.exit(1)


def print_attributions(source: str, found: list[Attribution]) -> None:
    table = Table(title=f"{source}: {len(found)} attributions", title_justify="left")
    table.add_column("speaker", ratio=1)
    table.add_column("stance", no_wrap=True)
    table.add_column("cue", no_wrap=True)
    table.add_column("content", ratio=3)
    table.add_column("via", ratio=1)
    for a in found:
        speaker = a.speaker or ("(unsourced)" if a.kind == "unattributed-passive" else "?")
        content = " … ".join(c.text for c in a.content)
        table.add_row(speaker, a.stance, a.cue.text, content, ", ".join(v.text for v in a.via))
    out.print(table)
