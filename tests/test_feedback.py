"""Pseudo-relevance feedback: the words of the best hits re-rank a sentence-long query's matches.

Real text throughout: the seed article (27 paragraphs on US missile defense and Russia).
"""

from __future__ import annotations

import json
from math import exp, isclose

import pytest
from briefsearch.text.analysis import analyze, index_term
from briefsearch.query import language as ql
from briefsearch.query import tree
from briefsearch.query.feedback import feedback_words
from briefsearch.query.policy import STOP_WORDS
from briefsearch.query.searcher import SearchOptions, Searcher

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


def test_cli_no_feedback(seed_index):
    from click.testing import CliRunner

    from briefsearch.cli import cli

    runner = CliRunner()
    args = ["query", "--index", str(seed_index), "--format", "json", "--explain", *LONG_QUERY.split()]
    fed = runner.invoke(cli, args)
    plain = runner.invoke(cli, [*args, "--no-feedback"])
    assert fed.exit_code == plain.exit_code == 0
    fed_ids = [hit["id"] for hit in json.loads(fed.stdout)["hits"]]
    plain_ids = [hit["id"] for hit in json.loads(plain.stdout)["hits"]]
    assert fed_ids != plain_ids  # the order changes on this query
    fed_query = [line for line in fed.stderr.splitlines() if line.startswith("engine query:")][0]
    plain_query = [line for line in plain.stderr.splitlines() if line.startswith("engine query:")][0]
    assert fed_query.startswith(plain_query + "  then: re-ranked with (text:")


def test_an_articles_title_counts_once(searcher, monkeypatch):
    """The seed article's ten best paragraphs share one title: it enters the model once, with the
    best of them, so a title repeated on every paragraph of a briefing does not outweigh its text."""
    from briefsearch.query import feedback

    seen = []
    real = feedback.feedback_words
    monkeypatch.setattr(feedback, "feedback_words", lambda hits, *a, **k: seen.extend(hits) or real(hits, *a, **k))
    searcher.search(LONG_QUERY, SearchOptions(limit=10))
    assert len(seen) == 10
    assert seen[0][0] == "Are US Missile Defenses Directed At Russia?"
    assert [title for title, _, _ in seen[1:]] == [""] * 9


# --- a larger real index: four State Department files, two runs and a rewrite -----------------

STATE_QUERIES = [
    "what did the secretary say about sanctions on russia and the invasion of ukraine",
    '"human rights" violations in china xinjiang uyghur forced labor',
]


@pytest.fixture(scope="module")
def state_index(tmp_path_factory):
    """Several segments (two index runs, two workers each) and deleted paragraphs (a file
    rewritten with fewer records and indexed again)."""
    from tests.helpers import invoke, state_dept_corpus

    folder = tmp_path_factory.mktemp("feedback-state")
    files = state_dept_corpus(folder / "corpus", 4, 60)
    parked = [f.rename(f.with_suffix(".parked")) for f in files[2:]]
    assert invoke("index", folder / "corpus", "--index", folder / "index").exit_code == 0
    for f in parked:
        f.rename(f.with_suffix(".jsonl"))
    assert invoke("index", folder / "corpus", "--index", folder / "index").exit_code == 0
    lines = files[0].read_text(encoding="utf-8").splitlines()
    files[0].write_text("\n".join(lines[:20]) + "\n", encoding="utf-8")
    assert invoke("index", folder / "corpus", "--index", folder / "index").exit_code == 0
    return folder / "index"


@pytest.mark.parametrize("query", STATE_QUERIES)
def test_a_short_list_is_the_head_of_a_long_one(state_index, query):
    """The feedback words come from the first ten hits and re-rank the first hundred whatever the
    limit: -n 5 shows the top five of -n 100 and of -n 400, quoted phrase or not."""
    with Searcher(state_index) as searcher:
        lists = {n: [(h.paragraph.id, round(h.score, 6)) for h in searcher.search(query, SearchOptions(limit=n)).hits]
                 for n in (5, 100, 400)}
        plain = searcher.search(query, SearchOptions(limit=100, feedback=False))
    assert len(lists[400]) > 100
    assert lists[5] == lists[100][:5] == lists[400][:5]
    assert lists[100] == lists[400][:100]
    assert [i for i, _ in lists[100]] != [h.paragraph.id for h in plain.hits]  # the feedback did re-rank


