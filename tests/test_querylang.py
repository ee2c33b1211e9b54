"""The query language: what each syntax parses to, and the one-line errors for bad input."""

import pytest

from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.query.language import parse_query
from briefsearch.query.tree import describe


@pytest.mark.parametrize(
    "text, expected",
    [
        ("joint threat assessment", "(joint threat assessment)"),
        ('"joint threat assessment"', '"joint threat assessment"'),
        ("\u201cjoint threat assessment\u201d", '"joint threat assessment"'),
        ('"missile defense"~3', '"missile defense"~3'),
        ("iran OR iraq", "(iran OR iraq)"),
        ("iran AND sanctions", "(iran AND sanctions)"),
        ("iran -iraq", "(iran NOT iraq)"),
        ("iran NOT iraq", "(iran NOT iraq)"),
        ("+iran deal", "(+iran deal)"),
        ("(iran OR iraq) sanctions", "((iran OR iraq) sanctions)"),
        ("sanction*", "sanction*"),
        ("missle~", "missle~"),
        ("speaker:tauscher limitations", "(speaker:tauscher limitations)"),
        ('topic:"missile defense"', "topic:missile defense"),
        ("title:(iran deal)", "(title:iran title:deal)"),
        ("date:2021-06 iran", "(date:2021-06-01..2021-06-30 iran)"),
        ("date:2021..2022-02", "date:2021-01-01..2022-02-28"),
        ("U.S.-Russia relations", "(U.S.-Russia relations)"),
        ("10:30 briefing", "(10:30 briefing)"),
    ],
)
def test_parses(text, expected):
    assert describe(parse_query(text)) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Empty query"),
        ("   ", "Empty query"),
        ("(iran", 'add a ")"'),
        ("iran)", 'a ")" has no matching "("'),
        ('"iran deal', "Unbalanced quote"),
        ("foo:bar", 'Unknown field "foo:"'),
        ("speaker:", '"speaker:" needs a value'),
        ("*", 'A bare "*"'),
        ("*ran", "Leading wildcards are not supported"),
        ("i*", "too short a prefix"),
        ("co*", "type at least 3 letters before the *"),
        ("iran OR", '"OR" needs a word on both sides'),
        ("OR iran", '"OR" needs a word on both sides'),
        ("NOT", '"NOT" must be followed'),
        ("NOT NOT x", '"NOT" must be followed'),
        ("x AND AND y", '"AND" needs a word on both sides'),
        ("-iran", "cannot only exclude"),
        ("date:June", "Cannot read the date"),
        ("date:2021-13", "month must be 01 to 12"),
        ('""', "Empty phrase"),
    ],
)
def test_syntax_errors_are_one_sentence(text, message):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("(" + "x" * 1001 + ")", "Query too long (1003 characters)"),
        ("x " * 10_001, "Query too long (20002 characters): use at most 20000"),
        ("(" * 17 + "a" + ")" * 17, "Too many nested parentheses"),
        ('"missile defense"~60', "too wide"),
        (" ".join(f"ab{i}*" for i in range(5)), "Too many wildcard or fuzzy words: use at most 4"),
        ("abc* cde~ efg~ ghi* ijk~", "Too many wildcard or fuzzy words: use at most 4"),
        ('"a b"~500', "too wide"),
    ],
)
def test_caps(text, message):
    with pytest.raises(QueryTooExpensive) as caught:
        parse_query(text)
    assert message in str(caught.value)


def test_plain_text_past_the_word_cap_keeps_its_first_words_with_a_warning():
    warnings = []
    text = " ".join(f"w{i}" for i in range(70)) + " w0 w1"
    assert describe(parse_query(text, warnings)) == "(" + " ".join(f"w{i}" for i in range(64)) + ")"
    assert warnings == ["Long query: searched its first 64 distinct words"]


def test_natural_language_readings():
    headline = "KENNEDY ADMINISTRATION PRESSURE ON NGO DINH DIEM TO STOP SUPPRESSING THE BUDDHISTS"
    assert describe(parse_query(headline)) == "(" + headline.lower() + ")"
    assert describe(parse_query("RUSSIA OR CHINA")) == "(RUSSIA OR CHINA)"  # short: still operators
    assert describe(parse_query("nutrition: effects of fasting")) == "(nutrition effects of fasting)"
    assert describe(parse_query("?transverse ?slip?")) == "(?transverse ?slip?)"


def test_a_long_query_that_fails_to_parse_is_read_as_plain_words():
    warnings = []
    text = "effect of (drug therapy on tumours in children treated early with radiation and chemotherapy over many months?"
    assert describe(parse_query(text, warnings)) == (
        "(effect of drug therapy on tumours in children treated early with radiation and chemotherapy over many months)")
    assert warnings == ['Read the query as plain words (Unbalanced parenthesis: add a ")" to close the "(")']
    with pytest.raises(QuerySyntaxError):
        parse_query("(drug therapy")  # short: the user gets the syntax error
