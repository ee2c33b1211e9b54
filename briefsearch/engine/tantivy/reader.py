"""The tantivy reader of a generation: compile, search, score, fetch, count — all in plain data.

One searcher per snapshot (``config_reader("manual")``: no watcher thread, never reloaded); a
caller that finds ``is_current()`` false opens a new reader. Every count is of live paragraphs:
searches and aggregations skip deleted documents.

A deadline: tantivy has no time limit, but it releases the GIL while it searches, so a search
whose postings (its cost, counted when compiled) could outlast the deadline runs in a worker
thread that the caller stops waiting for when the deadline passes (reported as ``timed_out``).
Cheaper searches run in the calling thread.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import tantivy

from briefsearch.engine.api import ORDERS, EngineHits, Scoring, Totals
from briefsearch.engine.tantivy.compiler import Compiled, Compiler
from briefsearch.engine.tantivy.directory import META_NAME, cannot_open, open_index
from briefsearch.engine.tantivy.schema import FACET_FIELDS, INTEGER_FACETS, ORDER_FIELDS, day_text, paragraph_from_document, paragraph_key
from briefsearch.errors import CorruptIndex, NotFound
from briefsearch.models import Paragraph
from briefsearch.text.analysis import analyze

Occur = tantivy.Occur
Q = tantivy.Query
INLINE_COST = 4_000_000  # postings a search reads in well under a second on this machine
MAX_VERIFIED = 20_000  # candidates of an order-checked phrase looked at, best first
MAX_BUCKETS = 65_000  # tantivy's limit on the buckets of one aggregation
_pool = None  # the worker threads of searches that could outlast their deadline, made at the first


def _background():
    global _pool
    if _pool is None:
        # imported here: concurrent.futures loads logging, 11 ms of every cold query that never needs a thread
        from concurrent.futures import ThreadPoolExecutor

        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="briefsearch-search")
    return _pool


def reading(method):
    """tantivy reports damaged or missing files as ValueError/OSError: the one-sentence way out."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (ValueError, OSError) as error:
            if not _is_tantivy_error(error):
                raise
            raise CorruptIndex(f"The index is damaged ({type(error).__name__}: {error}) — run: briefsearch check, "
                               "then briefsearch index --rebuild") from error

    return wrapper


def _is_tantivy_error(error: BaseException) -> bool:
    return isinstance(error, OSError) or any(word in str(error) for word in (
        "Failed to", "corrupt", "Corrupt", "IoError", "io error", "DataCorruption", "open", "read", "No such file"))


class TantivyQuery:
    """A compiled query: the tantivy query, its description and what matches must also satisfy."""

    def __init__(self, compiled: Compiled, notes: tuple[str, ...] = ()):
        self.compiled = compiled
        self.notes = notes

    @property
    def query(self):
        return self.compiled.query

    def describe(self) -> str:
        return self.compiled.text


def _meta_identity(generation: Path):
    st = os.stat(generation / META_NAME)
    return st.st_ino, st.st_mtime_ns, st.st_size


