"""How much enrichment (speakers, topics, acronyms) slows indexing, measured on a real export.

Indexes the State Department export (or --items FILE) into fresh temporary indexes, alternating
runs with enrichment and with enrichment replaced by a pass-through, in this one process, and
prints the median CPU seconds and wall seconds of each and their ratio. CPU time is quoted first
because the machine is shared: it moves much less than wall time when other work runs.

    python scripts/enrichment_cost.py [--items PATH] [--records N] [--rounds 3]
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
    args = arguments(__doc__.splitlines()[0], DEFAULT_ITEMS)
    runs = alternate(args.items, args.records, args.rounds, one_run, {False: "plain   ", True: "enriched"})
    paragraphs = runs[True][0][2]
    cpu_rate = paragraphs / statistics.median(r[0] for r in runs[True])
    print(f"with enrichment: {cpu_rate:,.0f} paragraphs per CPU second")

if __name__ == "__main__":
    main()
