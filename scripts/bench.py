#!/usr/bin/env python3
"""Benchmark briefsearch against textbook Whoosh and SQLite FTS5 on the same real paragraphs.

For each corpus size (about 10k, 100k, 1M paragraphs) this script:

1. builds a corpus of real paragraphs from the shared State Department and White House exports
   (read in place from ../shared/data, never copied), or reuses it from the work dir. Up to the
   ~122k paragraphs the exports hold, the corpus is whole real articles taken in a seeded shuffled
   order (the last one cut short to hit the size exactly). Beyond that, articles are resampled with
   ``random.Random(seed)``: article n takes title, date, creator, link and categories from a random
   real record, its length k from another random real record's paragraph count, and k paragraphs
   drawn uniformly with replacement from the pool of all real paragraphs, each with its own HTML
   (bold speaker labels, ``Q&nbsp;`` turns, section anchors kept). Articles are written as JSON
   Lines files (id, title, published, creator, link, categories, content_html of ``<p>``
   paragraphs), about 1,000 articles per file. See benchlib/corpus.py;
2. generates 200 queries from that corpus with a fixed seed: 50 each of one frequent non-stopword,
   three content words of one paragraph (all required), a 2-3 word exact phrase from one paragraph,
   and a word plus a speaker or section-topic filter taken from the same paragraph;
3. indexes it with each engine in a child process (engines in turn, median of ``--index-runs``):
   textbook Whoosh and FTS5 get the corpus's paragraphs already split, as plain text with speaker
   and topic keys; briefsearch runs end to end (``python -m briefsearch index DOCS --index DIR``:
   HTML parsing, chunking, enrichment, writing);
4. answers the 200 queries, top 10 with snippets, in one long-lived process per engine (the
   per-query median of ``--query-passes`` passes; then p50/p95 overall and by kind);
5. runs ``--cold-runs`` cold whole-process queries per engine, engines in turn, each a fresh
   interpreter timed from outside with perf_counter, with its peak RSS from ``wait4``.

Every figure is printed with its ratio to each baseline. Absolute figures move between runs on a
shared machine; compare ratios measured in the same run.

    python scripts/bench.py --quick                 # 10k only, well under two minutes
    python scripts/bench.py --sizes 10k,100k        # what the lead reports
    python scripts/bench.py --sizes 1m --json out.json
    python scripts/bench.py --fed --sizes 100k,1m --archive   # engine side, on pre-extracted paragraphs

With ``--fed`` every engine indexes the same paragraphs as briefsearch extracted them: briefsearch
extracts and enriches the exports (or, for the archive, the archives) once, timed and reported on
its own, and each corpus is drawn from that pool (resampled beyond it); briefsearch's indexing is
then its run without ingest (``benchlib/fed_index.py``): analysis, the engine's writer, the
vocabulary and the ledger. See benchlib/fed_corpus.py. End-to-end indexing (files to searchable)
is what a run without ``--fed`` measures.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import engines as engine_defs  # noqa: E402
from benchlib import report  # noqa: E402
from benchlib.corpus import build_archive_corpus, build_corpus  # noqa: E402
from benchlib.fed_corpus import build_fed_corpus, extract_pool  # noqa: E402
from benchlib.measure import dir_bytes  # noqa: E402
from benchlib.queries import make_queries  # noqa: E402
from benchlib.runs import BenchError, corpus_name, measure_cold, measure_indexing, measure_warm  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None,
                        help="comma-separated corpus sizes, e.g. 10k,100k,1m (default: 10k,100k,1m)")
    parser.add_argument("--quick", action="store_true",
                        help="10k paragraphs only, 2 indexing runs, 10 cold runs (routine checks)")
    parser.add_argument("--skip-baselines", action="store_true", help="measure briefsearch only")
    parser.add_argument("--baselines", default="whoosh,fts5,tantivy",
                        help="baselines to measure: whoosh (textbook Whoosh), fts5 (SQLite FTS5), tantivy (raw tantivy)")
    parser.add_argument("--engines", default="whoosh,tantivy",
                        help="briefsearch's engines to measure (index --engine), e.g. tantivy")
    parser.add_argument("--archive", action="store_true",
                        help="also (or, with --sizes none, only) the real-archive corpus: the Markdown White House "
                             "archive and both exports, indexed in place")
    parser.add_argument("--skip-briefsearch", action="store_true", help="measure the baselines only")
    parser.add_argument("--fed", action="store_true",
                        help="corpora of paragraphs briefsearch extracted once (benchlib/fed_corpus.py); briefsearch's "
                             "indexing measured without its ingest")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of --fed's one extraction (default 2)")
    parser.add_argument("--json", metavar="OUT", help="write every figure to this JSON file")
    parser.add_argument("--workdir", default="/tmp/briefsearch-bench",
                        help="corpora and indexes go here, outside the repository (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--index-runs", type=int, default=None, help="indexing runs per engine (default 3; quick 2; 0 queries the indexes an earlier run left in --workdir)")
    parser.add_argument("--query-passes", type=int, default=3, help="warm passes over the queries (default 3)")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold processes per engine (default 12; quick 10)")
    parser.add_argument("--briefsearch-root", default=str(REPO_ROOT),
                        help="folder holding the briefsearch package to measure (default: this checkout)")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=ROOT",
                        help="also measure the briefsearch package under ROOT (a changed copy), as 'bs NAME', with the same --engines")
    args = parser.parse_args(argv)
    default_sizes = "10k" if args.quick else "10k,100k,1m"
    sizes = args.sizes or default_sizes
    args.sizes = [] if sizes == "none" else [parse_size(s) for s in sizes.split(",") if s.strip()]
    args.baselines = [b for b in args.baselines.split(",") if b]
    args.engines = [e for e in args.engines.split(",") if e]
    if args.index_runs is None:
        args.index_runs = 2 if args.quick else 3
    args.cold_runs = args.cold_runs or (10 if args.quick else 12)
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def choose_engines(corpus, args) -> tuple[list, list[str]]:
    engines, notes = [], []
    if not args.skip_baselines:
        engines += [engine_defs.BASELINES[name](corpus) for name in args.baselines]
    if not args.skip_briefsearch:
        root = Path(args.briefsearch_root).resolve()
        reason = engine_defs.briefsearch_unavailable(root)
        if reason:
            notes.append(f"briefsearch not measured: it does not import from {root} ({reason})")
        else:
            engines += [engine_defs.briefsearch(corpus, root, engine=name) for name in args.engines]
        for spec in args.compare:
            name, _, other = spec.partition("=")
            reason = engine_defs.briefsearch_unavailable(Path(other).resolve())
            if reason:
                notes.append(f"bs {name} not measured: it does not import from {other} ({reason})")
            else:
                engines += [engine_defs.briefsearch(corpus, Path(other).resolve(), name=name, engine=engine)
                            for engine in args.engines]  # the same engines as this checkout's
    return engines, notes


def bench_size(size: int | None, args) -> dict:
    """One corpus: ``size`` paragraphs of the shared exports, or (None) the real archives."""
    workdir = Path(args.workdir)
    started = time.perf_counter()
    if args.fed:
        root = Path(args.briefsearch_root).resolve()
        pool = extract_pool(workdir, size is None, engine_defs.briefsearch_env(root), str(root), args.jobs, log)
        corpus = build_fed_corpus(workdir, size, args.seed, make_queries, pool)
        size = corpus.size
    elif size is None:
        corpus = build_archive_corpus(workdir, args.seed, make_queries)
        size = corpus.size
    else:
        corpus = build_corpus(workdir, size, args.seed, make_queries)
    log(f"corpus {size:,}: {corpus.articles:,} articles in {len(corpus.files)} files, "
        f"{'reused' if corpus.reused else f'built in {time.perf_counter() - started:.1f} s'}")
    engines, notes = choose_engines(corpus, args)
    if not engines:
        return {"size": size, "notes": notes}
    baselines = [e for e in engines if e.is_baseline]
    index_root = workdir / "indexes"
    if args.index_runs == 0:
        indexing = reused_indexes(engines, corpus, index_root)
    else:
        indexing = measure_indexing(engines, corpus, index_root, args.index_runs, log)
    index_dirs = {key: Path(r["index_dir"]) for key, r in indexing.items()}
    warm = {}
    for engine in engines:
        warm[engine.key] = measure_warm(engine, index_dirs[engine.key], corpus, args.query_passes)
        log(f"  warm {engine.label}: p50 {warm[engine.key]['p50_ms']:.1f} ms")
    cold = measure_cold(engines, index_dirs, corpus, args.cold_runs, log)
    result = {"size": size, "articles": corpus.articles, "files": len(corpus.files),
              "resampled": corpus.resampled, "corpus_dir": str(corpus.root), "notes": notes,
              "indexing": indexing, "warm": warm, "cold": cold,
              "engines": {e.key: e.label for e in engines}, "archive": bool(corpus.sources),
              "fed": corpus.fed_extraction}
    print_size(result, engines, baselines)
    return result


def reused_indexes(engines, corpus, index_root: Path) -> dict:
    """``--index-runs 0``: query the indexes an earlier run left in the work dir (indexing not timed)."""
    out = {}
    for engine in engines:
        index_dir = index_root / f"{engine.key}-{corpus_name(corpus)}"
        if not index_dir.is_dir():
            raise BenchError(f"--index-runs 0: no index from an earlier run at {index_dir}")
        out[engine.key] = {"index_dir": str(index_dir), "reused": True, "index_bytes": dir_bytes(index_dir)}
    return out


def print_size(result: dict, engines, baselines) -> None:
    kind = "resampled articles" if result["resampled"] else "real articles"
    if result.get("archive"):
        kind = "real articles of the Markdown White House archive and both exports"
    if result.get("fed"):
        kind += " as briefsearch extracted them"
    print(f"\n=== {result['size']:,} paragraphs ({result['articles']:,} {kind}, "
          f"{result['files']} files) ===")
    print("Each figure is followed by its ratio to each baseline (figure ÷ baseline's figure).\n")
    if any(figures.get("reused") for figures in result["indexing"].values()):
        print("Indexing: not timed in this run (--index-runs 0 queried the indexes of an earlier run); index size MB: "
              + ", ".join(f"{e.label} {result['indexing'][e.key]['index_bytes'] / 2**20:,.0f}" for e in engines), "\n")
    else:
        print(report.indexing_table(result["indexing"], engines, baselines), "\n")
    if result.get("fed"):
        print(report.fed_note(result["fed"], result["indexing"], engines), "\n")
    print(report.warm_table(result["warm"], engines, baselines), "\n")
    print(report.cold_table(result["cold"], engines, baselines), "\n")
    for engine in engines:
        if not engine.is_baseline:
            print(report.goals_table(result, engine.key, engine.label), "\n")
            if engine.key.endswith("-tantivy"):
                print(report.tantivy_goals_table(result, engine.key, engine.label), "\n")
    for note in result["notes"]:
        print(f"note: {note}")
    sys.stdout.flush()


def main(argv=None) -> int:
    args = parse_args(argv)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    engine_defs.PYCACHE = Path(args.workdir).resolve() / "pycache"
    print(f"briefsearch benchmark: Python {platform.python_version()}, sizes "
          f"{', '.join(f'{s:,}' for s in args.sizes)}, seed {args.seed}, work dir {args.workdir}")
    results = []
    try:
        for size in args.sizes + ([None] if args.archive else []):
            results.append(bench_size(size, args))
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        if args.json:
            Path(args.json).write_text(json.dumps({"args": vars(args), "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
