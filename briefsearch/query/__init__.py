"""Querying: briefsearch's own query language, rewritten, planned and run through the engine.

``language`` (text → ``tree``, the query structure), ``rewrite`` (stop words, exclusions,
acronyms), ``policy`` (the ranking policy as one value), ``plan`` (the tiers), ``searcher``
(running them, re-ranking with ``feedback``), ``spelling`` (did-you-mean), ``snippets``.
"""
