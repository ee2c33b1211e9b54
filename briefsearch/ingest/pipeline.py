"""The ingest pipeline for one source file: read → extract articles → chunk paragraphs → enrich.

Returns plain paragraphs and the file's manifest entry; writing them anywhere is the indexing
run's job (``indexing.runs``).
"""

from __future__ import annotations

from briefsearch.models import Paragraph

# Exports and feeds hold many articles, each parsed on its own, so they may be this much larger
# than the single-page limit (which exists because a parsed HTML page takes 6-8x its size).
RECORD_FORMATS = (".jsonl", ".json", ".rss", ".atom", ".xml")
RECORD_FORMAT_FACTOR = 25


def ingest_file(source, enricher, max_bytes: int, previous_sha256: str | None = None) -> tuple[list[Paragraph], dict] | None:
    """Paragraphs and manifest entry of ``source``; None when its bytes equal ``previous_sha256``.

    Raises SkippedFile when the file cannot be used (binary, empty, unreadable, ...).
    """
    return enrich_extracted(extract_file(source, max_bytes, previous_sha256), enricher)


def extract_file(source, max_bytes: int, previous_sha256: str | None = None):
    """The first, stateless half of ``ingest_file``: read, extract, chunk. (articles with their
    paragraphs, partial manifest entry), or None when the bytes equal ``previous_sha256``. Any
    process can run it (``ingest.parallel``)."""
    from briefsearch.ingest.chunking import chunk_article
    from briefsearch.ingest.extract import extract_articles
    from briefsearch.ingest.sources import read_text

    if source.path.lower().endswith(RECORD_FORMATS):
        max_bytes *= RECORD_FORMAT_FACTOR  # parsed one record at a time: no whole-page parse tree
    text, encoding, sha256 = read_text(source, max_bytes)
    if previous_sha256 == sha256:
        return None
    articles = extract_articles(source, text)
    entry = {"size": source.size, "mtime_ns": source.mtime_ns, "sha256": sha256, "encoding": encoding,
             "articles": len(articles)}
    return [(article, chunk_article(article)) for article in articles], entry


def enrich_extracted(extracted, enricher) -> tuple[list[Paragraph], dict] | None:
    """The second half of ``ingest_file``: enrichment, which learns across the collection (speaker
    registry, people) and so runs in one process, in file order."""
    if extracted is None:
        return None
    articles, entry = extracted
    paragraphs: list[Paragraph] = []
    for article, chunks in articles:
        paragraphs.extend(enricher.enrich(article, chunks))
    return paragraphs, {**entry, "paragraphs": len(paragraphs)}
