"""The ``claimledger`` command. Each command parses, calls one library function, renders."""

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

from claimledger.config import SETTINGS, Options, __version__, load_options
from claimledger.errors import ClaimledgerError, FormatError
from claimledger.identity import document_id
from claimledger.pipeline import extract_documents, ingest_articles
from claimledger.store import Store, open_store
from claimledger.types import EDGE_STANCES, STATUSES, Attribution, Document, Failure, IngestReport

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


def _db_option(func: F) -> F:
    return click.option(
        "--db", envvar="CLAIMLEDGER_DB", default=None, show_envvar=True,
        help="SQLite database file [default: claimledger.db].",
    )(func)  # fmt: skip


def _options(ctx: click.Context, **overrides: Any) -> Options:
    try:
        return load_options(ctx.obj.get("config"), overrides=overrides)
    except ClaimledgerError as exc:
        raise CliError(exc) from None


@contextmanager
def _store(options: Options) -> Iterator[Store]:
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
def _progress(
    enabled: bool, description: str = "reading inputs"
) -> Iterator[tuple[Callable[[int], None], Callable[[Any], None]]]:
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not (enabled and err.is_terminal),
    )  # fmt: skip
    task = progress.add_task(description, total=None)
    with progress:
        yield (lambda total: progress.update(task, total=total)), (lambda _item: progress.advance(task))


def _stdin() -> BinaryIO:
    return sys.stdin.buffer


def _report_failure(failure: Failure) -> None:
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


def _ingest_options(func: F) -> F:
    """The options every command that reads inputs into the store shares."""
    for option in (
        click.option("--no-progress", is_flag=True, help="Never show a progress bar."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        click.option("--follow", is_flag=True, help="For RSS/Atom feeds, fetch each entry's linked page."),
        _db_option,
    ):
        func = option(func)
    return func


def _ingest(store: Store, options: Options, inputs: tuple[str, ...], *, follow: bool, progress: bool) -> IngestReport:
    with _progress(progress) as (on_plan, on_item):
        return ingest_articles(
            inputs, store=store, options=options, follow=follow, stdin=_stdin(), on_plan=on_plan, on_item=on_item
        )


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@_ingest_options
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
    options = _options(ctx, db=db)
    with _store(options) as store:
        report = _ingest(store, options, inputs, follow=follow, progress=not no_progress)
        total = store.count_documents()
    for failure in report.failures:
        _report_failure(failure)
    summary = {
        "added": len(report.added), "unchanged": len(report.unchanged), "failed": len(report.failures),
        "near_duplicates": [{"document": a, "other": b, "similarity": s} for a, b, s in report.near_duplicates],
        "documents_in_db": total, "db": options.db,
    }  # fmt: skip
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        out.print(
            f"Ingested into [bold]{options.db}[/bold]: {summary['added']} added, "
            f"{summary['unchanged']} already stored, "
            f"{summary['failed']} failed; {total} documents in the database."
        )
        for a, b, s in report.near_duplicates:
            out.print(f"  near-duplicate: {a} ~ {b} (similarity {s:.2f})")
    if report.failures:
        ctx.exit(1)


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
    options = _options(ctx)
    failed = False
    for item in extract_documents(inputs, options=options, follow=follow, stdin=_stdin()):
        if isinstance(item, Failure):
            failed = True
            _report_failure(item)
        else:
            click.echo(json.dumps(item.summary(), ensure_ascii=False))
    if failed:
        ctx.exit(1)


@cli.command("documents")
@_db_option
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
    options = _options(ctx, db=db)
    with _store(options) as store:
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
@_db_option
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
    options = _options(ctx, db=db)
    with _store(options) as store:
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
        _print_attributions("attributions", attributions)
    if boilerplate and doc.boilerplate:
        out.rule("removed as boilerplate")
        for removed in doc.boilerplate:
            out.print(f"[dim]({removed.reason})[/dim] {removed.text}", highlight=False)


@cli.command("attributions")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, help="Print one JSON object per attribution instead of a table.")
@click.pass_context
def attributions_command(ctx: click.Context, inputs: tuple[str, ...], jsonl: bool) -> None:
    """Find who said what, with which stance, through whom, in articles; no database needed.

    For plain-text inputs, offsets index the file's decoded text (file_text[start:end] == text); for other
    formats they index the clean text that `claimledger extract` prints. Nothing inside removed boilerplate
    is ever reported.

    \b
    Examples:
      claimledger attributions story.txt
      claimledger attributions --jsonl examples/ | jq 'select(.stance == "deny")'
    """
    from claimledger.attribution import extract_attributions
    from claimledger.nlp import load_pipeline

    options = _options(ctx)
    try:
        nlp = load_pipeline()
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    failed = False
    for item in extract_documents(inputs, options=options, stdin=_stdin()):
        if isinstance(item, Failure):
            failed = True
            _report_failure(item)
            continue
        found = [a.map_offsets(item) for a in extract_attributions(item, nlp=nlp)]
        if jsonl:
            for attribution in found:
                click.echo(json.dumps({"document": item.source} | attribution.to_json(), ensure_ascii=False))
        else:
            _print_attributions(item.source, found)
    if failed:
        ctx.exit(1)


