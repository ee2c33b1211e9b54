"""What duplicate grouping costs indexing: the anchors each paragraph gets in the ledger
(``text.fingerprint.statement_anchors``, ``indexing.ledger``), measured on a real export.

Indexes the State Department export (or --items FILE) into fresh temporary indexes with one
process (--jobs 1), alternating runs with anchors and with anchors replaced by none, in this one
process, and prints the median CPU and wall seconds of each, their ratio and the ledger's size.
CPU time is quoted first because the machine is shared: it moves much less than wall time.

    python scripts/duplicates_cost.py [--items PATH] [--records N] [--rounds 3]

With --index DIR it measures instead what grouping costs a search: ten queries of ten hits on that
index, warm, three rounds alternating with grouping and without, in this one process (the index's
ledger must hold anchors: run it on an index this version wrote or updated).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchlib.ab import alternate, arguments  # noqa: E402
from briefsearch.indexing import runs as index_runs  # noqa: E402
from briefsearch.indexing.ledger import LEDGER_FILE  # noqa: E402

DEFAULT_ITEMS = ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl"


def one_run(corpus: Path, anchored: bool) -> tuple[float, float, int, int]:
    """(CPU s, wall s, paragraphs, ledger bytes) of indexing ``corpus`` into a fresh index."""
    original = index_runs.statement_anchors  # the indexer looks it up for every paragraph
    if not anchored:
        index_runs.statement_anchors = lambda text: []
    work = Path(tempfile.mkdtemp(prefix="briefsearch-duplicates-cost-"))
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        summary = index_runs.index_paths([str(corpus)], str(work / "index"), jobs=1)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        ledger = work / "index" / LEDGER_FILE
        size = sum(p.stat().st_size for p in ledger.parent.glob(LEDGER_FILE + "*"))
        return cpu, wall, summary.total_paragraphs, size
    finally:
        index_runs.statement_anchors = original
        shutil.rmtree(work, ignore_errors=True)


QUERIES = ("griner", '"havana syndrome"', "ukraine russia sanctions", "infant formula", "taiwan strait",
           "covid vaccine children", "iran nuclear deal", "afghanistan evacuation", "gas prices", "climate")


def query_cost(index: str, rounds: int) -> None:
    """Median and 90th percentile milliseconds of warm searches with and without grouping."""
    from briefsearch.query import searcher as searching

    looked_up = searching.group_copies
    alone = lambda ledger, reader, paragraphs, limit, all_copies=False: [(i, ()) for i in range(min(limit, len(paragraphs)))]  # noqa: E731
    times: dict[bool, list[float]] = {True: [], False: []}
    inside: list[float] = []  # seconds in group_copies, per search with grouping

    def grouped(*args, **kwargs):
        start = time.perf_counter()
        try:
            return looked_up(*args, **kwargs)
        finally:
            inside.append(time.perf_counter() - start)

    with searching.Searcher(index) as searcher:
        for query in QUERIES:
            searcher.search(query)  # warm
        for round_ in range(rounds):
            for on in (False, True) if round_ % 2 == 0 else (True, False):
                searching.group_copies = grouped if on else alone
                for query in QUERIES:
                    start = time.perf_counter()
                    searcher.search(query)
                    times[on].append(time.perf_counter() - start)
    searching.group_copies = looked_up
    for on in (False, True):
        ms = sorted(t * 1000 for t in times[on])
        print(f"{'with grouping   ' if on else 'without grouping'}: median {statistics.median(ms):5.0f} ms,"
              f" 90th percentile {ms[int(len(ms) * 0.9)]:5.0f} ms ({len(ms)} searches)")
    print(f"ratio of medians {statistics.median(times[True]) / statistics.median(times[False]):.2f}")
    ms = sorted(t * 1000 for t in inside)
    print(f"grouping itself (group_copies): median {statistics.median(ms):.2f} ms, 90th percentile"
          f" {ms[int(len(ms) * 0.9)]:.2f} ms per search")


def main() -> None:
    args = arguments(__doc__.splitlines()[0], DEFAULT_ITEMS,
                     lambda parser: parser.add_argument("--index", help="measure searches on this index instead"))
    if args.index:
        query_cost(args.index, args.rounds)
        return
    runs = alternate(args.items, args.records, args.rounds, one_run, {False: "without grouping", True: "with grouping   "})
    print(f"ledger: {runs[False][0][3] / 1e6:.1f} MB without anchors, {runs[True][0][3] / 1e6:.1f} MB with")


if __name__ == "__main__":
    main()
