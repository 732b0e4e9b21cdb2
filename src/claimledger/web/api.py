"""The JSON API under /api/: claims (cursor pages), one claim and its exports, articles, actors, ingest."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from claimledger import export
from claimledger.errors import FormatError
from claimledger.store.base import LEDGER_SORTS
from claimledger.types import STATUSES

from . import actor_views, article_views, claim_views, listing
from .ingest import IngestOutcome, Upload
from .security import check_origin, check_token, read_capped
from .state import state_of

router = APIRouter(prefix="/api", tags=["api"])


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class ClaimSummary(BaseModel):
    claim_id: str
    text: str
    status: str
    origins_for: int
    origins_against: int
    first_seen: str | None
    last_seen: str | None


class ClaimList(BaseModel):
    items: list[ClaimSummary]
    total: int = Field(description="Claims matching the filters, over all pages.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class IngestRequest(BaseModel):
    text: str = Field(description="An article as plain text or HTML (sniffed).", min_length=1)
    name: str = Field("pasted", description="A name for the record's source (`web:NAME`).", max_length=200)


class Failure(BaseModel):
    source: str
    reason: str
    code: str


class IngestResult(BaseModel):
    added: list[str]
    unchanged: list[str]
    failures: list[Failure]
    claims: list[str]
    analysed: int


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


Status = Literal["unverified", "corroborated", "disputed", "denied", "confirmed", "unsourced"]
Sort = Literal["origins", "newest", "oldest", "status", "text"]
# The API's enums are spelled out for the OpenAPI document; they must stay those of the ledger and the store.
assert set(get_args(Status)) == set(STATUSES)
assert set(get_args(Sort)) == set(LEDGER_SORTS)


@router.get("/claims", response_model=ClaimList, responses=_errors(400))
def list_claims(
    request: Request,
    status: Status | None = None,
    q: Annotated[
        str | None,
        Query(description="Text the claim contains (case-insensitive).", max_length=listing.MAX_FILTER_CHARS),
    ] = None,
    actor: Annotated[
        str | None,
        Query(description="A speaker of one of its statements: name or words.", max_length=listing.MAX_FILTER_CHARS),
    ] = None,
    outlet: Annotated[
        str | None,
        Query(description="An outlet that carried one of its statements.", max_length=listing.MAX_FILTER_CHARS),
    ] = None,
    since: Annotated[date | None, Query(description="Seen on or after this date.")] = None,
    until: Annotated[date | None, Query(description="Seen on or before this date.")] = None,
    sort: Sort = "origins",
    limit: Annotated[int, Query(ge=1, le=listing.MAX_PAGE_SIZE)] = listing.PAGE_SIZE,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page (400 if not one).")] = None,
) -> ClaimList:
    """Claims of the ledger, filtered and sorted, one page at a time."""
    query = listing.ledger_query(
        status=status,
        search=q,
        actor=actor,
        outlet=outlet,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        sort=sort,
    )
    page = listing.claims_page(state_of(request).stores.get(), query, limit=limit, cursor=cursor)
    items = [ClaimSummary(**row.summary()) for row in page.rows]
    return ClaimList(items=items, total=page.total, next_cursor=page.next_cursor)


@router.get("/claims/{claim_id}", responses=_errors(404))
def get_claim(request: Request, claim_id: str) -> dict[str, Any]:
    """One ledger entry: status and reasons, origins, timeline, cited articles, related claims."""
    return claim_views.claim_json(claim_views.claim_view(state_of(request).stores.get(), claim_id))


@router.get(
    "/claims/{claim_id}/export",
    responses={
        200: {"content": {"application/json": {}, "text/csv": {}, "application/ld+json": {}}},
        **_errors(404),
    },
    response_class=Response,
)
def export_claim(request: Request, claim_id: str, format: Literal["json", "csv", "claimreview"] = "json") -> Response:
    """The claim as a download: the ledger JSON, CSV of its stance edges, or ClaimReview JSON-LD."""
    view = claim_views.claim_view(state_of(request).stores.get(), claim_id)
    entries, docs = [view.entry], view.documents
    if format == "csv":
        body, media, suffix = export.to_csv(entries, docs), "text/csv; charset=utf-8", "csv"
    elif format == "claimreview":
        body = json.dumps(export.to_claimreview(entries, docs), ensure_ascii=False, indent=2)
        media, suffix = "application/ld+json", "claimreview.json"
    else:
        body, media, suffix = export.to_json(entries, docs), "application/json", "json"
    filename = f"claim-{view.entry.claim.id}.{suffix}"
    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.get("/articles/{document_id}", responses=_errors(404))
def get_article(request: Request, document_id: str) -> dict[str, Any]:
    """One article: metadata, clean text, removed boilerplate, attributions with their claims, near-duplicates."""
    return article_views.article_json(article_views.article_view(state_of(request).stores.get(), document_id))


@router.get("/actors/{name:path}", responses=_errors(404))
def get_actor(request: Request, name: str) -> dict[str, Any]:
    """One actor: aliases, roles, statements by stance, and the claims they originate, voice, relay or publish."""
    return actor_views.actor_json(actor_views.actor_view(state_of(request).stores.get(), name))


@router.post(
    "/ingest",
    response_model=IngestResult,
    responses=_errors(400, 403, 413, 422, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": IngestRequest.model_json_schema()}},
        }
    },
)
async def ingest(request: Request) -> IngestResult:
    """Add one article (text or HTML) and analyse it; the ledger is brought up to date.

    Needs the write token (header `X-Claimledger-Token`) when the server was started with one.
    """
    state = state_of(request)
    check_token(request, state.token)
    check_origin(request)
    state.rate.hit(request.client.host if request.client else "unknown")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise FormatError("request", 'send the article as application/json: {"text": ..., "name": ...}')
    body = await read_capped(request, state.max_upload_bytes)
    try:
        payload = IngestRequest.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise FormatError("request", f"{where}: {first['msg']}") from None
    upload = Upload(payload.name, payload.text.encode("utf-8"))
    outcome: IngestOutcome = await run_in_threadpool(lambda: state.ingester.run(state.stores.get(), [upload]))
    return IngestResult(**outcome.to_json())
