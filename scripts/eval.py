"""Measure briefsearch's ranking on the IR test collections against an SQLite FTS5 BM25 baseline.

Each collection's documents are written as one JSON Lines file (one record per document) and
indexed with ``index_paths``, the ingest ``briefsearch index`` runs; each query runs through
``briefsearch.query.searcher.Searcher`` with the default options of ``briefsearch query`` plus
``per_article=True`` (one hit, the best paragraph, per document). The baseline indexes the same
documents in SQLite FTS5 (``tokenize='porter unicode61'``, one column holding title and body),
turns each query into an OR of its distinct terms, each double-quoted, and ranks by ``bm25()``.

``--cli`` takes the path a user takes instead: each collection's JSON Lines file is indexed with
``briefsearch index`` and each query runs as ``briefsearch query --per-article -n 100 --format
json`` (the Click commands, run in this process), beside the same FTS5 baseline.

``--known-items`` measures known-item search on the shared State Department and White House
exports instead: each query of ``tests/fixtures/known_items.jsonl`` recalls one passage in other
words (a spelling variant, the acronym where the text has the long form or the reverse, a
paraphrase); its target is the paragraph of that article (``url``) holding the passage. MRR@10 and
success@10 are printed by kind, for the product's settings and with each lever turned off
(``--index DIR`` reuses an index of the two exports, e.g. the one scripts/query_cost.py uses).

Usage (from the repository root):  python scripts/eval.py [--collections time,cisi] [--out-dir DIR] [--cli]
                                   python scripts/eval.py --known-items [--index DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a fresh clone without installing the package
sys.path.insert(0, str(Path(__file__).resolve().parent))

import collections_ir  # noqa: E402
import irmetrics  # noqa: E402

LIMIT = 100  # ranks kept per query: enough for MAP@100 and Recall@100
Ranking = list[tuple[str, float]]  # (document id, score), best first

# unicode61 token characters: letters and digits (underscore and punctuation separate tokens).
_FTS_TOKEN = re.compile(r"[^\W_]+")


# --- baseline: SQLite FTS5 -------------------------------------------------------------------


def fts5_query(text: str) -> str:
    """The query's distinct terms, each as a double-quoted FTS5 string, joined with OR.

    Quoting makes every term a literal (no column filters, NEAR, prefix ``*`` or bare AND/OR/NOT
    keywords); a double quote inside a term would be doubled, as FTS5 string syntax requires.
    """
    terms = dict.fromkeys(t.lower() for t in _FTS_TOKEN.findall(text))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


class Fts5Baseline:
    """An in-memory FTS5 table over the collection's documents (title and body in one column)."""

    def __init__(self, documents: Iterable[collections_ir.Document]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(docno UNINDEXED, body, "
            "tokenize='porter unicode61')"
        )
        self.db.executemany(
            "INSERT INTO docs (docno, body) VALUES (?, ?)",
            ((d.docno, f"{d.title}\n\n{d.text}".strip()) for d in documents),
        )

    def search(self, text: str, limit: int = LIMIT) -> Ranking:
        match = fts5_query(text)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT docno, bm25(docs) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs), rowid LIMIT ?",
            (match, limit),
        )
        return [(docno, -score) for docno, score in rows]  # bm25() is lower-is-better


# --- briefsearch ---------------------------------------------------------------------------


def _index_paths():
    """The indexing entry point `briefsearch index` calls."""
    from briefsearch.indexing.runs import index_paths

    return index_paths


def briefsearch_available() -> bool:
    try:
        import briefsearch.indexing.runs  # noqa: F401
        import briefsearch.query.searcher  # noqa: F401
    except ImportError:
        return False
    return True


