#!/usr/bin/env python3
"""What the costliest queries cost: the slowest time and the peak memory of each class of nasty query.

Each class (``benchlib/nasty.py``: very long words, thousands of terms, deep nesting, wide
prefixes, fuzzy words, long phrases, pasted passages, syntax soup, misspelt words (the spelling
pass, with speaker and topic values), plus the commonest words side by side) runs in its own
process over one index, through the library's ``Searcher`` (the path ``briefsearch query`` takes):
its generated queries with a fixed seed plus the worst case of the class written out. A query
either answers or is refused with a one-line error (what the CLI turns into exit 2); the figures
are the slowest query's wall time and the process's peak resident memory, beside a baseline
process that opens the index and runs one one-word query. ``--fuzz N`` adds processes running N
queries of every class in turn (the fuzz test's texts, on the real index), a thousand to a process;
their goal is no traceback and no query over 2 s ("own MB" says how much of a process's peak was
its own memory rather than pages of the memory-mapped index).

    briefsearch index ../shared/data/state_dept_press_releases ../shared/data/whitehouse_briefing_room --index /tmp/query-idx
    python scripts/query_cost.py --index /tmp/query-idx --fuzz 5000

Goal (issue #12): every class under 2 s and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.nasty import CLASSES, nasty_queries  # noqa: E402

GOAL_SECONDS = 2.0
GOAL_MB = 200

WORST = {
    "long word": ["x" * 100, "abcdefghij" * 100, "q" * 3000, "missile" * 1400],
    "many terms": [" ".join(f"w{n}x" for n in range(3000)), " OR ".join(["missile", "iran"] * 600)[:20_000],
                   " ".join(["president", "secretary", "said", "today", "united", "states"] * 500)[:20_000]],
    "deep nesting": ["(" * 16 + "iran" + ")" * 16, "(" * 3000 + "iran" + ")" * 3000,
                     "".join("(a OR " for _ in range(400)) + "b" + ")" * 400],
    "wide prefixes": ["st* co* pr* re* in* de* ma* se*", "co*", "pr* OR re*", "st* co* pr* re* in* de* ma* se* th*",
                      # the widest that are accepted (three letters, four wildcards at most)
                      "con*", "pre* OR res*", "com* OR con*", "int* OR pro*", "sta* con* pre* res*", "com* con* pre* pro*"],
    "fuzzy words": [" ".join(["secretery~", "presidnt~", "sanktions~", "ukriane~"] * 2),
                    " ".join(w + "~" for w in ["missile", "defense", "russia", "iran", "taiwan", "covid", "vaccine", "china"]),
                    "a" * 40 + "~", "b" * 41 + "~"],
    "long phrase": ['"' + " ".join(["the", "president", "said"] * 10) + '"~50'],
    "pasted passage": [" ".join(["The", "Secretary", "said", "(", "that", '"', "sanctions", "AND", "Iran"] * 2000)[:20_000]],
    "syntax soup": ['"(((' * 100, "speaker:" * 500, "-" * 5000 + "iran", "+" * 3000 + "x"],
    "misspelt words": [" ".join(["secretery", "presidnt", "sanktions", "ukriane", "zelinsky", "psacki"] * 10),
                       "zz" * 15 + " " + "qq" * 15,
                       " ".join(["secretery", "presidnt", "sanktions", "ukriane", "zelinsky", "psacki",
                                 "blinkne", "afganistan", "missle", "defence", "vacine", "taiwn"]),
                       "speaker:psacki topic:\"arms controll\" zelinsky"],
    # the commonest words of a press archive side by side: every tier matches most paragraphs
    "common words": ["president secretary today united states", "the president said today that the united states",
                     " ".join(["president", "secretary", "state", "united", "people", "work", "time", "year", "new",
                               "support", "government", "country", "think", "know", "going", "question"])],
}
PROCESS_SECONDS = 600  # a class whose process takes longer is reported as missed (it was killed)
FUZZ_CHUNK = 1000  # fuzz queries run by one process (5,000 took over 600 s in one on a loaded machine)


def run_queries(index: str, texts: list[str]) -> dict:
    from briefsearch.errors import BriefsearchError
    from briefsearch.query.searcher import Searcher, SearchOptions

    slowest, slowest_text, answered, refused, errors = 0.0, "", 0, 0, []
    with Searcher(index) as searcher:
        searcher.search("iran")  # warm: the searcher's first query loads per-segment structures
        for text in texts:
            start = time.perf_counter()
            try:
                searcher.search(text, SearchOptions(limit=10))
                answered += 1
            except BriefsearchError as error:
                refused += 1
                if "\n" in str(error) or not str(error):
                    errors.append(f"not one line: {text[:40]!r}")
            except Exception as error:  # noqa: BLE001 - a traceback the user would see
                errors.append(f"{type(error).__name__}: {text[:40]!r}")
            took = time.perf_counter() - start
            if took > slowest:
                slowest, slowest_text = took, text
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"queries": len(texts), "answered": answered, "refused": refused, "errors": errors,
            "slowest_s": round(slowest, 3), "slowest_query": slowest_text[:60], "peak_mb": round(peak_mb),
            "own_mb": _anonymous_mb()}


def _anonymous_mb() -> int | None:
    """The process's own memory at the end (resident, not backed by a file: the mapped index's
    pages are the operating system's page cache), or None where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def texts_of(name: str, per_class: int, fuzz: int) -> list[str]:
    if name == "baseline":
        return ["iran"]
    if name == "common words":
        return WORST[name]
    if name.startswith("fuzz "):  # "fuzz 3": the third FUZZ_CHUNK of the fuzz queries
        chunk = int(name.split()[1]) - 1
        return [text for _, text in nasty_queries(fuzz, seed=5000)][chunk * FUZZ_CHUNK:(chunk + 1) * FUZZ_CHUNK]
    generated = [text for cls, text in nasty_queries(per_class * len(CLASSES)) if cls == name]
    return WORST.get(name, []) + generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--per-class", type=int, default=30, help="generated queries per class (default 30)")
    parser.add_argument("--fuzz", type=int, default=0, help="also run this many fuzz queries (a thousand to a process)")
    parser.add_argument("--classes", default="", help="comma-separated classes (default: all; none: the fuzz alone)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_queries(args.index, texts_of(args.worker, args.per_class, args.fuzz))))
        return
    classes = [] if args.classes == "none" else args.classes.split(",") if args.classes else [*CLASSES, "common words"]
    names = ["baseline", *classes]
    if args.fuzz:
        names.extend(f"fuzz {n}" for n in range(1, -(-args.fuzz // FUZZ_CHUNK) + 1))
    print(f"{'class':<16} {'queries':>7} {'answered':>8} {'refused':>7} {'slowest s':>9} {'peak MB':>7} {'own MB':>6}  goal (<{GOAL_SECONDS:g} s, <{GOAL_MB} MB)  slowest query")
    failed = False
    for name in names:
        try:
            out = subprocess.run([sys.executable, __file__, "--index", args.index, "--worker", name,
                                  "--per-class", str(args.per_class), "--fuzz", str(args.fuzz)],
                                 capture_output=True, text=True, timeout=PROCESS_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"{name:<16} MISSED: its queries took over {PROCESS_SECONDS} s in all (killed)", flush=True)
            failed = True
            continue
        if out.returncode != 0:
            print(f"{name:<16} failed: {out.stderr.strip().splitlines()[-1:]}")
            failed = True
            continue
        r = json.loads(out.stdout)
        # the fuzz's goal is no traceback and no query over 2 s (its peak memory is printed: after
        # a thousand queries most of it is pages of the memory-mapped index, see "own MB")
        met = r["slowest_s"] < GOAL_SECONDS and (r["peak_mb"] < GOAL_MB or name.startswith("fuzz ")) and not r["errors"]
        failed |= not met
        print(f"{name:<16} {r['queries']:>7} {r['answered']:>8} {r['refused']:>7} {r['slowest_s']:>9.3f} {r['peak_mb']:>7} {r['own_mb'] or '?':>6}  "
              f"{'met' if met else 'MISSED':<26} {r['slowest_query']!r}", flush=True)
        for error in r["errors"][:5]:
            print(f"    {error}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
