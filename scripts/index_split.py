"""Where an index run's CPU goes: the indexing process against its worker processes, end to end.

Builds a fresh index of PATH... (default: the State Department and White House exports) in this
process with ``indexing.runs.index_paths``, as ``briefsearch index --engine ENGINE`` does, and
prints one JSON line: paragraphs, wall seconds, paragraphs a second, the CPU seconds (and ms a
paragraph) of the indexing process (with tantivy's own threads) and of its worker processes (the
children it waited for), the main thread's CPU in the stages of the indexing process that stay
there (enrichment, the ledger's record, the copies of a statement, the settled names; ``rest`` is
the writer's documents, queues and the run's bookkeeping), the peak RSS of the indexing process and
of its largest worker, and the machine's load before and after.

    python scripts/index_split.py [PATH ...] [--engine tantivy] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.indexing import runs  # noqa: E402
from briefsearch.indexing.ledger import Ledger  # noqa: E402
from briefsearch.ingest.enrich import Enricher  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
EXPORTS = [DATA / "state_dept_press_releases", DATA / "whitehouse_briefing_room"]


def _timed(owner, name: str, stages: dict, stage: str) -> None:
    """Add the main thread's CPU spent in ``owner.name`` (not re-entered) to ``stages[stage]``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            stages[stage] += time.thread_time() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=EXPORTS)
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="build the index here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    stages = dict.fromkeys(("enrichment", "ledger", "copies", "names"), 0.0)
    _timed(Enricher, "enrich", stages, "enrichment")
    _timed(Ledger, "record", stages, "ledger")
    _timed(runs, "regroup", stages, "copies")
    _timed(runs.Ingest, "_settle_names", stages, "names")

    target = args.keep or Path(tempfile.mkdtemp(prefix="briefsearch-split-")) / "index"
    if args.keep and target.exists():
        shutil.rmtree(target)
    load_before = os.getloadavg()
    wall, thread = time.perf_counter(), time.thread_time()
    try:
        summary = runs.index_paths([str(p) for p in args.paths], str(target), engine=args.engine, jobs=args.jobs)
    finally:
        if not args.keep:
            shutil.rmtree(target.parent, ignore_errors=True)
    wall, thread = time.perf_counter() - wall, time.thread_time() - thread
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    main_cpu, worker_cpu = own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime
    n = summary.total_paragraphs
    stages["rest"] = thread - sum(stages.values())
    print(json.dumps({
        "paragraphs": n, "seconds": round(wall, 1), "paragraphs_per_second": round(n / wall),
        "main_cpu_s": round(main_cpu, 1), "main_ms_per_paragraph": round(main_cpu * 1000 / n, 3),
        "workers_cpu_s": round(worker_cpu, 1), "workers_ms_per_paragraph": round(worker_cpu * 1000 / n, 3),
        "main_thread_stages_ms_per_paragraph": {k: round(v * 1000 / n, 3) for k, v in stages.items()},
        "peak_rss_mb": {"main": own.ru_maxrss // 1024, "largest_worker": children.ru_maxrss // 1024},
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
        "jobs": args.jobs or runs.default_jobs(), "engine": args.engine,
    }))


if __name__ == "__main__":
    main()
