"""The query front-end never throws: any text either searches or is refused with a one-line usage error."""

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsearch.cli import cli
from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.models import SearchResult
from briefsearch.query.searcher import Searcher

# Words of the seed article, the whole syntax, field names (real and not), and troublesome text.
PIECES = (
    "missile", "defense", "russia", "JTA", "joint", "threat", "assessment", "the", "of", "US", "iran",
    '"', "\u201c", "\u201d", "(", ")", "OR", "AND", "NOT", "ANDMAYBE", "ANDNOT", "or", "-", "+", "*", "**",
    "~", "~3", "~99", "^2", ":", "?", "[", "]", "{", "}", "TO", "\\", "/", "..", "'",
    "speaker:", "topic:", "title:", "date:", "foo:", "text:", "para:", "2021", "2021-06", "2021-13", "1999..2021",
    "mis*", "m*", "*sile", "défense", "ｍｉｓｓｉｌｅ", "日本", "\u0645\u0635\u0631", "\U0001f680", "\u200b", "\ufeff",
    "\u202e", "\x00", "\x07", "\x1b[31m", "\t", "\n", "\ud800", "e\u0301",
)
query_texts = st.one_of(
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "  "])), max_size=14).map(
        lambda parts: "".join(piece + gap for piece, gap in parts)),
    st.text(max_size=60),
)


@pytest.fixture(scope="module")
def searcher(seed_index):
    with Searcher(seed_index) as opened:
        yield opened


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=query_texts)
def test_any_query_text_searches_or_is_a_usage_error(searcher, text):
    try:
        result = searcher.search(text)
    except (QuerySyntaxError, QueryTooExpensive) as error:
        message = str(error)
        assert message and "\n" not in message
    else:
        assert isinstance(result, SearchResult)
        assert all(hit.paragraph.text for hit in result.hits)


@pytest.mark.parametrize("words, message", [
    (['"missile defense'], 'Unbalanced quote at character 1: close the phrase with another "'),
    (["NOT", "NOT", "missile"], '"NOT" must be followed by a word to exclude, e.g. NOT iraq'),
    (["missile", "ANDMAYBE", "ANDNOT", "(", ")"], "Empty group: put some words between the parentheses"),
    (["foo:bar"], 'Unknown field "foo:" — use one of speaker:, topic:, title:, date:, speech:, answers:, questions:'),
    (["speaker:"], '"speaker:" needs a value right after the colon, e.g. speaker:price'),
    (["(" * 480 + "missile" + ")" * 480], "Too many nested parentheses: use at most 16 levels"),
    (["”"], "Unbalanced quote at character 1: this closing quote has no opening one"),
    (["*"], 'A bare "*" matches everything: add at least three letters before it, e.g. sanction*'),
    (["*sile"], 'Leading wildcards are not supported ("*sile"): put the * at the end of a word, e.g. sile*'),
    (["(" + "missile" * 150 + ")"], "Query too long (1052 characters): use at most 1000"),
    (["missile " * 3000], "Query too long (24000 characters): use at most 20000"),
    (["\x00\u200b\ufeff"], "Empty query: type some words to search for"),
    (["-missile"], "A query cannot only exclude words: add a word to search for, e.g. iran -iraq"),
    (["date:2021-13"], 'Cannot read the date "2021-13": month must be 01 to 12'),
])
def test_bad_queries_exit_2_with_one_line(seed_index, words, message):
    result = CliRunner().invoke(cli, ["query", "--index", str(seed_index), "--", *words])
    assert result.exit_code == 2
    assert result.stderr == f"briefsearch: {message}\n"
    assert result.stdout == ""


def test_a_long_passage_that_breaks_the_rules_is_read_as_words(seed_index):
    words = ['"' + " ".join(["missile"] * 40) + '"']
    result = CliRunner().invoke(cli, ["query", "--index", str(seed_index), "--", *words])
    assert result.exit_code == 0
    assert "warning: Read the query as plain words (Phrase too long (40 words): use at most 32)" in result.stderr


@pytest.mark.slow
def test_five_thousand_nasty_queries_answer_or_are_refused_in_one_line(searcher):
    """Every class of costly or broken query text (``scripts/benchlib/nasty.py``), 5,000 of them, in
    process: each answers or raises the query errors the CLI prints as one line with exit 2. Their
    times on the 121k-paragraph index are measured by ``scripts/query_cost.py --fuzz 5000``."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from benchlib.nasty import nasty_queries

    outcomes = {"answered": 0, "refused": 0}
    for _, text in nasty_queries(5000, seed=5000):
        try:
            result = searcher.search(text)
        except (QuerySyntaxError, QueryTooExpensive) as error:
            assert str(error) and "\n" not in str(error), text[:60]
            outcomes["refused"] += 1
        else:
            assert isinstance(result, SearchResult), text[:60]
            outcomes["answered"] += 1
    assert sum(outcomes.values()) == 5000 and min(outcomes.values()) > 500
