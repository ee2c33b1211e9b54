"""The tantivy writer of a generation: replace and delete the paragraphs of source files, commit.

tantivy indexes in its own threads (``jobs`` of them) and merges segments in background threads
after a commit, rewriting ``meta.json`` when a merge ends. So that a commit is a fixed state (its
checksums recorded right after it stay true), ``commit`` waits for the merges it started and
drops the tantivy writer; the next change opens a new one, and the memory of its buffer, freed
by tantivy's threads, is handed back to the system (``_give_back``). tantivy's own writer lock
(``.tantivy-writer.lock``, released by the kernel when a process dies) sits under briefsearch's.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from briefsearch.engine.tantivy.directory import open_index
from briefsearch.engine.api import EXCHANGE_CHARS, article_runs, exchange_parts, exchange_text
from briefsearch.engine.tantivy.schema import paragraph_document, source_document, terms_text
from briefsearch.errors import IndexBusy
from briefsearch.models import Paragraph

HEAP_BYTES = 128_000_000  # tantivy's indexing buffer
# One indexing thread: with more, which documents land in which segment depends on timing, and so
# does the order of paragraphs that score the same (-j 1 and -j 2 gave different top 50s). tantivy's
# share of a build is small beside analysis; the other cores extract (``ingest.parallel``).
THREADS = 1


class _ExchangeTerms:
    """The index terms of the question and the answer each paragraph of one article takes part in
    (``engine.api.exchange_parts``), each made once for the article. A question or answer not cut
    at ``EXCHANGE_CHARS`` is its paragraphs' texts one space apart, and no word spans a space, so
    its terms are theirs one after another, which an extraction worker has made already."""

    def __init__(self, article: list[Paragraph]):
        self.parts = exchange_parts(article)
        self.made: dict[tuple[str, ...], str | None] = {}

    def of(self, paragraph: Paragraph) -> tuple[str | None, str | None]:
        asked, answer = self.parts.get(paragraph.id, ((), ()))
        return self._terms(asked), self._terms(answer)

    def _terms(self, parts: tuple[str, ...]) -> str | None:
        if parts not in self.made:
            whole = " ".join(parts)
            if not whole:
                self.made[parts] = None
            elif len(whole) <= EXCHANGE_CHARS:
                self.made[parts] = " ".join(terms for terms in map(terms_text, parts) if terms)
            else:
                self.made[parts] = terms_text(exchange_text(parts))
        return self.made[parts]


class TantivyWriter:
    """Adds and replaces the paragraphs of source files; ``commit`` makes a batch durable."""

    # Its documents hold text.analysis's terms of each paragraph text: the extraction workers can
    # make them (``ingest.parallel``), which takes a third of the indexing process's work off it.
    terms_ahead = True

    def __init__(self, generation: Path, jobs: int = 1):
        self.generation = Path(generation)
        self.index = open_index(self.generation)
        self.jobs = max(1, min(jobs, 4))
        self._writer = None
        self._pending = False

    def _w(self):
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=HEAP_BYTES, num_threads=THREADS)
            except ValueError as error:
                if "LockBusy" in str(error):
                    raise IndexBusy(f"Another process is writing to the index in {self.generation} — wait for it") from None
                raise
        return self._writer

    def replace_source(self, path: str, paragraphs: Iterable[Paragraph], manifest_entry: dict, existed: bool) -> None:
        """Delete what ``path`` contributed (if it was indexed) and add its new paragraphs (a list or a
        stream, taken an article at a time); ``manifest_entry`` is read after the last one."""
        writer = self._w()
        self._pending = True
        if existed:
            writer.delete_documents_by_term("source", path)
        for article in article_runs(paragraphs):
            exchanges = _ExchangeTerms(article)
            titles: dict[str, str] = {}  # an article's title is analysed once, not once per paragraph
            for paragraph in article:
                title = titles.get(paragraph.title)
                if title is None:
                    title = titles[paragraph.title] = terms_text(paragraph.title)
                writer.add_document(paragraph_document(paragraph, title_terms=title, exchange_terms=exchanges.of(paragraph)))
        writer.add_document(source_document(path, manifest_entry))

    def replace_articles(self, paragraphs: Iterable[Paragraph]) -> None:
        """Replace the indexed paragraphs of whole articles (all of each article's, grouped by article)."""
        writer = self._w()
        self._pending = True
        for article in article_runs(paragraphs):
            writer.delete_documents_by_term("article_id", article[0].article_id)
            exchanges = _ExchangeTerms(article)
            title = terms_text(article[0].title)
            for paragraph in article:
                writer.add_document(paragraph_document(paragraph, title_terms=title if paragraph.title == article[0].title
                                                       else None, exchange_terms=exchanges.of(paragraph)))

    def delete_source(self, path: str) -> None:
        self._pending = True
        self._w().delete_documents_by_term("source", path)

    def pending(self) -> bool:
        return self._pending

    def commit(self, merge: bool = True) -> None:
        """Make the pending batch durable (tantivy fsyncs the segments, then swaps ``meta.json``),
        then wait for the merges it started. ``merge`` is for engines that merge on request."""
        if self._writer is None or not self._pending:
            return
        self._writer.commit()
        self._pending = False
        self._finish()

    def _finish(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.wait_merging_threads()  # consumes the writer and frees tantivy's lock
            _give_back()

    def merge(self) -> None:
        """tantivy merges after every commit by itself (and ``commit`` waits for it)."""

    def cancel(self) -> None:
        self._pending = False
        if self._writer is not None:
            try:
                self._writer.rollback()
            except Exception:  # noqa: BLE001 - after a failed commit: still free the lock
                pass
            try:
                self._finish()
            except Exception:  # noqa: BLE001
                self._writer = None

    def close(self) -> None:
        self.cancel()
        self.index = None


@lru_cache(maxsize=1)
def _trim():
    """glibc's ``malloc_trim``, or None elsewhere."""
    import ctypes  # here: ctypes.util imports tempfile and shutil, which a search does not need
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _give_back() -> None:
    """Return to the system the memory tantivy's threads freed. glibc keeps what a thread frees in
    that thread's arena, so the writer's buffer (``HEAP_BYTES``) stays resident after the writer is
    gone, under whatever the process does next (the copies of a statement, after the last commit:
    50 MB at 100,000 paragraphs). ``malloc_trim`` releases it."""
    trim = _trim()
    if trim is not None:
        trim(0)
