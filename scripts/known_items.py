"""Known-item search on the shared news exports: ``python scripts/eval.py --known-items``.

A reader remembers a passage and types 5 to 8 words of it, in other words than the text. Each
query of ``tests/fixtures/known_items.jsonl`` (written by hand over the State Department and White
House exports, the target's words never copied in order) has a kind: ``spelling`` (a misspelt or
variant word), ``acronym`` (the acronym where the text has the long form), ``long form`` (the
reverse) and ``paraphrase``. Its target is the paragraph of the article at ``url`` whose text holds
``passage``. Each query runs through ``Searcher`` with the options of ``briefsearch query`` (top 10);
the figures are MRR@10 and success@10 (target in the top 10) by kind, for the product's settings
and with each lever turned off in turn, so that each lever's share shows.

Goals (issue #12): MRR@10 >= 0.85 and success@10 >= 95% over all the queries.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "known_items.jsonl"
EXPORTS = ("state_dept_press_releases", "whitehouse_briefing_room")
GOAL_MRR, GOAL_SUCCESS = 0.85, 0.95


def read_items(path: Path = FIXTURE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').split()).lower()


def rank_of(result, item: dict, searcher=None) -> int | None:
    """The rank of the target among the hits, or None. A hit standing for copies of one statement
    (``query.duplicates``: the same words in a fact sheet and a briefing) finds the target when
    one of its copies is the target (read through ``searcher``)."""
    passage = _normal(item["passage"])
    for hit in result.hits:
        if hit.paragraph.url == item["url"] and passage in _normal(hit.paragraph.text):
            return hit.rank
        for copy in hit.copies if searcher is not None else ():
            paragraph = searcher.reader.get(copy)
            if paragraph.url == item["url"] and passage in _normal(paragraph.text):
                return hit.rank
    return None


def evaluate(searcher, items: list[dict], options) -> dict[str, dict]:
    """{kind: {"n", "mrr", "success", "missed"}} and an "all" row."""
    by_kind: dict[str, list] = {}
    for item in items:
        try:
            rank = rank_of(searcher.search(item["query"], options), item, searcher)
        except Exception as error:  # noqa: BLE001 - a refused query is a miss, and said
            rank = None
            item = {**item, "error": str(error)}
        by_kind.setdefault(item["kind"], []).append((item, rank))
        by_kind.setdefault("all", []).append((item, rank))
    table = {}
    for kind, rows in by_kind.items():
        ranks = [rank for _, rank in rows]
        table[kind] = {
            "n": len(rows),
            "mrr": sum(1 / r for r in ranks if r) / len(rows),
            "success": sum(1 for r in ranks if r) / len(rows),
            "missed": [item["query"] for item, rank in rows if not rank],
        }
    return table


def levers(policy) -> dict[str, tuple]:
    """name → (policy, search options changes): the product's settings and each lever off."""
    return {
        "product": (policy, {}),
        "no curated acronyms": (replace(policy, curated_acronyms=False), {}),
        "no spelling correction": (replace(policy, correction_weight=0.0), {}),
        "no acronym expansion": (policy, {"expand": False}),
        "no feedback": (policy, {"feedback": False}),
    }


def main(args) -> int:
    from briefsearch.indexing.runs import index_paths
    from briefsearch.query.policy import DEFAULT_POLICY
    from briefsearch.query.searcher import Searcher, SearchOptions

    items = read_items()
    with tempfile.TemporaryDirectory(prefix="briefsearch-known-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            start = time.perf_counter()
            index_paths([str(args.data_dir.parent / name) for name in EXPORTS], str(index))
            print(f"indexed the two exports in {time.perf_counter() - start:.0f} s")
        kinds = sorted({item["kind"] for item in items}) + ["all"]
        counts = ", ".join(f"{kind} {sum(item['kind'] == kind for item in items)}" for kind in kinds[:-1])
        print(f"{len(items)} known-item queries ({counts})\n")
        print(f"{'settings':<22}" + "".join(f"| {k:<20}" for k in kinds))
        print(f"{'':<22}" + "| MRR@10 success@10  " * len(kinds))
        product = None
        for name, (policy, changes) in levers(DEFAULT_POLICY).items():
            with Searcher(str(index), policy) as searcher:
                table = evaluate(searcher, items, SearchOptions(limit=10, **changes))
            product = product or table
            print(f"{name:<22}" + "".join(f"| {table[k]['mrr']:.3f}  {table[k]['success']:6.1%}      " for k in kinds))
        overall = product["all"]
        print(f"\nproduct: MRR@10 {overall['mrr']:.3f} (goal >= {GOAL_MRR}: {'met' if overall['mrr'] >= GOAL_MRR else 'MISSED'}), "
              f"success@10 {overall['success']:.1%} (goal >= {GOAL_SUCCESS:.0%}: "
              f"{'met' if overall['success'] >= GOAL_SUCCESS else 'MISSED'})")
        for query in overall["missed"]:
            print(f"  not in the top 10: {query}")
    return 0