class TantivyReader:
    """A snapshot of one generation for searching; close it when done."""

    def __init__(self, generation: Path, scoring: Scoring = Scoring()):
        self.generation = Path(generation)
        self.scoring = scoring  # tantivy's BM25 is k1 1.2, b 0.75, with the same idf as Whoosh's engine here
        self._opened = _meta_identity(self.generation)  # before the searcher reads it: never too new
        self.index = open_index(self.generation)
        try:
            self.index.config_reader(reload_policy="manual", num_warmers=0)
            self.searcher = self.index.searcher()
        except (ValueError, OSError) as error:  # segments are opened here: damaged ones fail
            raise cannot_open(self.generation, error) from error
        self.schema = self.index.schema
        self._paragraph_query = Q.term_query(self.schema, "kind", "paragraph")

    def close(self) -> None:
        self.searcher = None
        self.index = None

    def is_current(self) -> bool:
        try:
            return _meta_identity(self.generation) == self._opened
        except OSError:
            return False

    # --- searching ---------------------------------------------------------------------------

    @reading
    def compile(self, node) -> TantivyQuery:
        compiler = Compiler(self.schema, self.searcher)
        compiled = compiler.compile(node)
        return TantivyQuery(compiled, tuple(compiler.notes))

    def _restricted(self, query, within: TantivyQuery | None):
        if within is None:
            return query
        if within.query is None:
            return None
        return Q.boolean_query([(Occur.Must, query), (Occur.Must, Q.const_score_query(within.query, 0.0))])

    def _run(self, query, limit: int, cost: int, deadline: float | None, **options):
        """(hits, count, timed_out) of one tantivy search, stopped waiting for at the deadline."""
        if not deadline or cost < INLINE_COST:
            result = self.searcher.search(query, limit=limit, **options)
            return result.hits, result.count, False
        from concurrent.futures import TimeoutError as FutureTimeout  # (loaded by _background)

        future = _background().submit(self.searcher.search, query, limit, **options)
        try:
            result = future.result(timeout=deadline)
        except FutureTimeout:
            return [], 0, True
        return result.hits, result.count, False

    @reading
    def search(self, query: TantivyQuery, *, within: TantivyQuery | None = None, limit: int = 10,
               per_article: bool = False, deadline: float | None = None, order: str = "relevance") -> EngineHits:
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}")
        compiled = query.compiled
        target = self._restricted(compiled.query, within) if compiled.query is not None else None
        if target is None:
            return EngineHits(0, (), frozenset(compiled.terms))
        checks = compiled.checks
        fetch = limit * 4 if per_article else limit
        if checks:
            fetch = MAX_VERIFIED
        sort = {}
        if order != "relevance":
            field_name, descending = ORDER_FIELDS[order]
            sort = {"order_by_field": field_name, "order": tantivy.Order.Desc if descending else tantivy.Order.Asc}
        while True:
            hits, total, timed_out = self._run(target, max(1, fetch), compiled.cost, deadline, **sort)
            rows, articles, verified = [], set(), 0
            for score, address in hits:
                if not checks and len(rows) == limit:
                    break
                paragraph = paragraph_from_document(self.searcher.doc(address))
                if checks:
                    if not all(check.holds(analyze(paragraph.text if check.field == "text" else paragraph.title))
                               for check in checks):
                        continue
                    verified += 1
                    if len(rows) == limit:
                        continue
                if per_article:
                    if paragraph.article_id in articles:
                        continue
                    articles.add(paragraph.article_id)
                rows.append((paragraph, score))
            if checks:
                total = verified
            if not per_article or checks or len(rows) >= limit or len(hits) < fetch or timed_out:
                break
            fetch *= 4
        if sort and rows:  # sorted hits carry the sort key: score the page shown
            scores = self.score_paragraphs(query, [p.id for p, _ in rows])
            rows = [(p, scores.get(p.id, 0.0)) for p, _ in rows]
        return EngineHits(total, tuple(rows), frozenset(compiled.terms), timed_out)

    @reading
    def count(self, query: TantivyQuery, *, within: TantivyQuery | None = None, deadline: float | None = None) -> int:
        if query.compiled.checks:  # matches are verified one by one: the search counts them
            return self.search(query, within=within, limit=1, deadline=deadline).total
        target = self._restricted(query.query, within) if query.query is not None else None
        return 0 if target is None else self.searcher.search(target, limit=1).count

    @reading
    def score_paragraphs(self, query: TantivyQuery, paragraph_ids) -> dict[str, float]:
        """One search restricted to those paragraphs (by the ``key`` of their ids), whose scores
        are the ones a full search gives them: tantivy's statistics are the whole index's."""
        keys = {paragraph_key(i): i for i in paragraph_ids}
        if query.query is None or not keys:
            return {}
        restricted = Q.boolean_query([
            (Occur.Must, query.query),
            (Occur.Must, Q.const_score_query(Q.term_set_query(self.schema, "key", list(keys)), 0.0)),
        ])
        result = self.searcher.search(restricted, limit=len(keys), count=False)
        found = self.searcher.fast_field_values("key", [address for _, address in result.hits])
        return {keys[key]: score for (score, _), key in zip(result.hits, found) if key in keys}

    # --- paragraphs --------------------------------------------------------------------------

    def _docs(self, query, limit: int | None = None, **options) -> list:
        return [self.searcher.doc(address) for address in self._addresses(query, limit, **options)]

    def _addresses(self, query, limit: int | None = None, **options) -> list:
        if limit is None:
            limit = self.searcher.search(query, limit=1).count
        if limit <= 0:
            return []
        return [address for _, address in self.searcher.search(query, limit=limit, count=False, **options).hits]

    @reading
    def get(self, paragraph_id: str) -> Paragraph:
        docs = self._docs(Q.term_query(self.schema, "id", paragraph_id), 1)
        if not docs or not docs[0]["paragraph"]:
            raise NotFound(f"No paragraph {paragraph_id} in the index — ids look like 3f2a9c1b7d4e#p12 (see briefsearch query output)")
        return paragraph_from_document(docs[0])

    @reading
    def article_paragraphs(self, article_id: str, first: int, last: int) -> list[Paragraph]:
        ids = [f"{article_id}#p{position}" for position in range(first, last + 1)]
        if not ids:
            return []
        docs = self._docs(Q.term_set_query(self.schema, "id", ids), len(ids))
        return sorted((paragraph_from_document(d) for d in docs), key=lambda p: p.position)

    def paragraphs(self):
        return self.matches(None)  # read as they are consumed: not every document of the index at once

    def matches(self, query: TantivyQuery | None, within: TantivyQuery | None = None):
        if query is not None and query.query is None:
            return
        target = self._paragraph_query if query is None else query.query
        if within is not None:
            target = self._restricted(target, within)
            if target is None:
                return
        if query is not None:
            target = Q.boolean_query([(Occur.Must, target), (Occur.Must, self._paragraph_query)])
        # read as they are consumed, 256 at a time: a caller that stops early (a phrase's count
        # checked against a time limit) reads at most 256 more documents than it took
        searcher = self.searcher  # kept: the documents stay readable should the reader be closed meanwhile
        addresses = self._addresses(target)
        for start in range(0, len(addresses), 256):
            yield from [paragraph_from_document(searcher.doc(a)) for a in addresses[start:start + 256]]

    @reading
    def article(self, article_id: str) -> list[Paragraph]:
        docs = self._docs(Q.term_query(self.schema, "article_id", article_id))
        return sorted((paragraph_from_document(d) for d in docs), key=lambda p: p.position)

    # --- counts ------------------------------------------------------------------------------

    def _has_deletions(self) -> bool:
        try:
            meta = json.loads((self.generation / META_NAME).read_text(encoding="utf-8"))
            return any(segment.get("deletes") for segment in meta["segments"])
        except (OSError, ValueError, KeyError):
            return True

    @reading
    def facet_counts(self, facet: str, within: TantivyQuery | None = None) -> dict[str, int]:
        """A terms aggregation over the live paragraphs (within ``within``): live counts."""
        field_name = FACET_FIELDS[facet]
        query = self._paragraph_query if within is None else self._restricted(self._paragraph_query, within)
        if query is None:
            return {}
        result = self.searcher.aggregate(query, {"v": {"terms": {"field": field_name, "size": MAX_BUCKETS}}})
        counts = {_facet_value(facet, bucket["key"]): bucket["doc_count"] for bucket in result["v"]["buckets"] if bucket["doc_count"]}
        return dict(sorted(counts.items()))

    @reading
    def facet_table(self, facet: str, by: str, within: TantivyQuery | None = None) -> dict[tuple[str, str], int]:
        """A terms aggregation of ``by`` inside each bucket of ``facet``."""
        query = self._paragraph_query if within is None else self._restricted(self._paragraph_query, within)
        if query is None:
            return {}
        request = {"v": {"terms": {"field": FACET_FIELDS[facet], "size": MAX_BUCKETS},
                         "aggs": {"w": {"terms": {"field": FACET_FIELDS[by], "size": MAX_BUCKETS}}}}}
        table = {}
        for bucket in self.searcher.aggregate(query, request)["v"]["buckets"]:
            for inner in bucket["w"]["buckets"]:
                if inner["doc_count"]:
                    table[_facet_value(facet, bucket["key"]), _facet_value(by, inner["key"])] = inner["doc_count"]
        return dict(sorted(table.items()))

    @reading
    def values(self, facet: str) -> list[str]:
        if facet in INTEGER_FACETS:
            return list(self.facet_counts(facet))
        return sorted(term for term, _ in self.searcher.terms_with_prefix(FACET_FIELDS[facet], ""))

    @reading
    def paragraphs_with(self, facet: str, value: str, *, limit: int | None = None, latest_first: bool = False,
                        within: TantivyQuery | None = None) -> list[Paragraph]:
        query = self._restricted(Q.term_query(self.schema, FACET_FIELDS[facet], value), within)
        if query is None:
            return []
        order = tantivy.Order.Desc if latest_first else tantivy.Order.Asc
        return [paragraph_from_document(d) for d in self._docs(query, limit, order_by_field="day", order=order)]

    @reading
    def manifest(self) -> dict[str, dict]:
        records = (json.loads(bytes(d["meta"][0])) for d in self._docs(Q.term_query(self.schema, "kind", "source")))
        return {record["source"]: record["entry"] for record in records}

    @reading
    def totals(self) -> Totals:
        count = lambda kind: self.searcher.search(Q.term_query(self.schema, "kind", kind), limit=1, count=True).count  # noqa: E731
        paragraphs = count("paragraph")
        first = last = None
        if paragraphs:
            stats = self.searcher.aggregate(self._paragraph_query, {"d": {"stats": {"field": "day"}}})["d"]
            if stats.get("count"):
                first, last = day_text(stats["min"]), day_text(stats["max"])
        return Totals(
            paragraphs=paragraphs,
            articles=count("article"),
            sources=count("source"),
            first_day=first,
            last_day=last,
            bytes=sum(f.stat().st_size for f in self.generation.iterdir() if f.is_file()),
        )

    def check(self, sample: int = 2000, full: bool = False) -> list[str]:
        """``sample`` stored paragraphs spread over the index are read back (every one when ``full``);
        for one in ten of them, the first words of its text must find it."""
        problems: list[str] = []
        try:
            addresses = [address for _, address in self.searcher.search(
                self._paragraph_query, limit=max(1, self.searcher.num_docs), count=False).hits]
            step = max(1, len(addresses) // max(1, sample))
            for number, address in enumerate(addresses):
                if number % step and not full:
                    continue
                paragraph = paragraph_from_document(self.searcher.doc(address))
                if number % (step * 10):
                    continue
                key = Q.term_query(self.schema, "id", paragraph.id)
                for term in set(analyze(paragraph.text)[:3]):
                    probe = Q.boolean_query([(Occur.Must, key), (Occur.Must, Q.term_query(self.schema, "text", term))])
                    if self.searcher.search(probe, limit=1).count != 1:
                        problems.append(f"{paragraph.id}: the word {term!r} of its text has no posting")
                        break
        except (ValueError, OSError, KeyError, UnicodeDecodeError) as error:
            problems.append(f"reading the index failed: {type(error).__name__}: {error}")
        return problems


def _facet_value(facet: str, key) -> str:
    """A facet value as the contract gives it: an integer facet's key as text ("2021-06-09")."""
    return day_text(int(key)) if facet in INTEGER_FACETS else key
