"""What deciding the copies of a whole index costs (``indexing.copies.regroup`` with no paragraph
named: a first build, a rebuild, new rules), two ways on one index, in one process:

- as ``regroup`` does it: a snapshot of every statement made in one pass over the index, then each
  article's paragraphs decided together, two articles compared only when the ledger's anchors link
  enough of their paragraphs (``copies._Documents._unlinked``);
- as it was done before: each candidate and each article compared read from the index when first
  asked for, every pair of articles asked about compared paragraph by paragraph.

    python scripts/copies_cost.py --index /tmp/briefsearch-bench/indexes/briefsearch-tantivy-fed-100000

Prints, for each way, the seconds of CPU and of wall time (the snapshot's apart), how many
paragraphs were decided and how many have copies, then how many paragraphs the two ways decided
differently (the figure that must be 0) and the first of them. Nothing is written to the index or
its ledger. With ``--only now`` the old way is skipped (it costs over 100 ms a paragraph on the
resampled million). The index must have been written by this version (its ledger holds anchors).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefsearch.indexing import copies  # noqa: E402
from briefsearch.indexing.ledger import LEDGER_FILE, Ledger  # noqa: E402
from briefsearch.indexing.storage import IndexDir  # noqa: E402


def now(ledger: Ledger, reader) -> tuple[dict, float]:
    """The copies as ``regroup`` decides them, and the CPU seconds of its snapshot."""
    cpu = time.process_time()
    with closing(copies._Snapshot(reader, ledger)) as statements:
        snapshot = time.process_time() - cpu
        return dict(copies._decided_by_article(ledger.candidates_all(copies.COMMON_ANCHOR), statements)), snapshot


def before(ledger: Ledger, reader) -> tuple[dict, float]:
    """The copies decided reading from the index, every pair of articles asked about compared."""
    candidates = ((i, i, [other for other, _ in theirs[:copies.CANDIDATES]])
                  for i, _, theirs in ledger.candidates_all(copies.COMMON_ANCHOR))
    return dict(copies._decided(candidates, copies._Statements(reader))), 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="an index directory this version wrote")
    parser.add_argument("--only", choices=("now", "before"), help="run one way only")
    args = parser.parse_args()
    root = Path(args.index)
    if not (root / LEDGER_FILE).exists():
        sys.exit(f"{root} has no {LEDGER_FILE}: give an index directory briefsearch wrote")
    generation = IndexDir(root).live()
    reader = generation.engine().reader(generation.path)
    decided = {}
    try:
        with Ledger(root) as ledger:  # a writing connection, as an index run's: its page cache
            if not ledger.anchored():
                sys.exit(f"{root}'s ledger holds no anchors: index it again with this version")
            for name, way in (("now", now), ("before", before)):
                if args.only not in (None, name):
                    continue
                cpu, wall = time.process_time(), time.perf_counter()
                found, snapshot = way(ledger, reader)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                decided[name] = found
                apart = f" ({snapshot:.1f} s of it the snapshot)" if name == "now" else ""
                print(f"{name:>6}: {cpu:8.1f} s CPU{apart}, {wall:8.1f} s wall;"
                      f" {len(found):,} paragraphs decided, {sum(1 for c in found.values() if c):,} with copies",
                      flush=True)
    finally:
        reader.close()
    if len(decided) == 2:
        ids = decided["now"].keys() | decided["before"].keys()
        different = sorted(i for i in ids if decided["now"].get(i, ()) != decided["before"].get(i, ()))
        print(f"decided differently: {len(different):,} of {len(ids):,} paragraphs")
        for paragraph_id in different[:10]:
            print(f"  {paragraph_id}: now {decided['now'].get(paragraph_id, ())}, before {decided['before'].get(paragraph_id, ())}")


if __name__ == "__main__":
    main()
