"""The timed loop every engine's warm-query process shares: per-query timings over several passes."""

import json
import time


def report_warm(opened: float, queries: list, passes: int, run) -> None:
    """Time ``run(query)`` (returning the rendered hit lines) for each query, ``passes`` times, and
    print the JSON that scripts/bench.py reads: open time, per-query timings, hits of pass one."""
    timings = [[] for _ in queries]
    hits = []
    for p in range(passes):
        for i, query in enumerate(queries):
            t0 = time.perf_counter()
            lines = run(query)
            timings[i].append(time.perf_counter() - t0)
            if p == 0:
                hits.append(len(lines))
    print(json.dumps({"open_seconds": opened, "timings": timings, "hits": hits}))
