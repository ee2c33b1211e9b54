"""Answers a reporter can trust, on real press releases: what a prefix counts, what ``+`` requires,
that a filter restricts without scoring, that the total does not depend on the limit, that an
excluded field value excludes, and the warnings and spelling help a query gets."""

from __future__ import annotations

import pytest

from briefsearch.query.searcher import Searcher, SearchOptions
from briefsearch.text.analysis import analyze
from tests.conftest import STATE_DEPT, require

RECORDS = 60  # the first press releases of the State Department export (656 paragraphs)


@pytest.fixture(scope="module")
def state_index(tmp_path_factory):
    from briefsearch.indexing.runs import index_paths

    source = require(STATE_DEPT)
    root = tmp_path_factory.mktemp("state")
    with open(source, encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(RECORDS)]
    (root / "state.jsonl").write_text("".join(lines), encoding="utf-8")
    index_paths([str(root / "state.jsonl")], str(root / "index"))
    return root / "index"


@pytest.fixture(scope="module")
def searcher(state_index):
    with Searcher(state_index) as opened:
        yield opened


@pytest.fixture(scope="module")
def paragraphs(searcher):
    return list(searcher.reader.paragraphs())


def _ids(result) -> list[str]:
    return [hit.paragraph.id for hit in result.hits]


@pytest.mark.parametrize("prefix", ["cooperat", "cooperati", "evacu", "immigra", "negotiat", "negoti"])
def test_a_prefix_counts_the_paragraphs_holding_a_word_that_starts_with_it(searcher, paragraphs, prefix):
    holding = {p.id for p in paragraphs if any(w.startswith(prefix) for w in analyze(p.text, stem=False))}
    result = searcher.search(f"{prefix}*", SearchOptions(limit=1000))
    assert holding, prefix
    assert result.total == len(holding) and set(_ids(result)) == holding


def test_plus_requires_only_its_own_word(searcher):
    both = searcher.search("blinken israel", SearchOptions(limit=1000))
    plus = searcher.search("+israel blinken", SearchOptions(limit=1000))
    holding = [hit for hit in plus.hits if "israel" in hit.paragraph.text.lower()]
    assert len(holding) == plus.total == len(plus.hits)  # every hit holds the required word ...
    assert any("blinken" not in hit.paragraph.text.lower() for hit in plus.hits)  # ... not always the other
    scores = [hit.score for hit in plus.hits]
    assert scores == sorted(scores, reverse=True)
    with_both = [hit for hit in plus.hits if "blinken" in hit.paragraph.text.lower()]
    assert plus.hits[0] in with_both and plus.total > both.all_words_total > 0  # the other word ranks


@pytest.mark.parametrize("query", ["israel", "cooperation", "human rights", "cooperat*", "+israel gaza"])
def test_a_filter_restricts_and_never_scores(searcher, query):
    everyone = {hit.paragraph.id: hit.score for hit in searcher.search(query, SearchOptions(limit=2000)).hits}
    blinken = searcher.search(query, SearchOptions(limit=2000, speaker="blinken"))
    assert blinken.hits and all(hit.paragraph.speaker == "Antony J. Blinken" for hit in blinken.hits)
    assert {hit.paragraph.id: hit.score for hit in blinken.hits} == {i: everyone[i] for i in _ids(blinken)}
    assert "within (restricts, never scores): " in blinken.explain and "blinken" in blinken.explain


@pytest.mark.parametrize("query", ["israel gaza ceasefire", "secretary blinken hamas", "human rights china"])
def test_the_total_does_not_depend_on_the_limit(searcher, query):
    results = [searcher.search(query, SearchOptions(limit=limit, feedback=False)) for limit in (1, 5, 50, 500)]
    assert len({result.total for result in results}) == 1 and results[0].total > 5
    assert len({result.all_words_total for result in results}) == 1
    longest = results[-1]
    tiers = [hit.tier for hit in longest.hits]
    assert tiers[0] == "all the words" and tiers[-1] == "some of the words"
    assert sum(tier == "all the words" for tier in tiers) == longest.all_words_total
    assert tiers == sorted(tiers, key=["all the words", "at least two of the words", "some of the words"].index)
    for tier in set(tiers):  # the scores shown order the hits within their group
        scores = [hit.score for hit in longest.hits if hit.tier == tier]
        assert scores == sorted(scores, reverse=True)


