"""The Whoosh writer of a generation: replace and delete the paragraphs of source files, commit.

No ``AsyncWriter`` or ``BufferedWriter`` (they lose errors and hold the lock for their whole life):
a segment writer that starts a new segment where its posting pool would spill
(``segments.RollingSegmentWriter``), or ``parallel.ParallelSegmentWriter`` when more than one job writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from briefsearch.engine.api import article_runs, exchange_texts
from briefsearch.engine.whoosh.directory import open_index
from briefsearch.engine.whoosh.schema import paragraph_fields
from briefsearch.engine.whoosh.segments import RollingSegmentWriter
from briefsearch.models import Paragraph


class WhooshWriter:
    """Adds and replaces the paragraphs of source files; ``commit`` makes a batch durable."""

    def __init__(self, generation: Path, limitmb: int = 256, jobs: int = 1):
        self.generation = Path(generation)
        self.index = open_index(self.generation)
        self.limitmb = limitmb
        self.jobs = max(1, jobs)
        self._writer = None

    def _w(self):
        if self._writer is None:
            if self.jobs > 1:
                from briefsearch.engine.whoosh.parallel import ParallelSegmentWriter

                # the posting-pool budget is shared out, so memory stays what one process would use
                self._writer = ParallelSegmentWriter(self.index, procs=self.jobs,
                                                     limitmb=max(32, self.limitmb // self.jobs))
            else:
                self._writer = RollingSegmentWriter(self.index, limitmb=self.limitmb)
        return self._writer

    def replace_source(self, path: str, paragraphs: Iterable[Paragraph], manifest_entry: dict, existed: bool) -> None:
        """Delete what ``path`` contributed (if it was indexed) and add its new paragraphs (a list or a
        stream, taken an article at a time); ``manifest_entry`` is read after the last one."""
        writer = self._w()
        if existed:
            writer.delete_by_term("source", path)
        for article in article_runs(paragraphs):
            exchanges = exchange_texts(article)
            for paragraph in article:
                writer.add_document(**paragraph_fields(paragraph, exchanges.get(paragraph.id, ("", ""))))
        writer.add_document(id="source:" + path, kind="source", source=path, meta=json.dumps(manifest_entry, sort_keys=True))

    def replace_articles(self, paragraphs: Iterable[Paragraph]) -> None:
        """Replace the indexed paragraphs of whole articles (all of each article's, grouped by article)."""
        writer = self._w()
        for article in article_runs(paragraphs):
            writer.delete_by_term("article_id", article[0].article_id)
            exchanges = exchange_texts(article)
            for paragraph in article:
                writer.add_document(**paragraph_fields(paragraph, exchanges.get(paragraph.id, ("", ""))))

    def delete_source(self, path: str) -> None:
        self._w().delete_by_term("source", path)

    def pending(self) -> bool:
        return self._writer is not None

    def commit(self, merge: bool = True) -> None:
        """Make the pending batch durable; ``merge=False`` skips Whoosh's merge of small segments,
        which can take many seconds and would widen the window an interruption loses."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        try:
            writer.commit(merge=merge)
        except BaseException:
            self._writer = writer  # a failed commit still holds Whoosh's lock: let cancel() free it
            raise

    def merge(self) -> None:
        """Let Whoosh merge small segments (batch commits skip that), if there is more than one."""
        if len(self.index._segments()) > 1:
            self._w()
            self.commit(merge=True)

    def cancel(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.cancel()
            except Exception:  # after a failed commit (ENOSPC) the segment is already closed:
                for step in (writer._tempstorage.destroy, writer.writelock.release):  # still clean up and unlock
                    try:
                        step()
                    except Exception:
                        pass

    def close(self) -> None:
        self.cancel()
        self.index.close()
