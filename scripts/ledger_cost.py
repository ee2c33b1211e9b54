"""What the ledger's record costs as it grows (``indexing.ledger``): the paragraphs of a fed corpus
recorded into a new ledger a batch at a time, as an index run records each commit's, once as the
ledger does it (each batch's anchors inserted in key order, a 64 MB page cache) and once as it did
before (each paragraph's anchors inserted as they come, SQLite's default 2 MB cache), in one process.

    python scripts/ledger_cost.py --corpus /tmp/briefsearch-bench/fed-1000000-seed1/enriched.jsonl --paragraphs 500000

The corpus is a JSON Lines file of paragraphs with ``id`` and ``text`` (``bench.py --fed`` writes
them). Prints, for each way, the seconds of CPU and of wall time for each stretch of the ledger and
in all, and the bytes the process read and wrote meanwhile (``/proc/self/io``: through the page cache
or not). Their ratio (now ÷ before) is the figure to quote; the machine's load moves both.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefsearch.indexing import ledger as ledger_module  # noqa: E402
from briefsearch.indexing.ledger import Ledger  # noqa: E402
from briefsearch.indexing.runs import BATCH_PARAGRAPHS  # noqa: E402
from briefsearch.text.fingerprint import statement_print  # noqa: E402

SQLITE_DEFAULT_CACHE_KB = 2000  # SQLite's own default: PRAGMA cache_size = -2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="JSON Lines of paragraphs (id, text), e.g. a fed corpus's enriched.jsonl")
    parser.add_argument("--paragraphs", type=int, default=500_000)
    parser.add_argument("--stretches", type=int, default=5, help="report the cost of this many equal stretches")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_file():
        sys.exit(f"error: no corpus at {corpus} — run scripts/bench.py --fed first, or pass --corpus")
    started = time.perf_counter()
    with corpus.open(encoding="utf-8") as lines:
        records = [(r["id"], *statement_print(r["text"])) for r in map(json.loads, islice(lines, args.paragraphs))]
    anchors = sum(len(a) for _, _, a in records)
    print(f"{len(records):,} paragraphs, {anchors:,} anchors, read and printed in {time.perf_counter() - started:.0f} s "
          f"(not timed below); batches of {BATCH_PARAGRAPHS:,}")
    results = {}
    for way in ("before", "now"):
        results[way] = record_all(records, way, args.stretches)
        print(f"{way:>6}: CPU {results[way]['cpu']:.1f} s, wall {results[way]['wall']:.1f} s, read {results[way]['read'] / 1e9:.2f} GB,"
              f" written {results[way]['written'] / 1e9:.2f} GB; CPU by stretch: "
              + ", ".join(f"{s:.1f}" for s in results[way]["stretches"]), flush=True)
    for key in ("cpu", "wall", "read", "written"):
        print(f"now ÷ before, {key}: {results['now'][key] / max(results['before'][key], 1e-9):.2f}")
    last = [results[w]["stretches"][-1] for w in ("before", "now")]
    print(f"now ÷ before, CPU of the last stretch: {last[1] / max(last[0], 1e-9):.2f}")


def record_all(records: list, way: str, stretches: int) -> dict:
    """Record ``records`` into a new ledger a batch at a time, ``way`` 'now' or 'before'."""
    with tempfile.TemporaryDirectory(prefix="ledger-cost-") as folder:
        saved = ledger_module.ANCHORS_SORTED
        if way == "before":
            ledger_module.ANCHORS_SORTED = 1  # each paragraph's anchors inserted as they come
        try:
            ledger = Ledger(folder)
            if way == "before":
                ledger.db.execute(f"PRAGMA cache_size=-{SQLITE_DEFAULT_CACHE_KB}")
            io_before, cpu0, wall0 = _io(), time.process_time(), time.perf_counter()
            per_stretch, size, mark = [], max(1, len(records) // stretches), time.process_time()
            for start in range(0, len(records), BATCH_PARAGRAPHS):
                ledger.record(records[start:start + BATCH_PARAGRAPHS])
                if (start + BATCH_PARAGRAPHS) // size > len(per_stretch) and len(per_stretch) < stretches:
                    now = time.process_time()
                    per_stretch.append(now - mark)
                    mark = now
            cpu, wall, io_after = time.process_time() - cpu0, time.perf_counter() - wall0, _io()
            count = ledger.size()
            ledger.close()
        finally:
            ledger_module.ANCHORS_SORTED = saved
        expected = len({r[0] for r in records})
        if count != expected:
            sys.exit(f"error: the ledger holds {count:,} paragraphs, not {expected:,}")
        return {"cpu": cpu, "wall": wall, "stretches": per_stretch,
                "read": io_after["rchar"] - io_before["rchar"], "written": io_after["wchar"] - io_before["wchar"]}


def _io() -> dict[str, int]:
    try:
        return {k: int(v) for k, v in (line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())}
    except OSError:
        return {"rchar": 0, "wchar": 0}


if __name__ == "__main__":
    try:
        main()
    except (sqlite3.Error, OSError) as error:
        sys.exit(f"error: {error}")
