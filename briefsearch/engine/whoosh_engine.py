"""The Whoosh implementation of the engine interface: one writer and one reader over a generation.

All Whoosh calls of briefsearch live in this package. Known Whoosh-Reloaded 2.7.5 traps are
avoided here: no ``Searcher.refresh()`` (duplicates after a merge), ``open_dir`` retried when a
commit deletes the TOC it was about to read, no ``AsyncWriter``/``BufferedWriter``, no
``schema=`` override, and every commit fsynced (Whoosh never calls fsync).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from briefsearch.engine.compiler import Compiler
from briefsearch.engine.schema import build_schema
from briefsearch.errors import CorruptIndex, NotFound
from briefsearch.models import Paragraph

INDEX_NAME = "MAIN"
_OPEN_RETRIES = 10


def _cache_missing_columns() -> None:
    """Whoosh caches a segment's per-field length columns but not their absence, so while
    writing a segment every posting of a field without lengths (ids, keywords) asks the
    filesystem whether the column file exists: a third of the commit time. Cache the absence too
    (a written segment never gains columns)."""
    from whoosh.codec.whoosh3 import W3PerDocReader

    if getattr(W3PerDocReader._cached_reader, "briefsearch_patched", False):
        return

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader
            return reader

    _cached_reader.briefsearch_patched = True
    W3PerDocReader._cached_reader = _cached_reader


_cache_missing_columns()


def _table_field_lengths() -> None:
    """BM25 asks for a document's field length once per scored document, and Whoosh answers each
    time with a column read, a struct unpack and a decode: a fifth of a one-word query at 100k
    paragraphs. Read a segment's length column (one byte a document) once, and decode through a
    256-entry table; the answers are Whoosh's own, None for a zero byte included."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
    from whoosh.util.numeric import byte_to_length

    if getattr(W3PerDocReader.doc_field_length, "briefsearch_patched", False):
        return
    table = [None] + [byte_to_length(b) for b in range(1, 256)]

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        cache = self.__dict__.setdefault("_briefsearch_lengths", {})
        data = cache.get(fieldname, cache)
        if data is cache:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            data = cache[fieldname] = None if reader is None else bytes(
                reader._dbfile.get(reader._basepos, reader._count))
        if data is None:
            return default
        return table[data[docnum]] if docnum < len(data) else None

    doc_field_length.briefsearch_patched = True
    W3PerDocReader.doc_field_length = doc_field_length


_table_field_lengths()


def _bisecting_skip_to() -> None:
    """Whoosh's posting matcher skips within a block one posting at a time (a Python call for
    each id and each step), which was half the time of a three-word query at 100k paragraphs:
    find the target in the block's sorted ids with bisect instead."""
    from bisect import bisect_left

    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching import ReadTooFar

    original = W3LeafMatcher.skip_to
    if getattr(original, "briefsearch_patched", False):
        return

    def skip_to(self, targetid):
        if self._byteids:  # term vectors: ids are bytes, keep Whoosh's walk
            return original(self, targetid)
        if not self.is_active():
            raise ReadTooFar
        if self._ids is None:
            self._read_ids()
        if targetid <= self._ids[self._i]:
            return
        if targetid > self._maxid:
            self._skip_to_block(lambda: targetid > self._maxid)
            if not self.is_active():
                return
            if self._ids is None:
                self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)
        if self._i == self._blocklength:  # only if the block's max id was stale
            self._next_block()

    skip_to.briefsearch_patched = True
    W3LeafMatcher.skip_to = skip_to


_bisecting_skip_to()


