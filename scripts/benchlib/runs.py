"""The three measurements for one engine on one corpus: indexing, warm queries, cold queries."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from benchlib.engines import child_env
from benchlib.measure import dir_bytes, median, percentile, run_child
from benchlib.queries import KINDS


class BenchError(RuntimeError):
    pass


def _checked(engine, run, what):
    if run.returncode != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-8:])
        raise BenchError(f"{engine.label}: {what} failed (exit {run.returncode}):\n{tail}")
    return run


def measure_indexing(engines, corpus, index_root: Path, runs: int, log) -> dict:
    """Index the corpus ``runs`` times per engine, engines in turn; medians per engine."""
    samples = {e.key: [] for e in engines}
    for n in range(runs):
        for engine in engines:
            index_dir = index_root / f"{engine.key}-{corpus_name(corpus)}"
            shutil.rmtree(index_dir, ignore_errors=True)
            run = _checked(engine, run_child(engine.index_cmd + [str(index_dir)], cwd=engine.cwd,
                                             env=engine.env, sample_tree=True), "indexing")
            samples[engine.key].append(run)
            log(f"  index {engine.label} run {n + 1}/{runs}: {run.seconds:.1f} s, "
                f"peak {run.peak_rss / 2**20:.0f} MB")
    out = {}
    for engine in engines:
        index_dir = index_root / f"{engine.key}-{corpus_name(corpus)}"
        seconds = median([r.seconds for r in samples[engine.key]])
        size = dir_bytes(index_dir)
        out[engine.key] = {
            "index_dir": str(index_dir), "runs": len(samples[engine.key]), "seconds": seconds,
            "seconds_all": [r.seconds for r in samples[engine.key]],
            "paragraphs_per_s": corpus.size / seconds, "index_bytes": size,
            "cpu_seconds": median([r.cpu_seconds for r in samples[engine.key]]),
            "bytes_per_paragraph": size / corpus.size,
            "peak_rss": median([r.peak_rss for r in samples[engine.key]]),
            "tree_rss": median([r.tree_rss for r in samples[engine.key]]),
            "engine_paragraphs": _engine_paragraphs(samples[engine.key][-1]),
            "files": sum(1 for f in index_dir.rglob("*") if f.is_file()),
        }
    return out


def corpus_name(corpus) -> str:
    """How a corpus's indexes are named in the work dir: its size, or "archive" (a fed corpus's
    with "fed-" before it)."""
    if corpus.fed:
        return corpus.root.name.removesuffix("-seed1").replace("-seed", "-s")
    return "archive" if corpus.sources else str(corpus.size)


def _engine_paragraphs(run) -> int | None:
    """Paragraph count the engine reports (its own chunking may differ from the corpus split)."""
    try:
        return int(json.loads(run.stdout.strip().splitlines()[-1])["paragraphs"])
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    found = re.findall(r"([\d,]+) paragraphs", run.stdout + run.stderr)
    return int(found[-1].replace(",", "")) if found else None


def measure_warm(engine, index_dir, corpus, passes: int) -> dict:
    """One long-lived process answers every query ``passes`` times; per-query medians."""
    run = _checked(engine, run_child(engine.warm_cmd + [str(index_dir), str(corpus.queries_file),
                                                       str(passes)], cwd=engine.cwd, env=engine.env),
                   "warm queries")
    data = json.loads(run.stdout.strip().splitlines()[-1])
    queries = json.loads(Path(corpus.queries_file).read_text())
    per_query = [median(t) * 1000 for t in data["timings"]]
    out = {"queries": len(per_query), "passes": passes, "open_ms": data["open_seconds"] * 1000,
           "p50_ms": median(per_query), "p95_ms": percentile(per_query, 95),
           "mean_hits": sum(data["hits"]) / len(data["hits"]), "peak_rss": run.peak_rss,
           "by_kind": {}}
    for kind in KINDS:
        times = [t for t, q in zip(per_query, queries) if q["kind"] == kind]
        out["by_kind"][kind] = {"p50_ms": median(times), "p95_ms": percentile(times, 95)}
    return out


def cold_queries(corpus, count: int) -> list[dict]:
    """The first queries of each kind, interleaved by kind, ``count`` in all."""
    queries = json.loads(Path(corpus.queries_file).read_text())
    by_kind = [[q for q in queries if q["kind"] == k] for k in KINDS]
    mixed = [q for group in zip(*by_kind) for q in group]
    return (mixed * (count // len(mixed) + 1))[:count]


def measure_cold(engines, index_dirs: dict, corpus, runs: int, log) -> dict:
    """A fresh process per query, engines in turn; one untimed run each first warms the page cache."""
    queries = cold_queries(corpus, runs)
    for engine in engines:
        _checked(engine, run_child(engine.cold_cmd(index_dirs[engine.key], queries[0]),
                                   cwd=engine.cwd, env=engine.env), "cold query")
    samples = {e.key: [] for e in engines}
    bare = []  # the floor every engine pays: starting an interpreter
    for query in queries:
        for engine in engines:
            run = run_child(engine.cold_cmd(index_dirs[engine.key], query), cwd=engine.cwd, env=engine.env)
            samples[engine.key].append(_checked(engine, run, "cold query"))
        bare.append(run_child([sys.executable, "-c", "pass"], env=child_env()))
    log(f"  cold: {runs} runs per engine done")
    out = {key: {"runs": len(rs), "median_s": median([r.seconds for r in rs]),
                 "p90_s": percentile([r.seconds for r in rs], 90),
                 "peak_rss": median([r.peak_rss for r in rs])}
           for key, rs in samples.items()}
    out["interpreter"] = {"runs": len(bare), "median_s": median([r.seconds for r in bare]),
                          "peak_rss": median([r.peak_rss for r in bare])}
    return out
