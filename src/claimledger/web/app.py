"""The ASGI app: pages and JSON API over one store, with one error handler and the security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from claimledger.config import Options, __version__
from claimledger.errors import (
    ClaimledgerError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
    TooLargeError,
)
from claimledger.store import open_store

from .api import router as api_router
from .article_views import public_source, safe_url
from .charts import statement_href
from .ingest import Ingester
from .pages import router as page_router
from .security import RateLimit, WebError, is_loopback, security_headers
from .state import Stores, WebState, render

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MAX_UPLOAD_BYTES = 2_000_000
DEFAULT_INGEST_RATE = (10, 60.0)  # ingests per client per this many seconds


def http_status(exc: Exception) -> int:
    """The one map from errors to HTTP statuses."""
    if isinstance(exc, WebError):
        return exc.status
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, TooLargeError):
        return 413
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, StoreError | ModelError):
        return 503
    return 500


def error_response(request: Request, exc: Exception) -> Response:
    """JSON for the API, a page for people; the status from :func:`http_status`."""
    if isinstance(exc, StarletteHTTPException):
        status, code, message = exc.status_code, f"H{exc.status_code}", str(exc.detail)
        headers = dict(exc.headers or {})
    else:
        status = http_status(exc)
        code = getattr(exc, "code", "E000")
        message = getattr(exc, "message", str(exc))
        headers = dict(getattr(exc, "headers", {}) or {})
    if request.url.path.startswith("/api/"):
        body = {"error": {"status": status, "code": code, "message": message}}
        return JSONResponse(body, status_code=status, headers=headers)
    response = render(request, "error.html", status=status, error_status=status, code=code, message=message)
    response.headers.update(headers)
    return response


def create_app(
    store_location: str,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    options: Options | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    ingest_rate: tuple[int, float] = DEFAULT_INGEST_RATE,
    nlp: Language | None = None,
) -> FastAPI:
    """The web UI and JSON API over the store at ``store_location`` (a SQLite file).

    ``host`` is where the server listens: beyond loopback, ``token`` is required and guards every write.
    ``nlp`` (a loaded spaCy pipeline) is loaded on the first ingest when not given.
    """
    if not is_loopback(host) and not token:
        from claimledger.errors import ConfigError

        raise ConfigError(
            f"listening on {host} lets others reach the server: give a write token (--token or CLAIMLEDGER_TOKEN)"
        )
    if max_upload_bytes < 1 or ingest_rate[0] < 1 or ingest_rate[1] <= 0:
        from claimledger.errors import ConfigError

        raise ConfigError("the upload cap and the ingest rate must be positive")
    open_store(store_location).close()  # fail now, not on the first request, if the database cannot be opened
    stores = Stores(store_location)
    templates = Environment(
        loader=PackageLoader("claimledger.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    templates.globals.update(safe_url=safe_url, statement_href=statement_href, public_source=public_source)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="claimledger",
        version=__version__,
        description="Who claims what, who denies it, through whom: the ledger of claims as JSON.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI needs inline script and a CDN: neither fits this app's CSP
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = WebState(
        stores=stores,
        templates=templates,
        ingester=Ingester(options=(options or Options()).replace(db=store_location), nlp=nlp),
        token=token or None,
        max_upload_bytes=max_upload_bytes,
        rate=RateLimit(*ingest_rate),
        host=host,
    )
    for error in (ClaimledgerError, WebError, StarletteHTTPException):
        app.add_exception_handler(error, error_response)

    async def validation_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            from fastapi.exception_handlers import request_validation_exception_handler

            assert isinstance(exc, RequestValidationError)
            return await request_validation_exception_handler(request, exc)
        return render(
            request,
            "error.html",
            status=400,
            error_status=400,
            code="W400",
            message="a parameter of this page is invalid",
        )

    app.add_exception_handler(RequestValidationError, validation_error)
    from importlib import resources

    static = resources.files("claimledger.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router)
    app.include_router(page_router)
    app.add_middleware(_SecurityHeaders)
    return app


class _SecurityHeaders:
    """Starlette middleware class around :func:`security_headers`."""

    def __init__(self, app: Any) -> None:
        self.app = security_headers(app)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
