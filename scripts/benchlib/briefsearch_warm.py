"""briefsearch's warm query path, run as its own process by scripts/bench.py.

One long-lived ``briefsearch.query.searcher.Searcher``; each timed query is ``Searcher.search`` with top 10
and snippets, plus rendering the hits to text lines (as the baselines do).

    python briefsearch_warm.py INDEX_DIR QUERIES.json PASSES
"""

import json
import sys
import time


def query_args(query: dict) -> tuple[str, dict]:
    """briefsearch query text and filter options for a benchmark query dict."""
    words = " ".join(query["words"])
    text = f'"{words}"' if query["phrase"] else words
    filters = {}
    if query.get("speaker"):
        filters["speaker"] = query["speaker"].title()
    if query.get("topic"):
        filters["topic"] = query["topic"].title()
    return text, filters


def warm(index_dir: str, queries_file: str, passes: int) -> None:
    from briefsearch.query.searcher import Searcher, SearchOptions
    from warmloop import report_warm  # run as a script: its folder is on sys.path

    start = time.perf_counter()
    searcher = Searcher(index_dir)
    opened = time.perf_counter() - start
    queries = json.load(open(queries_file))

    def run(query):
        text, filters = query_args(query)
        result = searcher.search(text, SearchOptions(limit=10, **filters))
        return [f"{h.rank}. {h.paragraph.title}\n   {h.snippet}" for h in result.hits]

    report_warm(opened, queries, passes, run)
    searcher.close()


if __name__ == "__main__":
    warm(sys.argv[1], sys.argv[2], int(sys.argv[3]))
