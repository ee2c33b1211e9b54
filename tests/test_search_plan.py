"""The ranking policy's plan: which queries get the all-words pass with an any-word fallback."""

from __future__ import annotations

from briefsearch import querylang as ql
from briefsearch.search import drop_stop_words, plan


def planned(text: str):
    return plan(drop_stop_words(ql.parse_query(text, [])))


def test_words_in_parentheses_count_as_words_side_by_side():
    primary, fallback = planned("palliation (temporary improvement) of cancer")
    words = tuple(ql.Term(w) for w in ("palliation", "temporary", "improvement", "cancer"))
    assert primary.required == ql.And(words, implicit=True)
    assert fallback.required == ql.Or(words)


def test_a_phrase_beside_words_gets_the_any_word_fallback():
    primary, fallback = planned('what is the "hot line" proposal')
    parts = (ql.Phrase(("hot", "line")), ql.Term("proposal"))
    assert primary.required == ql.And(parts, implicit=True)
    assert fallback.required == ql.Or(parts)
    assert primary.optional[0] == ql.Boost(ql.Phrase(("hot", "line", "proposal")), 2.0)
    # the fallback only boosts the title: the phrase boosts need every word (all in the primary)
    assert fallback.optional == (ql.Boost(ql.Or(tuple(ql.Term(w, "title") for w in ("hot", "line", "proposal"))), 0.3),)


def test_operators_run_as_written():
    for text in ("iran OR iraq", "iran -iraq", "speaker:price sanctions", "sanction* iran"):
        node = drop_stop_words(ql.parse_query(text, []))
        assert planned(text) == (node, None)
