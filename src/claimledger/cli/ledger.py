"""Commands that read the ledger: claims, claim, actors, report."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click
from rich.table import Table

from claimledger.cli.common import (
    cli,
    db_option,
    open_cli_store,
    out,
    resolve_options,
)
from claimledger.store.base import LEDGER_SORTS, LedgerQuery
from claimledger.types import EDGE_STANCES, STATUSES


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


@cli.command("claims")
@db_option
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only claims with this status.")
@click.option("--search", default=None, help="Only claims whose text contains this (case-insensitive).")
@click.option(
    "--actor", default=None, help='Only claims with a statement by this speaker: whole name or whole words ("Strand").'
)
@click.option("--outlet", default=None, help="Only claims carried by an article of this outlet (whole name).")
@click.option(
    "--since", default=None, metavar="DATE", callback=_iso_date, help="Only claims seen on or after this date."
)
@click.option(
    "--until", default=None, metavar="DATE", callback=_iso_date, help="Only claims seen on or before this date."
)
@click.option("--sort", type=click.Choice(sorted(LEDGER_SORTS)), default="origins", show_default=True,
              help="Order: most origins first, newest/oldest, status or text.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Rows to skip.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")
@click.pass_context
def claims_command(
    ctx: click.Context,
    db: str | None,
    status: str | None,
    search: str | None,
    actor: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    sort: str,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List the ledger's claims with their status and independent origins for and against.

    \b
    Examples:
      claimledger claims
      claimledger claims --status disputed --search "amber tern" --json
      claimledger claims --actor "Helka Strand" --since 2026-03-11 --sort newest
    """  # fmt: skip
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}: no day is in that range", ctx=ctx)
    options = resolve_options(ctx, db=db)
    query = LedgerQuery(status=status, search=search, actor=actor, outlet=outlet, since=since, until=until, sort=sort)
    with open_cli_store(options) as store:
        rows = store.query_ledger(query, limit=offset + limit)[offset:]
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
@db_option
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

    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
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
@db_option
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

    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
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
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json", "jsonl", "csv", "claimreview", "graphml"]),
    default="md", show_default=True,
    help="Markdown or HTML report, JSON/JSONL ledger, CSV of stance edges, ClaimReview JSON-LD, GraphML.",
)  # fmt: skip
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only claims with this status.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write [stdout].")
@click.pass_context
def report_command(ctx: click.Context, db: str | None, fmt: str, status: str | None, output: Any) -> None:
    """Export the ledger: a Markdown or HTML report, JSON, CSV, ClaimReview JSON-LD or the relay graph (GraphML).

    \b
    Examples:
      claimledger report > ledger.md
      claimledger report --format html -o ledger.html
      claimledger report --format claimreview --status disputed -o reviews.json
      claimledger report --format graphml -o relays.graphml
    """
    from claimledger import export

    options = resolve_options(ctx, db=db)
    with open_cli_store(options) as store:
        rows = store.list_ledger(status=status, limit=None)
        entries = [entry for row in rows for entry in export.entries_from_json(row.record)]
        cited = {edge.document_id for entry in entries for edge in entry.timeline}
        documents = {doc_id: store.get_document(doc_id) for doc_id in cited}
    if fmt == "claimreview":
        text = json.dumps(export.to_claimreview(entries, documents), ensure_ascii=False, indent=2) + "\n"
    else:
        writers = {"md": export.to_markdown_report, "html": export.to_html_report, "json": export.to_json,
                   "jsonl": export.to_jsonl, "csv": export.to_csv, "graphml": export.to_graphml}  # fmt: skip
        text = writers[fmt](entries, documents)
    output.write(text)
