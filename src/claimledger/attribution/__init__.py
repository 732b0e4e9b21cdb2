"""Attribution: who says what in an article, with which stance, through which relays, and when.

``extract_attributions(document)`` is the one call; the rules live in ``cues`` (the cue
lexicon and stance), ``content`` (content spans and quotations), ``sources`` (source spans
and speaker types), ``relays`` (``via``), ``resolve`` (pronouns, surnames, roles) and
``timex`` (time expressions), and ``engine`` puts them together.
"""

from __future__ import annotations

from claimledger.attribution.engine import ENGINE_VERSION, extract_attributions

__all__ = ["ENGINE_VERSION", "extract_attributions"]
