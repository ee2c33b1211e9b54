"""Whole articles: the list of articles a filter (or a search) selects, and one article in full.

``list_articles`` counts each article's matching paragraphs and speakers as plain records;
``read_article`` returns every paragraph of one article in reading order.
"""

from __future__ import annotations

import os
from collections import Counter

from briefsearch.errors import NotFound
from briefsearch.models import Paragraph
from briefsearch.query.searcher import SearchOptions, Searcher

QUESTION = "Question"  # the speaker name of a question from the floor (ingest.enrich.speakers)


def list_articles(index_dir: str | os.PathLike, query: str | None = None, options: SearchOptions | None = None,
                  limit: int | None = 50) -> tuple[int, list[dict]]:
    """(how many articles match, the first ``limit`` of them newest first). Each record: id, title,
    date, outlet, url, paragraphs (all of the article's when there is no query, else those
    matching), speakers (most paragraphs first; questions from the floor left out)."""
    articles: dict[str, dict] = {}
    speakers: dict[str, Counter] = {}
    with Searcher(index_dir) as searcher:
        for p in searcher.paragraphs_matching(query, options):
            record = articles.get(p.article_id)
            if record is None:
                record = articles[p.article_id] = {
                    "id": p.article_id, "title": p.title, "date": p.date, "outlet": p.outlet, "url": p.url,
                    "paragraphs": 0, "speakers": [],
                }
                speakers[p.article_id] = Counter()
            record["paragraphs"] += 1
            if p.speaker and p.speaker != QUESTION:
                speakers[p.article_id][p.speaker] += 1
    for article_id, counts in speakers.items():
        articles[article_id]["speakers"] = [name for name, _ in counts.most_common()]
    ordered = sorted(articles.values(), key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return len(ordered), ordered[:limit] if limit else ordered


def read_article(index_dir: str | os.PathLike, article_id: str) -> list[Paragraph]:
    """Every paragraph of one article in reading order (a paragraph id names its article too)."""
    article_id = article_id.strip().split("#", 1)[0]
    with Searcher(index_dir) as searcher:
        paragraphs = searcher.reader.article(article_id)
    if not paragraphs:
        raise NotFound(f"No article {article_id} in the index — article ids look like 3f2a9c1b7d4e "
                       "(see: briefsearch articles, or the part before # of a paragraph id)")
    return paragraphs
