"""Commands over documents: ingest, extract, documents, show, settings."""

from __future__ import annotations

import json

import click
from rich.table import Table

from claimledger.cli.common import (
    cli,
    db_option,
    finish_run,
    ingest_inputs,
    ingest_options,
    ingest_summary,
    open_cli_store,
    out,
    print_attributions,
    report_failure,
    resolve_options,
    stdin,
)
from claimledger.config import SETTINGS
from claimledger.pipeline import extract_documents
from claimledger.types import Failure


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@ingest_options
@click.pass_context
def ingest_command(
    ctx: click.Context, inputs: tuple[str, ...], db: str | None, follow: bool, as_json: bool, no_progress: bool
) -> None:
    """Store articles from files, folders, URLs or stdin (-).

    Reads HTML (.html, .htm, .html.gz), scraped text (.txt), JSON Lines (.jsonl: `text` or `html` plus
    metadata), WARC (.warc, .warc.gz) and RSS/Atom feeds; folders are read recursively. The same article
    twice is stored once; syndicated near-copies are linked. A bad input is reported on one line and the
    others go on; the exit status is 1 if any input failed.

    \b
    Examples:
      claimledger ingest examples/
      claimledger ingest --db desk.db story.html wire.jsonl crawl.warc.gz
      curl -s https://example.org/a.html | claimledger ingest -
      claimledger ingest --follow https://example.org/feed.xml
    """
    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
        report = ingest_inputs(store, options, inputs, follow=follow, progress=not no_progress)
        total = store.count_documents()
    summary = ingest_summary(
        report,
        near_duplicates=[{"document": a, "other": b, "similarity": s} for a, b, s in report.near_duplicates],
        documents_in_db=total,
        db=options.db,
    )
    line = (
        f"Ingested into [bold]{options.db}[/bold]: {summary['added']} added, {summary['unchanged']} already stored, "
        f"{summary['failed']} failed; {total} documents in the database."
    )
    line += "".join(f"\n  near-duplicate: {a} ~ {b} (similarity {s:.2f})" for a, b, s in report.near_duplicates)
    finish_run(ctx, report, summary, line, as_json=as_json)


@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--follow", is_flag=True, help="For RSS/Atom feeds, fetch each entry's linked page.")
@click.pass_context
def extract_command(ctx: click.Context, inputs: tuple[str, ...], follow: bool) -> None:
    """Print clean text and metadata as JSON Lines, without a database.

    One line per document: {"document", "id", "title", "text", "outlet", "published", "author",
    "language", "url"}. Errors go to stderr, one line each; the exit status is 1 if any input failed.

    \b
    Examples:
      claimledger extract examples/html/
      claimledger extract page.html.gz | jq -r .text
    """
    options = resolve_options(ctx)
    failed = False
    for item in extract_documents(inputs, options=options, follow=follow, stdin=stdin()):
        if isinstance(item, Failure):
            failed = True
            report_failure(item)
        else:
            click.echo(json.dumps(item.summary(), ensure_ascii=False))
    if failed:
        ctx.exit(1)


@cli.command("documents")
@db_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Rows to skip.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")
@click.pass_context
def documents_command(ctx: click.Context, db: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List stored documents.

    \b
    Examples:
      claimledger documents
      claimledger documents --db desk.db --limit 10 --json
    """
    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
        rows = store.list_documents(limit=limit, offset=offset)
        total = store.count_documents()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        return
    table = Table(title=f"{total} documents in {options.db}" if total else f"No documents in {options.db} yet")
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("outlet", ratio=1)
    for column in ("published", "format", "chars"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        published = (row.published or "")[:10]
        table.add_row(row.id, row.title or "", row.outlet or "", published, row.format, str(row.chars))
    out.print(table)


@cli.command("show")
@click.argument("document")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option("--boilerplate", is_flag=True, help="Also print the text removed as boilerplate.")
@click.pass_context
def show_command(ctx: click.Context, document: str, db: str | None, as_json: bool, boilerplate: bool) -> None:
    """Show one stored document: metadata, clean text, near-duplicates.

    DOCUMENT is an id or a unique prefix of one.

    \b
    Examples:
      claimledger show 3f2a
      claimledger show 3f2a9c01d4e5b6a7 --json --boilerplate
    """
    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
        doc = store.get_document(document)
        near = store.near_duplicates(doc.id)
        sources = store.sources(doc.id)
        attributions = store.get_attributions(doc.id)
    if as_json:
        record = doc.summary() | {
            "format": doc.format, "extractor": doc.extractor, "warnings": list(doc.warnings), "sources": sources,
            "captions": [c.to_json() for c in doc.captions],
            "near_duplicates": [{"document": other, "similarity": s} for other, s in near],
        }  # fmt: skip
        record["attributions"] = [a.to_json() for a in attributions]
        if boilerplate:
            record["boilerplate"] = [b.to_json() for b in doc.boilerplate]
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{doc.title or '(untitled)'}[/bold]")
    for label, value in (("id", doc.id), ("outlet", doc.outlet), ("author", doc.author), ("published", doc.published),
                         ("language", doc.language), ("url", doc.url), ("sources", ", ".join(sources))):  # fmt: skip
        if value:
            out.print(f"[dim]{label}:[/dim] {value}", highlight=False)
    for other, score in near:
        out.print(f"[dim]near-duplicate:[/dim] {other} (similarity {score:.2f})")
    for warning in doc.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")
    out.print()
    out.print(doc.text, markup=False, highlight=False)
    if attributions:
        out.print()
        print_attributions("attributions", attributions)
    if boilerplate and doc.boilerplate:
        out.rule("removed as boilerplate")
        for removed in doc.boilerplate:
            out.print(f"[dim]({removed.reason})[/dim] {removed.text}", highlight=False)


@cli.command("settings")
def settings_command() -> None:
    """List every setting with its default and help.

    Settings come from defaults < a TOML file given with --config < CLAIMLEDGER_<NAME> environment
    variables < command-line flags.

    \b
    Example:
      CLAIMLEDGER_FETCH_TIMEOUT=5 claimledger ingest https://example.org/a.html
    """
    table = Table()
    table.add_column("name", no_wrap=True)
    table.add_column("default", overflow="fold")
    table.add_column("help")
    for setting in SETTINGS:
        table.add_row(setting.name, repr(setting.default), setting.help)
    out.print(table)