class _MappedReader:
    """A read-only raw file over a memoryview: bytes are copied out only as they are read."""

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def readinto(self, target) -> int:
        n = max(0, min(len(target), len(self._buf) - self._pos))
        target[:n] = self._buf[self._pos : self._pos + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = offset if whence == 0 else self._pos + offset if whence == 1 else len(self._buf) + offset
        return self._pos

    def tell(self) -> int:
        return self._pos


def _zero_copy_buffer_files() -> None:
    """Whoosh opens each part of a memory-mapped segment as a BufferFile whose constructor copies
    the part into a BytesIO, so every query copied the whole index into memory (312 MB peak at
    120k paragraphs). Read the mapped buffer through a small C-buffered reader instead."""
    import io

    from whoosh.filedb.structfile import BufferFile

    if getattr(BufferFile.__init__, "briefsearch_patched", False):
        return

    class _Raw(io.RawIOBase):
        def __init__(self, buf):
            self._reader = _MappedReader(buf)

        def readable(self):
            return True

        def seekable(self):
            return True

        def readinto(self, target):
            return self._reader.readinto(target)

        def seek(self, offset, whence=0):
            return self._reader.seek(offset, whence)

        def tell(self):
            return self._reader.tell()

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = io.BufferedReader(_Raw(buf), buffer_size=4096)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    __init__.briefsearch_patched = True
    BufferFile.__init__ = __init__


_zero_copy_buffer_files()


def _fsync_generation(path: Path) -> None:
    from briefsearch.storage import fsync_tree

    fsync_tree(path)


def _durable_rename(original):
    """Whoosh commits by renaming a temp TOC over the live one but never fsyncs: make the new
    segment files and the TOC durable before the rename, and the directory after it."""

    def rename_file(self, frm, to, safe=False):
        if ".toc." in frm:
            _fsync_generation(Path(self.folder))
        original(self, frm, to, safe=safe)
        if ".toc." in frm:
            from briefsearch.storage import fsync_dir

            fsync_dir(Path(self.folder))

    rename_file.briefsearch_durable = True
    return rename_file


if not getattr(FileStorage.rename_file, "briefsearch_durable", False):
    FileStorage.rename_file = _durable_rename(FileStorage.rename_file)


def paragraph_fields(paragraph: Paragraph) -> dict:
    flags = [name for name, on in (("quote", paragraph.is_quote), ("turn", paragraph.is_turn), ("question", paragraph.is_question)) if on]
    fields = {
        "id": paragraph.id,
        "article_id": paragraph.article_id,
        "position": paragraph.position,
        "text": paragraph.text,
        "title": paragraph.title,
        "topics": ",".join(t.replace(",", " ") for t in paragraph.topics),
        "acronyms": ",".join(" ".join(f"{s}={l}".replace(",", " ").split()) for s, l in paragraph.acronyms),
        "flags": " ".join(flags),
        "source": paragraph.source,
    }
    if paragraph.acronyms:
        fields["acronym_definitions"] = [list(pair) for pair in paragraph.acronyms]
    if paragraph.speaker:
        fields["speaker"] = paragraph.speaker
        fields["speaker_words"] = paragraph.speaker
    if paragraph.date:
        fields["day"] = paragraph.date[:10]
        fields["date"] = paragraph.date
    for name in ("author", "url", "section"):
        value = getattr(paragraph, name)
        if value:
            fields[name] = value
    return fields


def paragraph_from_fields(fields: dict) -> Paragraph:
    flags = set((fields.get("flags") or "").split())
    acronyms = [tuple(pair) for pair in fields.get("acronym_definitions") or ()]
    return Paragraph(
        id=fields["id"],
        article_id=fields["article_id"],
        position=fields["position"],
        text=fields.get("text", ""),
        title=fields.get("title", ""),
        date=fields.get("date"),
        author=fields.get("author"),
        source=fields.get("source", ""),
        url=fields.get("url"),
        section=fields.get("section"),
        speaker=fields.get("speaker"),
        is_quote="quote" in flags,
        is_turn="turn" in flags,
        is_question="question" in flags,
        topics=tuple(filter(None, (fields.get("topics") or "").split(","))),
        acronyms=tuple(acronyms),
    )


# --- writing ---------------------------------------------------------------------------------


def create_index(generation: Path) -> None:
    """Create an empty index in ``generation`` (a new directory)."""
    windex.create_in(str(generation), build_schema(), indexname=INDEX_NAME).close()


def recover_generation(generation: Path) -> list[str]:
    """Delete what an interrupted writer left in ``generation``; return the names removed.

    Whoosh leaves segment files of an uncommitted writer until the next commit, and never deletes
    the temp TOC files (``_MAIN_5.toc.1700000000.1``) of a commit that died while writing them.
    """
    ix = _open(generation)
    try:
        toc = ix._read_toc()
        live = {segment.segment_id() for segment in toc.segments}
        toc_pattern = windex.TOC._pattern(INDEX_NAME)
        segment_pattern = windex.TOC._segment_pattern(INDEX_NAME)
        removed = []
        for name in sorted(os.listdir(generation)):
            toc_match, segment_match = toc_pattern.match(name), segment_pattern.match(name)
            stale = (
                (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name)
                or (toc_match and int(toc_match.group(1)) != toc.generation)
                or (segment_match and segment_match.group(1) not in live)
            )
            if stale:
                os.remove(generation / name)
                removed.append(name)
        if (generation / f"{INDEX_NAME}.tmp").is_dir():  # the posting pool of a writer that died
            shutil.rmtree(generation / f"{INDEX_NAME}.tmp", ignore_errors=True)
            removed.append(f"{INDEX_NAME}.tmp")
        return removed
    finally:
        ix.close()


def committed_file_test(generation: Path):
    """A test ``name -> bool``: is this file part of the live commit (its TOC or a live segment)?

    Checksums recorded at an earlier commit may name files a later merge deleted; those are not
    damage.
    """
    ix = _open(generation)
    try:
        toc = ix._read_toc()
        live = {segment.segment_id() for segment in toc.segments}
        toc_name = f"_{INDEX_NAME}_{toc.generation}.toc"
        segment_pattern = windex.TOC._segment_pattern(INDEX_NAME)

        def committed(name: str) -> bool:
            match = segment_pattern.match(name)
            return name == toc_name or bool(match and match.group(1) in live)

        return committed
    finally:
        ix.close()


class WhooshWriter:
    """Adds and replaces the paragraphs of source files; ``commit`` makes a batch durable."""

    def __init__(self, generation: Path, limitmb: int = 256, jobs: int = 1):
        self.generation = Path(generation)
        self.index = _open(self.generation)
        self.limitmb = limitmb
        self.jobs = max(1, jobs)
        self._writer = None

    def _w(self):
        if self._writer is None:
            if self.jobs > 1:
                from briefsearch.engine.parallel import ParallelSegmentWriter

                # the posting-pool budget is shared out, so memory stays what one process would use
                self._writer = ParallelSegmentWriter(self.index, procs=self.jobs,
                                                     limitmb=max(32, self.limitmb // self.jobs))
            else:
                self._writer = self.index.writer(limitmb=self.limitmb)
        return self._writer

    def replace_source(self, path: str, paragraphs: list[Paragraph], manifest: dict, existed: bool) -> None:
        """Delete what ``path`` contributed (if it was indexed) and add its new paragraphs."""
        writer = self._w()
        if existed:
            writer.delete_by_term("source", path)
        for paragraph in paragraphs:
            writer.add_document(**paragraph_fields(paragraph))
        writer.add_document(id="source:" + path, kind="source", source=path, meta=json.dumps(manifest, sort_keys=True))

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


# --- reading ---------------------------------------------------------------------------------


def _open(generation: Path):
    """``open_dir`` with retries: a concurrent commit can delete the TOC between list and read."""
    last: Exception | None = None
    for attempt in range(_OPEN_RETRIES):
        try:
            return windex.open_dir(str(generation), indexname=INDEX_NAME)
        except windex.EmptyIndexError as error:
            raise CorruptIndex(f"The index generation {generation} holds no Whoosh index — run: briefsearch index --rebuild") from error
        except (FileNotFoundError, EOFError) as error:
            last = error
            time.sleep(0.02 * (attempt + 1))
        except Exception as error:  # pickle/zlib/struct errors of a damaged TOC
            raise CorruptIndex(f"The index in {generation} cannot be opened ({type(error).__name__}) — run: briefsearch check, or briefsearch index --rebuild") from error
    raise CorruptIndex(f"The index in {generation} cannot be opened ({last}) — run: briefsearch check, or briefsearch index --rebuild")


def _restricted(query: wq.Query, within: wq.Query | None) -> wq.Query:
    """``query`` limited to documents matching ``within``, which adds nothing to the score.

    Not Whoosh's ``filter=``: a filter that matches nothing restricts nothing there (its empty
    allow-set reads as "no filter"), and TimeLimitCollector bypasses the filtering wrapper.
    """
    if within is None:
        return query
    return wq.And([query, wq.ConstantScoreQuery(within, 0.0)])


def _deadline_collector(child, seconds: float):
    """``child`` that stops collecting after ``seconds``, looking at the clock every 64 matches.

    Not Whoosh's TimeLimitCollector: it starts a timer thread for every search (milliseconds on a
    busy machine while the thread waits for the GIL) or takes over SIGALRM.
    """
    from whoosh.collectors import WrappingCollector

    class DeadlineCollector(WrappingCollector):
        timed_out = False

        def collect_matches(self):
            deadline = time.monotonic() + seconds
            for n, sub_docnum in enumerate(self.child.matches(), 1):
                self.child.collect(sub_docnum)
                if not n % 64 and time.monotonic() > deadline:
                    self.timed_out = True
                    return

    return DeadlineCollector(child)


def _damage_errors() -> tuple[type[BaseException], ...]:
    import pickle
    import struct
    import zlib

    return (EOFError, zlib.error, struct.error, pickle.UnpicklingError)


def _reading(method):
    """Errors that only damaged index bytes produce (bad compression, short reads, broken
    pickles) become CorruptIndex with the way out, instead of an internal error."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            # Whoosh reports a damaged postings block as a plain Exception("Block tag error ...").
            if not isinstance(error, _damage_errors()) and not str(error).startswith("Block tag error"):
                raise
            raise CorruptIndex(
                f"The index is damaged ({type(error).__name__}: {error}) — run: briefsearch check, "
                "then briefsearch index --rebuild"
            ) from error

    return wrapper


class BriefingBM25F(BM25F):
    """BM25F with the Robertson/Sparck Jones idf, log(1 + (N - n + 0.5) / (n + 0.5)).

    Whoosh's own, log(N / (n + 1)) + 1, flattens the weight of rare words against common ones,
    which hurts long queries (measured: nDCG@10 +0.006 on average over five test collections).
    """

    def idf(self, searcher, fieldname, text):
        from math import log

        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count()
        return log(1 + (total - n + 0.5) / (n + 0.5))


class EngineHits:
    """The raw result of one engine search: total count and (stored fields, score) pairs."""

    def __init__(self, total: int, rows: list[tuple[dict, float]], terms: set[str], timed_out: bool = False):
        self.total = total
        self.rows = rows
        self.terms = terms  # analyzed text terms the query matched on, for highlighting
        self.timed_out = timed_out


class WhooshReader:
    """A snapshot of one generation for searching; close it when done."""

    def __init__(self, generation: Path, k1: float = 1.2, b: float = 0.75):
        self.index = _open(Path(generation))
        try:
            self.searcher = self.index.searcher(weighting=BriefingBM25F(B=b, K1=k1))
        except Exception as error:  # segments are opened here: damaged ones raise EOF/pickle/zlib errors
            self.index.close()
            raise CorruptIndex(f"The index in {generation} cannot be read ({type(error).__name__}) — "
                               "run: briefsearch check, or briefsearch index --rebuild") from error
        self.reader = self.searcher.reader()

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

    def compile(self, node) -> wq.Query:
        query = Compiler(self.reader).compile(node)
        return wq.NullQuery if query is None else query

    def search(self, query: wq.Query, *, filter_query: wq.Query | None = None, limit: int = 10,
               per_article: bool = False, time_limit: float | None = None) -> EngineHits:
        """Run an already compiled query; ``filter_query`` restricts without adding to the score.

        The filter is folded into the query and one-hit-per-article is done here, because Whoosh's
        TimeLimitCollector bypasses the FilterCollector and CollapseCollector wrapped around it.
        """
        query = _restricted(query, filter_query)
        fetch = limit * 4 if per_article else limit
        while True:
            results, timed_out = self._top(query, fetch, time_limit)
            rows, articles = [], set()
            for hit in results:
                fields = hit.fields()
                if per_article:
                    if fields["article_id"] in articles:
                        continue
                    articles.add(fields["article_id"])
                rows.append((fields, hit.score))
                if len(rows) == limit:
                    break
            if not per_article or len(rows) >= limit or results.scored_length() < fetch or timed_out:
                break
            fetch *= 4
        terms = {text.decode("utf-8") if isinstance(text, bytes) else text
                 for field, text in query.existing_terms(self.reader, expand=True) if field == "text"}
        return EngineHits(len(results), rows, terms, timed_out)

    def _top(self, query: wq.Query, limit: int, time_limit: float | None):
        # One exact pass: with block-quality skipping Whoosh cannot count the matches while it
        # ranks them, and len(results) ran the whole query a second time. Over the 200 bench
        # queries at 100k paragraphs one pass was faster at p50 (13.3 -> 10.3 ms) and p95 (83 -> 62).
        collector = self.searcher.collector(limit=limit, optimize=False)
        # Every few matches Whoosh also "replaces" the matcher with a cheaper one that drops
        # clauses it takes to be too weak to reach the top k. That is not rank-safe: against an
        # exhaustive ranking the top 10 was wrong for 97 of 224 CISI and 132 of 447 CRAN query
        # plans, and "president biden" lost its second-best paragraph from a top 5 that a top 400
        # held. Without it every one matched.
        collector.replace = 0
        if not time_limit:
            self.searcher.search_with_collector(query, collector)
            return collector.results(), False
        collector = _deadline_collector(collector, time_limit)
        self.searcher.search_with_collector(query, collector)
        return collector.results(), collector.timed_out

    def score_paragraphs(self, query: wq.Query, paragraph_ids) -> dict[str, float]:
        """The scores ``query`` gives the paragraphs ``paragraph_ids`` (those it does not match are
        left out), for re-ranking a short list: the query's postings are read only as far as those
        paragraphs, where a search would score every paragraph the query matches."""
        wanted = {}
        for paragraph_id in paragraph_ids:
            docnum = self.searcher.document_number(id=paragraph_id)
            if docnum is not None:
                wanted[docnum] = paragraph_id
        docnums = sorted(wanted)
        scores: dict[str, float] = {}
        context = self.searcher.context()
        for subsearcher, offset in self.searcher.leaf_searchers():
            end = offset + subsearcher.doc_count_all()
            local = [d - offset for d in docnums if offset <= d < end]
            if not local:
                continue
            matcher = query.matcher(subsearcher, context)
            for docnum in local:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    scores[wanted[docnum + offset]] = matcher.score()
        return scores

    def get(self, paragraph_id: str) -> Paragraph:
        fields = self.searcher.document(id=paragraph_id)
        if not fields or "article_id" not in fields:
            raise NotFound(f"No paragraph {paragraph_id} in the index — ids look like 3f2a9c1b7d4e#p12 (see briefsearch query output)")
        return paragraph_from_fields(fields)

    def article_paragraphs(self, article_id: str, first: int, last: int) -> list[Paragraph]:
        """Paragraphs of one article with position in [first, last], in order."""
        found = []
        for position in range(first, last + 1):
            fields = self.searcher.document(id=f"{article_id}#p{position}")
            if fields:
                found.append(paragraph_from_fields(fields))
        return found

    def term_counts(self, field: str) -> list[tuple[str, int]]:
        """Every indexed value of ``field`` with the number of paragraphs holding it."""
        out = []
        for term, info in self.reader.iter_field(field):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            out.append((text, info.doc_frequency()))
        return out

    def expand_prefix(self, field: str, prefix: str) -> list[str]:
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.expand_prefix(field, prefix)]

    def paragraphs_with(self, field: str, value: str, *, limit: int | None = None, latest_first: bool = False,
                        within: wq.Query | None = None) -> list[Paragraph]:
        """Paragraphs whose ``field`` holds exactly ``value``, oldest first (or newest first)."""
        query = _restricted(wq.Term(field, value), within)
        results = self.searcher.search(query, limit=limit, sortedby="day", reverse=latest_first)
        return [paragraph_from_fields(hit.fields()) for hit in results]

    def count_with(self, field: str, value: str, within: wq.Query | None = None) -> int:
        return len(self.searcher.search(_restricted(wq.Term(field, value), within), limit=1))

    def manifest(self) -> dict[str, dict]:
        """source path → manifest entry (size, mtime_ns, sha256, encoding, paragraphs, articles)."""
        results = self.searcher.search(wq.Term("kind", "source"), limit=None)
        return {hit["source"]: json.loads(hit["meta"]) for hit in results}

    def day_range(self) -> tuple[str | None, str | None]:
        """The first and last paragraph dates (YYYY-MM-DD) in the index."""
        days = [d.decode() if isinstance(d, bytes) else d for d in self.reader.lexicon("day")]
        return (days[0], days[-1]) if days else (None, None)

    def paragraph_count(self) -> int:
        """Paragraphs in the index (every document but the per-file manifest records).

        Counted from postings, which skip deleted documents: a term's doc frequency would not.
        """
        sources = sum(1 for _ in self.searcher.docs_for_query(wq.Term("kind", "source")))
        return self.searcher.doc_count() - sources

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in Path(self.index.storage.folder).iterdir() if f.is_file())

    def doc_frequency(self, field: str, text: str) -> int:
        return self.reader.doc_frequency(field, text)

    def lexicon(self, field: str) -> list[str]:
        return [term.decode("utf-8") if isinstance(term, bytes) else term for term in self.reader.lexicon(field)]

    def check(self, sample: int = 200) -> list[str]:
        """Problems found by reading every stored paragraph and checking postings on a sample."""
        from briefsearch.engine.analysis import analyze

        problems: list[str] = []
        total = self.reader.doc_count_all()
        step = max(1, total // sample)
        for docnum in range(total):
            if self.reader.is_deleted(docnum):
                continue
            fields = self.reader.stored_fields(docnum)
            if fields.get("kind") == "source" or docnum % step or not fields.get("text"):
                continue
            for term in set(analyze(fields["text"])[:3]):
                if docnum not in set(self.reader.postings("text", term).all_ids()):
                    problems.append(f"{fields.get('id')}: the word {term!r} of its text has no posting")
                    break
        return problems


def create_writer(generation: Path, jobs: int = 1) -> WhooshWriter:
    """A writer over ``generation``; ``jobs`` > 1 indexes added paragraphs in that many worker processes."""
    return WhooshWriter(generation, jobs=jobs)


def open_reader(generation: Path, **scoring) -> WhooshReader:
    return WhooshReader(generation, **scoring)


for _name in ("search", "get", "article_paragraphs", "term_counts", "paragraphs_with", "count_with", "manifest",
              "day_range", "expand_prefix", "lexicon", "compile", "paragraph_count", "score_paragraphs"):
    setattr(WhooshReader, _name, _reading(getattr(WhooshReader, _name)))
