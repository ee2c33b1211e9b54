"""Pseudo-relevance feedback: the words of the best hits re-rank a sentence-long query's matches.

Real text throughout: the seed article (27 paragraphs on US missile defense and Russia).
"""

from __future__ import annotations

from math import exp, isclose

import pytest

from briefsearch.engine.analysis import analyze, index_term
from briefsearch.feedback import feedback_words
from briefsearch.search import STOP_WORDS, SearchOptions, Searcher

LONG_QUERY = "what did Tauscher say about limitations on missile defense deployments in Europe"
SHORT_QUERY = "missile defense Russia"
STOPS = frozenset(index_term(word) for word in STOP_WORDS)


@pytest.fixture(scope="module")
def searcher(seed_index):
    with Searcher(seed_index) as searcher:
        yield searcher


def _hits(searcher, query, limit=10):
    result = searcher.search(query, SearchOptions(limit=limit, feedback=False))
    return [(h.paragraph.title, h.paragraph.text, h.score) for h in result.hits]


def _terms(title, text):
    return set(analyze(f"{title}\n{text}"))


def test_words_are_written_forms_of_the_terms_of_the_best_hits(searcher):
    hits = _hits(searcher, LONG_QUERY)
    words = feedback_words(hits, STOPS)
    assert len(words) == 20
    weights = [weight for _, weight in words]
    assert weights[0] == 1.0 and weights == sorted(weights, reverse=True) and weights[-1] > 0
    seen = set().union(*(_terms(title, text) for title, text, _ in hits))
    for word, _ in words:
        terms = analyze(word)
        assert len(terms) == 1 and terms[0] in seen, word  # the query compiles it back to the same term
        assert terms[0] not in STOPS and len(terms[0]) >= 3 and not terms[0].isdigit()


def test_hits_far_below_the_best_count_little(searcher):
    (title, best, _), (_, other, _) = _hits(searcher, LONG_QUERY)[:2]
    only_best, only_other = _terms(title, best) - _terms(title, other), _terms(title, other) - _terms(title, best)
    hits = [(title, best, 10.0), (title, other, 5.0)]

    def by_term(**kwargs):
        return {analyze(word)[0]: weight for word, weight in feedback_words(hits, STOPS, words=500, **kwargs)}

    sharp, flat = by_term(), by_term(sharpness=0)
    a = next(t for t in sorted(only_other) if t in flat)
    b = next(t for t in sorted(only_best) if t in flat)
    # A hit at half the best score weighs exp(12 (0.5 - 1)) = exp(-6) as much as the best hit;
    # with no sharpness, as much.
    assert isclose((sharp[a] / sharp[b]) / (flat[a] / flat[b]), exp(-6), rel_tol=1e-9)
    assert sharp[a] < 0.01 < flat[a]


def test_no_hits_or_no_words_give_no_feedback():
    assert feedback_words([], STOPS) == []
    assert feedback_words([("", "It is in the 2009 one.", 3.0)], STOPS) == []


def test_a_long_query_is_reranked_over_the_same_matches(searcher):
    plain = searcher.search(LONG_QUERY, SearchOptions(limit=100, feedback=False))
    fed = searcher.search(LONG_QUERY, SearchOptions(limit=100))
    assert fed.total == plain.total and len(fed.hits) == len(plain.hits) >= 10
    assert {h.paragraph.id for h in fed.hits} == {h.paragraph.id for h in plain.hits}
    assert [h.paragraph.id for h in fed.hits] != [h.paragraph.id for h in plain.hits]
    # The feedback words are in the engine query, a word the query does not have among them.
    query_terms = set(analyze(LONG_QUERY))
    fed_words = {analyze(word)[0] for word, weight in feedback_words(_hits(searcher, LONG_QUERY), STOPS)
                 if weight >= 0.001}  # lighter ones are dropped
    assert fed_words - query_terms
    assert all(f"text:{term}" in fed.explain for term in fed_words)
    assert not any(f"text:{term}" in plain.explain for term in fed_words - query_terms)


def test_feedback_words_are_not_highlighted(searcher):
    fed = searcher.search(LONG_QUERY, SearchOptions(limit=10))
    query_terms = set(analyze(LONG_QUERY))
    marked = {analyze(part.split("\x03")[0])[0] for hit in fed.hits for part in hit.snippet.split("\x02")[1:]}
    assert marked and marked <= query_terms


def test_a_short_query_is_ranked_by_its_own_words(searcher):
    fed = searcher.search(SHORT_QUERY, SearchOptions(limit=10))
    plain = searcher.search(SHORT_QUERY, SearchOptions(limit=10, feedback=False))
    assert fed.explain == plain.explain
    assert [(h.paragraph.id, h.score) for h in fed.hits] == [(h.paragraph.id, h.score) for h in plain.hits]


def test_a_short_list_is_the_head_of_a_long_one(searcher):
    """The feedback words come from the first ten hits whatever the limit, so -n 3 shows the top
    three of -n 100."""
    short = searcher.search(LONG_QUERY, SearchOptions(limit=3))
    long = searcher.search(LONG_QUERY, SearchOptions(limit=100))
    assert [(h.paragraph.id, h.score) for h in short.hits] == [(h.paragraph.id, h.score) for h in long.hits[:3]]
    assert isclose(short.hits[0].score, long.hits[0].score)


def test_cli_no_feedback(seed_index):
    from click.testing import CliRunner

    from briefsearch.cli import cli

    runner = CliRunner()
    args = ["query", "--index", str(seed_index), "--format", "json", "--explain", *LONG_QUERY.split()]
    fed = runner.invoke(cli, args)
    plain = runner.invoke(cli, [*args, "--no-feedback"])
    assert fed.exit_code == plain.exit_code == 0
    assert fed.stdout != plain.stdout
    fed_query = [line for line in fed.stderr.splitlines() if line.startswith("engine query:")][0]
    plain_query = [line for line in plain.stderr.splitlines() if line.startswith("engine query:")][0]
    assert len(fed_query) > len(plain_query) and plain_query.split("ANDMAYBE")[0] == fed_query.split("ANDMAYBE")[0]


def test_an_articles_title_counts_once(searcher, monkeypatch):
    """The seed article's ten best paragraphs share one title: it enters the model once, with the
    best of them, so a title repeated on every paragraph of a briefing does not outweigh its text."""
    from briefsearch import feedback

    seen = []
    real = feedback.feedback_words
    monkeypatch.setattr(feedback, "feedback_words", lambda hits, *a, **k: seen.extend(hits) or real(hits, *a, **k))
    searcher.search(LONG_QUERY, SearchOptions(limit=10))
    assert len(seen) == 10
    assert seen[0][0] == "Are US Missile Defenses Directed At Russia?"
    assert [title for title, _, _ in seen[1:]] == [""] * 9
