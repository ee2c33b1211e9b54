"""The ingest pipeline for one source file: read → extract articles → chunk paragraphs → enrich.

Returns plain paragraphs and the file's manifest entry; writing them anywhere is the indexing
run's job (``indexing.runs``). A large JSON Lines export is streamed instead (``stream_file``):
read, extracted and chunked ``STREAM_BATCH`` records at a time, never whole in memory.
"""

from __future__ import annotations

from itertools import chain, islice

from briefsearch.errors import SkippedFile
from briefsearch.models import Paragraph

# Exports and feeds hold many articles, each parsed on its own, so they may be this much larger
# than the single-page limit (which exists because a parsed HTML page takes 6-8x its size).
RECORD_FORMATS = (".jsonl", ".json", ".rss", ".atom", ".xml")
RECORD_FORMAT_FACTOR = 25
# JSON Lines files from this size on are streamed: their memory is one read buffer, one line and
# one batch of records (with its paragraphs), whatever the file's size.
STREAM_MIN_BYTES = 4_000_000
STREAM_BATCH = 1000


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


def enrich_extracted(extracted, enricher, text_topics: dict | None = None) -> tuple[list[Paragraph], dict] | None:
    """The second half of ``ingest_file``: enrichment, which learns across the collection (speaker
    registry, people) and so runs in one process, in file order. ``text_topics``: what each text
    names of the enricher's taxonomy, when a worker made it (``Enricher.enrich``)."""
    if extracted is None:
        return None
    articles, entry = extracted
    paragraphs: list[Paragraph] = []
    for article, chunks in articles:
        paragraphs.extend(enricher.enrich(article, chunks, text_topics))
    return paragraphs, {**entry, "paragraphs": len(paragraphs)}


def streams(source) -> bool:
    """Whether ``source`` is read a batch of records at a time (``stream_file``)."""
    return source.path.lower().endswith(".jsonl") and source.size >= STREAM_MIN_BYTES


def stream_file(source, max_bytes: int, previous_sha256: str | None = None, batch: int = STREAM_BATCH):
    """``extract_file`` for a large JSON Lines file, without holding it: (batches, manifest entry),
    or None when its bytes equal ``previous_sha256``. ``batches`` yields lists of up to ``batch``
    (article, paragraphs) pairs, read from the file as they are asked for; the entry's article
    count is final once they are all taken. A file that turns out not to be UTF-8 JSON Lines is
    extracted whole (one batch).

    Raises SkippedFile before the first batch (or, for a file changed or found empty while it was
    streamed, after the last one).
    """
    from briefsearch.ingest.chunking import chunk_article
    from briefsearch.ingest.extract import extract_json_lines, json_lines_record
    from briefsearch.ingest.sources import scan_lines, text_lines

    sha256 = scan_lines(source, max_bytes * RECORD_FORMAT_FACTOR)
    if sha256 and sha256 == previous_sha256:
        return None
    lines = (line for line in (text_lines(source, sha256) if sha256 else ()) if line.strip())
    head = list(islice(lines, 2))
    if len(head) < 2 or not json_lines_record(head[0]):  # not UTF-8 JSON Lines: read it the usual way
        extracted = extract_file(source, max_bytes, previous_sha256)
        return None if extracted is None else (iter([extracted[0]]), extracted[1])
    entry = {"size": source.size, "mtime_ns": source.mtime_ns, "sha256": sha256, "encoding": "utf-8", "articles": 0}

    def batches():
        articles = extract_json_lines(source, chain(head, lines))
        while True:
            taken = [(article, chunk_article(article)) for article in islice(articles, batch)]
            if not taken:
                break
            entry["articles"] += len(taken)
            yield taken
        if not entry["articles"]:
            raise SkippedFile("no text found")

    return batches(), entry

