"""Precision and recall of duplicate grouping (``briefsearch/query/duplicates.py``) on the
hand-labelled candidate pairs in ``tests/fixtures/duplicate_pairs.jsonl``.

The pairs are paragraphs of the White House and State Department exports (``../shared/data``)
from different articles that share a rare 8-word run: 30 with the same words, 30 with 3-word-shingle
Jaccard >= 0.6, 30 between 0.25 and 0.6, 20 below 0.25, drawn at random (seed 16). Each was
labelled by reading it: the same statement (a briefing posted twice, a readout reprinted, prepared
and delivered text of one speech) or not (a formula repeated in other documents, a template with
other names, dates or numbers). The fixture holds the article URLs and a hash of each paragraph's
raw words, not the text; this script splits the exports' HTML bodies the same way, finds the pairs
and applies the grouping rule (same ``statement_print``, at most ``MAX_ARTICLES`` articles holding
those words in the two exports, published within ``MAX_DAYS`` days).

    python scripts/duplicates_eval.py
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.query.duplicates import MAX_ARTICLES, MAX_DAYS, statement_print  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
EXPORTS = (DATA / "whitehouse_briefing_room" / "items.jsonl", DATA / "state_dept_press_releases" / "items.jsonl")
FIXTURE = ROOT / "tests" / "fixtures" / "duplicate_pairs.jsonl"
_BREAK = re.compile(r"</p>|<br\s*/?>\s*<br\s*/?>")


def raw_key(text: str) -> str:
    return hashlib.sha1(" ".join(re.findall(r"\w+", text)).encode()).hexdigest()[:16]


def main() -> None:
    paragraphs: dict[tuple[str, str], str] = {}  # (url, raw key) → text as extraction decodes it
    by_raw: dict[str, str] = {}
    published: dict[str, str] = {}
    articles_of: dict[str, set] = defaultdict(set)
    for export in EXPORTS:
        for line in export.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            url = record["link"]
            published[url] = record["published"][:10]
            for piece in _BREAK.split(record.get("content_html") or ""):
                raw = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", piece)).strip()
                if len(re.findall(r"\w+", raw)) < 12:
                    continue
                text = html.unescape(raw)
                paragraphs[url, raw_key(raw)] = by_raw[raw_key(raw)] = text
                key = statement_print(text)
                if key:
                    articles_of[key].add(url)
    tp = fp = fn = tn = 0
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        a, b = pair["a"], pair["b"]
        # (the labelling keyed articles by the end of their URL: a few URLs there are approximate)
        text_a = paragraphs.get((a["url"], a["raw"])) or by_raw[a["raw"]]
        text_b = paragraphs.get((b["url"], b["raw"])) or by_raw[b["raw"]]
        key = statement_print(text_a)
        days = abs((date.fromisoformat(published[a["url"]]) - date.fromisoformat(published[b["url"]])).days)
        grouped = bool(key) and key == statement_print(text_b) and len(articles_of[key]) <= MAX_ARTICLES and days <= MAX_DAYS
        same = pair["same_statement"]
        tp += grouped and same
        fp += grouped and not same
        fn += same and not grouped
        tn += not grouped and not same
    pairs = tp + fp + fn + tn
    print(f"{pairs} labelled pairs, {tp + fn} the same statement")
    print(f"grouped {tp + fp}: {tp} right, {fp} wrong; missed {fn}")
    print(f"precision {tp / max(1, tp + fp):.1%} (goal >= 95%), recall {tp / max(1, tp + fn):.1%} (goal >= 90%)")


if __name__ == "__main__":
    main()
