"""Bounded costs that keep answers honest: a quoted phrase's total is the paragraphs holding it as
written whatever the limit, and words too common to rank by position are said to be so.
(The times themselves are measured by scripts/query_cost.py, never here.)"""

from __future__ import annotations

import json
from dataclasses import replace

from briefsearch.query import tree as ql
from briefsearch.query.language import parse_query
from briefsearch.query.plan import costly_words, plan
from briefsearch.query.policy import DEFAULT_POLICY
from briefsearch.query.rewrite import drop_stop_words
from briefsearch.query.searcher import Searcher, SearchOptions
from tests.helpers import invoke


def test_a_quoted_phrase_total_is_the_paragraphs_holding_it_as_written_whatever_the_limit(seed_index):
    with Searcher(seed_index) as searcher:
        holding = sum("missile defenses" in p.text.lower() for p in searcher.reader.paragraphs())
        stems = searcher.search("missile defenses", SearchOptions(limit=50)).total  # "missile defense" too
    assert 0 < holding < stems
    for limit in (1, 2, 50):  # -n 1 fetches fewer paragraphs than the stems match: all are checked
        result = json.loads(invoke("query", '"missile defenses"', "--index", seed_index, "-n", limit,
                                   "--format", "json").stdout)
        assert result["total"] == holding


def boosts(primary) -> list:
    return [type(b.child).__name__ for b in primary.optional]


def test_common_words_side_by_side_drop_the_proximity_boosts_only():
    node = drop_stop_words(parse_query("missile defense russia", []))
    assert costly_words(node, lambda w: 100) == []
    assert costly_words(node, lambda w: 20_000) == ["missile", "defense", "russia"]  # 60,000 > 40,000
    with_boosts, fallback = plan(node)
    without, same_fallback = plan(node, proximity=False)
    assert boosts(with_boosts) == ["Phrase", "Phrase", "Or"] and boosts(without) == ["Or"]  # the title boost stays
    assert without.required == with_boosts.required and same_fallback == fallback
    assert costly_words(ql.Or((ql.Term("missile"), ql.Term("defense"))), lambda w: 10**6) == []  # not side by side


def test_a_search_of_common_words_says_it_ranked_them_without_proximity_and_finds_the_same(seed_index):
    frugal = replace(DEFAULT_POLICY, proximity_budget=10)  # every seed word side by side is "common"
    with Searcher(seed_index) as usual, Searcher(seed_index, frugal) as searcher:
        expected = usual.search("missile defense russia", SearchOptions(limit=50))
        result = searcher.search("missile defense russia", SearchOptions(limit=50))
    assert any(w.startswith("Words this common (missile, defense, russia) are ranked without the boost") for w in result.warnings)
    assert not any(w.startswith("Words this common") for w in expected.warnings)
    assert result.total == expected.total
    assert {h.paragraph.id for h in result.hits} == {h.paragraph.id for h in expected.hits}
    assert '"missil defens russia"' not in result.explain and '"missil defens russia"' in expected.explain


PHRASES = [(("missil", "defens"), 1), (("the", "unit", "state"), 1), (("of", "the", "unit", "state"), 11),
           (("missil", "cooper"), 6), (("russia", "the"), 3), (("the", "missil", "the"), 51)]


def test_a_phrase_read_from_positions_matches_whooshs_own_phrase_matcher(seed_index):
    """The phrase check that honours a deadline (``docsets``) finds exactly the paragraphs Whoosh's
    own phrase matcher finds, for short and long slops and repeated words."""
    from whoosh import query as wq

    from briefsearch.engine.whoosh import docsets

    with Searcher(seed_index) as searcher:
        for subsearcher, _ in searcher.reader.searcher.leaf_searchers():
            for words, slop in PHRASES:
                phrase = wq.Phrase("text", list(words), slop=slop)
                budget = docsets.Budget()
                ours = docsets._phrase_docs(subsearcher, phrase, budget)
                assert ours.tolist() == list(phrase.docs(subsearcher)) and not budget.cut, words
    assert any(len(list(wq.Phrase("text", list(w), slop=s).docs(sub))) for w, s in PHRASES
               for sub, _ in Searcher(seed_index).reader.searcher.leaf_searchers())


def test_a_phrase_cut_by_its_budget_answers_what_it_found_and_says_so(seed_index):
    """A budget already spent stops the phrase check: what it found holds the phrase, the budget
    says it was cut, and the cut answer is not kept as the phrase's answer."""
    from whoosh import query as wq

    from briefsearch.engine.whoosh import docsets

    with Searcher(seed_index) as searcher:
        subsearcher = next(iter(searcher.reader.searcher.leaf_searchers()))[0]
        phrase = wq.Phrase("text", ["missil", "the"], slop=7)  # a phrase no other test asks for (none kept)
        spent = docsets.Budget(1e-9)
        partial = docsets.leaf_docs(subsearcher, phrase, spent)
        whole = list(phrase.docs(subsearcher))
        assert spent.cut and set(partial.tolist()) < set(whole)
        again = docsets.Budget()
        assert docsets.leaf_docs(subsearcher, phrase, again).tolist() == whole and not again.cut
