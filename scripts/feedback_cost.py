#!/usr/bin/env python3
"""What the feedback pass costs: warm query times of sentence-long queries with it and without it.

The feedback pass (briefsearch/feedback.py) runs only for queries of four or more distinct words,
and scripts/bench.py's queries have one to three, so its figures do not show it. This script
queries the corpus and briefsearch index that bench.py leaves in its work dir with sentence-long
queries drawn from that corpus with a fixed seed: half are article titles with at least five
content words, half the first twelve words of a paragraph. Each query runs, top 10 with snippets in
one long-lived Searcher, ``--passes`` times with feedback and as many without, in turn; the figure
per query is the median of its passes, and the table gives p50 and p95 over the queries, with the
ratio of with to without measured in the same process.

    python scripts/bench.py --sizes 100k --index-runs 1     # builds /tmp/briefsearch-bench (once)
    python scripts/feedback_cost.py --size 100k
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import parse_size  # noqa: E402
from benchlib.measure import percentile  # noqa: E402
from benchlib.queries import content_words  # noqa: E402


def sentence_queries(paragraphs: list[dict], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    titles = sorted({p["title"] for p in paragraphs if len(set(content_words(p.get("title", "")))) >= 5})
    openings = sorted({" ".join(p["body"].split()[:12]) for p in paragraphs
                       if len(p.get("body", "").split()) >= 20})
    half = count // 2
    return rng.sample(titles, min(half, len(titles))) + rng.sample(openings, min(count - half, len(openings)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="corpus size bench.py built (10k, 100k, 1m)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefsearch-bench"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    corpus = args.workdir / f"corpus-{size}-seed{args.seed}" / "paragraphs.jsonl"
    index_dir = args.workdir / "indexes" / f"briefsearch-{size}"
    if not corpus.exists() or not index_dir.exists():
        print(f"No corpus or index of {size:,} paragraphs in {args.workdir}: run "
              f"python scripts/bench.py --sizes {args.size} --index-runs 1 first", file=sys.stderr)
        return 2

    from briefsearch.query.policy import DEFAULT_POLICY
    from briefsearch.query.searcher import SearchOptions, Searcher

    paragraphs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    queries = sentence_queries(paragraphs, args.queries, args.seed)
    times: dict[bool, list[list[float]]] = {True: [[] for _ in queries], False: [[] for _ in queries]}
    changed = 0
    with Searcher(index_dir) as searcher:
        for query in queries:  # warm-up: the term dictionary and the posting blocks
            searcher.search(query)
        for _ in range(args.passes):
            for i, query in enumerate(queries):
                for feedback in (False, True):
                    start = time.perf_counter()
                    searcher.search(query, SearchOptions(feedback=feedback))
                    times[feedback][i].append(time.perf_counter() - start)
        for query in queries:
            plain = [h.paragraph.id for h in searcher.search(query, SearchOptions(feedback=False)).hits]
            fed = [h.paragraph.id for h in searcher.search(query).hits]
            changed += plain != fed
    medians = {fb: [statistics.median(t) * 1000 for t in per_query] for fb, per_query in times.items()}
    print(f"{len(queries)} sentence-long queries on {size:,} paragraphs (feedback from "
          f"{DEFAULT_POLICY.feedback_min_words} words), top 10, median of {args.passes} passes per query; "
          f"the top 10 changed for {changed}")
    print(f"{'':24}{'without':>10}{'with':>10}{'ratio':>8}")
    for label, q in (("p50 ms", 50), ("p95 ms", 95)):
        off, on = percentile(medians[False], q), percentile(medians[True], q)
        print(f"{label:24}{off:10.1f}{on:10.1f}{on / off:8.2f}")
    ratios = [on / off for on, off in zip(medians[True], medians[False])]
    print(f"{'per-query ratio, median':24}{'':20}{statistics.median(ratios):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
