"""How long the fetcher waits: the per-host pace between requests, and the delays between retries.

``HostPacer`` keeps the time of the last request to each host name and sleeps until
``fetch_per_host_interval`` has passed; ``retry_after`` reads a server's Retry-After header.
``claimledger.ingest.fetch`` retries with exponential backoff from ``BACKOFF_S`` and does not
wait for a Retry-After longer than ``MAX_RETRY_AFTER_S``.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

__all__ = ["BACKOFF_S", "MAX_RETRY_AFTER_S", "HostPacer", "retry_after"]

BACKOFF_S = 0.5  # first retry waits this long, then twice as long each time
MAX_RETRY_AFTER_S = 10.0  # a longer Retry-After is not waited for: the fetch fails with the server's delay


class HostPacer:
    """The time of the last request to each host name, and the wait before the next one to it."""

    def __init__(self, interval: float, *, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}  # host → clock() when the last request to it started

    def wait(self, url: str) -> None:
        """Wait until ``interval`` (``fetch_per_host_interval``) has passed since the last request to the host."""
        interval = self._interval
        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if interval > 0 and last is not None:
            wait = last + interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait (delta-seconds or an HTTP date), or None."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
