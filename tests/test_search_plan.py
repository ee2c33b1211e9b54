"""The ranking policy's plan: which queries get the all-words pass with an any-word fallback."""

from __future__ import annotations

from briefsearch.query import language as ql
from briefsearch.query.plan import plan
from briefsearch.query.rewrite import drop_stop_words


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


def test_exclusions_are_split_off_words_side_by_side():
    from briefsearch.query.rewrite import split_exclusions

    node = drop_stop_words(ql.parse_query("iran sanctions -iraq NOT syria", []))
    rest, exclusions = split_exclusions(node)
    assert rest == ql.And((ql.Term("iran"), ql.Term("sanctions")), implicit=True)
    assert exclusions == (ql.Not(ql.Term("iraq")), ql.Not(ql.Term("syria")))
    for text in ("iran OR iraq", "speaker:price sanctions", "iran", "iran (sanctions -iraq)"):
        node = drop_stop_words(ql.parse_query(text, []))
        assert split_exclusions(node) == (node, ())


def test_an_exclusion_leaves_out_paragraphs_in_every_tier(seed_index):
    """No seed paragraph holds all of tauscher, limitations and europe: the fallback tiers show
    those holding some of them, and none of them holds the excluded word (once it did not run the
    fallback at all, and found nothing)."""
    from briefsearch.text.analysis import analyze
    from briefsearch.query.searcher import SearchOptions, Searcher

    with Searcher(seed_index) as searcher:
        result = searcher.search("Tauscher limitations Europe -Russia", SearchOptions(limit=30))
        without = searcher.search("Tauscher limitations Europe", SearchOptions(limit=30))
    assert "No paragraph holds all the words" in result.warnings[0]
    assert len(result.hits) >= 5
    assert all("russia" not in analyze(hit.paragraph.text) for hit in result.hits)
    assert any("russia" in analyze(hit.paragraph.text) for hit in without.hits)
    assert {h.paragraph.id for h in result.hits} == {
        h.paragraph.id for h in without.hits if "russia" not in analyze(h.paragraph.text)}
