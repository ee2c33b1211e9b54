"""Draw candidate pairs of paragraphs of the White House and State Department exports for labelling
by hand: how ``tests/fixtures/duplicate_pairs_heldout.jsonl`` was drawn (seed 2026), apart from
the pairs of ``tests/fixtures/duplicate_pairs.jsonl``.

Paragraphs are split from the exports' HTML bodies as ``scripts/duplicates_eval.py`` splits them
(at least 12 words). Pairs join paragraphs of two different articles and come from three kinds of
candidates, drawn at random:

- ``anchor-*``: the two share a rare run of 8 words (an anchor, ``text.fingerprint.statement_anchors``,
  that at most 10 paragraphs hold), spread over their 3-word-shingle Jaccard: ``anchor-exact`` (the
  same words), ``anchor-high`` (>= 0.6), ``anchor-mid`` (0.25 to 0.6), ``anchor-low`` (< 0.25);
- ``contain``: the shorter shares at least 30% of its 5-word runs with the other (a third of them
  across the two sites);
- ``within-14-days``: such pairs published within 14 days of each other.

It prints one JSON line per pair with both texts, dates and titles (to read and label); the fixture
keeps the URLs and ``raw`` keys only, and the labels:

    python scripts/duplicates_sample.py --seed 2026 > /tmp/pairs-to-label.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from duplicates_eval import FIXTURE, split_exports  # noqa: E402
from briefsearch.text.fingerprint import statement_anchors, statement_words  # noqa: E402


RARE = 10  # a run held by more paragraphs is a formula's: it proposes no pair
SIZES = {"anchor-exact": 10, "anchor-high": 12, "anchor-mid": 15, "anchor-low": 15, "contain": 30, "within-14-days": 40}


def exports_paragraphs() -> list[dict]:
    return [{"url": record["link"], "raw": raw, "text": text, "date": (record.get("published") or "")[:10],
             "title": record.get("title", ""), "site": "state" if "state.gov" in record["link"] else "whitehouse"}
            for record, raw, text in split_exports()]


def shingles(words: list[str], size: int) -> set[int]:
    return {zlib.crc32(" ".join(words[i:i + size]).encode()) for i in range(max(1, len(words) - size + 1))}


def pairs_sharing(keys: list[set], keep=lambda key: True) -> set[tuple[int, int]]:
    holders = defaultdict(list)
    for number, held in enumerate(keys):
        for key in held:
            if keep(key):
                holders[key].append(number)
    return {pair for held in holders.values() if 2 <= len(held) <= RARE for pair in combinations(held, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    paragraphs = exports_paragraphs()
    words = [statement_words(p["text"]) for p in paragraphs]
    labelled = {frozenset((json.loads(line)["a"]["raw"], json.loads(line)["b"]["raw"]))
                for line in FIXTURE.read_text(encoding="utf-8").splitlines()}

    def usable(i, j):
        a, b = paragraphs[i], paragraphs[j]
        return a["url"] != b["url"] and frozenset((a["raw"], b["raw"])) not in labelled

    threes = [shingles(w, 3) for w in words]
    fives = [shingles(w, 5) for w in words]

    def jaccard(i, j):
        return len(threes[i] & threes[j]) / max(1, len(threes[i] | threes[j]))

    def contained(i, j):
        return len(fives[i] & fives[j]) / max(1, min(len(fives[i]), len(fives[j])))

    by_anchor = pairs_sharing([set(statement_anchors(p["text"], w)) for p, w in zip(paragraphs, words)])
    by_run = pairs_sharing(fives, keep=lambda key: key % 2 == 0)
    buckets = defaultdict(list)
    for i, j in sorted(by_anchor):
        if usable(i, j):
            share = jaccard(i, j)
            kind = ("anchor-exact" if words[i] == words[j] else "anchor-high" if share >= 0.6
                    else "anchor-mid" if share >= 0.25 else "anchor-low")
            buckets[kind].append((i, j))
    for i, j in sorted(by_run):
        if usable(i, j) and contained(i, j) >= 0.3:
            buckets["contain"].append((i, j))
            a, b = paragraphs[i]["date"], paragraphs[j]["date"]
            if a and b and abs((_day(a) - _day(b))) <= 14:
                buckets["within-14-days"].append((i, j))
    rng = random.Random(args.seed)
    drawn, seen = [], set()
    for kind, size in SIZES.items():
        pool = [pair for pair in buckets[kind] if pair not in seen]
        if kind == "contain":  # a third across the two sites
            across = [p for p in pool if paragraphs[p[0]]["site"] != paragraphs[p[1]]["site"]]
            chosen = rng.sample(across, min(len(across), size // 3))
            rest = [p for p in pool if p not in set(chosen)]
            chosen += rng.sample(rest, min(len(rest), size - len(chosen)))
        else:
            chosen = rng.sample(pool, min(len(pool), size))
        seen.update(chosen)
        drawn.extend((kind, pair) for pair in chosen)
    for number, (kind, (i, j)) in enumerate(drawn):
        print(json.dumps({"pair": number, "bucket": kind, "jaccard": round(jaccard(i, j), 2),
                          "containment": round(contained(i, j), 2),
                          "a": {k: paragraphs[i][k] for k in ("url", "raw", "date", "title", "text")},
                          "b": {k: paragraphs[j][k] for k in ("url", "raw", "date", "title", "text")}}, ensure_ascii=False))
    print(", ".join(f"{kind}: {len(pool)}" for kind, pool in buckets.items()), file=sys.stderr)


def _day(value: str) -> int:
    from datetime import date

    return date.fromisoformat(value).toordinal()


if __name__ == "__main__":
    main()
