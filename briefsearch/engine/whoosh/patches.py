"""Process-wide fixes and speed-ups of Whoosh-Reloaded 2.7.5, installed once by ``install()``.

Whoosh is pinned and unmaintained, so briefsearch owns these patches (each one's docstring says
what it fixes and what it was measured to save): import shims that keep ``briefsearch query``
from loading asyncio and ssl, cached absent length columns, table-decoded field lengths, a
bisecting posting skip, zero-copy reads of memory-mapped segments, posting-pool runs spilled and
read back in blocks, and fsync around the commit rename (Whoosh never calls fsync). ``engine.whoosh`` installs them before any other module of the
engine imports Whoosh.
"""

from __future__ import annotations

import functools
import sys
import types
from pathlib import Path

from briefsearch.durable import fsync_dir, fsync_tree

_installed = False


def install() -> None:
    """Apply every patch (idempotent)."""
    global _installed
    if _installed:
        return
    _import_shims()
    from whoosh.filedb.filestore import FileStorage

    _cache_missing_columns()
    _table_field_lengths()
    _bisecting_skip_to()
    _and_maybe_skip_to()
    _zero_copy_buffer_files()
    _batched_pool_runs()
    if not getattr(FileStorage.rename_file, "briefsearch_durable", False):
        FileStorage.rename_file = _durable_rename(FileStorage.rename_file)
    _installed = True


def _import_shims() -> None:
    """Whoosh-Reloaded takes one decorator from the ``cached_property`` package, which imports all
    of asyncio (tens of ms on every ``briefsearch query``); the standard library's does the same
    job. And whoosh.compat binds urllib.request.urlretrieve (never called by briefsearch), whose
    import loads ssl, email and http.client: lend it a stand-in for that one import."""
    if "cached_property" not in sys.modules:
        shim = types.ModuleType("cached_property")
        shim.cached_property = functools.cached_property
        sys.modules["cached_property"] = shim
    if "urllib.request" not in sys.modules and "whoosh.compat" not in sys.modules:

        def urlretrieve(*args, **kwargs):
            from urllib.request import urlretrieve as real

            return real(*args, **kwargs)

        stand_in = types.ModuleType("urllib.request")
        stand_in.urlretrieve = urlretrieve
        sys.modules["urllib.request"] = stand_in
        try:
            import whoosh.compat  # noqa: F401
        finally:
            del sys.modules["urllib.request"]


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


def _and_maybe_skip_to() -> None:
    """Whoosh's ``AndMaybeMatcher.skip_to(id)`` moves the optional matcher to ``id`` where the
    required one landed past it, so the optional clause of the paragraph landed on went unscored:
    under a filter (which skips) "+israel gaza" scored a paragraph holding both words 1.61 where
    the same search without the filter scored it 3.24. Move it to where the required one is."""
    from whoosh.matching import ReadTooFar
    from whoosh.matching.binary import AndMaybeMatcher

    if getattr(AndMaybeMatcher.skip_to, "briefsearch_patched", False):
        return

    def skip_to(self, id):
        if not self.a.is_active():
            raise ReadTooFar
        ra = self.a.skip_to(id)
        rb = False
        if self.a.is_active() and self.b.is_active() and self.b.id() < self.a.id():
            rb = self.b.skip_to(self.a.id())
        return ra or rb

    skip_to.briefsearch_patched = True
    AndMaybeMatcher.skip_to = skip_to


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


POOL_RUN_BLOCK = 4096  # postings per block of a spilled run: one block of each run is in memory while merging


def _batched_pool_runs() -> None:
    """Past its memory budget (``limitmb``) a segment writer's posting pool sorts what it holds
    and spills it to a temporary run file, and the runs are merged back when the segment is
    written. Whoosh pickles each posting on its own, both ways: measured on 125,000 tiny records
    written as one segment (one process, cProfile), 3.0 million postings spilled cost 28.5 s of
    ``pickle.dump`` and 44.3 s of ``pickle.load``, so the writer took 2.5 times as long as for
    62,500 records, which never spilled. Write and read a run in blocks of ``POOL_RUN_BLOCK``
    postings with ``marshal`` (postings are tuples of str, bytes, int, float and None): the same
    items, in the same order, at a few percent of the cost."""
    import marshal
    from itertools import islice

    from whoosh.writing import PostingPool

    if getattr(PostingPool._write_run, "briefsearch_patched", False):
        return

    def _write_run(self, f, items):
        try:
            items = iter(items)
            while True:
                block = list(islice(items, POOL_RUN_BLOCK))
                if not block:
                    break
                marshal.dump(block, f)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = marshal.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)

    _write_run.briefsearch_patched = True
    PostingPool._write_run = _write_run
    PostingPool._read_run = _read_run


def _durable_rename(original):
    """Whoosh commits by renaming a temp TOC over the live one but never fsyncs: make the new
    segment files and the TOC durable before the rename, and the directory after it."""

    def rename_file(self, frm, to, safe=False):
        if ".toc." in frm:
            fsync_tree(Path(self.folder))
        original(self, frm, to, safe=safe)
        if ".toc." in frm:
            fsync_dir(Path(self.folder))

    rename_file.briefsearch_durable = True
    return rename_file
