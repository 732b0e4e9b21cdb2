"""What the routers share: the app's state (one store per worker thread, templates, ingester, limits) and rendering.

:mod:`.app` builds the state; :mod:`.api` and :mod:`.pages` reach it through :func:`state_of`, never through
the app.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment
from starlette.requests import Request

from claimledger.config import __version__
from claimledger.store import Store, open_store

from .ingest import Ingester
from .security import RateLimit


class Stores:
    """One store connection per worker thread (SQLite connections stay in the thread that opened them)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.location)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            # A connection opened by another (finished) worker thread cannot be closed here; the GC closes it.
            with contextlib.suppress(sqlite3.ProgrammingError):
                store.close()


@dataclass
class WebState:
    stores: Stores
    templates: Environment
    ingester: Ingester
    token: str | None
    max_upload_bytes: int
    rate: RateLimit
    host: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_token(self) -> bool:
        return bool(self.token)


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    html = state.templates.get_template(template).render(
        request=request, version=__version__, needs_token=state.needs_token, **context
    )
    return HTMLResponse(html, status_code=status)
