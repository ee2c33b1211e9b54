"""Baseline (b): SQLite FTS5 from the standard library, run as its own process by scripts/bench.py.

One FTS5 table (body, title, speaker, topic; porter unicode61 tokenizer), filled in one transaction;
queries ranked by ``bm25()`` with ``snippet()`` on the body column, top 10.

    python sqlite_fts5.py index PARAGRAPHS.jsonl INDEX_DIR
    python sqlite_fts5.py warm INDEX_DIR QUERIES.json PASSES
    python sqlite_fts5.py query INDEX_DIR QUERY_JSON
"""

import json
import os
import sqlite3
import sys
import time

from warmloop import report_warm

SQL = ("SELECT title, snippet(paragraphs, 0, '[', ']', '...', 16) FROM paragraphs "
       "WHERE paragraphs MATCH ? ORDER BY bm25(paragraphs) LIMIT 10")


def match_text(query: dict) -> str:
    if query["phrase"]:
        text = 'body:"' + " ".join(query["words"]) + '"'
    else:
        text = " AND ".join(f'body:"{w}"' for w in query["words"])
    if query.get("speaker"):
        text += f' AND speaker:"{query["speaker"]}"'
    if query.get("topic"):
        text += f' AND topic:"{query["topic"]}"'
    return text


def index(paragraphs_file: str, index_dir: str) -> None:
    os.makedirs(index_dir, exist_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(os.path.join(index_dir, "paragraphs.db"))
    db.execute("CREATE VIRTUAL TABLE paragraphs USING fts5(body, title, speaker, topic, "
               "date UNINDEXED, article_id UNINDEXED, id UNINDEXED, tokenize='porter unicode61')")

    def rows():
        with open(paragraphs_file, encoding="utf-8") as lines:
            for line in lines:
                r = json.loads(line)
                yield (r["body"], r["title"], r["speaker"], r["topic"], r["date"],
                       r["article_id"], r["id"])

    with db:
        db.executemany("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?)", rows())
    count = db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    db.close()
    print(json.dumps({"paragraphs": count, "seconds": time.perf_counter() - start}))


def _run(db, query: dict) -> list[str]:
    return [f"{n}. {title}\n   {snippet}"
            for n, (title, snippet) in enumerate(db.execute(SQL, (match_text(query),)), 1)]


def warm(index_dir: str, queries_file: str, passes: int) -> None:
    start = time.perf_counter()
    db = sqlite3.connect(os.path.join(index_dir, "paragraphs.db"))
    opened = time.perf_counter() - start
    queries = json.load(open(queries_file))
    report_warm(opened, queries, passes, lambda query: _run(db, query))


def query(index_dir: str, query_json: str) -> None:
    db = sqlite3.connect(os.path.join(index_dir, "paragraphs.db"))
    print("\n".join(_run(db, json.loads(query_json))))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "index":
        index(args[0], args[1])
    elif command == "warm":
        warm(args[0], args[1], int(args[2]))
    else:
        query(args[0], args[1])
