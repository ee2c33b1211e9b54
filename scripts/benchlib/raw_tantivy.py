"""Baseline (c): tantivy used the plain way, run as its own process by scripts/bench.py.

The same paragraphs as the other baselines, with tantivy's own ``en_stem`` tokenizer on body and
title (stored, with positions), raw speaker and topic keys, one ``index.writer()`` (tantivy's
default heap and threads), one commit. Queries: ``index.parse_query`` over the body with every
word required (a quoted phrase for phrase queries), speaker/topic filters as term clauses, top 10,
each hit's stored document read and a ``SnippetGenerator`` snippet made of its body.

    python raw_tantivy.py index PARAGRAPHS.jsonl INDEX_DIR
    python raw_tantivy.py warm INDEX_DIR QUERIES.json PASSES
    python raw_tantivy.py query INDEX_DIR QUERY_JSON
"""

import json
import os
import sys
import time

import tantivy

from warmloop import report_warm


def schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("speaker", tokenizer_name="raw")
    builder.add_text_field("topic", tokenizer_name="raw")
    return builder.build()


def index(paragraphs_file: str, index_dir: str) -> None:
    os.makedirs(index_dir, exist_ok=True)
    start = time.perf_counter()
    ix = tantivy.Index(schema(), path=index_dir, reuse=False)
    writer = ix.writer()
    count = 0
    with open(paragraphs_file, encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            doc = tantivy.Document(id=r["id"], title=r["title"], body=r["body"])
            if r["speaker"]:
                doc.add_text("speaker", r["speaker"])
            if r["topic"]:
                doc.add_text("topic", r["topic"])
            writer.add_document(doc)
            count += 1
    writer.commit()
    writer.wait_merging_threads()
    print(json.dumps({"paragraphs": count, "seconds": time.perf_counter() - start}))


class Searcher:
    def __init__(self, index_dir: str):
        self.index = tantivy.Index.open(index_dir)
        self.index.config_reader(reload_policy="manual")
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def run(self, query: dict) -> list[str]:
        words = " ".join(query["words"])
        text = f'"{words}"' if query["phrase"] else words
        parsed = self.index.parse_query(text, ["body"], conjunction_by_default=True)
        clauses = [(tantivy.Occur.Must, parsed)]
        for name in ("speaker", "topic"):
            if query.get(name):
                clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, name, query[name])))
        final = tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else parsed
        snippets = tantivy.SnippetGenerator.create(self.searcher, final, self.schema, "body")
        lines = []
        for n, (_, address) in enumerate(self.searcher.search(final, limit=10).hits, 1):
            doc = self.searcher.doc(address)
            lines.append(f"{n}. {doc['title'][0]}\n   {snippets.snippet_from_doc(doc).to_html()}")
        return lines


def warm(index_dir: str, queries_file: str, passes: int) -> None:
    start = time.perf_counter()
    searcher = Searcher(index_dir)
    opened = time.perf_counter() - start
    queries = json.load(open(queries_file))
    report_warm(opened, queries, passes, searcher.run)


def query(index_dir: str, query_json: str) -> None:
    print("\n".join(Searcher(index_dir).run(json.loads(query_json))))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "index":
        index(args[0], args[1])
    elif command == "warm":
        warm(args[0], args[1], int(args[2]))
    else:
        query(args[0], args[1])
