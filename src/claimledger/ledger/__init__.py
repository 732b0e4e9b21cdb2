"""The ledger: claims with their stance edges grouped by independent origin, a status with its reasons, and a
timeline, kept up to date in the store as articles arrive.

Public names: :func:`update_ledger` (the ledger stage of ``claimledger analyze``), :func:`rebuild_ledger`,
:class:`LedgerUpdate`; :func:`build_ledger` (one claim's entry from its edges), :class:`StatusRules`,
:func:`origin_groups`, :func:`timeline`, :func:`veracity`, :data:`LEDGER_VERSION`, :data:`VERACITY_LABELS`;
:data:`UNSOURCED`, :data:`HEADLINE` and :data:`StanceClassifier`.

The map of the package, in the order an update runs through it:

- ``update``: :func:`update_ledger`, the entry point: a full regrouping or an incremental addition, written
  in one optimistic transaction.
- ``regroup``: every stored statement grouped again as one batch (``analyze --rebuild``).
- ``incremental``: how an article is added to the ledger: new statements join stored claims or open new ones.
- ``context``: what an update reads (documents, attributions, syndication, outlets, actors) and the
  statements it groups.
- ``actors``, ``voices`` and ``origins``: who an origin is: one name and type per actor, a spokesman as the
  body he speaks for, the voices of one government, the first speaker of a chain, relays and syndicated copies
  adding articles, not origins.
- ``label``: the text that stands for a claim, and the story a new claim joins.
- ``edges``: stance edges made from a claim's members, in the ledger's order, and their stored form.
- ``status``: how a claim's status is decided: the rules, their plain-language reasons, the veracity estimate.
- ``record``: the JSON record of an entry, as stored and exported.
- ``write``: the claim index rows an update writes, and the :class:`LedgerUpdate` it reports.

Grouping (:mod:`claimledger.claims`) and article stance (:mod:`claimledger.stance`) are engines this package
uses; it never parses text itself.
"""

from claimledger.ledger.context import HEADLINE, StanceClassifier
from claimledger.ledger.origins import UNSOURCED
from claimledger.ledger.status import (
    LEDGER_VERSION,
    VERACITY_LABELS,
    StatusRules,
    build_ledger,
    origin_groups,
    timeline,
    veracity,
)
from claimledger.ledger.update import rebuild_ledger, update_ledger
from claimledger.ledger.write import LedgerUpdate

__all__ = [
    "HEADLINE",
    "LEDGER_VERSION",
    "UNSOURCED",
    "VERACITY_LABELS",
    "LedgerUpdate",
    "StanceClassifier",
    "StatusRules",
    "build_ledger",
    "origin_groups",
    "rebuild_ledger",
    "timeline",
    "update_ledger",
    "veracity",
]
