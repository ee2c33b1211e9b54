"""Ranking regression table: a tiny hand-written corpus, indexed through the real pipeline.

tests/fixtures/ranking/corpus.jsonl holds eight short briefing-style articles; queries.tsv lists
queries with the article ids expected at the top, in order, with one hit per article (as the
evaluation script ranks). The queries cover a two-word query, a sentence-long question that no
article matches in full, stemming ("sanction tankers" finds "sanctioned six tankers"), an acronym
and its expansion's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefsearch.query.searcher import SearchOptions, Searcher

try:  # the entry point `briefsearch index` uses
    from briefsearch.indexing.runs import index_paths
except ImportError:
    from briefsearch.ingest.pipeline import index_paths

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ranking"


def _table() -> list[tuple[str, list[str]]]:
    rows = []
    for line in (FIXTURES / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected = line.split("\t")
            rows.append((query, expected.split(",")))
    return rows


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("ranking-index")
    index_paths([str(FIXTURES / "corpus.jsonl")], str(index_dir))
    searcher = Searcher(str(index_dir))
    yield searcher
    searcher.close()


def test_table_is_not_empty():
    assert len(_table()) == 10


@pytest.mark.parametrize(("query", "expected"), _table(), ids=[q for q, _ in _table()])
def test_expected_articles_rank_first(searcher, query, expected):
    result = searcher.search(query, SearchOptions(limit=10, per_article=True))
    ranked = [hit.paragraph.url for hit in result.hits]
    assert ranked[: len(expected)] == expected


@pytest.fixture(scope="module")
def state_dept_searcher(tmp_path_factory):
    from tests.helpers import invoke, state_dept_corpus

    folder = tmp_path_factory.mktemp("rank-safety")
    state_dept_corpus(folder / "corpus", 4, 30)
    assert invoke("index", folder / "corpus", "--index", folder / "index").exit_code == 0
    with Searcher(folder / "index") as searcher:
        yield searcher


@pytest.mark.parametrize("query", [
    "what did the secretary say about sanctions on russia and the invasion of ukraine and the humanitarian assistance to refugees",
    "human rights violations in china xinjiang uyghur genocide and forced labor in supply chains",
    "president biden",
    "climate change crisis emissions agreement paris",
])
def test_the_top_hits_are_the_top_of_the_full_ranking(state_dept_searcher, query):
    """Whoosh's matcher replacement dropped clauses it judged too weak and lost real top hits on each
    of these (four real State Department files); a short list must be the head of a long one."""
    short = state_dept_searcher.search(query, SearchOptions(limit=5))
    long = state_dept_searcher.search(query, SearchOptions(limit=500))
    assert len(short.hits) == 5
    assert [round(h.score, 4) for h in short.hits] == [round(h.score, 4) for h in long.hits[:5]]