def test_an_excluded_speaker_is_left_out(searcher):
    questions = searcher.search("israel speaker:question", SearchOptions(limit=500))
    assert questions.hits and all(hit.paragraph.speaker == "Question" for hit in questions.hits)
    for query in ("israel -speaker:question", "israel NOT speaker:question", "israel gaza -speaker:question"):
        result = searcher.search(query, SearchOptions(limit=500))
        assert result.hits and not any(hit.paragraph.speaker == "Question" for hit in result.hits)
        assert not {hit.paragraph.id for hit in result.hits} & set(_ids(questions))


def test_a_headline_in_capitals_is_read_as_words_and_says_so(searcher):
    result = searcher.search("BLINKEN AND NETANYAHU ON GAZA")
    assert result.hits and any("capitals" in warning for warning in result.warnings)
    assert not any("capitals" in w for w in searcher.search("blinken AND price").warnings)


def test_spelling_help_for_each_word_speakers_and_only_when_few_hits(searcher):
    typo = searcher.search("blinkin israel", SearchOptions(limit=500))  # a typo beside a known word
    assert "Not in the collection, so also searched: blinkin → blinken" in typo.warnings
    assert typo.all_words_total == searcher.search("blinken israel").all_words_total > 0 and typo.suggestion is None
    assert all("blinken" in hit.paragraph.text.lower() for hit in typo.hits if hit.tier == "all the words")
    assert searcher.search("blinkin zeppelin").suggestion == "blinken zeppelin"  # few hits: said
    assert searcher.search("blinken israel").suggestion is None
    speaker = searcher.search("israel", SearchOptions(speaker="blinkn"))
    assert speaker.total == 0 and speaker.suggestion == 'israel --speaker "Antony J. Blinken"'
    field = searcher.search("speaker:blinkn israel")
    assert field.suggestion == 'speaker:"Antony J. Blinken" israel'
    topic = max(searcher.reader.facet_counts("topic").items(), key=lambda item: (" " in item[0], item[1]))[0]
    misspelt = topic[:-2] + topic[-1]
    assert searcher.search(f'topic:"{misspelt}"').suggestion == f'topic:"{topic}"'
    assert searcher.search(f'topic:"{topic}"').suggestion is None


def test_a_name_or_a_word_the_collection_writes_often_is_not_corrected(searcher):
    """"Thai" (a name here, six times) is not a typo of "that", nor "they" (84 times) of "the";
    a word seen twice still is corrected into its commoner neighbour."""
    from briefsearch.query.spelling import correct_word, reads_as_name

    texts = [p.text for p in searcher.reader.paragraphs() if "thai" in p.text.lower()]
    assert reads_as_name("thai", texts) and not reads_as_name("that", [p.text for p in searcher.reader.paragraphs()][:50])
    vocabulary = searcher._vocabulary_for(searcher.reader)
    assert correct_word("thai", vocabulary) == "that"  # what the counts alone would say
    assert searcher.search("Thai zeppelin").suggestion is None
    assert searcher.search("they zeppelin").suggestion is None
    assert searcher.search("blinkin zeppelin").suggestion == "blinken zeppelin"


def test_a_word_that_finds_paragraphs_by_its_stem_or_whose_correction_is_common_is_not_also_searched(searcher):
    """"hoped" is never written in these releases but finds their "hope": searching its nearest
    word as well would only count "hope" twice; "wiht" would become "with", a word queries drop.
    "negotiating" finds nothing ("negotiat"), so it also finds "negotiations"."""
    vocabulary = searcher._vocabulary_for(searcher.reader)
    assert "hoped" not in vocabulary and searcher.search("hope israel").total > 0
    assert not any("also searched" in w for w in searcher.search("hoped israel").warnings)
    assert not any("also searched" in w for w in searcher.search("wiht israel").warnings)
    assert "Not in the collection, so also searched: negotiating → negotiations" in \
        searcher.search("negotiating israel").warnings