@pytest.mark.parametrize("query", ["sanctions russia ukraine invasion", "secretary blinken spoke with foreign minister"])
def test_the_count_and_the_query_shown_are_those_without_feedback(state_index, query):
    """The feedback pass ranks 100 hits to show 10; the count and --explain stay those of the 10."""
    with Searcher(state_index) as searcher:
        fed = searcher.search(query, SearchOptions(limit=10))
        plain = searcher.search(query, SearchOptions(limit=10, feedback=False))
    assert fed.total == plain.total
    assert fed.explain.startswith(plain.explain + "  then: re-ranked with ")
    with Searcher(state_index) as searcher:  # ranking a hundred runs tiers that ten do not need: same count
        assert searcher.search(query, SearchOptions(limit=100, feedback=False)).total == plain.total


@pytest.mark.parametrize("phrase", ['"foreign ministers"', '"united state"'])
def test_a_quoted_phrase_keeps_the_same_best_hits_at_any_limit(state_index, phrase):
    """The index holds stems, so "foreign ministers" also matches "foreign minister"; more
    matches are fetched until the limit hold the phrase as written, so -n 10 is the head of -n 300."""
    with Searcher(state_index) as searcher:
        short = searcher.search(phrase, SearchOptions(limit=10)).hits
        long = searcher.search(phrase, SearchOptions(limit=300)).hits
    assert short and [h.paragraph.id for h in short] == [h.paragraph.id for h in long[: len(short)]]
    assert len(short) == min(10, len(long))
    assert all(phrase.strip('"') in h.paragraph.text.lower() for h in long)


def test_scoring_given_paragraphs_gives_the_search_scores(state_index):
    """score_paragraphs walks the postings only as far as the paragraphs asked for; its scores are
    the search's own, across segments and past deleted paragraphs."""
    with Searcher(state_index) as searcher:
        assert_scores_match_search(searcher.reader)


def assert_scores_match_search(reader):
    query = reader.compile(tree.Or(tuple(tree.Boost(tree.Term(w), b) for w, b in
                                       (("sanctions", 1.0), ("Russia", 0.7), ("Ukraine", 0.5), ("humanitarian", 0.2)))))
    found = reader.search(query, limit=10_000)
    assert len(found.hits) > 100
    wanted = [paragraph.id for paragraph, _ in found.hits[::3]]
    scores = reader.score_paragraphs(query, wanted + ["no-such-paragraph#p1"])
    assert scores.keys() == set(wanted)
    for paragraph, score in found.hits[::3]:
        assert isclose(scores[paragraph.id], score, rel_tol=1e-9)
    assert reader.score_paragraphs(query, [f"{found.hits[0][0].article_id}#p9999"]) == {}


def test_common_words_in_a_phrase_do_not_count_towards_the_four():
    from briefsearch.query.plan import wants_feedback
    from briefsearch.query.rewrite import drop_stop_words

    def wants(text):
        return wants_feedback(drop_stop_words(ql.parse_query(text, [])))

    assert not wants('"secretary of state" iran')
    assert wants('"secretary of state" iran nuclear')
    assert not wants("what did the secretary say about iran")
    assert wants("what did the secretary say about iran sanctions relief")
    assert not wants("iran OR iraq sanctions nuclear program")  # operators: taken as written


def test_feedback_weights_follow_the_order_hits_are_shown_in():
    """A paragraph holding some of the words can score above one holding all of them, but it is
    shown below it: each later tier is scaled so its best scores as the previous tier's last."""
    from briefsearch.query.searcher import _shown_order_scores

    rows = [({}, 18.99), ({}, 12.0), ({}, 25.48), ({}, 25.01), ({}, 6.0), ({}, 3.0)]
    scores = _shown_order_scores(rows, [0, 0, 1, 1, 2, 2])
    assert scores[:2] == [18.99, 12.0]
    assert isclose(scores[2], 12.0) and isclose(scores[3], 12.0 * 25.01 / 25.48)
    assert scores[4:] == [6.0, 3.0]  # already below: unchanged
    assert scores == sorted(scores, reverse=True)
