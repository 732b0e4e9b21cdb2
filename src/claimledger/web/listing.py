"""The claims listing, computed from the store: validated filters, opaque cursors, one page of rows at a time."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimledger.store.base import LEDGER_SORTS, LedgerQuery, LedgerRow, Store
from claimledger.types import STATUSES

from .security import BadRequest

PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
MAX_FILTER_CHARS = 500  # a search, actor or outlet longer than any claim text is a mistake, not a query
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def ledger_query(
    *,
    status: str | None = None,
    search: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
) -> LedgerQuery:
    """Validated filters; empty strings mean "no filter". BadRequest (400) names the bad parameter."""
    status = (status or "").strip() or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    sort = (sort or "").strip() or "origins"
    if sort not in LEDGER_SORTS:
        raise BadRequest(f"unknown sort {sort!r}; use one of {', '.join(LEDGER_SORTS)}")
    for name, value in (("since", since), ("until", until)):
        if value and not _valid_date(value.strip()):
            raise BadRequest(f"{name} must be a date like 2026-03-10, not {value!r}")
    if since and until and since.strip() > until.strip():
        raise BadRequest(f"since ({since.strip()}) is after until ({until.strip()}): no day can be in that range")
    for name, value in (("q", search), ("actor", actor), ("outlet", outlet)):
        if value and len(value) > MAX_FILTER_CHARS:
            raise BadRequest(f"{name} is {len(value):,} characters long; at most {MAX_FILTER_CHARS} are searched")
    return LedgerQuery(
        status=status,
        search=(search or "").strip() or None,
        actor=(actor or "").strip() or None,
        outlet=(outlet or "").strip() or None,
        since=(since or "").strip() or None,
        until=(until or "").strip() or None,
        sort=sort,
    )


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def encode_cursor(query: LedgerQuery, row: LedgerRow) -> str:
    """An opaque cursor: the sort and the position of ``row`` in it (its key and claim id)."""
    key = LEDGER_SORTS[query.sort].key(row)
    raw = json.dumps([query.sort, key, row.claim_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(query: LedgerQuery, cursor: str | None) -> tuple[Any, str] | None:
    """The position a cursor points after; BadRequest when it is malformed or from another sort."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort, key, claim_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadRequest("the cursor is not one this server gave out; start again from the first page") from None
    if sort != query.sort or not isinstance(claim_id, str) or not isinstance(key, (int, str)) or isinstance(key, bool):
        raise BadRequest("the cursor belongs to another sort order; start again from the first page")
    return key, claim_id


@dataclass(frozen=True)
class ClaimsPage:
    rows: list[LedgerRow]
    total: int
    next_cursor: str | None


def claims_page(store: Store, query: LedgerQuery, *, limit: int = PAGE_SIZE, cursor: str | None = None) -> ClaimsPage:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise BadRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    after = decode_cursor(query, cursor)
    rows = store.query_ledger(query, limit=limit + 1, after=after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(query, rows[-1]) if more and rows else None
    return ClaimsPage(rows, store.count_ledger(query), next_cursor)
