"""Indexing runs: walk the sources, ingest what changed, write it to the engine, incrementally and safely.

The manifest (one record per source file: size, mtime, sha256, encoding) lives inside the index and
commits with the paragraphs it describes, so it can never disagree with them. Unchanged files are
skipped by size and mtime, then by content hash; a changed file's paragraphs are replaced in one
commit; files gone from an indexed folder are removed (refused when most of a folder is gone, as
when it is unmounted). An article met again under another name is indexed once. Work is committed
in batches, so an interrupted run loses at most one batch and the next run resumes where it
stopped; the leftovers of a killed run are removed, under the writer lock, before anything else.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

from briefsearch import __version__
from briefsearch.engine import DEFAULT_ENGINE, engine_named
from briefsearch.errors import BriefsearchError, NoIndex, SkippedFile, SourceError, UsageError
from briefsearch.indexing.generation import Generation
from briefsearch.indexing.copies import RULES as COPY_RULES, regroup
from briefsearch.indexing.ledger import LEDGER_FILE, Ledger, commit_marker, sync_ledger
from briefsearch.indexing.storage import IndexDir, WriterLock, disk_full, is_disk_full
from briefsearch.ingest.pipeline import streams
from briefsearch.models import IndexSummary
from briefsearch.text.fingerprint import statement_print
from briefsearch.text.vocabulary import Vocabulary

BATCH_FILES = 200
BATCH_PARAGRAPHS = 20_000
MASS_DELETE_FRACTION = 0.5
MASS_DELETE_MIN = 10
MAX_DEFAULT_JOBS = 4  # one process extracts and commits for all of them (measured here with 2 cores only)


@dataclass
class Progress:
    """What the progress callback is told after each file."""

    files_done: int = 0
    files_total: int = 0
    paragraphs: int = 0
    current: str = ""


@dataclass
class _Counts:
    """The running tally of a run, frozen into an IndexSummary at the end."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    paragraphs: int = 0
    warnings: list[str] = field(default_factory=list)
    # (reason, extension) -> files skipped for it, for the summary ("binary file (.txt 2)")
    skipped_by: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def skip(self, path: str, reason: str, warning: str | None = None) -> None:
        """Count a skipped file under its reason's kind and its extension, and warn about it."""
        self.skipped += 1
        kind = re.split(r"[;:(]", reason, maxsplit=1)[0].strip() or reason
        self.skipped_by[(kind, os.path.splitext(path)[1].lower() or "(none)")] += 1
        self.warnings.append(warning or f"{path}: skipped ({reason})")

    def skipped_summary(self) -> tuple[tuple[str, str, int], ...]:
        """(reason, extension, files), most files first."""
        return tuple((reason, ext, n) for (reason, ext), n in
                     sorted(self.skipped_by.items(), key=lambda item: (-item[1], item[0])))


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _url_key(url: str | None) -> str | None:
    """The article URL compared for duplicates: scheme, host case, fragment and trailing slash
    ignored; None for a bare site root (many pages wrongly name it as their canonical URL)."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = parts.path.rstrip("/")
    if not parts.netloc or (not path and not parts.query):
        return None
    return f"{parts.netloc.lower().removeprefix('www.')}{path}" + (f"?{parts.query}" if parts.query else "")


class _KnownArticles:
    """Articles already in the index, so that an article met again is not indexed twice.

    The same article is the same URL, or the same title and body; equal bodies under different
    titles and URLs are different articles. The same briefing often arrives twice (in two exports,
    or under two names). Its paragraphs are indexed once, from the file met first; the other file's manifest entry records which file holds
    them (``duplicate_of``), and when that file changes or goes, the other file is read again.
    """

    def __init__(self, manifest: dict[str, dict], sources, gone: Sequence[str]):
        current = {s.path: s for s in sources}
        stale = set(gone) | {
            path for path, entry in manifest.items()
            if path in current and (entry.get("size"), entry.get("mtime_ns")) != (current[path].size, current[path].mtime_ns)
        }
        self.owner = {digest: path for path, entry in manifest.items() if path not in stale
                      for digest in entry.get("article_sha1", ())}
        self.redo = {path for path, entry in manifest.items() if stale & set(entry.get("duplicate_of", ()))}

    def must_redo(self, path: str) -> bool:
        return path in self.redo

    def keep_new(self, path: str, paragraphs: list, entry: dict, warnings: list[str]) -> list:
        """The paragraphs of articles not indexed from another file (or earlier in this one)."""
        kept = self.file(path, entry)
        paragraphs = kept.keep(paragraphs)
        kept.finish(warnings)
        return paragraphs

    def file(self, path: str, entry: dict) -> "_FileArticles":
        """The articles of one file, given a batch at a time (``_FileArticles.keep``)."""
        return _FileArticles(self, path, entry)


class _FileArticles:
    """The articles of one file met so far: which were kept, which repeat another's."""

    def __init__(self, known: _KnownArticles, path: str, entry: dict):
        self.known, self.path, self.entry = known, path, entry
        self.seen: set[str] = set()
        self.originals: list[str] = []
        entry["article_sha1"], entry["paragraphs"] = [], 0

    def keep(self, paragraphs: list) -> list:
        import hashlib

        by_article: dict[str, list] = {}
        for paragraph in paragraphs:
            by_article.setdefault(paragraph.article_id, []).append(paragraph)
        owners, seen, kept = self.known.owner, self.seen, []
        for group in by_article.values():
            first = group[0]
            text = "\n".join([first.title, *(p.text for p in group)])
            digests = [hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]]
            url = _url_key(first.url)
            if url:
                digests.append("u" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:15])
            owner = next((owners[d] for d in digests if d in owners and owners[d] != self.path), None)
            if any(d in seen for d in digests) or owner is not None:
                self.originals.append(owner or self.path)
                continue
            for digest in digests:
                seen.add(digest)
                owners[digest] = self.path
                self.entry["article_sha1"].append(digest)
            kept.extend(group)
        self.entry["paragraphs"] += len(kept)
        return kept

    def finish(self, warnings: list[str]) -> None:
        """Record in the entry which files hold the articles repeated here, and warn once."""
        if self.originals:
            others = sorted(set(self.originals) - {self.path})
            self.entry["duplicate_of"] = others
            where = "repeated within the file" if not others else f"same article as in {others[0]}" + (
                f" and {len(others) - 1} more" if len(others) > 1 else "")
            count = len(self.originals)
            warnings.append(f"{self.path}: {count} duplicate article{'s' if count > 1 else ''} "
                            f"not indexed again ({where})")


