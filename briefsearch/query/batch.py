"""Batch search: one search per row of a CSV file (a query and optional filters), one summary
row out per row in: how many paragraphs match, the first and last date, the top speakers and the
best paragraph.

The file needs a ``query`` column (or its first column is the query); ``speaker``, ``topic``,
``source``, ``since`` and ``until`` columns, when present, filter that row's search. Other columns
(a label, a note) are carried through to the output.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator

from briefsearch.errors import BriefsearchError, SourceError
from briefsearch.query.articles import QUESTION
from briefsearch.query.searcher import SearchOptions, Searcher

FILTER_COLUMNS = ("speaker", "topic", "source", "since", "until")
RESULT_COLUMNS = ("paragraphs", "first_date", "last_date", "top_speakers", "best_id", "best_title", "error")
MAX_ROWS = 10_000


def read_terms(path: str | os.PathLike) -> list[dict]:
    """The rows of a terms file, each with a ``query``; SourceError when the file cannot be used."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise SourceError(f"{path} is empty — give a CSV file with a header row and a query column")
            columns = [c.strip().lower() for c in reader.fieldnames]
            query_column = "query" if "query" in columns else columns[0]
            rows = []
            for number, raw in enumerate(reader, 2):
                row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
                row["query"] = row.pop(query_column, "")
                if any(row.values()):
                    rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise SourceError(f"{path} has more than {MAX_ROWS:,} rows — split it")
    except (UnicodeDecodeError, csv.Error) as error:
        raise SourceError(f"{path} is not a UTF-8 CSV file ({error}) — save it as CSV UTF-8") from None
    except FileNotFoundError:
        raise SourceError(f"No such file: {path}") from None
    return rows


def batch_search(index_dir: str | os.PathLike, rows: list[dict], top_speakers: int = 3) -> Iterator[dict]:
    """Each row with its results (``RESULT_COLUMNS``), in order; a row whose query or filter is
    wrong gets its ``error`` filled in and the batch goes on."""
    with Searcher(index_dir) as searcher:
        for row in rows:
            yield {**row, **_one(searcher, row, top_speakers)}


def _one(searcher: Searcher, row: dict, top_speakers: int) -> dict:
    empty = dict.fromkeys(RESULT_COLUMNS, "")
    if not row.get("query"):
        return {**empty, "paragraphs": 0, "error": "no query in this row"}
    options = SearchOptions(limit=1, **{k: row.get(k) or None for k in FILTER_COLUMNS})
    try:
        reader = searcher.reader
        matching = searcher.matching(row["query"], options)
        found = reader.search(matching, limit=1)
        if not found.total:
            return {**empty, "paragraphs": 0}
        first = reader.search(matching, limit=1, order="oldest").hits[0][0]
        last = reader.search(matching, limit=1, order="newest").hits[0][0]
        speakers = reader.facet_counts("speaker", matching)
        speakers.pop(QUESTION, None)
        best = searcher.search(row["query"], options).hits
    except BriefsearchError as error:
        return {**empty, "error": str(error)}
    ranked = sorted(speakers.items(), key=lambda item: (-item[1], item[0]))[:top_speakers]
    return {
        **empty, "paragraphs": found.total,
        "first_date": (first.date or "")[:10], "last_date": (last.date or "")[:10],
        "top_speakers": "; ".join(f"{name} ({count})" for name, count in ranked),
        "best_id": best[0].paragraph.id if best else "", "best_title": best[0].paragraph.title if best else "",
    }

