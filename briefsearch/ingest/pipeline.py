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
    from briefsearch.ingest.chunking import chunk_article
    from briefsearch.ingest.extract import extract_articles
    from briefsearch.ingest.sources import read_text

    if source.path.lower().endswith(RECORD_FORMATS):
        max_bytes *= RECORD_FORMAT_FACTOR  # parsed one record at a time: no whole-page parse tree
    text, encoding, sha256 = read_text(source, max_bytes)
    if previous_sha256 == sha256:
        return None
    articles = extract_articles(source, text)
    paragraphs: list[Paragraph] = []
    for article in articles:
        paragraphs.extend(enricher.enrich(article, chunk_article(article)))
    entry = {"size": source.size, "mtime_ns": source.mtime_ns, "sha256": sha256, "encoding": encoding,
             "articles": len(articles), "paragraphs": len(paragraphs)}
    return paragraphs, entry
