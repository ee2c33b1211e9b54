"""Precision and recall of duplicate grouping (``briefsearch/query/duplicates.py``) on the
hand-labelled candidate pairs in ``tests/fixtures/duplicate_pairs.jsonl``, run on an index of the
White House and State Department exports.

The fixture's 180 pairs are paragraphs of two different articles of the exports
(``../shared/data``), drawn at random (seeds 16, 1616, 1617) from four kinds of candidates: pairs
sharing a rare 8-word run (110: 30 with the same words, 30 with 3-word-shingle Jaccard >= 0.6, 30
between 0.25 and 0.6, 20 below), pairs whose shorter paragraph shares at least 30% of its 5-word
runs with the other (40: 12 across the two sites, 28 by share), and such pairs published within 14
days of each other (30). Each was labelled by reading both texts, with a kind:

- the same statement: ``posted twice`` (one article at two addresses, or two versions of one
  speech or fact sheet), ``read out`` (a written statement read out in a briefing or reprinted in
  another release), ``quoted`` (someone's words quoted in another article);
- not: ``formula`` (wording an office reuses across separate documents: closings, boilerplate,
  legal clauses, a paragraph shared by a series of fact sheets or notices), ``template`` (the same
  sentence with other names, dates or figures), ``repeated`` (a speaker making a point again on
  another occasion or in other words), ``unrelated``.

``tests/fixtures/duplicate_pairs_heldout.jsonl`` (``--pairs``) holds 122 more pairs, drawn with
another seed and other sizes by ``scripts/duplicates_sample.py`` (which says how) before the rules
were tuned on the first sample, and labelled the same way: figures on it say whether tuning on the
first sample carries over.

The fixtures hold the article URLs and a hash of each paragraph's raw words, not the text: this
script splits the exports' HTML bodies as the labelling did, finds each labelled paragraph in the
index (the paragraph of its article that holds most of its words) and asks the grouping whether the
second is a copy of the first, as a search result would. It writes the index's ledger (anchors of a
ledger written by an older version are added), so run it on a copy:

    cp -r /work/idx/sdwh /tmp/sdwh-copy
    python scripts/duplicates_eval.py --index /tmp/sdwh-copy
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.indexing.copies import containment, decide  # noqa: E402
from briefsearch.indexing.ledger import Ledger, sync_ledger  # noqa: E402
from briefsearch.query.duplicates import copies_of  # noqa: E402
from briefsearch.query.searcher import Searcher  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
EXPORTS = (DATA / "whitehouse_briefing_room" / "items.jsonl", DATA / "state_dept_press_releases" / "items.jsonl")
FIXTURE = ROOT / "tests" / "fixtures" / "duplicate_pairs.jsonl"
HELD_OUT = ROOT / "tests" / "fixtures" / "duplicate_pairs_heldout.jsonl"  # drawn by scripts/duplicates_sample.py
_BREAK = re.compile(r"</p>|<br\s*/?>\s*<br\s*/?>")


def raw_key(text: str) -> str:
    return hashlib.sha1(" ".join(re.findall(r"\w+", text)).encode()).hexdigest()[:16]


def split_exports():
    """(record, raw key, text) of the exports' paragraphs of at least 12 words, as the labelling split them."""
    for export in EXPORTS:
        for line in export.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for piece in _BREAK.split(record.get("content_html") or ""):
                raw = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", piece)).strip()
                if len(re.findall(r"\w+", raw)) >= 12:
                    yield record, raw_key(raw), html.unescape(raw)


def labelled_texts() -> tuple[dict, dict]:
    """(url, raw key) → text and raw key → text of the exports' paragraphs as the labelling split them."""
    paragraphs, by_raw = {}, {}
    for record, raw, text in split_exports():
        paragraphs[record["link"], raw] = by_raw[raw] = text
    return paragraphs, by_raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="an index of the two exports (a copy: its ledger is written)")
    parser.add_argument("--pairs", type=Path, default=FIXTURE,
                        help=f"labelled pairs (default {FIXTURE.relative_to(ROOT)}; the held-out sample: {HELD_OUT.relative_to(ROOT)})")
    parser.add_argument("--decide", action="store_true",
                        help="decide the labelled paragraphs' copies with the rules as they are now, without writing the"
                             " ledger (for trying rules; the figures to quote are those the ledger keeps)")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines()]
    texts, by_raw = labelled_texts()
    urls = {side["url"] for pair in pairs for side in (pair["a"], pair["b"])}
    with Searcher(args.index) as searcher:
        reader = searcher.reader
        of_url = defaultdict(list)
        for paragraph in reader.paragraphs():
            if paragraph.url in urls:
                of_url[paragraph.url].append(paragraph)
        ledger = Ledger(args.index, readonly=True) if args.decide else sync_ledger(args.index, searcher.generation, reader)

        def indexed(side):
            # (the first labelling keyed articles by the end of their URL: a few URLs there are approximate)
            text = texts.get((side["url"], side["raw"])) or by_raw[side["raw"]]
            found = max(of_url.get(side["url"], ()), key=lambda p: containment(text, p.text), default=None)
            return found if found is not None and containment(text, found.text) >= 0.5 else None

        found = {pair["pair"]: (indexed(pair["a"]), indexed(pair["b"])) for pair in pairs}
        decided = decide(ledger, reader, {a.id for a, _ in found.values() if a is not None}) if args.decide else None
        counts, by_kind, wrong, unmatched = Counter(), defaultdict(Counter), [], []
        for pair in pairs:
            a, b = found[pair["pair"]]
            if a is None or b is None:
                gone = [side["url"] for side in (pair["a"], pair["b"]) if side["url"] not in of_url]
                unmatched.append(f"{pair['pair']} ({pair['kind']}{', article not indexed' if gone else ''})")
                continue
            grouped = b.id in (decided[a.id] if decided is not None else copies_of(ledger, a))
            same = pair["same_statement"]
            outcome = ("tp" if same else "fp") if grouped else ("fn" if same else "tn")
            counts[outcome] += 1
            by_kind[pair["kind"]][outcome] += 1
            if outcome in ("fp", "fn"):
                wrong.append(f"{pair['pair']} ({pair['kind']}, {'grouped' if grouped else 'missed'})")
        ledger.close()
    tp, fp, fn, tn = (counts[k] for k in ("tp", "fp", "fn", "tn"))
    print(f"{tp + fp + fn + tn} labelled pairs found in the index, {tp + fn} the same statement"
          + (f"; {len(unmatched)} not found: {', '.join(unmatched)}" if unmatched else ""))
    print(f"grouped {tp + fp}: {tp} right, {fp} wrong; missed {fn}")
    print(f"precision {tp / max(1, tp + fp):.1%} (goal >= 95%), recall {tp / max(1, tp + fn):.1%} (goal >= 90%)")
    for kind, c in sorted(by_kind.items(), key=lambda item: -sum(item[1].values())):
        total = sum(c.values())
        if c["tp"] + c["fn"]:
            print(f"  {kind:<13} {total:>3} pairs, the same statement: grouped {c['tp']} of {total} ({c['tp'] / total:.0%})")
        else:
            print(f"  {kind:<13} {total:>3} pairs, not the same: grouped {c['fp']} of {total} ({c['fp'] / total:.0%})")
    print("wrong: " + ", ".join(wrong))


if __name__ == "__main__":
    main()
