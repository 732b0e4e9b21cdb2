"""The web UI and JSON API: ``claimledger serve``, or ``create_app(path)`` under any ASGI server."""

from __future__ import annotations

from claimledger.web.app import create_app

__all__ = ["create_app"]