def _print_attributions(source: str, found: list[Attribution]) -> None:
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


@cli.command("analyze")
@click.argument("inputs", nargs=-1)
@_ingest_options
@click.pass_context
def analyze_command(
    ctx: click.Context, inputs: tuple[str, ...], db: str | None, follow: bool, as_json: bool, no_progress: bool
) -> None:
    """Ingest articles (if given) and extract the attributions of every stored document not yet analysed.

    Incremental: documents already analysed by this engine version are skipped, and an interrupted run
    resumes where it stopped.

    \b
    Examples:
      claimledger analyze examples/
      claimledger analyze --db desk.db          # analyse what is stored, nothing new
    """
    from claimledger.pipeline import attribute_stored, rebuild_ledger

    options = _options(ctx, db=db)
    report = IngestReport()
    with _store(options) as store:
        if inputs:
            report = _ingest(store, options, inputs, follow=follow, progress=not no_progress)
        with _progress(not no_progress, "extracting attributions") as (on_plan, on_item):
            analysed = attribute_stored(store, on_plan=on_plan, on_item=on_item)
        entries = rebuild_ledger(store)
        total = store.count_documents()
    for failure in report.failures:
        _report_failure(failure)
    summary = {
        "added": len(report.added), "unchanged": len(report.unchanged), "failed": len(report.failures),
        "analysed": len(analysed), "attributions": sum(analysed.values()),
        "claims": len(entries), "documents_in_db": total, "db": options.db,
    }  # fmt: skip
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        out.print(
            f"{options.db}: {summary['added']} documents added, {summary['failed']} inputs failed; "
            f"{summary['analysed']} documents analysed, {summary['attributions']} attributions found; "
            f"{summary['claims']} claims in the ledger; "
            f"{total} documents in the database."
        )
    if report.failures:
        ctx.exit(1)


