"""The Whoosh reader of a generation: compile, search, score, fetch, count — all in plain data.

One searcher per snapshot, never ``Searcher.refresh()`` (it returns duplicates after another
writer merged segments); a caller that finds ``is_current()`` false opens a new reader. Counts
skip deleted paragraphs, which Whoosh's term document frequencies still count until a merge.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from whoosh import query as wq
from whoosh.scoring import BM25F

from briefsearch.engine.api import ORDERS, EngineHits, Scoring, Totals
from briefsearch.engine.whoosh import docsets, topk
from briefsearch.engine.whoosh.compiler import Compiler, Restriction
from briefsearch.engine.whoosh.directory import open_index
from briefsearch.engine.whoosh.errors import reading
from briefsearch.engine.whoosh.schema import FACET_FIELDS, ORDER_FIELDS, is_paragraph, paragraph_from_fields
from briefsearch.errors import CorruptIndex, NotFound
from briefsearch.models import Paragraph
from briefsearch.text.analysis import analyze


class WhooshQuery:
    """A compiled query: the Whoosh query object, its description for ``--explain`` and the notes
    its compilation left (a capped expansion)."""

    def __init__(self, query: wq.Query, notes: tuple[str, ...] = ()):
        self.query = query
        self.notes = notes
        self.docs = None  # the documents it matches, once gathered (``WhooshReader._docs``)

    def describe(self) -> str:
        return str(self.query)


def _restricted(query: wq.Query, within: wq.Query | None) -> wq.Query:
    """``query`` limited to documents matching ``within``, which adds nothing to the score.

    Not Whoosh's ``filter=``: a filter that matches nothing restricts nothing there (its empty
    allow-set reads as "no filter"), and TimeLimitCollector bypasses the filtering wrapper.
    """
    if within is None:
        return query
    return wq.And([query, Restriction(within)])


def _deadline_collector(child, seconds: float):
    """``child`` that stops collecting after ``seconds``, looking at the clock every 64 matches.

    Not Whoosh's TimeLimitCollector: it starts a timer thread for every search (milliseconds on a
    busy machine while the thread waits for the GIL) or takes over SIGALRM.
    """
    from whoosh.collectors import WrappingCollector

    ends = time.monotonic() + seconds  # one deadline for the whole search, not one per segment

    class DeadlineCollector(WrappingCollector):
        timed_out = False

        def set_subsearcher(self, subsearcher, offset):
            if time.monotonic() > ends:  # a segment's matcher can take long to build: not after the deadline
                self.timed_out = True
                return
            self.child.set_subsearcher(subsearcher, offset)

        def collect_matches(self):
            if self.timed_out:
                return
            for n, sub_docnum in enumerate(self.child.matches(), 1):
                self.child.collect(sub_docnum)
                if not n % 64 and time.monotonic() > ends:
                    self.timed_out = True
                    return

    return DeadlineCollector(child)


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


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class WhooshReader:
    """A snapshot of one generation for searching; close it when done."""

    def __init__(self, generation: Path, scoring: Scoring = Scoring()):
        self.generation = Path(generation)
        self.index = open_index(self.generation)
        self._opened = self.index.latest_generation()  # before the searcher reads the TOC: never too new
        try:
            self.searcher = self.index.searcher(weighting=BriefingBM25F(B=scoring.b, K1=scoring.k1))
        except Exception as error:  # segments are opened here: damaged ones raise EOF/pickle/zlib errors
            self.index.close()
            raise CorruptIndex(f"The index in {generation} cannot be read ({type(error).__name__}) — "
                               "run: briefsearch check, or briefsearch index --rebuild") from error
        self.reader = self.searcher.reader()
        self._frequencies: dict = {}  # (field, word) -> paragraphs, for the compiler's prefix expansions

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

    def is_current(self) -> bool:
        # Whoosh's Searcher.up_to_date(), which is never true of an empty index (its reader has no
        # generation)
        opened = self.reader.generation()
        return self.index.latest_generation() == (self._opened if opened is None else opened)

    @reading
    def compile(self, node) -> WhooshQuery:
        compiler = Compiler(self.reader, self._frequencies)
        query = compiler.compile(node)
        return WhooshQuery(wq.NullQuery if query is None else query, tuple(compiler.notes))

    @reading
    def search(self, query: WhooshQuery, *, within: WhooshQuery | None = None, limit: int = 10,
               per_article: bool = False, deadline: float | None = None, order: str = "relevance") -> EngineHits:
        """The filter is folded into the query and one-hit-per-article is done here, because
        Whoosh's TimeLimitCollector bypasses the FilterCollector and CollapseCollector wrapped
        around it."""
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}")
        matching = query.query
        query = _restricted(matching, within.query if within is not None else None)
        fetch = limit * 4 if per_article else limit
        while True:
            ranked, total, timed_out = self._top(query, fetch, deadline, order)
            rows, articles = [], set()
            for docnum, score in ranked:
                paragraph = paragraph_from_fields(self.searcher.stored_fields(docnum))
                if per_article:
                    if paragraph.article_id in articles:
                        continue
                    articles.add(paragraph.article_id)
                rows.append((paragraph, score))
                if len(rows) == limit:
                    break
            if not per_article or len(rows) >= limit or len(ranked) < fetch or timed_out:
                break
            fetch *= 4
        terms = frozenset(_text(text) for field, text in query.existing_terms(self.reader, expand=True) if field == "text")
        if order != "relevance" and rows:  # a sorting collector does not score: score the page shown
            scores = self.score_paragraphs(WhooshQuery(matching), [p.id for p, _ in rows])
            rows = [(p, scores.get(p.id, 0.0)) for p, _ in rows]
        return EngineHits(total, tuple(rows), terms, timed_out)

    def _top(self, query: wq.Query, limit: int, deadline: float | None, order: str = "relevance"):
        """([(document number, score)] best first, matches, timed out)."""
        if order != "relevance":
            field, descending = ORDER_FIELDS[order]
            collector = self.searcher.collector(limit=limit, sortedby=field, reverse=descending)
            if deadline:
                collector = _deadline_collector(collector, deadline)
            self.searcher.search_with_collector(query, collector)
            results = collector.results()
            return [(hit.docnum, hit.score) for hit in results], len(results), bool(getattr(collector, "timed_out", False))
        # Bounds for every match at once, Whoosh's exact scores for those that can reach the top
        # (``topk``): the same ranking as scoring every match, at a fraction of the cost.
        fast = topk.top(self.searcher, query, limit, deadline)
        if fast is not None:
            return fast
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
        timed_out = False
        if deadline:
            collector = _deadline_collector(collector, deadline)
        self.searcher.search_with_collector(query, collector)
        timed_out = bool(getattr(collector, "timed_out", False))
        results = collector.results()
        return [(hit.docnum, hit.score) for hit in results], len(results), timed_out

    @reading
    def count(self, query: WhooshQuery, *, within: WhooshQuery | None = None, deadline: float | None = None) -> int:
        # counted as sets of document numbers (``docsets``); only a phrase's positions take long
        # enough to need ``deadline``, which stops them with the count so far
        if within is None:
            return len(self._docs(query, docsets.Budget(deadline)))
        return len(docsets.query_docs(self.searcher, _restricted(query.query, within.query), docsets.Budget(deadline)))

    @reading
    def score_paragraphs(self, query: WhooshQuery, paragraph_ids) -> dict[str, float]:
        """The query's postings are read only as far as those paragraphs, where a search would
        score every paragraph the query matches."""
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
            matcher = query.query.matcher(subsearcher, context)
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

    @reading
    def get(self, paragraph_id: str) -> Paragraph:
        fields = self.searcher.document(id=paragraph_id)
        if not fields or not is_paragraph(fields):
            raise NotFound(f"No paragraph {paragraph_id} in the index — ids look like 3f2a9c1b7d4e#p12 (see briefsearch query output)")
        return paragraph_from_fields(fields)

    @reading
    def article_paragraphs(self, article_id: str, first: int, last: int) -> list[Paragraph]:
        found = []
        for position in range(first, last + 1):
            fields = self.searcher.document(id=f"{article_id}#p{position}")
            if fields:
                found.append(paragraph_from_fields(fields))
        return found

    def paragraphs(self):
        reader = self.reader
        for docnum in reader.all_doc_ids():  # live documents only
            fields = reader.stored_fields(docnum)
            if is_paragraph(fields):
                yield paragraph_from_fields(fields)

    def matches(self, query: WhooshQuery | None, within: WhooshQuery | None = None):
        if query is None and within is None:
            yield from self.paragraphs()
            return
        matching = _restricted(query.query if query is not None else wq.Every(), within.query if within is not None else None)
        for docnum in docsets.query_docs(self.searcher, matching).tolist():  # what count() counts
            fields = self.reader.stored_fields(docnum)
            if is_paragraph(fields):
                yield paragraph_from_fields(fields)

    @reading
    def article(self, article_id: str) -> list[Paragraph]:
        results = self.searcher.search(wq.Term("article_id", article_id), limit=None)
        return sorted((paragraph_from_fields(hit.fields()) for hit in results), key=lambda p: p.position)

    # --- counts ------------------------------------------------------------------------------

    @reading
    def facet_counts(self, facet: str, within: WhooshQuery | None = None) -> dict[str, int]:
        """Live counts: a segment without deletions answers from its term document frequencies;
        one with deletions counts postings; within a ``within`` restriction the matching documents
        are gathered once (``docsets``, kept with the compiled query, so that a page counting its
        total and several facets over one search gathers them once) and counted in each segment's
        table of values, so the cost follows the matches, not the collection."""
        field = FACET_FIELDS[facet]
        if within is not None:
            return dict(sorted(docsets.facet_counts(self.searcher, field, self._docs(within)).items()))
        counts: dict[str, int] = {}
        for leaf, offset in self.reader.leaf_readers():
            exact = not leaf.has_deletions()
            for term, info in leaf.iter_field(field):
                n = info.doc_frequency() if exact else sum(1 for _ in leaf.postings(field, term).all_ids())
                if n:
                    value = _text(term)
                    counts[value] = counts.get(value, 0) + n
        return dict(sorted(counts.items()))

    def _docs(self, query: WhooshQuery, budget: docsets.Budget | None = None):
        """The live documents ``query`` matches (sorted document numbers), gathered once per
        compiled query: a query compiled by this reader is only ever run against this snapshot
        (those found before ``budget`` ran out are not kept)."""
        docs = getattr(query, "docs", None)
        if docs is None:
            budget = budget or docsets.Budget()
            docs = docsets.query_docs(self.searcher, query.query, budget)
            if not budget.cut:
                query.docs = docs
        return docs

    @reading
    def facet_table(self, facet: str, by: str, within: WhooshQuery | None = None) -> dict[tuple[str, str], int]:
        """One pass over each field's postings, restricted to the live (and ``within``) documents."""
        allowed = set(self.searcher.docs_for_query(within.query if within is not None else wq.Every()))
        values_of: dict[int, list[str]] = {}
        for term in self.reader.lexicon(FACET_FIELDS[by]):
            for docnum in self.reader.postings(FACET_FIELDS[by], term).all_ids():
                if docnum in allowed:
                    values_of.setdefault(docnum, []).append(_text(term))
        table: dict[tuple[str, str], int] = {}
        for term in self.reader.lexicon(FACET_FIELDS[facet]):
            value = _text(term)
            for docnum in self.reader.postings(FACET_FIELDS[facet], term).all_ids():
                for other in values_of.get(docnum, ()):
                    table[value, other] = table.get((value, other), 0) + 1
        return dict(sorted(table.items()))

    @reading
    def values(self, facet: str) -> list[str]:
        # each segment's terms read once (``docsets.segment_terms``), merged here: after a commit
        # only its new segments are read
        field = FACET_FIELDS[facet]
        leaves = [leaf for leaf, _ in self.reader.leaf_readers()]
        if len(leaves) == 1:
            return list(docsets.segment_terms(leaves[0], field))
        return sorted(set().union(*(docsets.segment_terms(leaf, field) for leaf in leaves)))

    @reading
    def paragraphs_with(self, facet: str, value: str, *, limit: int | None = None, latest_first: bool = False,
                        within: WhooshQuery | None = None) -> list[Paragraph]:
        query = _restricted(wq.Term(FACET_FIELDS[facet], value), within.query if within is not None else None)
        results = self.searcher.search(query, limit=limit, sortedby="pub_day", reverse=latest_first)
        return [paragraph_from_fields(hit.fields()) for hit in results]

    @reading
    def manifest(self) -> dict[str, dict]:
        results = self.searcher.search(wq.Term("kind", "source"), limit=None)
        return {hit["source"]: json.loads(hit["meta"]) for hit in results}

    @reading
    def totals(self) -> Totals:
        # Counted from postings, which skip deleted documents: a term's doc frequency would not.
        sources = sum(1 for _ in self.searcher.docs_for_query(wq.Term("kind", "source")))
        days = self._live_terms("pub_day")
        return Totals(
            paragraphs=self.searcher.doc_count() - sources,
            articles=sum(1 for _ in self._live_terms("article_id")),
            sources=sources,
            first_day=days[0] if days else None,
            last_day=days[-1] if days else None,
            bytes=sum(f.stat().st_size for f in self.generation.iterdir() if f.is_file()),
        )

    def _live_terms(self, field: str) -> list[str]:
        """The terms of ``field`` that at least one live document holds, sorted."""
        if not self.reader.has_deletions():
            return [_text(term) for term in self.reader.lexicon(field)]
        return [_text(term) for term in self.reader.lexicon(field)
                if self.reader.postings(field, term).is_active()]

    def check(self, sample: int = 2000, full: bool = False) -> list[str]:
        """Read ``sample`` stored paragraphs spread over the whole index (every one when ``full``)
        and confirm, for one in ten of the sample, that the first words of its text are posted for
        it (a skip to the paragraph in each posting list). ``full`` also decodes every posting list."""
        problems: list[str] = []
        total = self.reader.doc_count_all()
        step = max(1, total // max(1, sample))
        try:
            for docnum in range(0, total, 1 if full else step):
                if self.reader.is_deleted(docnum):
                    continue
                fields = self.reader.stored_fields(docnum)
                if not is_paragraph(fields) or docnum % (step * 10):
                    continue
                problem = self._check_postings(docnum, paragraph_from_fields(fields))
                if problem:
                    problems.append(problem)
            if full:
                for field, term in self.reader.all_terms():
                    for _ in self.reader.postings(field, term).all_ids():
                        pass
        except Exception as error:  # noqa: BLE001 - damaged bytes surface as zlib/EOF/struct/... errors
            problems.append(f"reading the index failed: {type(error).__name__}: {error}")
        return problems

    def _check_postings(self, docnum: int, paragraph: Paragraph) -> str | None:
        for term in set(analyze(paragraph.text)[:3]):
            postings = self.reader.postings("text", term)
            if postings.is_active() and postings.id() < docnum:
                postings.skip_to(docnum)
            if not postings.is_active() or postings.id() != docnum:
                return f"{paragraph.id}: the word {term!r} of its text has no posting"
        return None
