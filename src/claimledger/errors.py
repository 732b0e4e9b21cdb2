"""claimledger's exceptions. Every error a user can meet is one of these.

::

    ClaimledgerError                 code, message that says what to do next
    ├── ConfigError                  unknown setting, bad value
    ├── InputError                   one input cannot be read; ``source`` names it
    │   ├── DecodeError              binary junk, undecodable bytes, broken gzip
    │   ├── FormatError              malformed HTML, JSONL, WARC or feed
    │   ├── EmptyInputError          nothing (or no text) inside
    │   ├── TooLargeError            over the configured size cap
    │   ├── FetchError               a URL could not be fetched (status, timeout, robots.txt)
    │   └── ParseTimeoutError        text extraction ran past ``parse_timeout``
    ├── StoreError                   the database cannot be opened or written
    │   └── NotFoundError            no record with that id
    ├── ModelError                   a model package is missing or broken
    └── ClusterError                 a Ray cluster cannot be reached or lost its workers

The CLI maps each class to one line on stderr and an exit status; the web layer maps
them to HTTP statuses. Codes are stable: tests and users may match on them.
"""

from __future__ import annotations


class ClaimledgerError(Exception):
    """Base of every claimledger error."""

    code = "E000"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ConfigError(ClaimledgerError):
    code = "E010"
    exit_code = 2


class InputError(ClaimledgerError):
    """An input could not be ingested. ``source`` is the path, URL or ``file#line``."""

    code = "E100"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Rebuilt from its two parts when it crosses a process boundary (a Ray task raising it).
        return type(self), (self.source, self.reason)


class DecodeError(InputError):
    code = "E101"


class FormatError(InputError):
    code = "E102"


class EmptyInputError(InputError):
    code = "E103"


class TooLargeError(InputError):
    code = "E104"


class FetchError(InputError):
    code = "E105"


class ParseTimeoutError(InputError):
    """Text extraction ran past ``parse_timeout``."""

    code = "E106"


class StoreError(ClaimledgerError):
    code = "E200"


class NotFoundError(StoreError):
    code = "E201"
    exit_code = 3


class ModelError(ClaimledgerError):
    code = "E300"


class ClusterError(ClaimledgerError):
    """``analyze --engine ray``: the cluster is unreachable, Ray is not installed, or work kept failing."""

    code = "E400"
