"""The web UI and JSON API over one ledger store: ``claimledger serve``, or ``create_app(path)`` under any ASGI server.

Public names: :func:`create_app` (the FastAPI app over the store at a path). Everything else is internal.

The view modules compute plain data, no HTML: every string taken from an article stays a string and the
templates escape it. Modules, from the app down (none imports one above it):

- ``app``: builds the app: its state, the error handler (one map from errors to statuses), static files, headers.
- ``api``: the JSON API router under ``/api/``: claims (cursor pages), a claim and its exports, articles, actors.
- ``pages``: the HTML pages router: claims, a claim, an article, an actor, the ingest form.
- ``state``: what the routers share: the app's state (a store per worker thread, templates, limits), ``render``.
- ``listing``: the claims listing: validated filters, opaque cursors, one page of rows at a time.
- ``actor_views``: one actor: aliases, roles, statements by stance, claims by part played.
- ``claim_views``: one claim: statements in their sentences, origins by side, related claims, its API shape.
- ``charts``: the claim page's timeline and relay graph, as data for the SVG templates.
- ``article_views``: one article: text runs at attribution spans, its claims, near-duplicates; ``safe_url``.
- ``ingest``: ingest from the web (pasted text, uploaded files) through the CLI's pipeline, one at a time.
- ``security``: loopback checks, the write token, CSRF, body caps, a rate limit, the security headers.
"""

from __future__ import annotations

from claimledger.web.app import create_app

__all__ = ["create_app"]
