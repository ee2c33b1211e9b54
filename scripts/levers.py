"""Measure ranking levers (BM25 k1/b, title boost, stemming, stop list, phrase/proximity boosts, acronym
expansion, query policy, one hit per article) on the IR test collections, without editing the engine.

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
    # The title boost appears twice: the planner's optional title clause, and the compiler's
    # text-OR-title expansion of each word. Both move together.
    from briefsearch.engine import compiler

    _set(stack, "briefsearch.search.TITLE_BOOST", value)
    original = compiler.Compiler.__init__

    def init(self, reader, title_boost=value):
        original(self, reader, title_boost)

    _set(stack, "briefsearch.engine.compiler.Compiler.__init__", init)


def compiler_title(value):
    """Only the compiler's per-word text-OR-title weight."""

    def apply(stack):
        from briefsearch.engine import compiler

        original = compiler.Compiler.__init__

        def init(self, reader, title_boost=value):
            original(self, reader, title_boost)

        _set(stack, "briefsearch.engine.compiler.Compiler.__init__", init)

    return apply


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
    """Index-time and query-time stemming: "porter" (default), "none", "porter2"."""

    def apply(stack):
        from whoosh.analysis import StemFilter

        from briefsearch.engine import analysis

        original = analysis.text_analyzer

        def text_analyzer(stem: bool = True):
            if not stem or kind == "porter":
                return original(stem)
            chain = original(False)
            if kind == "none":
                return chain
            from whoosh.lang.porter2 import stem as fn

            return chain | StemFilter(stemfn=fn, cachesize=100_000)

        _set(stack, "briefsearch.engine.analysis.text_analyzer", text_analyzer)
        _set(stack, "briefsearch.engine.schema.text_analyzer", text_analyzer)
        analysis._shared.cache_clear()
        stack.callback(analysis._shared.cache_clear)

    return apply


def nothing(stack):
    pass


def caps_fold(stack):
    """A query typed all in capitals is read in lower case (its AND/OR/NOT are words, its stop
    words are dropped), as if the caps lock was on."""
    from briefsearch import querylang as ql

    original = ql.parse_query

    def parse(text):
        if text.upper() == text and any(ch.isalpha() for ch in text):
            text = text.lower()
        return original(text)

    _set(stack, "briefsearch.querylang.parse_query", parse)


def lenient(stack):
    """A query the syntax rejects (stray ?, unknown field:, too long) is read as plain words:
    punctuation dropped, stop words dropped, the first 64 distinct words kept."""
    import re

    from briefsearch import querylang as ql
    from briefsearch import search
    from briefsearch.errors import QuerySyntaxError, QueryTooExpensive

    original = ql.parse_query

    def parse(text):
        try:
            return original(text)
        except (QuerySyntaxError, QueryTooExpensive):
            words = [w for w in re.findall(r"[^\W_]+(?:['.-][^\W_]+)*", text)
                     if w.lower() not in search.STOP_WORDS and w not in ("AND", "OR", "NOT")]
            words = list(dict.fromkeys(words))[: ql.MAX_TERMS]
            return original(" ".join(words))

    _set(stack, "briefsearch.querylang.parse_query", parse)


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


def measure(task) -> tuple[str, dict]:
    """Run one variant on all collections; returns {collection: means} plus timings."""
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
            if index_dir.exists() and not rebuild:
                continue
            with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
                variant.get("patch", nothing)(stack)
                collection = collections_ir.read_collection(cname, data_dir)
                seconds = evaluation.index_collection(collection, index_dir, Path(tmp))
                print(f"indexed {cname} ({flavour}) in {seconds:.1f} s", file=sys.stderr, flush=True)


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
    base = results.get("default")
    header = f"{'variant':22}" + "".join(f"{n:>15}" for n in names) + f"{'average':>15}  errors"
    print(f"{metric} (change against default in brackets)")
    print(header)
    print("-" * len(header))

    def row(label, figures, errors=""):
        cells = []
        for n in names + ["average"]:
            value = figures[n]
            if base is not None and label not in ("FTS5", "default"):
                delta = value - _avg(base, names)[n]
                cells.append(f"{value:.3f} ({delta:+.3f})".rjust(15))
            else:
                cells.append(f"{value:.3f}".rjust(15))
        print(f"{label:22}" + "".join(cells) + f"  {errors}")

    fts = {n: fts5[n][metric] for n in names}
    fts["average"] = sum(fts.values()) / len(names)
    row("FTS5", fts)
    for label, figures in results.items():
        values = _avg(figures, names, metric)
        row(label, values, str(sum(figures[n]["errors"] for n in names)))


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
    parser.add_argument("--list", action="store_true", help="list the variants and exit")
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.collections.split(",") if c.strip()]
    variants = build_variants()
    if args.list:
        print("\n".join(variants))
        return 0
    if args.variants:
        wanted = ["default"] + [v for v in args.variants.split(";") if v and v != "default"]
        variants = {k: variant(k, variants) for k in wanted}
    ensure_indexes(variants, names, args.index_root, args.data_dir, args.rebuild)
    tasks = [(k, str(args.index_root), names, args.data_dir, evaluation.LIMIT) for k in variants]
    started = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.jobs) as pool:
        results = dict(pool.imap(measure, tasks))
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