def write_jsonl(collection: collections_ir.Collection, folder: Path) -> Path:
    """One JSON record per document; ``url`` carries the document id back from each hit."""
    path = folder / f"{collection.name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for d in collection.documents:
            record = {"id": d.docno, "url": d.docno, "title": d.title, "text": d.text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def index_collection(collection: collections_ir.Collection, index_dir: Path, work: Path, engine: str = "whoosh") -> float:
    """Index the collection through the user's ingest (with ``engine``); returns the seconds it took."""
    index_paths = _index_paths()
    source = write_jsonl(collection, work)
    start = time.perf_counter()
    index_paths([str(source)], str(index_dir), rebuild=True, engine=engine)
    return time.perf_counter() - start


def briefsearch_search(searcher, text: str, limit: int = LIMIT, **options) -> Ranking:
    """Document ranking for one query via the default query path, one hit per article
    (``options``: other SearchOptions, for scripts/levers.py)."""
    from briefsearch.query.searcher import SearchOptions

    result = searcher.search(text, SearchOptions(limit=limit, per_article=True, **options))
    ranking: Ranking = []
    for hit in result.hits:
        docno = hit.paragraph.url or hit.paragraph.article_id
        if all(docno != seen for seen, _ in ranking):
            ranking.append((docno, hit.score))
    return ranking


def cli_index_collection(collection: collections_ir.Collection, index_dir: Path, work: Path, engine: str) -> float:
    """``briefsearch index FILE.jsonl --index DIR --rebuild --engine E``; returns the seconds it took."""
    from click.testing import CliRunner

    from briefsearch.cli import cli

    source = write_jsonl(collection, work)
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["index", str(source), "--index", str(index_dir), "--rebuild", "-q",
                                      "--engine", engine])
    if result.exit_code != 0:
        raise RuntimeError(f"briefsearch index failed ({result.exit_code}): {result.output[-300:]}")
    return time.perf_counter() - start


class CliSearch:
    """``briefsearch query --per-article -n LIMIT --format json -- TEXT``, run as the CLI runs it."""

    def __init__(self, index_dir: Path, limit: int):
        from click.testing import CliRunner

        from briefsearch.cli import cli

        self.runner, self.cli, self.index_dir, self.limit = CliRunner(), cli, str(index_dir), limit

    def __call__(self, text: str) -> Ranking:
        result = self.runner.invoke(self.cli, ["query", "--index", self.index_dir, "--per-article", "-n", str(self.limit),
                                               "--format", "json", "--", text])
        if result.exit_code == 2:
            raise ValueError(result.stderr.strip())
        if result.exit_code != 0:
            raise RuntimeError(f"briefsearch query failed ({result.exit_code}): {result.output[-300:]}")
        if not result.stdout.strip():
            return []
        ranking: Ranking = []
        for hit in json.loads(result.stdout)["hits"]:
            docno = hit["url"] or hit["article_id"]
            if all(docno != seen for seen, _ in ranking):
                ranking.append((docno, hit["score"]))
        return ranking


def run_queries(
    search: Callable[[str], Ranking], queries: dict[str, str], errors: tuple = ()
) -> tuple[dict[str, Ranking], float, list[tuple[str, str]]]:
    """Rankings per query id, the median seconds per query, and the queries that raised ``errors``.

    A query that raises one of ``errors`` (e.g. a query-syntax error) scores as an empty ranking.
    """
    runs: dict[str, Ranking] = {}
    failed: list[tuple[str, str]] = []
    seconds = []
    for qid, text in queries.items():
        start = time.perf_counter()
        try:
            runs[qid] = search(text)
        except errors as exc:
            runs[qid] = []
            failed.append((qid, f"{type(exc).__name__}: {exc}"))
        seconds.append(time.perf_counter() - start)
    return runs, statistics.median(seconds) if seconds else 0.0, failed


# --- output --------------------------------------------------------------------------------


def write_trec_run(path: Path, runs: dict[str, Ranking], tag: str) -> None:
    """TREC run format: ``qid Q0 docno rank score tag``, checkable with trec_eval."""
    with path.open("w", encoding="utf-8") as out:
        for qid, ranking in runs.items():
            for rank, (docno, score) in enumerate(ranking, start=1):
                out.write(f"{qid} Q0 {docno} {rank} {score:.6f} {tag}\n")


