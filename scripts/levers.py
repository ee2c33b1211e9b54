"""Measure ranking levers (BM25 k1/b, title boost, stemming, stop list, phrase/proximity boosts, acronym
expansion, query policy, one hit per article, feedback) on the IR test collections.

Query-time levers are values of the ranking policy (``briefsearch.query.policy.RankingPolicy``)
or of SearchOptions, handed to the Searcher; index-time levers (stemming, chunking) patch the
ingest in this process only (``unittest.mock.patch``) and get an index of their own. Prints nDCG@10
per collection for every variant, its change against the default, and the FTS5 baseline; writes all
four metrics per variant to ``levers.json``.

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
# A variant is a dict: "policy" (RankingPolicy fields), "options" (SearchOptions overrides),
# "patch" (callable(stack) applying index-time patches, for levers that need their own index),
# "index" (name of that index flavour; "" is the default), "aggregate" (paragraph → document).


def _set(stack: ExitStack, target: str, value) -> None:
    stack.enter_context(mock.patch(target, value))


def combine(*applies):
    def apply(stack):
        for a in applies:
            a(stack)

    return apply


def stemmer(kind: str):
    """Index-time and query-time stemming: "porter" (default), "none", "porter2" (Snowball English)."""

    def apply(stack):
        from briefsearch.text import analysis

        if kind == "none":
            fn = str
        elif kind == "porter2":
            from whoosh.lang.porter2 import stem as fn
        else:
            return
        _set(stack, "briefsearch.text.analysis.porter_stem", fn)
        analysis._terms.clear()  # the word -> term cache holds Porter stems
        stack.callback(analysis._terms.clear)

    return apply


def nothing(stack):
    pass


def one_paragraph(stack):
    """Index-time: one paragraph per article (all its blocks joined), so BM25 sees whole documents."""
    from briefsearch.ingest import chunking
    from briefsearch.models import Block

    original = chunking.chunk_article

    def chunk(article):
        texts = [b.text.strip() for b in article.blocks if b.text.strip()]
        if len(texts) > 1:
            article = replace(article, blocks=(Block(" ".join(texts), "p", None),))
        with mock.patch("briefsearch.ingest.chunking.LONG_BLOCK", 10**9):
            return original(article)

    _set(stack, "briefsearch.ingest.chunking.chunk_article", chunk)


def no_split(stack):
    """Index-time: blocks are never cut into 600-1,200-character pieces."""
    _set(stack, "briefsearch.ingest.chunking.LONG_BLOCK", 10**9)


def chunk_size(long_block, low, high):
    def apply(stack):
        _set(stack, "briefsearch.ingest.chunking.LONG_BLOCK", long_block)
        _set(stack, "briefsearch.ingest.chunking.TARGET_MIN", low)
        _set(stack, "briefsearch.ingest.chunking.TARGET_MAX", high)

    return apply


def build_variants() -> dict[str, dict]:
    v: dict[str, dict] = {"default": {}}
    v["collapse"] = {"options": {"time_limit": None}}
    v["agg=max"] = {"options": {"per_article": False}, "aggregate": "max"}
    v["agg=sum"] = {"options": {"per_article": False}, "aggregate": "sum"}
    v["agg=0.5"] = {"options": {"per_article": False}, "aggregate": 0.5}
    v["agg=0.2"] = {"options": {"per_article": False}, "aggregate": 0.2}
    for k1 in (0.6, 0.9, 1.5, 2.0):
        v[f"k1={k1}"] = {"policy": {"k1": k1}}
    for b in (0.3, 0.5, 0.9, 1.0):
        v[f"b={b}"] = {"policy": {"b": b}}
    for value in (0.0, 0.6, 1.0, 2.0):
        v[f"title={value}"] = {"policy": {"title_boost": value}}
    for value in (0.0, 1.0, 4.0):
        v[f"phrase={value}"] = {"policy": {"phrase_boost": value}}
    for value in (0.0, 2.0):
        v[f"near={value}"] = {"policy": {"near_boost": value}}
    for value in (3, 20):
        v[f"near_slop={value}"] = {"policy": {"near_slop": value}}
    v["phrase=0,near=0"] = {"policy": {"phrase_boost": 0.0, "near_boost": 0.0}}
    v["stop=none"] = {"policy": {"stop_words": frozenset()}}
    v["stop=caps-too"] = {"policy": {"stop_words_in_capitals": True}}
    v["expand=off"] = {"options": {"expand": False}}
    v["policy=any-word"] = {"policy": {"all_words_first": False}}
    v["most-words=off"] = {"policy": {"most_words_parts": (0, 0)}}
    for kind in ("none", "porter2"):
        v[f"stem={kind}"] = {"patch": stemmer(kind), "index": f"stem-{kind}"}
    v["feedback=off"] = {"options": {"feedback": False}}
    for name, values in (("feedback_sharpness", (6.0, 25.0)), ("feedback_words", (10, 30)),
                         ("feedback_docs", (5, 20)), ("feedback_weight", (0.7, 1.5)),
                         ("feedback_rerank", (30, 300)), ("feedback_min_words", (3, 6, 9))):
        for value in values:
            v[f"{name}={value}"] = {"policy": {name: value}}
    v["chunk=one"] = {"patch": one_paragraph, "index": "chunk-one"}
    v["chunk=nosplit"] = {"patch": no_split, "index": "chunk-nosplit"}
    v["chunk=3000"] = {"patch": chunk_size(3000, 1200, 2400), "index": "chunk-3000"}
    return v


def variant(name: str, table: dict | None = None) -> dict:
    """A variant by name; "a+b" combines variants a and b (patches in order, policies and options merged)."""
    table = table or build_variants()
    parts = [table[p] for p in name.split("+")]
    patches = [p["patch"] for p in parts if "patch" in p]
    merged: dict = {"patch": combine(*patches)}
    for key in ("policy", "options"):
        merged[key] = {k: val for p in parts for k, val in p.get(key, {}).items()}
    merged["index"] = next((p["index"] for p in parts if p.get("index")), "")
    merged["aggregate"] = next((p["aggregate"] for p in parts if p.get("aggregate")), None)
    return merged


# --- running ---------------------------------------------------------------------------------


def _search_fn(searcher, variant, limit):
    from briefsearch.query.searcher import SearchOptions

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
    from briefsearch.query.policy import DEFAULT_POLICY
    from briefsearch.query.searcher import Searcher

    policy = replace(DEFAULT_POLICY, **variant.get("policy", {}))
    out: dict = {}
    with ExitStack() as stack:
        variant.get("patch", nothing)(stack)
        for cname in names:
            collection = collections_ir.read_collection(cname, data_dir)
            judged = irmetrics.per_query({}, collection.qrels)
            queries = {q: t for q, t in collection.queries.items() if q in judged}
            index_dir = Path(index_root) / (variant.get("index") or "default") / cname
            searcher = Searcher(str(index_dir), policy)
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
    from briefsearch.query.searcher import Searcher

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
