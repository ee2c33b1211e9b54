"""What duplicate grouping costs indexing: the anchors each paragraph gets in the ledger
(``text.fingerprint.statement_anchors``, ``indexing.ledger``), measured on a real export.

Indexes the State Department export (or --items FILE) into fresh temporary indexes with one
process (--jobs 1), alternating runs with anchors and with anchors replaced by none, in this one
process, and prints the median CPU and wall seconds of each, their ratio and the ledger's size.
CPU time is quoted first because the machine is shared: it moves much less than wall time.

    python scripts/duplicates_cost.py [--items PATH] [--records N] [--rounds 3]
"""

from __future__ import annotations

import shutil
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


def main() -> None:
    args = arguments(__doc__.splitlines()[0], DEFAULT_ITEMS)
    runs = alternate(args.items, args.records, args.rounds, one_run, {False: "without grouping", True: "with grouping   "})
    print(f"ledger: {runs[False][0][3] / 1e6:.1f} MB without anchors, {runs[True][0][3] / 1e6:.1f} MB with")


if __name__ == "__main__":
    main()