def _ratio(ours: float, base: float) -> str:
    return f"{ours / base:5.3f}" if base else "  n/a"


def format_table(rows: list[tuple[str, dict | None, dict]]) -> str:
    """Rows of (label, briefsearch means or None, FTS5 means) side by side with bs/fts5 ratios."""
    names = list(irmetrics.METRICS)
    head1 = f"{'':14}" + "".join(f"| {n:<20}" for n in names)
    head2 = f"{'collection':14}" + "| bs     fts5   ratio " * len(names)
    lines = [head1, head2, "-" * len(head2)]
    for label, ours, base in rows:
        cells = []
        for n in names:
            bs = f"{ours[n]:.3f}" if ours else "  n/a"
            ratio = _ratio(ours[n], base[n]) if ours else "  n/a"
            cells.append(f"| {bs:6} {base[n]:.3f}  {ratio} ")
        lines.append(f"{label:14}" + "".join(cells))
    return "\n".join(lines)


def average(means: list[dict]) -> dict:
    return {n: sum(m[n] for m in means) / len(means) for n in irmetrics.METRICS}


# --- main ----------------------------------------------------------------------------------


def evaluate_collection(name: str, args, work: Path, use_briefsearch: bool) -> dict:
    """Both systems on one collection; writes the run files and returns the figures."""
    collection = collections_ir.read_collection(name, args.data_dir)
    judged = irmetrics.per_query({}, collection.qrels)
    queries = {q: t for q, t in collection.queries.items() if q in judged}
    report: dict = {"name": name, "queries": len(queries)}

    start = time.perf_counter()
    fts5 = Fts5Baseline(collection.documents)
    report["fts5_index_s"] = time.perf_counter() - start
    runs, report["fts5_query_s"], _ = run_queries(lambda q: fts5.search(q, args.limit), queries)
    write_trec_run(args.out_dir / f"{name}.fts5.run", runs, "fts5-bm25")
    report["fts5"] = irmetrics.evaluate(_ids(runs), collection.qrels)

    if use_briefsearch:
        from briefsearch.errors import BriefsearchError
        from briefsearch.query.searcher import Searcher

        index_dir = (args.index_dir / name) if args.index_dir else work / f"index-{name}"
        if args.reuse_index and index_dir.exists():
            report["bs_index_s"] = 0.0
        elif args.cli:
            report["bs_index_s"] = cli_index_collection(collection, index_dir, work, args.engine)
        else:
            report["bs_index_s"] = index_collection(collection, index_dir, work, args.engine)
        if args.cli:
            runs, report["bs_query_s"], report["bs_errors"] = run_queries(
                CliSearch(index_dir, args.limit), queries, (ValueError,))
            write_trec_run(args.out_dir / f"{name}.briefsearch-cli.run", runs, "briefsearch-cli")
            report["bs"] = irmetrics.evaluate(_ids(runs), collection.qrels)
            return report
        searcher = Searcher(str(index_dir))
        try:
            runs, report["bs_query_s"], report["bs_errors"] = run_queries(
                lambda q: briefsearch_search(searcher, q, args.limit), queries, (BriefsearchError,)
            )
        finally:
            searcher.close()
        suffix = "" if args.engine == "whoosh" else f"-{args.engine}"
        write_trec_run(args.out_dir / f"{name}.briefsearch{suffix}.run", runs, f"briefsearch{suffix}")
        report["bs"] = irmetrics.evaluate(_ids(runs), collection.qrels)
    return report


