"""Ingest: articles from files, folders, URLs, feeds and archives, as clean ``Document`` records.

``sources`` routes each input to its reader (``read_item``): ``jsonl``, ``feed`` (RSS, Atom),
``warc``, ``fetch`` (URLs, with ``addresses`` for the private-address guard and ``pacing`` for
the per-host pace and retries), ``html`` (with ``htmlmeta``) and ``text`` for scraped pages.
``boilerplate`` tells page furniture from the article (its cue table in ``boilerplate_cues``, the matchers
in ``matchers``); ``decode``, ``dates`` and ``limits`` are shared by the readers. Import from the
modules themselves: this package re-exports nothing.
"""
