"""How much enrichment (speakers, topics, acronyms) slows indexing, measured on a real export.

Indexes the State Department export (or --items FILE) into fresh temporary indexes, alternating
runs with enrichment and with enrichment replaced by a pass-through, in this one process, and
prints the median CPU seconds and wall seconds of each and their ratio. CPU time is quoted first
because the machine is shared: it moves much less than wall time when other work runs.

    python scripts/enrichment_cost.py [--items PATH] [--records N] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.ingest import enrich  # noqa: E402
from briefsearch.indexing.runs import index_paths  # noqa: E402

DEFAULT_ITEMS = ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl"


class PassThrough(enrich.Enricher):
    """Same interface, no enrichment: the paragraphs go to the index as chunking made them."""

    def enrich(self, article, paragraphs):
        return paragraphs


def one_run(corpus: Path, enriched: bool) -> tuple[float, float, int]:
    original = enrich.Enricher  # the indexer looks it up at each run
    if not enriched:
        enrich.Enricher = PassThrough
    work = Path(tempfile.mkdtemp(prefix="briefsearch-enrich-cost-"))
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        summary = index_paths([str(corpus)], str(work / "index"))
        return time.process_time() - cpu, time.perf_counter() - wall, summary.total_paragraphs
    finally:
        enrich.Enricher = original
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=Path, default=DEFAULT_ITEMS)
    parser.add_argument("--records", type=int, default=0, help="only the first N records (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.items.exists():
        sys.exit(f"no export at {args.items}: pass --items")
    work = Path(tempfile.mkdtemp(prefix="briefsearch-enrich-corpus-"))
    try:
        corpus = work / "items.jsonl"
        with open(args.items, encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as target:
            for n, line in enumerate(source):
                if args.records and n >= args.records:
                    break
                target.write(line)
        runs: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
        for round_ in range(args.rounds):
            for enriched in (False, True) if round_ % 2 == 0 else (True, False):
                runs[enriched].append(one_run(corpus, enriched))
                cpu, wall, paragraphs = runs[enriched][-1]
                print(f"round {round_ + 1} {'enriched' if enriched else 'plain   '}: {cpu:6.1f} s CPU {wall:6.1f} s wall, {paragraphs:,} paragraphs")
        print()
        for label, index in (("CPU", 0), ("wall", 1)):
            plain = statistics.median(r[index] for r in runs[False])
            enriched = statistics.median(r[index] for r in runs[True])
            print(f"median {label:4}: without enrichment {plain:6.1f} s, with {enriched:6.1f} s, "
                  f"ratio {enriched / plain:.2f} (+{(enriched / plain - 1) * 100:.0f}%)")
        paragraphs = runs[True][0][2]
        cpu_rate = paragraphs / statistics.median(r[0] for r in runs[True])
        print(f"with enrichment: {cpu_rate:,.0f} paragraphs per CPU second")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
