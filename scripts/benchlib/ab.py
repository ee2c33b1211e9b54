"""A/B indexing cost in one process: the first records of an export indexed into fresh indexes,
runs with and without one part alternating (so that drift in the machine's load hits both), medians
of CPU and wall seconds and their ratio. Used by scripts/enrichment_cost.py and scripts/duplicates_cost.py."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path


def arguments(description: str, default_items: Path, more=None) -> argparse.Namespace:
    """--items (a JSON Lines export), --records (the first N, 0: all) and --rounds of an A/B script;
    ``more(parser)`` adds the script's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--items", type=Path, default=default_items)
    parser.add_argument("--records", type=int, default=0, help="only the first N records (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    if more:
        more(parser)
    args = parser.parse_args()
    if not args.items.exists():
        sys.exit(f"no export at {args.items}: pass --items")
    return args


def first_records(items: Path, records: int, target: Path) -> Path:
    """``target`` holding the first ``records`` lines of the JSON Lines export ``items`` (all with 0)."""
    with open(items, encoding="utf-8") as source, open(target, "w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if records and n >= records:
                break
            out.write(line)
    return target


def alternate(items: Path, records: int, rounds: int, one_run, names: dict[bool, str]) -> dict[bool, list[tuple]]:
    """``one_run(corpus, on)`` (a tuple starting with CPU and wall seconds) for ``on`` False and True
    in turn, ``rounds`` times, on the first ``records`` of ``items``; prints each run and the medians."""
    work = Path(tempfile.mkdtemp(prefix="briefsearch-ab-corpus-"))
    try:
        corpus = first_records(items, records, work / "items.jsonl")
        runs: dict[bool, list[tuple]] = {True: [], False: []}
        for round_ in range(rounds):
            for on in (False, True) if round_ % 2 == 0 else (True, False):
                runs[on].append(one_run(corpus, on))
                cpu, wall, *rest = runs[on][-1]
                print(f"round {round_ + 1} {names[on]}: {cpu:6.1f} s CPU {wall:6.1f} s wall"
                      + (f", {rest[0]:,} paragraphs" if rest else ""))
        print()
        for label, index in (("CPU", 0), ("wall", 1)):
            off = statistics.median(r[index] for r in runs[False])
            on = statistics.median(r[index] for r in runs[True])
            print(f"median {label:4}: {names[False].strip()} {off:6.1f} s, {names[True].strip()} {on:6.1f} s, "
                  f"ratio {on / off:.3f} ({(on / off - 1) * 100:+.1f}%)")
        return runs
    finally:
        shutil.rmtree(work, ignore_errors=True)
