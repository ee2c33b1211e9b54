"""Whoosh-only reading checks: briefsearch's patches of Whoosh give Whoosh's own answers."""

from __future__ import annotations

import pytest

from briefsearch.query.searcher import Searcher
from tests.test_feedback import assert_scores_match_search, state_index  # noqa: F401 - the fixture
from tests.test_ranking import state_dept_searcher  # noqa: F401 - the fixture


@pytest.mark.parametrize("matcher", ["DEFAULT_MATCHER", "ARRAY_MATCHER"])
def test_scoring_given_paragraphs_with_either_union_matcher(state_index, monkeypatch, matcher):  # noqa: F811
    """score_paragraphs skips through a union with either of Whoosh's matchers, across several
    segments and past deleted documents."""
    from whoosh import query as wq

    monkeypatch.setattr(wq.Or, "matcher_type", getattr(wq.Or, matcher))
    with Searcher(state_index) as searcher:
        whoosh_reader = searcher.reader.searcher.reader()
        assert len(whoosh_reader.leaf_readers()) >= 2 and whoosh_reader.has_deletions()
        assert_scores_match_search(searcher.reader)


def test_field_lengths_are_whooshs_own(state_dept_searcher):  # noqa: F811
    """BM25's field lengths come from a per-segment copy of the length column and a decode table:
    the same values as Whoosh's column reader, for every document of four real files."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    checked = 0
    for segment, _ in state_dept_searcher.reader.searcher.reader().leaf_readers():
        per_doc = segment._perdoc
        for field in ("text", "title"):
            column = per_doc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            for docnum in range(segment.doc_count_all()):
                raw = column[docnum]
                assert per_doc.doc_field_length(docnum, field) == (byte_to_length(raw) if raw else None)
                checked += 1
    assert checked > 3000


def test_the_analyzer_is_pickled_by_the_name_every_index_knows_it_by():
    """Whoosh pickles the schema with the analyzer's module path: indexes written before the
    package had folders, and since, name ``briefsearch.engine.analysis.BriefingAnalyzer``."""
    import pickle

    from briefsearch.engine.whoosh.analyzer import BriefingAnalyzer

    pickled = pickle.dumps(BriefingAnalyzer(stem=False), protocol=2)
    assert b"briefsearch.engine.analysis" in pickled and b"engine.whoosh" not in pickled
    assert pickle.loads(pickled) == BriefingAnalyzer(stem=False)