def _ids(runs: dict[str, Ranking]) -> dict[str, list[str]]:
    return {qid: [docno for docno, _ in ranking] for qid, ranking in runs.items()}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--collections",
        default=",".join(collections_ir.READERS),
        help="comma-separated subset of: %(default)s",
    )
    parser.add_argument("--data-dir", type=Path, default=collections_ir.DATA_DIR)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "scripts" / "out",
                        help="where the TREC run files go (default: %(default)s)")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="keep the briefsearch indexes here, one folder per collection "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--reuse-index", action="store_true",
                        help="with --index-dir: search an existing index instead of rebuilding it")
    parser.add_argument("--limit", type=int, default=LIMIT, help="hits kept per query")
    parser.add_argument("--fts5-only", action="store_true", help="run the baseline only")
    parser.add_argument("--engine", default="whoosh", help="briefsearch's search engine (index --engine): whoosh, tantivy")
    parser.add_argument("--cli", action="store_true",
                        help="index with `briefsearch index` and query with `briefsearch query --per-article`")
    parser.add_argument("--known-items", action="store_true",
                        help="known-item search on the shared news exports instead of the test collections")
    parser.add_argument("--index", type=Path, default=None,
                        help="with --known-items: an index of the State Department and White House exports")
    args = parser.parse_args(argv)
    args.collections = [c.strip().lower() for c in args.collections.split(",") if c.strip()]
    unknown = [c for c in args.collections if c not in collections_ir.READERS]
    if unknown:
        parser.error(f"unknown collection(s): {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.known_items:
        import known_items

        return known_items.main(args)
    if not args.data_dir.is_dir():
        print(f"No test collections at {args.data_dir}; pass --data-dir.", file=sys.stderr)
        return 1
    use_briefsearch = not args.fts5_only and briefsearch_available()
    if not args.fts5_only and not use_briefsearch:
        print("briefsearch is not importable: running the FTS5 baseline only.",
              file=sys.stderr)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    reports = []
    with tempfile.TemporaryDirectory(prefix="briefsearch-eval-") as tmp:
        for name in args.collections:
            reports.append(evaluate_collection(name, args, Path(tmp), use_briefsearch))
            print(_timing_line(reports[-1]), file=sys.stderr, flush=True)
    if use_briefsearch:
        print(f"briefsearch engine: {args.engine}")
    print_report(reports, use_briefsearch)
    print(f"\nrun files in {args.out_dir}; total {time.perf_counter() - started:.1f} s")
    return 0


def _timing_line(r: dict) -> str:
    line = (f"{r['name']}: {r['queries']} judged queries; fts5 index {r['fts5_index_s']:.2f} s, "
            f"median query {r['fts5_query_s'] * 1000:.1f} ms")
    if "bs" in r:
        line += (f"; briefsearch index {r['bs_index_s']:.1f} s, median query "
                 f"{r['bs_query_s'] * 1000:.1f} ms, query errors {len(r['bs_errors'])}")
    return line


def print_report(reports: list[dict], use_briefsearch: bool) -> None:
    rows = [(f"{r['name']} ({r['queries']}q)", r.get("bs"), r["fts5"]) for r in reports]
    if len(reports) > 1:
        bs_avg = average([r["bs"] for r in reports]) if use_briefsearch else None
        rows.append(("average", bs_avg, average([r["fts5"] for r in reports])))
    print(format_table(rows))
    if len(reports) > 1 and use_briefsearch:
        below = [r["name"] for r in reports if r["bs"]["nDCG@10"] < r["fts5"]["nDCG@10"]]
        gain = rows[-1][1]["nDCG@10"] / rows[-1][2]["nDCG@10"] - 1
        print(f"\nnDCG@10 goals: at least FTS5 on every collection: {'met' if not below else 'MISSED (' + ', '.join(below) + ')'}; "
              f"average {gain:+.1%} against FTS5 (goal >= +5%): {'met' if gain >= 0.05 else 'MISSED'}")
    for r in reports:
        for qid, message in r.get("bs_errors", [])[:5]:
            print(f"{r['name']} query {qid} failed: {message}")


if __name__ == "__main__":
    sys.exit(main())
