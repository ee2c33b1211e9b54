"""Every paragraph a search matches (or the whole index), streamed with all its metadata.

``export_paragraphs`` is a generator that keeps the index open while it is consumed, so an export
of half a million paragraphs never holds them all in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, fields

from briefsearch.models import Paragraph
from briefsearch.query.searcher import SearchOptions, Searcher

EXPORT_KEYS = tuple(f.name for f in fields(Paragraph))


def export_paragraphs(index_dir: str | os.PathLike, query: str | None = None,
                      options: SearchOptions | None = None, every_match: bool = False) -> Iterator[Paragraph]:
    """The paragraphs ``query`` matches within the filters of ``options`` (every paragraph without
    either), in the engine's order, read as they are consumed: every one ``briefsearch query``
    counts in its total (``Searcher.paragraphs_matching``: a quoted phrase as written), or with
    ``every_match`` every one the web page counts (``Searcher.matching``: a phrase by its stems)."""
    with Searcher(index_dir) as searcher:
        if every_match:
            yield from searcher.reader.matches(searcher.matching(query, options))
        else:
            yield from searcher.paragraphs_matching(query, options)


def export_record(paragraph: Paragraph) -> dict:
    """All of a paragraph's metadata as one flat record (the keys of ``EXPORT_KEYS``)."""
    record = asdict(paragraph)
    record["topics"] = list(paragraph.topics)
    record["acronyms"] = [f"{short}={long}" for short, long in paragraph.acronyms]
    return record
