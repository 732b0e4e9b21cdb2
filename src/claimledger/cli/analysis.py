"""Commands that analyse text: attributions, analyze, group, stance, eval."""

from __future__ import annotations

import json
from typing import Any

import click

from claimledger.cli.common import (
    CliError,
    cli,
    err,
    finish_run,
    ingest_inputs,
    ingest_options,
    ingest_summary,
    open_cli_store,
    out,
    print_attributions,
    progress_bar,
    report_failure,
    resolve_options,
    stdin,
)
from claimledger.config import Options
from claimledger.errors import ClaimledgerError, FormatError
from claimledger.identity import document_id
from claimledger.pipeline import extract_documents
from claimledger.store import Store
from claimledger.types import Document, Failure, IngestReport


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

    options = resolve_options(ctx)
    try:
        nlp = load_pipeline()
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    failed = False
    for item in extract_documents(inputs, options=options, stdin=stdin()):
        if isinstance(item, Failure):
            failed = True
            report_failure(item)
            continue
        found = [a.map_offsets(item) for a in extract_attributions(item, nlp=nlp)]
        if jsonl:
            for attribution in found:
                click.echo(json.dumps({"document": item.source} | attribution.to_json(), ensure_ascii=False))
        else:
            print_attributions(item.source, found)
    if failed:
        ctx.exit(1)


@cli.command("analyze")
@click.argument("inputs", nargs=-1)
@ingest_options
@click.option(
    "--rebuild", is_flag=True,
    help="Regroup every stored statement into claims from scratch and rewrite the whole ledger.",
)  # fmt: skip
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="Run reading and attribution extraction in this process, or on a Ray cluster (claimledger[ray]).",
)  # fmt: skip
@click.option(
    "--address", default=None, metavar="HOST:PORT",
    help="With --engine ray: the Ray cluster to use (host:port, ray://host:port or auto) "
    "[default: start a local Ray for this run].",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(1), default=None,
    help="With --engine ray: attribution workers, and the CPUs of a local Ray [default: every CPU].",
)  # fmt: skip
@click.pass_context
def analyze_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    db: str | None,
    follow: bool,
    as_json: bool,
    no_progress: bool,
    rebuild: bool,
    engine: str,
    address: str | None,
    workers: int | None,
) -> None:
    """Ingest articles (if given), extract attributions, and bring the ledger of claims up to date.

    Documents already analysed by this engine version are skipped, and an interrupted run resumes where it
    stopped. The ledger is updated incrementally: the statements of new documents join the claims they
    state (or open new ones), and only those claims are written again. The first run, a new grouping
    version, a re-analysed document and --rebuild regroup everything from scratch, which groups best and
    takes time proportional to the database.

    \b
    Examples:
      claimledger analyze examples/
      claimledger analyze --db desk.db          # analyse what is stored, nothing new
      claimledger analyze --db desk.db --rebuild   # regroup every claim from scratch
      claimledger analyze --engine ray --address head:6379 crawl.warc.gz   # read and analyse on Ray
    """
    from claimledger.pipeline import attribute_stored, update_ledger

    if engine == "local" and (address is not None or workers is not None):
        raise click.UsageError("--address and --workers need --engine ray")
    options = resolve_options(ctx, db=db)
    report = IngestReport()
    with open_cli_store(options) as store:
        if engine == "ray":
            report, analysed, update = _analyze_on_ray(
                store, options, inputs, address=address, workers=workers, follow=follow, rebuild=rebuild,
                progress=not no_progress,
            )  # fmt: skip
        else:
            if inputs:
                report = ingest_inputs(store, options, inputs, follow=follow, progress=not no_progress)
            with progress_bar(not no_progress, "extracting attributions") as (on_plan, on_item):
                analysed = attribute_stored(store, on_plan=on_plan, on_item=on_item)
            try:
                update = update_ledger(store, rebuild=rebuild)
            except ClaimledgerError as exc:
                raise CliError(exc) from None
        total = store.count_documents()
    summary = ingest_summary(
        report,
        analysed=len(analysed),
        attributions=sum(analysed.values()),
        claims=update.claims,
        claims_touched=update.touched,
        claims_added=update.added,
        rebuilt=update.rebuilt,
        documents_in_db=total,
        db=options.db,
    )
    ledger = (
        f"ledger rebuilt: {update.claims} claims"
        if update.rebuilt
        else f"{update.touched} claims updated ({update.added} new); {update.claims} claims in the ledger"
    )
    line = (
        f"{options.db}: {summary['added']} documents added, {summary['failed']} inputs failed; "
        f"{summary['analysed']} documents analysed, {summary['attributions']} attributions found; "
        f"{ledger}; {total} documents in the database."
    )
    finish_run(ctx, report, summary, line, as_json=as_json)


def _analyze_on_ray(
    store: Store, options: Options, inputs: tuple[str, ...], *, address: str | None, workers: int | None,
    follow: bool, rebuild: bool, progress: bool,
) -> tuple[IngestReport, dict[str, int], Any]:  # fmt: skip
    """``analyze --engine ray``: the run on the cluster, with a progress bar over the documents analysed."""
    from claimledger.distributed import RayProgress, analyze_on_ray

    with progress_bar(progress, "extracting attributions on Ray") as (on_plan, on_item):

        def on_progress(event: RayProgress) -> None:
            if event.stage == "attributions":
                on_plan(event.total)
                for doc_id in event.documents:
                    on_item(doc_id)

        try:
            run = analyze_on_ray(
                inputs, store=store, options=options, address=address, workers=workers, follow=follow,
                stdin=stdin(), rebuild=rebuild, on_progress=on_progress,
            )  # fmt: skip
        except ClaimledgerError as exc:
            raise CliError(exc) from None
    return run.ingest, run.analysed, run.ledger


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
    with progress_bar(True, "scoring") as (on_plan, on_item):
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
