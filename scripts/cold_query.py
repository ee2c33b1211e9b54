#!/usr/bin/env python3
"""What a cold ``briefsearch query`` costs: whole processes, each a fresh interpreter, against the
bare interpreter in the same loop.

Every round runs ``python -c pass`` and then one ``python -m briefsearch query`` per package root
(this checkout, and any ``--compare NAME=ROOT``, e.g. an older commit unpacked with ``git archive``)
on the same index and query, the queries taken in turn from a fixed list of the four kinds the bench
uses (word, three words, phrase, filtered). Children cache bytecode outside the repository as an
installed package has it (``benchlib.engines.child_env``). One untimed run per root first warms the
page cache. Printed: the median and p90 wall time, the median CPU time (user + system, which the
machine's load moves much less than wall time), each as a ratio to the bare interpreter's, and the
load average before and after.

    python scripts/cold_query.py --index /tmp/idx --runs 21
    git archive 958a203 | tar -x -C /tmp/before
    python scripts/cold_query.py --index /tmp/idx --compare before=/tmp/before

Goal (issue 17): cold whole-process query <= 0.10 s median at 1M paragraphs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.engines import briefsearch_env, child_env  # noqa: E402
from benchlib.measure import percentile, run_child  # noqa: E402

QUERIES = (
    ["missile defense"],
    ["secretary", "sanctions", "iran"],
    ['"human rights"'],
    ["vaccine", "--source", "white house"],
    ["ukraine"],
    ["press", "briefing", "taiwan"],
    ['"climate change"'],
    ["covid", "--since", "2021"],
)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="index directory (either engine)")
    parser.add_argument("--runs", type=int, default=11, help="timed rounds (default 11)")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=ROOT",
                        help="another briefsearch checkout measured in the same rounds")
    args = parser.parse_args()

    roots = {"this": ROOT}
    for spec in args.compare:
        name, _, root = spec.partition("=")
        roots[name] = Path(root).resolve()
    envs = {name: briefsearch_env(root) for name, root in roots.items()}

    def command(query):
        return [sys.executable, "-m", "briefsearch", "query", *query, "--index", args.index]

    for name, root in roots.items():
        warm = run_child(command(QUERIES[0]), cwd=str(root), env=envs[name])
        if warm.returncode != 0:
            print(f"{name}: the query failed (exit {warm.returncode}): {warm.stderr.strip()[-300:]}", file=sys.stderr)
            return 1
    print(f"load before: {_load()}")
    samples = {name: [] for name in ["bare", *roots]}
    for round_number in range(args.runs):
        query = QUERIES[round_number % len(QUERIES)]
        samples["bare"].append(run_child([sys.executable, "-c", "pass"], env=child_env()))
        for name, root in roots.items():
            samples[name].append(run_child(command(query), cwd=str(root), env=envs[name]))
    print(f"load after: {_load()}")
    bare_wall = median(r.seconds for r in samples["bare"])
    bare_cpu = median(r.cpu_seconds for r in samples["bare"])
    print(f"{'':12s} {'wall median':>12s} {'p90':>8s} {'x bare':>7s} {'CPU median':>11s} {'x bare':>7s}  ({args.runs} runs)")
    for name, runs in samples.items():
        wall = median(r.seconds for r in runs)
        cpu = median(r.cpu_seconds for r in runs)
        p90 = percentile([r.seconds for r in runs], 90)
        print(f"{name:12s} {wall:11.3f}s {p90:7.3f}s {wall / bare_wall:7.2f} {cpu:10.3f}s {cpu / bare_cpu:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
