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
    either), in the engine's order, read as they are consumed: those of its first tier that
    matches anything (``Searcher.matching``), or with ``every_match`` all that its total counts
    (``Searcher.all_matches``, as the web page's count, facets and histogram)."""
    with Searcher(index_dir) as searcher:
        matches = searcher.all_matches(query, options) if every_match else searcher.matching(query, options)
        yield from searcher.reader.matches(matches)


def export_record(paragraph: Paragraph) -> dict:
    """All of a paragraph's metadata as one flat record (the keys of ``EXPORT_KEYS``)."""
    record = asdict(paragraph)
    record["topics"] = list(paragraph.topics)
    record["acronyms"] = [f"{short}={long}" for short, long in paragraph.acronyms]
    return record