@cli.command("claims")
@_db_option
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only claims with this status.")
@click.option("--search", default=None, help="Only claims whose text contains this (case-insensitive).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Rows to skip.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")
@click.pass_context
def claims_command(
    ctx: click.Context,
    db: str | None,
    status: str | None,
    search: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List the ledger's claims with their status and independent origins for and against.

    \b
    Examples:
      claimledger claims
      claimledger claims --status disputed --search "amber tern" --json
    """  # fmt: skip
    options = _options(ctx, db=db)
    with _store(options) as store:
        rows = store.list_ledger(status=status, search=search, limit=limit, offset=offset)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.summary(), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} claims in {options.db}" if rows else "No claims (run claimledger analyze)")
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("for", justify="right")
    table.add_column("against", justify="right")
    table.add_column("claim", ratio=3)
    table.add_column("first seen", no_wrap=True)
    for row in rows:
        first = (row.first_seen or "")[:10]
        table.add_row(row.claim_id, row.status, str(row.origins_for), str(row.origins_against), row.text, first)
    out.print(table)


@cli.command("claim")
@click.argument("claim_id")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole ledger entry as JSON.")
@click.pass_context
def claim_command(ctx: click.Context, claim_id: str, db: str | None, as_json: bool) -> None:
    """Show one claim's ledger entry: status and reasons, origins for and against, timeline.

    CLAIM_ID is an id or a unique prefix of one (see `claimledger claims`).

    \b
    Examples:
      claimledger claim c12
      claimledger claim c12 --json | jq .reasons
    """
    from claimledger.export import entries_from_json

    options = _options(ctx, db=db)
    with _store(options) as store:
        row = store.get_ledger(claim_id)
    if as_json:
        click.echo(json.dumps(json.loads(row.record), ensure_ascii=False, indent=2))
        return
    (entry,) = entries_from_json(row.record)
    out.print(f"[bold]{entry.claim.text}[/bold]", highlight=False)
    out.print(f"[dim]id:[/dim] {entry.claim.id}   [dim]status:[/dim] [bold]{entry.status}[/bold]", highlight=False)
    for reason in entry.reasons:
        out.print(f"  {reason}", highlight=False, markup=False)
    table = Table(title="origins", title_justify="left")
    for column in ("origin", "type", "stance", "statements", "articles"):
        table.add_column(column)
    for group in entry.origins:
        table.add_row(group.origin, group.origin_type, group.stance, str(len(group.edges)), str(group.articles))
    out.print(table)
    timeline = Table(title="timeline", title_justify="left")
    for column in ("when", "actor", "stance", "via", "evidence"):
        timeline.add_column(column, ratio=3 if column == "evidence" else None)
    for edge in entry.timeline:
        evidence = edge.evidence.text if edge.evidence else ""
        timeline.add_row(edge.published or "", edge.actor, edge.stance, " > ".join(edge.via), evidence)
    out.print(timeline)


@cli.command("actors")
@_db_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Rows to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")
@click.pass_context
def actors_command(ctx: click.Context, db: str | None, limit: int, as_json: bool) -> None:
    """List the origins in the ledger: how many claims each supports, denies or doubts, and in how many articles.

    \b
    Examples:
      claimledger actors
      claimledger actors --json | jq 'select(.denies > 0)'
    """
    from claimledger.export import entries_from_json

    options = _options(ctx, db=db)
    with _store(options) as store:
        rows = store.list_ledger(limit=None)
    actors: dict[str, dict[str, Any]] = {}
    for row in rows:
        for entry in entries_from_json(row.record):
            for group in entry.origins:
                actor = actors.setdefault(
                    group.origin,
                    {"actor": group.origin, "type": group.origin_type, "claims": 0, "articles": set()}
                    | {stance: 0 for stance in EDGE_STANCES},
                )  # fmt: skip
                actor["claims"] += 1
                actor[group.stance] += 1
                actor["articles"].update(edge.document_id for edge in group.edges)
    ranked = sorted(actors.values(), key=lambda a: (-a["claims"], a["actor"].lower()))[:limit]
    for actor in ranked:
        actor["articles"] = len(actor["articles"])
    if as_json:
        for actor in ranked:
            click.echo(json.dumps(actor, ensure_ascii=False))
        return
    table = Table(title=f"{len(actors)} origins in {options.db}" if actors else "No origins (run claimledger analyze)")
    for column in ("actor", "type", "claims", *EDGE_STANCES, "articles"):
        table.add_column(column, justify="left" if column in ("actor", "type") else "right")
    for actor in ranked:
        table.add_row(actor["actor"], actor["type"], *(str(actor[k]) for k in ("claims", *EDGE_STANCES, "articles")))
    out.print(table)


@cli.command("report")
@_db_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json", "jsonl", "csv", "claimreview", "graphml"]), default="md",
    show_default=True, help="Markdown report, JSON/JSONL ledger, CSV of stance edges, ClaimReview JSON-LD, GraphML.",
)  # fmt: skip
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only claims with this status.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write [stdout].")
@click.pass_context
def report_command(ctx: click.Context, db: str | None, fmt: str, status: str | None, output: Any) -> None:
    """Export the ledger: a Markdown report, JSON, CSV, ClaimReview JSON-LD or the relay graph as GraphML.

    \b
    Examples:
      claimledger report > ledger.md
      claimledger report --format claimreview --status disputed -o reviews.json
      claimledger report --format graphml -o relays.graphml
    """
    from claimledger import export

    options = _options(ctx, db=db)
    with _store(options) as store:
        rows = store.list_ledger(status=status, limit=None)
        entries = [entry for row in rows for entry in export.entries_from_json(row.record)]
        cited = {edge.document_id for entry in entries for edge in entry.timeline}
        documents = {doc_id: store.get_document(doc_id) for doc_id in cited}
    if fmt == "claimreview":
        text = json.dumps(export.to_claimreview(entries, documents), ensure_ascii=False, indent=2) + "\n"
    else:
        writers = {"md": export.to_markdown_report, "json": export.to_json, "jsonl": export.to_jsonl,
                   "csv": export.to_csv, "graphml": export.to_graphml}  # fmt: skip
        text = writers[fmt](entries, documents)
    output.write(text)


@cli.command("group")
@click.option(
    "--input", "input_path", required=True, type=click.File("r", encoding="utf-8"),
    help='JSON Lines of {"id", "text", "source"?, "published"?}; - for stdin.',
)  # fmt: skip
@click.pass_context
def group_command(ctx: click.Context, input_path: Any) -> None:
    """Group statements that state the same proposition into claims; no database needed.

    Prints one line {"id", "claim"} per input line, in input order. An assertion and its denial belong to
    the same claim: stance is told apart later, not by grouping.

    \b
    Examples:
      claimledger group --input items.jsonl
      jq -c '{id: .id, text: .headline}' headlines.jsonl | claimledger group --input -
    """
    from claimledger.claims import group_jsonl

    try:
        for row in group_jsonl(input_path):
            click.echo(json.dumps(row, ensure_ascii=False))
    except ClaimledgerError as exc:
        raise CliError(exc) from None


@cli.command("stance")
@click.option(
    "--input", "input_path", required=True, type=click.File("r", encoding="utf-8"),
    help='JSON Lines of {"id", "claim", "text"}; - for stdin.',
)  # fmt: skip
@click.pass_context
def stance_command(ctx: click.Context, input_path: Any) -> None:
    """Classify each text's stance toward its claim: supports, denies, observes or unrelated.

    Prints one line {"id", "stance", "scores"} per input line, in input order; "text" may be an article
    body or a headline. A bad line is reported on stderr (input#LINE) and the others go on.

    \b
    Examples:
      claimledger stance --input pairs.jsonl
      echo '{"id": "1", "claim": "The ferry was seized", "text": "Port officials denied the ferry was seized."}' \\
        | claimledger stance --input -
    """
    from claimledger.stance import classify_stances

    pairs: list[tuple[str, str, str]] = []
    failed = False
    for number, line in enumerate(input_path, start=1):
        if not line.strip():
            continue
        try:
            pairs.append(_stance_pair(line, f"input#{number}"))
        except ClaimledgerError as exc:
            failed = True
            err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    try:
        results = classify_stances([(claim, text) for _, claim, text in pairs]) if pairs else []
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    for (pair_id, _, _), result in zip(pairs, results, strict=True):
        scores = {label: round(score, 4) for label, score in result.scores}
        click.echo(json.dumps({"id": pair_id, "stance": result.stance, "scores": scores}))
    if failed:
        ctx.exit(1)


def _stance_pair(line: str, where: str) -> tuple[str, str, str]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(where, f"not JSON ({exc.msg}); give one JSON object per line") from None
    if not isinstance(data, dict):
        raise FormatError(where, 'expected a JSON object like {"id": "1", "claim": "...", "text": "..."}')
    values = [data.get(key) for key in ("id", "claim", "text")]
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise FormatError(where, '"id", "claim" and "text" must be non-empty strings')
    return values[0], values[1], values[2]  # type: ignore[return-value]


@cli.group("eval")
def eval_group() -> None:
    """Score claimledger's stages against annotated data.

    \b
    Example:
      claimledger eval attributions --gold polnear/dev/attributions --text polnear/dev/text
    """


@eval_group.command("attributions")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder of brat .ann files.",
)
@click.option(
    "--text",
    "text_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder of the matching .txt files.",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_attributions_command(gold_dir: str, text_dir: str, limit: int | None, as_json: bool) -> None:
    """Precision, recall and F1 of attribution extraction against brat standoff gold (PolNeAR format).

    Content spans are matched one to one by overlap; "whole" also needs the source (or both absent) and the
    cue to overlap; exact variants need identical spans. Texts annotated twice use one annotator.

    \b
    Example:
      claimledger eval attributions --gold ../shared/datasets/polnear/dev/attributions \\
                                    --text ../shared/datasets/polnear/dev/text --limit 20
    """
    from claimledger.attribution import extract_attributions
    from claimledger.evaluation.attribution_score import score
    from claimledger.evaluation.brat import load_brat
    from claimledger.nlp import load_pipeline

    try:
        docs = load_brat(gold_dir, text_dir)[:limit]
        nlp = load_pipeline()
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    predicted = []
    with _progress(True, "scoring") as (on_plan, on_item):
        on_plan(len(docs))
        for name, text, _ in docs:
            document = Document(id=document_id(text), text=text, source=name, format="text")
            predicted.append(extract_attributions(document, nlp=nlp))
            on_item(name)
    scores = score([(text, gold) for _, text, gold in docs], predicted)
    if as_json:
        result: dict[str, Any] = {name: _prf_json(prf) for name, prf in scores.by_name().items()}
        result["speech-recall"] = {
            "recall": scores.speech_recall,
            "matched": scores.speech_matched,
            "gold": scores.speech_gold,
        }
        click.echo(json.dumps({"documents": len(docs)} | result, indent=2))
    else:
        out.print(f"{len(docs)} documents")
        out.print(scores.report(), highlight=False)


def _prf_json(prf: Any) -> dict[str, Any]:
    fields = ("precision", "recall", "f1", "matched", "gold", "predicted")
    return {name: getattr(prf, name) for name in fields}


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


def main() -> None:
    cli(prog_name="claimledger")
