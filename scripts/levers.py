"""Measure ranking levers (BM25 k1/b, title boost, stemming, stop list, phrase/proximity boosts, acronym
expansion, query policy, one hit per article, feedback) on the IR test collections, without editing
the engine. The feedback alternatives (prf=, rm3=, rerank=) start from the default with its own
feedback pass off.

Each lever is applied in this process only, by patching module constants or functions of
briefsearch (``unittest.mock.patch``), or by Searcher/SearchOptions arguments; index-time levers
(stemming) get their own index. Prints nDCG@10 per collection for every variant, its change against
the default, and the FTS5 baseline; writes all four metrics per variant to ``levers.json``.

Usage (from the repository root): python scripts/levers.py [--variants 'k1=0.9;b=0.5'] [--jobs 2]
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
evaluation = importlib.import_module("eval")  # scripts/eval.py
collections_ir = evaluation.collections_ir
irmetrics = evaluation.irmetrics

# --- levers ----------------------------------------------------------------------------------
# A variant is a dict: "patch" (callable(stack) applying patches), "scoring" (Searcher kwargs),
# "options" (SearchOptions overrides), "index" (name of the index flavour; "" is the default).


def _set(stack: ExitStack, target: str, value) -> None:
    stack.enter_context(mock.patch(target, value))


def constants(**values):
    """Patch search.py module constants, e.g. TITLE_BOOST=0.6."""

    def apply(stack):
        for name, value in values.items():
            if name == "TITLE_BOOST":
                _title_boost(stack, value)
            else:
                _set(stack, f"briefsearch.search.{name}", value)

    return apply


def _title_boost(stack, value):
    # The planner's optional title clause is the only place the title weight appears.
    _set(stack, "briefsearch.search.TITLE_BOOST", value)


def stop_words(words):
    def apply(stack):
        _set(stack, "briefsearch.search.STOP_WORDS", frozenset(words))

    return apply


def stop_case_insensitive(stack):
    """Drop stop words typed in capitals too when the whole query is in capitals (TIME, NPL style)."""
    from briefsearch import querylang as ql
    from briefsearch import search

    original_search = search.Searcher.search

    def searching(self, text, options=None):
        upper = text.upper() == text
        def is_stop(node):
            return (isinstance(node, ql.Term) and node.field is None and not node.fuzzy
                    and node.text.lower() in search.STOP_WORDS
                    and (upper or not node.text.isupper()))
        with mock.patch("briefsearch.search._is_stop", is_stop):
            return original_search(self, text, options)

    _set(stack, "briefsearch.search.Searcher.search", searching)


def combine(*applies):
    def apply(stack):
        for a in applies:
            a(stack)

    return apply


def policy_any_word(stack):
    """Any word (OR), with the phrase/near/title boosts; no all-words pass."""
    from briefsearch import search

    original = search.plan

    def plan(node):
        primary, fallback = original(node)
        return (fallback, None) if fallback is not None else (primary, None)

    _set(stack, "briefsearch.search.plan", plan)


def stemmer(kind: str):
    """Index-time and query-time stemming: "porter" (default), "none", "porter2" (Snowball English)."""

    def apply(stack):
        from briefsearch.engine import analysis

        if kind == "none":
            fn = str
        elif kind == "porter2":
            from whoosh.lang.porter2 import stem as fn
        else:
            return
        _set(stack, "briefsearch.engine.analysis.porter_stem", fn)
        analysis._terms.clear()  # the word -> term cache holds Porter stems
        stack.callback(analysis._terms.clear)

    return apply


def nothing(stack):
    pass


def caps_fold(stack):
    """A query typed all in capitals is read in lower case (its AND/OR/NOT are words, its stop
    words are dropped), as if the caps lock was on."""
    from briefsearch import querylang as ql

    original = ql.parse_query

    def parse(text, warnings=None):
        if text.upper() == text and any(ch.isalpha() for ch in text):
            text = text.lower()
        return original(text, warnings)

    _set(stack, "briefsearch.querylang.parse_query", parse)


def lenient(stack):
    """A query the syntax rejects (stray ?, unknown field:, too long) is read as plain words:
    punctuation dropped, stop words dropped, the first 64 distinct words kept."""
    import re

    from briefsearch import querylang as ql
    from briefsearch import search
    from briefsearch.errors import QuerySyntaxError, QueryTooExpensive

    original = ql.parse_query

    def parse(text, warnings=None):
        try:
            return original(text, warnings)
        except (QuerySyntaxError, QueryTooExpensive):
            words = [w for w in re.findall(r"[^\W_]+(?:['.-][^\W_]+)*", text)
                     if w.lower() not in search.STOP_WORDS and w not in ("AND", "OR", "NOT")]
            words = list(dict.fromkeys(words))[: ql.MAX_TERMS]
            return original(" ".join(words), warnings)

    _set(stack, "briefsearch.querylang.parse_query", parse)


def one_paragraph(stack):
    """Index-time: one paragraph per article (all its blocks joined), so BM25 sees whole documents."""
    from briefsearch import chunking
    from briefsearch.models import Block

    original = chunking.chunk_article

    def chunk(article):
        texts = [b.text.strip() for b in article.blocks if b.text.strip()]
        if len(texts) > 1:
            article = replace(article, blocks=(Block(" ".join(texts), "p", None),))
        with mock.patch("briefsearch.chunking.LONG_BLOCK", 10**9):
            return original(article)

    _set(stack, "briefsearch.chunking.chunk_article", chunk)


def no_split(stack):
    """Index-time: blocks are never cut into 600-1,200-character pieces."""
    _set(stack, "briefsearch.chunking.LONG_BLOCK", 10**9)


def chunk_size(long_block, low, high):
    def apply(stack):
        _set(stack, "briefsearch.chunking.LONG_BLOCK", long_block)
        _set(stack, "briefsearch.chunking.TARGET_MIN", low)
        _set(stack, "briefsearch.chunking.TARGET_MAX", high)

    return apply


def idf_whoosh(stack):
    """Whoosh's own idf, log(N / (n + 1)) + 1, instead of the default's Robertson/Sparck Jones
    log(1 + (N - n + 0.5) / (n + 0.5)) (``BriefingBM25F``)."""
    from whoosh.scoring import BM25F

    _set(stack, "briefsearch.engine.whoosh_engine.BriefingBM25F.idf", BM25F.idf)


def flat_groups(stack):
    """plan(): words in parentheses inside a run of words ("palliation (temporary improvement) of
    cancer") count as plain words, so such a query gets the any-word fallback too."""
    from briefsearch import querylang as ql

    def plain_words(node):
        if not (isinstance(node, ql.And) and node.implicit):
            return None
        words = []
        for child in node.children:
            if isinstance(child, ql.Term) and child.field is None and not child.fuzzy:
                words.append(child.text)
            elif isinstance(child, ql.And) and child.implicit and plain_words(child) is not None:
                words.extend(plain_words(child))
            else:
                return None
        return words

    def flatten(node):
        words = plain_words(node)
        if words is None:
            return node
        return ql.And(tuple(ql.Term(w) for w in words), implicit=True)

    from briefsearch import search

    original = search.plan
    _set(stack, "briefsearch.search.plan", lambda node: original(flatten(node)))


def pair_proximity(weight: float, slop: int, where: str = "fallback"):
    """plan(): each pair of neighbouring query words gets an optional proximity boost (a phrase
    with ``slop``), in the fallback (any-word) query or in both queries, like the ordered and
    unordered windows of a sequential dependence model."""

    def apply(stack):
        from briefsearch import querylang as ql
        from briefsearch import search

        original = search.plan

        def plan(node):
            primary, fallback = original(node)
            parts = search._loose_parts(node)
            if parts is None or fallback is None:
                return primary, fallback
            words = search.part_words(parts)
            pairs = [ql.Phrase((a, b), slop=slop) for a, b in zip(words, words[1:]) if a != b]
            if not pairs:
                return primary, fallback
            boost = ql.Boost(ql.Or(tuple(pairs)), weight)
            fallback = ql.AndMaybe(fallback.required, fallback.optional + (boost,))
            if where == "both":
                primary = ql.AndMaybe(primary.required, primary.optional + (boost,))
            return primary, fallback

        _set(stack, "briefsearch.search.plan", plan)

    return apply


def feedback(docs=10, n_terms=20, weight=0.5):
    """Pseudo-relevance feedback: the query (any-word form) plus the n_terms words that weigh most
    (tf share x idf) in its top `docs` hits, each boosted by weight x its relative weight."""

    def apply(stack):
        from collections import Counter
        from math import log

        from whoosh import query as wq

        from briefsearch import querylang as ql
        from briefsearch import search
        from briefsearch.engine.analysis import analyze

        stops = _stop_terms()

        def run(searcher, text, limit=evaluation.LIMIT):
            result = searcher.search(text, search.SearchOptions(limit=limit, per_article=True, feedback=False))
            if not result.hits:
                return []
            reader = searcher.reader
            total = reader.doc_count()
            share = Counter()
            for hit in result.hits[:docs]:
                terms = analyze(hit.paragraph.text)
                for term, count in Counter(terms).items():
                    share[term] += count / len(terms)
            scored = {t: w * log(total / (reader.doc_frequency("text", t) + 1))
                      for t, w in share.items() if t not in stops and len(t) > 2 and not t.isdigit()}
            top = sorted(scored, key=scored.get, reverse=True)[:n_terms]
            if not top:
                return evaluation.briefsearch_search.__wrapped__(searcher, text, limit, feedback=False)
            best = scored[top[0]]
            node = search.drop_stop_words(ql.parse_query(text, []))
            primary, fallback = search.plan(node)
            base = reader.compile(fallback if fallback is not None else primary)
            extra = wq.Or([wq.Term("text", t, boost=weight * scored[t] / best) for t in top])
            found = reader.search(wq.Or([base, extra]), limit=limit, per_article=True)
            return [(fields.get("url") or fields["article_id"], score) for fields, score in found.rows]

        run.__wrapped__ = evaluation.briefsearch_search
        _set(stack, "eval.briefsearch_search", run)

    return apply


def _stop_terms() -> frozenset[str]:
    from briefsearch import search

    return search._stop_terms()


def _relevance_model(hits, stops, n_terms: int, sharpness: float = 0.0) -> list[tuple[str, float]]:
    """The product's relevance model (``briefsearch.feedback.relevance_model``) of ``hits``: the
    ``n_terms`` likeliest index terms with P(t|R) relative to the likeliest. Each hit is weighted
    by its share of the summed scores, or with ``sharpness`` s > 0 by exp(s (score / best - 1))."""
    from briefsearch import feedback
    from briefsearch.engine.analysis import index_term

    if not hits:
        return []
    scores = [hit.score for hit in hits]
    weights = feedback.hit_weights(scores, sharpness) if sharpness else scores
    texts = [(hit.paragraph.title or "", hit.paragraph.text) for hit in hits]
    return [(index_term(word), p) for word, p in feedback.relevance_model(texts, weights, stops, n_terms)]


def rm3(docs=10, n_terms=20, lam=0.3, min_words=0, sharpness=0.0):
    """Relevance model feedback (RM3): the ``n_terms`` likeliest words of the top ``docs`` hits'
    relevance model P(t|R) (``_relevance_model``) are mixed with the query's words,
    (1 - lam)/|Q| + lam P(t|R), as boosts on one any-word query. Queries with fewer than
    ``min_words`` words are left alone."""

    def apply(stack):
        from collections import Counter

        from whoosh import query as wq

        from briefsearch import search
        from briefsearch.engine.analysis import analyze

        stops = _stop_terms()

        def run(searcher, text, limit=evaluation.LIMIT):
            first = evaluation.briefsearch_search.__wrapped__
            result = searcher.search(text, search.SearchOptions(limit=limit, per_article=True, feedback=False))
            words = [t for t in analyze(text) if t not in stops]
            if not result.hits or len(set(words)) < min_words:
                return first(searcher, text, limit, feedback=False)
            expansion = dict(_relevance_model(result.hits[:docs], stops, n_terms, sharpness))
            mass = sum(expansion.values()) or 1.0
            weights = Counter({w: (1 - lam) / len(words) * words.count(w) for w in set(words)})
            for term, p in expansion.items():
                weights[term] += lam * p / mass
            query = wq.Or([wq.Term("text", t, boost=b) for t, b in weights.items()]
                          + [wq.Term("title", t, boost=b * search.TITLE_BOOST) for t, b in weights.items()])
            found = searcher.reader.search(query, limit=limit, per_article=True)
            return [(fields.get("url") or fields["article_id"], score) for fields, score in found.rows]

        run.__wrapped__ = evaluation.briefsearch_search
        _set(stack, "eval.briefsearch_search", run)

    return apply


def rerank_feedback(docs=10, n_terms=20, mu=0.25, sharpness=0.0):
    """Feedback that only re-ranks: the default plan (all words, then any word) runs again with
    the ``n_terms`` likeliest feedback words of the top ``docs`` hits (``_relevance_model``) as an
    optional clause, word t boosted by mu x P(t|R) / max P; what matches stays what the query matched."""

    def apply(stack):
        from whoosh import query as wq

        from briefsearch import querylang as ql
        from briefsearch import search

        stops = _stop_terms()

        def run(searcher, text, limit=evaluation.LIMIT):
            first = evaluation.briefsearch_search.__wrapped__
            result = searcher.search(text, search.SearchOptions(limit=limit, per_article=True, feedback=False))
            expansion = _relevance_model(result.hits[:docs], stops, n_terms, sharpness)
            if not expansion:
                return first(searcher, text, limit, feedback=False)
            best = expansion[0][1]
            extra = wq.Or([wq.Term("text", t, boost=mu * p / best) for t, p in expansion])
            reader = searcher.reader
            try:
                node = search.drop_stop_words(ql.parse_query(text, []))
            except Exception:  # noqa: BLE001 - the lenient reading of the default path
                return first(searcher, text, limit, feedback=False)
            primary, fallback = search.plan(node)
            rows, seen = [], set()
            for part in (primary, fallback):
                if part is None or len(rows) >= limit:
                    continue
                found = reader.search(wq.AndMaybe(reader.compile(part), extra), limit=limit, per_article=True)
                for fields, score in found.rows:
                    docno = fields.get("url") or fields["article_id"]
                    if docno not in seen and len(rows) < limit:
                        seen.add(docno)
                        rows.append((docno, score))
            return rows

        run.__wrapped__ = evaluation.briefsearch_search
        _set(stack, "eval.briefsearch_search", run)

    return apply


def build_variants() -> dict[str, dict]:
    v: dict[str, dict] = {"default": {}}
    v["collapse"] = {"options": {"time_limit": None}}
    v["caps"] = {"patch": caps_fold}
    v["lenient"] = {"patch": lenient}
    v["agg=max"] = {"options": {"per_article": False}, "aggregate": "max"}
    v["agg=sum"] = {"options": {"per_article": False}, "aggregate": "sum"}
    v["agg=0.5"] = {"options": {"per_article": False}, "aggregate": 0.5}
    v["agg=0.2"] = {"options": {"per_article": False}, "aggregate": 0.2}
    for k1 in (0.6, 0.9, 1.5, 2.0):
        v[f"k1={k1}"] = {"scoring": {"k1": k1}}
    for b in (0.3, 0.5, 0.9, 1.0):
        v[f"b={b}"] = {"scoring": {"b": b}}
    for value in (0.0, 0.6, 1.0, 2.0):
        v[f"title={value}"] = {"patch": constants(TITLE_BOOST=value)}
    for value in (0.0, 1.0, 4.0):
        v[f"phrase={value}"] = {"patch": constants(PHRASE_BOOST=value)}
    for value in (0.0, 2.0):
        v[f"near={value}"] = {"patch": constants(NEAR_BOOST=value)}
    for value in (3, 20):
        v[f"near_slop={value}"] = {"patch": constants(NEAR_SLOP=value)}
    v["phrase=0,near=0"] = {"patch": constants(PHRASE_BOOST=0.0, NEAR_BOOST=0.0)}
    v["stop=none"] = {"patch": stop_words(())}
    v["stop=caps-too"] = {"patch": stop_case_insensitive}
    v["expand=off"] = {"options": {"expand": False}}
    v["policy=any-word"] = {"patch": policy_any_word}
    for kind in ("none", "porter2"):
        v[f"stem={kind}"] = {"patch": stemmer(kind), "index": f"stem-{kind}"}
    for d, n, w in ((10, 20, 0.5), (10, 20, 1.0), (5, 10, 0.5), (10, 40, 1.0), (10, 20, 0.25), (10, 10, 0.25)):
        v[f"prf={d},{n},{w}"] = {"patch": feedback(d, n, w)}
    v["flat"] = {"patch": flat_groups}
    for d, n, mu in ((10, 20, 0.25), (10, 20, 0.5), (10, 30, 1.0), (5, 20, 0.5)):
        v[f"rerank={d},{n},{mu}"] = {"patch": rerank_feedback(d, n, mu)}
    for d, n, lam in ((10, 20, 0.3), (10, 30, 0.5), (5, 20, 0.3), (10, 20, 0.15), (20, 30, 0.3)):
        v[f"rm3={d},{n},{lam}"] = {"patch": rm3(d, n, lam)}
    for s in (3, 6, 12, 25):
        v[f"rerank=10,30,1.0,s{s}"] = {"patch": rerank_feedback(10, 30, 1.0, s)}
        v[f"rm3=10,30,0.5,s{s}"] = {"patch": rm3(10, 30, 0.5, sharpness=s)}
    for d, n, mu, s in ((10, 30, 1.5, 12), (10, 30, 2.0, 12), (10, 30, 0.7, 12), (10, 50, 1.0, 12),
                        (10, 20, 1.0, 12), (20, 30, 1.0, 12), (5, 30, 1.0, 12)):
        v[f"rerank={d},{n},{mu},s{s}"] = {"patch": rerank_feedback(d, n, mu, s)}
    for w, slop in ((0.1, 1), (0.3, 1), (0.1, 4), (0.3, 4), (0.3, 8), (1.0, 4)):
        v[f"pairs={w},{slop}"] = {"patch": pair_proximity(w, slop)}
    v["pairs=0.3,4,both"] = {"patch": pair_proximity(0.3, 4, "both")}
    v["feedback=off"] = {"options": {"feedback": False}}
    for name, values in (("FEEDBACK_SHARPNESS", (6.0, 25.0)), ("FEEDBACK_WORDS", (10, 30)),
                         ("FEEDBACK_DOCS", (5, 20)), ("FEEDBACK_WEIGHT", (0.7, 1.5)),
                         ("FEEDBACK_RERANK", (30, 300)), ("FEEDBACK_MIN_WORDS", (3, 6))):
        for value in values:
            v[f"{name.lower()}={value}"] = {"patch": constants(**{name: value})}
    v["idf=whoosh"] = {"patch": idf_whoosh}
    v["chunk=one"] = {"patch": one_paragraph, "index": "chunk-one"}
    v["chunk=nosplit"] = {"patch": no_split, "index": "chunk-nosplit"}
    v["chunk=3000"] = {"patch": chunk_size(3000, 1200, 2400), "index": "chunk-3000"}
    return v


def variant(name: str, table: dict | None = None) -> dict:
    """A variant by name; "a+b" combines variants a and b (patches in order, options merged)."""
    table = table or build_variants()
    parts = [table[p] for p in name.split("+")]
    patches = [p["patch"] for p in parts if "patch" in p]
    merged: dict = {"patch": combine(*patches)}
    for key in ("scoring", "options"):
        merged[key] = {k: val for p in parts for k, val in p.get(key, {}).items()}
    merged["index"] = next((p["index"] for p in parts if p.get("index")), "")
    merged["aggregate"] = next((p["aggregate"] for p in parts if p.get("aggregate")), None)
    return merged


# --- running ---------------------------------------------------------------------------------


def _search_fn(searcher, variant, limit):
    from briefsearch.search import SearchOptions

    options = {"limit": limit, "per_article": True, **variant.get("options", {})}
    if options["per_article"]:
        extra = {k: v for k, v in options.items() if k not in ("limit", "per_article")}
        if extra:  # options such as expand=False or feedback=False on the eval's default path
            return lambda q: evaluation.briefsearch_search(searcher, q, limit, **extra)
        return lambda q: evaluation.briefsearch_search(searcher, q, limit)

    aggregate = variant.get("aggregate") or "max"

    def paragraphs_to_documents(q):
        # Document score from its paragraphs' scores: the best ("max"), all ("sum"), or the
        # best plus a share of the others (a float).
        result = searcher.search(q, SearchOptions(**{**options, "limit": limit * 10}))
        scores: dict[str, list[float]] = {}
        for hit in result.hits:
            scores.setdefault(hit.paragraph.url, []).append(hit.score)
        def score(values):
            if aggregate == "max":
                return values[0]
            if aggregate == "sum":
                return sum(values)
            return values[0] + aggregate * sum(values[1:])
        ranking = sorted(((d, score(v)) for d, v in scores.items()), key=lambda x: -x[1])
        return ranking[:limit]

    return paragraphs_to_documents


def measure(task) -> tuple[str, dict | str]:
    """Run one variant on all collections: {collection: means and timings}, or the error text."""
    try:
        return _measure(task)
    except Exception as exc:  # a lever that no longer fits the code must not sink the others
        return task[0], f"{type(exc).__name__}: {exc}"


def _measure(task) -> tuple[str, dict]:
    name, index_root, names, data_dir, limit = task
    variant = globals()["variant"](name)  # rebuilt here: patches are closures, which do not pickle
    from briefsearch.errors import BriefsearchError
    from briefsearch.search import Searcher

    out: dict = {}
    with ExitStack() as stack:
        variant.get("patch", nothing)(stack)
        for cname in names:
            collection = collections_ir.read_collection(cname, data_dir)
            judged = irmetrics.per_query({}, collection.qrels)
            queries = {q: t for q, t in collection.queries.items() if q in judged}
            index_dir = Path(index_root) / (variant.get("index") or "default") / cname
            searcher = Searcher(str(index_dir), **variant.get("scoring", {}))
            try:
                start = time.perf_counter()
                runs, _, errors = evaluation.run_queries(
                    _search_fn(searcher, variant, limit), queries, (BriefsearchError,))
                seconds = time.perf_counter() - start
            finally:
                searcher.close()
            means = irmetrics.evaluate(evaluation._ids(runs), collection.qrels)
            out[cname] = {**means, "errors": len(errors), "seconds": seconds}
    return name, out


def ensure_indexes(variants, names, index_root: Path, data_dir, rebuild: bool) -> None:
    flavours = {v.get("index") or "default": v for v in variants.values()}
    for flavour, variant in flavours.items():
        for cname in names:
            index_dir = index_root / flavour / cname
            if index_dir.exists() and not rebuild and _readable(index_dir):
                continue
            with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
                variant.get("patch", nothing)(stack)
                collection = collections_ir.read_collection(cname, data_dir)
                seconds = evaluation.index_collection(collection, index_dir, Path(tmp))
                print(f"indexed {cname} ({flavour}) in {seconds:.1f} s", file=sys.stderr, flush=True)


def _readable(index_dir: Path) -> bool:
    """Whether this version of briefsearch can search the index (an older format is rebuilt)."""
    from briefsearch.errors import BriefsearchError
    from briefsearch.search import Searcher

    try:
        Searcher(str(index_dir)).close()
    except BriefsearchError:
        return False
    return True


def fts5_figures(names, data_dir, limit) -> dict:
    out = {}
    for cname in names:
        collection = collections_ir.read_collection(cname, data_dir)
        judged = irmetrics.per_query({}, collection.qrels)
        queries = {q: t for q, t in collection.queries.items() if q in judged}
        fts5 = evaluation.Fts5Baseline(collection.documents)
        runs, _, _ = evaluation.run_queries(lambda q: fts5.search(q, limit), queries)
        out[cname] = irmetrics.evaluate(evaluation._ids(runs), collection.qrels)
    return out


def print_table(results: dict, names: list[str], fts5: dict, metric: str = "nDCG@10") -> None:
    """One row per variant; the first variant is the reference the changes are measured from."""
    reference_label = next(iter(results))
    reference = _avg(results[reference_label], names, metric)
    header = f"{'variant':34}" + "".join(f"{n:>16}" for n in names) + f"{'average':>16}  errors"
    print(f"{metric} (change against {reference_label} in brackets)")
    print(header)
    print("-" * len(header))

    def row(label, values, errors="", deltas=True):
        cells = [(f"{values[n]:.3f} ({values[n] - reference[n]:+.3f})" if deltas else f"{values[n]:.3f}").rjust(16)
                 for n in names + ["average"]]
        print(f"{label:34}" + "".join(cells) + f"  {errors}")

    fts = {n: fts5[n][metric] for n in names}
    fts["average"] = sum(fts.values()) / len(names)
    row("FTS5", fts, deltas=False)
    for label, figures in results.items():
        errors = str(sum(figures[n]["errors"] for n in names))
        row(label, _avg(figures, names, metric), errors, deltas=label != reference_label)


def _avg(figures, names, metric="nDCG@10"):
    values = {n: figures[n][metric] for n in names}
    values["average"] = sum(values.values()) / len(names)
    return values


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collections", default=",".join(collections_ir.READERS))
    parser.add_argument("--variants", default="", help="semicolon-separated names (default: all)")
    parser.add_argument("--index-root", type=Path, default=Path(tempfile.gettempdir()) / "briefsearch-levers")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=collections_ir.DATA_DIR)
    parser.add_argument("--out-dir", type=Path, default=evaluation.ROOT / "scripts" / "out")
    parser.add_argument("--base", default="", help="variant the others are combined with")
    parser.add_argument("--list", action="store_true", help="list the variants and exit")
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.collections.split(",") if c.strip()]
    variants = build_variants()
    if args.list:
        print("\n".join(variants))
        return 0
    if args.variants:
        wanted = [args.base or "default"] + [v for v in args.variants.split(";") if v and v != "default"]
        if args.base:  # every other variant on top of the base
            wanted = [wanted[0]] + [f"{args.base}+{k}" for k in wanted[1:]]
        variants = {k: variant(k, variants) for k in wanted}
    ensure_indexes(variants, names, args.index_root, args.data_dir, args.rebuild)
    tasks = [(k, str(args.index_root), names, args.data_dir, evaluation.LIMIT) for k in variants]
    started = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    results, failed = {}, {}
    with ctx.Pool(args.jobs) as pool:
        for name, figures in pool.imap(measure, tasks):
            (results if isinstance(figures, dict) else failed)[name] = figures
            print(f"done {name}: " + (" ".join(f"{c}={f['nDCG@10']:.3f}" for c, f in figures.items())
                  if isinstance(figures, dict) else figures), file=sys.stderr, flush=True)
    for name, error in failed.items():
        print(f"variant {name} failed: {error}")
    fts5 = fts5_figures(names, args.data_dir, evaluation.LIMIT)
    print_table(results, names, fts5)
    print()
    print_table(results, names, fts5, "MAP@100")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "levers.json").write_text(json.dumps({"fts5": fts5, "variants": results}, indent=1))
    print(f"\n{len(variants)} variants in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
