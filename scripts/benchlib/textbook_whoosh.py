"""Baseline (a): Whoosh used the textbook way, run as its own process by scripts/bench.py.

One ``ix.writer(limitmb=256)``, ``add_document`` per paragraph, a StemmingAnalyzer body field
(stored, with positions), stored title, KEYWORD speaker/topic, DATETIME date; queries through
``open_dir`` + ``searcher()`` + ``QueryParser`` with ``hit.highlights("body")`` as the snippet.

    python textbook_whoosh.py index PARAGRAPHS.jsonl INDEX_DIR
    python textbook_whoosh.py warm INDEX_DIR QUERIES.json PASSES
    python textbook_whoosh.py query INDEX_DIR QUERY_JSON
"""

import json
import sys
import time

from warmloop import report_warm


def query_text(query: dict) -> str:
    words = " ".join(query["words"])
    text = f'"{words}"' if query["phrase"] else words
    if query.get("speaker"):
        text += f" speaker:{query['speaker']}"
    if query.get("topic"):
        text += f" topic:{query['topic']}"
    return text


def index(paragraphs_file: str, index_dir: str, limitmb: int = 256) -> None:
    import os
    from datetime import datetime

    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema

    schema = Schema(
        id=ID(stored=True, unique=True), article_id=ID(stored=True),
        title=TEXT(stored=True), body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        speaker=KEYWORD(stored=True, lowercase=True), topic=KEYWORD(stored=True, lowercase=True),
        date=DATETIME(stored=True),
    )
    os.makedirs(index_dir, exist_ok=True)
    start = time.perf_counter()
    ix = whoosh_index.create_in(index_dir, schema)
    writer = ix.writer(limitmb=limitmb)
    count = 0
    with open(paragraphs_file, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            date = datetime.fromisoformat(row["date"]) if row["date"] else None
            writer.add_document(id=row["id"], article_id=row["article_id"], title=row["title"],
                                body=row["body"], speaker=row["speaker"] or None,
                                topic=row["topic"] or None, date=date)
            count += 1
    added = time.perf_counter()
    writer.commit()
    done = time.perf_counter()
    print(json.dumps({"paragraphs": count, "seconds": done - start,
                      "add_seconds": added - start, "commit_seconds": done - added}))


def _open(index_dir):
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser

    ix = whoosh_index.open_dir(index_dir)
    return ix, ix.searcher(), QueryParser("body", ix.schema)


def _run(searcher, parser, query: dict) -> list[str]:
    results = searcher.search(parser.parse(query_text(query)), limit=10)
    return [f"{hit.rank + 1}. {hit['title']}\n   {hit.highlights('body')}" for hit in results]


def warm(index_dir: str, queries_file: str, passes: int) -> None:
    start = time.perf_counter()
    ix, searcher, parser = _open(index_dir)
    opened = time.perf_counter() - start
    queries = json.load(open(queries_file))
    report_warm(opened, queries, passes, lambda query: _run(searcher, parser, query))


def query(index_dir: str, query_json: str) -> None:
    ix, searcher, parser = _open(index_dir)
    print("\n".join(_run(searcher, parser, json.loads(query_json))))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "index":
        index(args[0], args[1], *(int(a) for a in args[2:]))
    elif command == "warm":
        warm(args[0], args[1], int(args[2]))
    else:
        query(args[0], args[1])
