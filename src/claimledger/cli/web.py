"""``claimledger serve``: the web UI and JSON API over the database."""

from __future__ import annotations

import click

from claimledger.cli.common import CliError, cli, db_option, err, resolve_options
from claimledger.errors import ClaimledgerError


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; loopback by default.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--token", default=None,
    help="Write token for ingest (or CLAIMLEDGER_TOKEN); required when --host is not loopback.",
)  # fmt: skip
@click.option(
    "--max-upload", type=click.IntRange(1), default=2_000_000, show_default=True, help="Bytes accepted per ingest."
)
@click.pass_context
def serve_command(ctx: click.Context, db: str | None, host: str, port: int, token: str | None, max_upload: int) -> None:
    """Serve the ledger in a browser and as JSON: claims, evidence, articles, actors, ingest.

    Pages at http://HOST:PORT/claims; the JSON API under /api/ with its OpenAPI document at /api/openapi.json.
    Article text is treated as untrusted everywhere. Beyond loopback, ingest needs the write token.

    \b
    Examples:
      claimledger serve                                  # http://127.0.0.1:8000/claims
      claimledger serve --db desk.db --port 8080
      CLAIMLEDGER_TOKEN=s3cret claimledger serve --host 0.0.0.0
    """
    import uvicorn

    from claimledger.web import create_app

    options = resolve_options(ctx, db=db, token=token)
    try:
        app = create_app(
            options.db, host=host, token=options.token or None, options=options, max_upload_bytes=max_upload
        )
    except ClaimledgerError as exc:
        raise CliError(exc) from None
    err.print(f"claimledger: serving {options.db} at http://{host}:{port}/claims (Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