class Ingest:
    """One indexing run over one index directory. Use ``index_paths`` unless you need the parts."""

    def __init__(self, index_dir: str, *, rebuild: bool = False, progress: Callable[[Progress], None] | None = None,
                 max_file_size: int = 20_000_000, prune: bool = False, overrides: str | None = None,
                 batch_files: int | None = None, jobs: int | None = None,
                 engine: str | None = None, follow_links: bool = False):
        self.store = IndexDir(index_dir)
        self.jobs = max(1, jobs or default_jobs())
        self.rebuild = rebuild
        self.progress = progress
        self.max_file_size = max_file_size
        self.prune = prune
        self.overrides = overrides
        self.batch_files = max(1, batch_files or BATCH_FILES)
        self.follow_links = follow_links
        self.counts = _Counts()
        self.engine_asked = engine  # only for a new or rebuilt index; an existing one keeps its stamp's
        self.engine = engine_named(engine or DEFAULT_ENGINE)  # a new index's; an existing one's from its stamp
        self._unmerged = False  # a batch was committed without merging segments
        self._written: list[tuple] = []  # (paragraph id, fingerprint, anchors) not yet in the ledger
        self._since: int | None = None  # the ledger's last sequence number before this run recorded any
        self._grouped = False  # the ledger's copies were decided for the live commit when the run began

    def run(self, paths: Sequence[str], wait: float = 0.0) -> IndexSummary:
        from briefsearch.ingest.sources import find_sources

        started = time.perf_counter()
        roots = [os.path.abspath(p) for p in paths]
        for root in roots:
            if not os.path.exists(root):
                raise SourceError(f"No such file or folder: {root} — check the path")
        try:
            self.store.check_path()
        except NoIndex as error:  # a file or an impossible name where the index should go
            raise SourceError(str(error)) from None
        with WriterLock(self.store.root) as lock:
            lock.acquire(wait)
            self._lock_fds = (lock.fileno(),)  # worker processes close their copy (see ingest.parallel)
            recovered = tuple(self.store.clean_leftovers())
            sources, walk_skips = find_sources(roots, follow_links=self.follow_links)
            for skip in walk_skips:  # a FIFO, a link loop, an unreadable folder: skipped like any file
                self.counts.skip(getattr(skip, "path", ""), getattr(skip, "reason", "skipped"), str(skip))
            if self.follow_links:
                self.counts.notes.append("symlinks followed wherever they lead (--follow-links)")

            first_build = not self.rebuild and not self.store.exists()
            if first_build:
                # A first build is published at once (empty) and filled in committed batches, so an
                # interrupted first run resumes like any incremental run.
                self._publish(self._create_generation())
            fresh = self.rebuild
            if fresh:
                if not self.engine_asked and self.store.exists():
                    self.engine = self._live_engine()  # a rebuild keeps the engine unless told otherwise
                generation = self._create_generation()
                manifest: dict[str, dict] = {}
                state = None
            else:
                generation = self.store.live()
                self.engine = generation.engine()
                if self.engine_asked and self.engine_asked != self.engine.name and not first_build:
                    raise UsageError(f"The index at {self.store.display()} uses the {self.engine.name} engine; --engine "
                                     f"{self.engine_asked} applies when an index is created — add --rebuild to switch")
                recovered += self._recover(generation)
                # Never build on damage: a damaged side file would be replaced by an empty one.
                generation.verify_on_open(self.engine)
                reader = self.engine.reader(generation.path)
                try:
                    manifest = reader.manifest()
                    if (self.store.root / LEDGER_FILE).exists():  # catch up after a kill between commit and record
                        sync_ledger(self.store.root, generation, reader).close()
                        self._grouped = True
                finally:
                    reader.close()
                state = generation.enrichment()

            enricher = self._enricher(state)
            self.vocabulary = Vocabulary.from_dict(None if fresh else generation.vocabulary())
            writer = self.engine.writer(generation.path, jobs=self.jobs)
            try:
                gone = self._removed(sources, roots, manifest)  # refuse a mass deletion before writing anything
                self._index_sources(sources, roots, manifest, writer, enricher, generation, gone)
                for path in gone:
                    writer.delete_source(path)
                self.counts.removed = len(gone)
                self._settle_names(writer, enricher, generation)
                # A bulk build is not optimized into one segment: merging rewrites every posting in one
                # process (100k paragraphs: 62.6 s build, 114.6 s optimized) and buys little (8
                # segments against 1: warm p50 +10%, p95 unchanged, cold +7%). Whoosh's merge policy
                # folds small segments together.
                self._commit(writer, enricher, generation)
            except BaseException as error:
                writer.cancel()
                writer.close()
                self._discard(generation, fresh)
                if is_disk_full(error):
                    raise disk_full(error, self.store.root) from None
                raise
            writer.close()
            if fresh:
                generation = self._publish(generation)
                self._record_ledger(generation)  # a rebuild's paragraphs are news only once it is live
            self._regroup(generation, fresh)
            reader = self.engine.reader(generation.path)
            try:
                total = reader.totals().paragraphs
            finally:
                reader.close()
        c = self.counts
        return IndexSummary(new=c.new, changed=c.changed, unchanged=c.unchanged, removed=c.removed, skipped=c.skipped,
                            paragraphs=c.paragraphs, warnings=tuple(c.warnings), skipped_by=c.skipped_summary(),
                            notes=tuple(c.notes), total_paragraphs=total,
                            seconds=time.perf_counter() - started, recovered=recovered)

    def _live_engine(self):
        """The engine the live generation's stamp names (the default when it cannot be read)."""
        try:
            return engine_named(self.store.live().stamp().engine)
        except BriefsearchError:
            return engine_named(DEFAULT_ENGINE)

    def _recover(self, generation: Generation) -> tuple[str, ...]:
        """Remove what a killed writer left in the live generation; re-record its checksums."""
        engine_files = self.engine.recover(generation.path)
        temp_files = generation.clean_leftovers()
        if engine_files or temp_files:
            generation.verify_on_open(self.engine)  # not re-recording over damage
            generation.record_checksums(self.engine)  # a kill between commit and recording leaves them stale
        notes = []
        if engine_files:
            notes.append(f"{len(engine_files)} leftover engine file{'s' if len(engine_files) > 1 else ''} of an unfinished commit")
        if temp_files:
            notes.append(f"{len(temp_files)} temp file{'s' if len(temp_files) > 1 else ''} ({', '.join(temp_files)})")
        return tuple(notes)

    def _discard(self, generation: Generation, fresh: bool) -> None:
        """After a failed or interrupted run: remove the uncommitted files (best effort; the next run
        does it anyway)."""
        import shutil

        try:
            if fresh:
                shutil.rmtree(generation.path, ignore_errors=True)
            else:
                self.engine.recover(generation.path)
                generation.clean_leftovers()
        except Exception:  # noqa: BLE001 - cleanup must never hide the error being reported
            pass

    # --- steps -------------------------------------------------------------------------------

    def _create_generation(self) -> Generation:
        """A new ``gen-N.tmp`` holding an empty engine index and the version stamp."""
        generation = Generation(self.store.new_generation(), self.store.display())
        self.engine.create(generation.path)
        generation.write_stamp(self.engine, __version__)
        return generation

    def _publish(self, generation: Generation) -> Generation:
        generation.record_checksums(self.engine)
        return Generation(self.store.publish(generation.path), self.store.display())

    def _enricher(self, state: dict | None):
        from briefsearch.ingest.enrich import EnrichmentState, Enricher

        loaded = EnrichmentState.from_dict(state) if state else None
        return Enricher(loaded, overrides_path=self.overrides)

    def _index_sources(self, sources, roots, manifest, writer, enricher, generation, gone=()) -> None:
        from briefsearch.ingest.parallel import extracted_in_order

        status = Progress(files_total=len(sources))
        articles = _KnownArticles(manifest, sources, gone)
        plan = []  # (source, its manifest entry, unchanged?, the sha256 that means "unchanged")
        for source in sources:
            previous = manifest.get(source.path)
            redo = articles.must_redo(source.path)
            unchanged = bool(not redo and previous and previous.get("size") == source.size
                             and previous.get("mtime_ns") == source.mtime_ns)
            plan.append((source, previous, unchanged, None if redo else (previous or {}).get("sha256")))
        # Extraction (read, parse, chunk) runs ahead in worker processes; enrichment and writing
        # stay here, in file order (``ingest.parallel``). Large JSON Lines files are streamed here.
        extracted = extracted_in_order(((source, self.max_file_size, known) for source, _, unchanged, known in plan
                                        if not unchanged and not streams(source)),
                                       self.jobs, close_fds=getattr(self, "_lock_fds", ()),
                                       with_terms=getattr(writer, "terms_ahead", False))
        try:
            self._consume(plan, extracted, articles, writer, enricher, generation, status)
        finally:
            extracted.close()

    def _consume(self, plan, extracted, articles, writer, enricher, generation, status) -> None:
        from briefsearch.ingest.pipeline import enrich_extracted

        batch_files = batch_paragraphs = 0
        for source, previous, unchanged, known in plan:
            status.current = source.path
            if unchanged:
                self.counts.unchanged += 1
            elif streams(source):
                self._stream(source, previous, known, articles, writer, enricher, generation, status)
                batch_files = batch_paragraphs = 0
            else:
                made = None
                try:
                    kind, value, made = next(extracted)
                    if kind == "error":
                        raise value
                    ingested = enrich_extracted(value, enricher, made.text_topics(enricher) if made else None)
                except SkippedFile as skip:
                    ingested = skip
                except Exception as error:  # noqa: BLE001 - see below
                    # A file that breaks a parser (nesting deeper than Python's stack, a parse tree
                    # over memory, a codec or parser bug) is that file's problem, never the run's;
                    # it is skipped, warned about and counted like any other.
                    ingested = SkippedFile(_failure_reason(error))
                if isinstance(ingested, SkippedFile):
                    # The paragraphs of an earlier, readable version stay until the file is readable
                    # again or gone: a passing problem must not empty the index.
                    self.counts.skip(source.path, ingested.reason, f"{source.path}: skipped ({ingested.reason})"
                                     + ("; its indexed paragraphs are kept" if previous else ""))
                elif ingested is None:
                    self.counts.unchanged += 1  # touched, not changed: skip the work
                else:
                    paragraphs, entry = ingested
                    self._count_words(paragraphs, made)
                    paragraphs = articles.keep_new(source.path, paragraphs, entry, self.counts.warnings)
                    writer.replace_source(source.path, paragraphs, entry, existed=previous is not None)
                    self._ledger_entries(paragraphs, made)
                    if previous:
                        self.counts.changed += 1
                    else:
                        self.counts.new += 1
                    self.counts.paragraphs += len(paragraphs)
                    status.paragraphs += len(paragraphs)
                    batch_files += 1
                    batch_paragraphs += len(paragraphs)
                    if entry["encoding"] not in ("utf-8", "ascii"):
                        self.counts.warnings.append(f"{source.path}: decoded as {entry['encoding']}")
            status.files_done += 1
            if self.progress:
                self.progress(status)
            if batch_files >= self.batch_files or batch_paragraphs >= BATCH_PARAGRAPHS:
                self._commit(writer, enricher, generation, merge=False)  # merging waits for the run's last commit
                batch_files = batch_paragraphs = 0

    def _stream(self, source, previous, known, articles, writer, enricher, generation, status) -> None:
        """Index a large JSON Lines file a batch of records at a time (``ingest.pipeline.stream_file``).

        It is committed on its own, so a failure midway (the file changed, a disk error) cancels
        only its own writes, and the paragraphs of its earlier version stay. What the run keeps
        per record until that commit: the article's digest and the paragraph's ledger entry.
        """
        from briefsearch.ingest.parallel import streamed_ahead
        from briefsearch.ingest.pipeline import enrich_extracted

        self._commit(writer, enricher, generation, merge=False)  # the batch so far, without this file
        try:
            streamed = streamed_ahead((source, self.max_file_size, known), self.jobs, getattr(self, "_lock_fds", ()),
                                      with_terms=getattr(writer, "terms_ahead", False))
        except Exception as error:  # noqa: BLE001 - the file's problem, not the run's (as in _consume)
            self._skip_file(source, previous, error)
            return
        if streamed is None:
            self.counts.unchanged += 1
            return
        batches, entry = streamed
        kept = articles.file(source.path, entry)
        written = len(self._written)

        def paragraphs():
            try:
                for batch, made in batches:
                    new, _ = enrich_extracted((batch, entry), enricher, made.text_topics(enricher) if made else None)
                    self._count_words(new, made)
                    new = kept.keep(new)
                    self._ledger_entries(new, made)
                    status.paragraphs += len(new)
                    yield from new
            except Exception as error:  # noqa: BLE001 - told apart from the writer's own failures
                raise _FileFailed(error) from error
            kept.finish(self.counts.warnings)  # the entry is complete before the writer stores it

        try:
            writer.replace_source(source.path, paragraphs(), entry, existed=previous is not None)
        except _FileFailed as failure:  # its own writes are cancelled: the earlier version stays
            writer.cancel()
            del self._written[written:]
            self._skip_file(source, previous, failure.error)
            return
        if previous:
            self.counts.changed += 1
        else:
            self.counts.new += 1
        self.counts.paragraphs += entry["paragraphs"]
        if entry["encoding"] not in ("utf-8", "ascii"):
            self.counts.warnings.append(f"{source.path}: decoded as {entry['encoding']}")
        self._commit(writer, enricher, generation, merge=False)

    def _count_words(self, paragraphs, made) -> None:
        """Count the words of ``paragraphs`` (all of a file or batch) in the vocabulary; ``made``:
        their ``ingest.parallel.MadeAhead``, which has counted them in a worker, or None."""
        if made is not None:
            self.vocabulary.add_counts(made.words)
            return
        for paragraph in paragraphs:
            self.vocabulary.add_text(paragraph.text)

    def _ledger_entries(self, paragraphs, made) -> None:
        """Keep (id, fingerprint, anchors) of ``paragraphs`` for the ledger's next record, taken
        from ``made`` (``ingest.parallel.MadeAhead``) when a worker made them."""
        make = made.statement_print if made is not None else statement_print
        self._written.extend((p.id, *make(p.text)) for p in paragraphs)

    def _settle_names(self, writer, enricher, generation: Generation) -> None:
        """Paragraphs written under a name that the collection has since spelt out ("Mr. Zients",
        met before any "Jeff Zients") are rewritten under the full name, in every source of the
        index (``EnrichmentState.settle_names``); their articles are rewritten whole, so that the
        question-and-answer texts indexed with them stay."""
        import dataclasses

        renames = enricher.state.settle_names()
        if not renames:
            return
        self._commit(writer, enricher, generation, merge=False)  # the reader sees every paragraph written
        reader = self.engine.reader(generation.path)
        try:
            articles = dict.fromkeys(p.article_id for old in renames for p in reader.paragraphs_with("speaker", old))
            rewritten = [dataclasses.replace(p, speaker=renames.get(p.speaker, p.speaker))
                         for article_id in articles for p in reader.article(article_id)]
        finally:
            reader.close()
        if rewritten:
            writer.replace_articles(rewritten)

    def _skip_file(self, source, previous, error: Exception) -> None:
        reason = error.reason if isinstance(error, SkippedFile) else _failure_reason(error)
        self.counts.skip(source.path, reason, f"{source.path}: skipped ({reason})"
                         + ("; its indexed paragraphs are kept" if previous else ""))

    def _removed(self, sources, roots, manifest) -> list[str]:
        seen = {s.path for s in sources}
        gone = [path for path in manifest if path not in seen and _under(path, roots)]
        under = [path for path in manifest if _under(path, roots)]
        if (not self.prune and len(gone) >= MASS_DELETE_MIN and len(gone) > MASS_DELETE_FRACTION * len(under)):
            raise SourceError(
                f"{len(gone)} of {len(under)} indexed files are gone from {', '.join(roots)} — if that folder is unmounted, "
                "mount it; to remove them from the index anyway, run again with --prune"
            )
        return gone

    def _commit(self, writer, enricher, generation: Generation, merge: bool = True) -> None:
        if writer.pending():
            writer.commit(merge=merge)
        elif merge and self._unmerged:
            writer.merge()  # the run ended on a batch boundary: merge what its batches left
        else:
            return
        self._unmerged = not merge
        generation.write_enrichment(enricher.state.to_dict())
        generation.write_vocabulary(self.vocabulary.to_dict())
        generation.record_checksums(self.engine)
        if not self.rebuild:
            self._record_ledger(generation)

    def _record_ledger(self, generation: Generation) -> None:
        """Record the paragraphs written since the last record as indexed now (``indexing.ledger``)."""
        with Ledger(self.store.root) as ledger:
            if self._since is None:
                self._since = ledger.last_seq()
            ledger.record(self._written)
            ledger.mark_synced(commit_marker(generation))
        self._written = []

    def _regroup(self, generation: Generation, fresh: bool) -> None:
        """Decide the copies of the paragraphs this run wrote, changed or removed, and of those
        sharing their words (``indexing.copies``), once the run's last commit is live; all of them
        after a rebuild or a first build, or when the run changed most of the index."""
        if not (self.store.root / LEDGER_FILE).exists():
            return
        with Ledger(self.store.root) as ledger:
            grouped = f"{COPY_RULES} {commit_marker(generation)}"
            if ledger.grouped() == grouped:
                return  # nothing committed since they were decided
            full = fresh or not self._grouped
            written = [] if full or self._since is None else list(ledger.since(self._since))  # new or changed
            changed = set(written)
            if self.counts.removed or self.counts.changed:
                changed.update(ledger.grouped_ids())  # a copy may be gone: those with copies look again
            full = full or len(changed) * 4 > ledger.size()
            reader = self.engine.reader(generation.path)
            try:
                regroup(ledger, reader, None if full else changed, written)
            finally:
                reader.close()
            ledger.mark_grouped(grouped)


class _FileFailed(Exception):
    """A streamed file's own failure (reading, parsing, enriching), told apart from the writer's."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _failure_reason(error: BaseException) -> str:
    """The skip reason of a file whose ingest raised ``error``."""
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    if isinstance(error, MemoryError):
        return "too large to read in memory; lower its size or split it"
    if isinstance(error, OSError):
        return f"unreadable: {error.strerror or error}"
    detail = " ".join(str(error).split())[:80]
    return f"could not be read ({type(error).__name__}{': ' + detail if detail else ''})"


def default_jobs() -> int:
    """Worker processes for writing: one per usable core, up to ``MAX_DEFAULT_JOBS``; 1 means in-process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_DEFAULT_JOBS, cores))


def index_paths(paths: Sequence[str], index_dir: str, *, rebuild: bool = False,
                progress: Callable[[Progress], None] | None = None, wait: float = 0.0, **options) -> IndexSummary:
    """Index files and folders into ``index_dir`` (created if needed); return what the run did."""
    return Ingest(index_dir, rebuild=rebuild, progress=progress, **options).run(paths, wait=wait)


__all__ = ["BriefsearchError", "Ingest", "Progress", "default_jobs", "index_paths"]
