"""The pages people read: claims, a claim, an article, an actor, and the ingest form."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from claimledger.errors import TooLargeError
from claimledger.store.base import LEDGER_SORTS, LedgerRow
from claimledger.types import STATUSES, Document

from . import actor_views, article_views, claim_views, listing
from .ingest import Upload
from .security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    BadRequest,
    check_csrf,
    check_origin,
    check_token,
    csrf_token,
    read_capped,
    replay,
)
from .state import render, state_of

router = APIRouter(include_in_schema=False)
MAX_FILES = 10


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/claims", status_code=307)


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    status: str = "",
    q: str = "",
    actor: str = "",
    outlet: str = "",
    since: str = "",
    until: str = "",
    sort: str = "",
    limit: str = "",
    cursor: str = "",
) -> HTMLResponse:
    query = listing.ledger_query(
        status=status, search=q, actor=actor, outlet=outlet, since=since, until=until, sort=sort
    )
    if limit and not limit.isdigit():
        raise BadRequest(f"limit must be a number, not {limit!r}")
    size = int(limit) if limit else listing.PAGE_SIZE
    page = listing.claims_page(state_of(request).stores.get(), query, limit=size, cursor=cursor or None)
    filters = {"status": status, "q": q, "actor": actor, "outlet": outlet, "since": since, "until": until}
    kept = {k: v for k, v in {**filters, "sort": sort, "limit": limit}.items() if v}
    next_href = f"/claims?{urlencode({**kept, 'cursor': page.next_cursor})}" if page.next_cursor else None
    first_href = f"/claims?{urlencode(kept)}" if cursor else None
    return render(
        request,
        "claims.html",
        page=page,
        filters=filters,
        sort=query.sort,
        sorts=list(LEDGER_SORTS),
        statuses=STATUSES,
        next_href=next_href,
        first_href=first_href,
        filtered=any(filters.values()),
    )


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str) -> HTMLResponse:
    view = claim_views.claim_view(state_of(request).stores.get(), claim_id)
    return render(request, "claim.html", view=view, entry=view.entry, quote=quote)


@router.get("/articles/{document_id}", response_class=HTMLResponse)
def article_page(request: Request, document_id: str) -> HTMLResponse:
    view = article_views.article_view(state_of(request).stores.get(), document_id)
    return render(request, "article.html", view=view, doc=view.document, quote=quote)


@router.get("/actors/{name:path}", response_class=HTMLResponse)
def actor_page(request: Request, name: str) -> HTMLResponse:
    view = actor_views.actor_view(state_of(request).stores.get(), name)
    return render(request, "actor.html", view=view, quote=quote)


def _with_csrf(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    token, new = csrf_token(request)
    response = render(request, template, status=status, csrf=token, csrf_field=CSRF_FIELD, **context)
    if new:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> HTMLResponse:
    state = state_of(request)
    return _with_csrf(request, "ingest.html", max_upload=state.max_upload_bytes, outcome=None)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_submit(request: Request) -> Response:
    state = state_of(request)
    check_origin(request)
    state.rate.hit(request.client.host if request.client else "unknown")
    body = await read_capped(request, state.max_upload_bytes + 64_000)  # room for the form's own fields
    form = await replay(request, body).form(max_files=MAX_FILES, max_fields=10, max_part_size=state.max_upload_bytes)
    try:
        token = form.get("token")
        check_token(request, state.token, submitted=token if isinstance(token, str) else None)
        csrf = form.get(CSRF_FIELD)
        check_csrf(request, csrf if isinstance(csrf, str) else None)
        uploads: list[Upload] = []
        pasted = form.get("text")
        if isinstance(pasted, str) and pasted.strip():
            uploads.append(Upload("pasted", pasted.encode("utf-8")))
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                data = await item.read(state.max_upload_bytes + 1)
                if len(data) > state.max_upload_bytes:
                    cap = state.max_upload_bytes
                    raise TooLargeError(item.filename, f"over this server's upload cap of {cap:,} bytes")
                if data:
                    uploads.append(Upload(item.filename, data))
    finally:
        await form.close()
    outcome = await run_in_threadpool(lambda: state.ingester.run(state.stores.get(), uploads))
    status = 200 if outcome.added or outcome.unchanged else 422

    def shown() -> tuple[list[LedgerRow], dict[str, Document]]:
        store = state.stores.get()  # this worker thread's connection
        rows = [store.get_ledger(claim_id) for claim_id in outcome.claims[:50]]
        return rows, store.get_documents([*outcome.added, *outcome.unchanged])

    rows, docs = await run_in_threadpool(shown)
    return _with_csrf(
        request,
        "ingest.html",
        status=status,
        max_upload=state.max_upload_bytes,
        outcome=outcome,
        rows=rows,
        docs=docs,
    )
