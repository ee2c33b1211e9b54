"""Acronym definitions, the collection dictionary and the query-time helpers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefsearch.ingest.enrich import Enricher, EnrichmentState
from briefsearch.ingest.enrich.acronyms import best_long_form, find_definitions
from briefsearch.models import Article, Paragraph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-missile-defenses-directed-at-russia.txt"
GOLD = ROOT / "tests" / "fixtures" / "enrich_gold.json"


@pytest.mark.parametrize("text, expected", [
    ("which we now refer to as the Joint Threat Assessment, or JTA, for short.", [("JTA", "Joint Threat Assessment")]),
    ("the Joint Threat Assessment (JTA) found", [("JTA", "Joint Threat Assessment")]),
    ("three JTA (Joint Threat Assessment) sessions", [("JTA", "Joint Threat Assessment")]),
    ("the Strategic Arms Reduction Treaty, known as START, expires", [("START", "Strategic Arms Reduction Treaty")]),
    ("strengthen prevention, preparedness, and response (PPR) to future crises",
     [("PPR", "prevention, preparedness, and response")]),
    ("to meet with Caribbean Community (CARICOM) leaders", [("CARICOM", "Caribbean Community")]),
    ("charging electric vehicles (EVs) a convenient", [("EVs", "electric vehicles")]),
    ("deploy 30 gigawatts (GW) of offshore wind", [("GW", "gigawatts")]),
])
def test_definitions_in_each_form(text, expected):
    assert find_definitions(text) == expected


@pytest.mark.parametrize("text", [
    "QUESTION: So you\u2019re (inaudible) of those a deliberate choice?",
    "or by calling 1-800-462-7585 (TTY) for the hearing and speech impaired.",
    "Senator Romney (R-UT) said the bill would pass.",
    "the Quad (Australia, India, Japan, and the United States) met",
    "Both Governments have held three JTA sessions, in July and December 2009.",
    "Bruce Williams, Hedgepeth-Williams Middle School of the Arts, Trenton, New Jersey (Mathematics)",
])
def test_ordinary_parentheses_are_not_definitions(text):
    assert find_definitions(text) == []


def test_schwartz_hearst_alignment():
    assert best_long_form("JTA", "as the Joint Threat Assessment") == "Joint Threat Assessment"
    assert best_long_form("TTY", "1-800-462-7585") is None


def test_hand_checked_sample_meets_the_aims():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["acronyms"]
    want = {(case["text"], s, l) for case in gold for s, l in case["definitions"]}
    got = {(case["text"], s, l) for case in gold for s, l in find_definitions(case["text"])}
    precision = len(want & got) / len(got)
    recall = len(want & got) / len(want)
    assert precision >= 0.95 and recall >= 0.90


def _enrich_seed():
    parts = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    article = Article("seed", "seed.txt", parts[0], ())
    paragraphs = [Paragraph(id=f"seed#p{i}", article_id="seed", position=i, text=t) for i, t in enumerate(parts[1:], 1)]
    enricher = Enricher(EnrichmentState())
    return enricher, enricher.enrich(article, paragraphs)


def test_seed_defines_jta_once():
    _, paragraphs = _enrich_seed()
    defining = [(p.id, p.acronyms) for p in paragraphs if p.acronyms]
    assert defining == [("seed#p22", (("JTA", "Joint Threat Assessment"),))]


def test_query_time_definitions_come_from_the_index(seed_index):
    from briefsearch.query.rewrite import acronym_definitions
    from briefsearch.query.searcher import Searcher

    with Searcher(seed_index) as searcher:
        values = searcher.reader.values("acronym")
        assert values == ["jta=joint threat assessment"]
        assert acronym_definitions(values) == {"jta": {"joint threat assessment"}}
        assert searcher.search("JTA").expansions == ('JTA → "joint threat assessment"',)
        assert searcher.search("Joint Threat-Assessment").expansions == ('"Joint Threat-Assessment" → JTA',)
        assert searcher.search("threat assessment").expansions == ()


def test_importing_the_query_helpers_loads_no_heavy_libraries():
    code = ("import sys, briefsearch.query.rewrite as r; r.acronym_definitions(['jta=joint threat assessment']); "
            "print(sorted(m for m in ('pycountry', 'nameparser', 'bs4', 'whoosh') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_curated_dictionary_expands_both_ways_and_inside_longer_queries():
    from briefsearch.query import tree as ql
    from briefsearch.query.language import parse_query
    from briefsearch.query.plan import plan
    from briefsearch.query.rewrite import drop_stop_words, expand_acronyms, government_acronyms, merged_definitions

    curated, capitals = government_acronyms()
    assert {"ofac", "usaid", "pepfar", "jcpoa", "dfc", "nato"} <= set(curated) and "ice" in capitals
    definitions = merged_definitions({"jta": {"joint threat assessment"}}, curated)

    def expanded(text):
        notes = []
        primary, _ = plan(drop_stop_words(parse_query(text, [])))
        return ql.describe(expand_acronyms(primary, definitions, notes, 0.8, capitals)), notes

    text, notes = expanded("new office of foreign assets control rules")
    assert "((office foreign assets control) OR OFAC^0.8)" in text and notes == ['"office foreign assets control" → OFAC']
    text, notes = expanded("OFAC yachts")
    assert '"office of foreign assets control"^0.8' in text
    assert expanded("ice cream")[1] == [] and expanded("ICE raids")[1] == ['ICE → "immigration and customs enforcement"']
    assert expanded("JTA talks")[1] == ['JTA → "joint threat assessment"']  # the collection's own stay


def test_long_forms_that_leave_the_country_unsaid_or_run_on_past_their_letters():
    # Real sentences of the White House export.
    assert ("USDA", "Department of Agriculture") in find_definitions(
        "The Department of Agriculture (USDA) is announcing new investments.")
    assert ("USPTO", "Patent and Trademark Office") in find_definitions(
        "The Patent and Trademark Office (USPTO) will accelerate applications.")
    assert ("CDC", "Centers for Disease Control and Prevention") in find_definitions(
        "The President is not considered a close contact according to guidelines by the Centers for Disease Control "
        "and Prevention (CDC).")
    assert find_definitions("Congressman Tony Cárdenas (D-CA) and Bennie Thompson (MS-02)") == []


def test_long_forms_the_index_reads_alike_are_searched_once():
    """"centers for disease control" and "center for disease control" are one phrase of stems:
    searched as two, a paragraph holding it scored twice."""
    from briefsearch.query import tree as ql
    from briefsearch.query.rewrite import expand_acronyms

    definitions = {"cdc": {"centers for disease control", "center for disease control"}}
    expanded = expand_acronyms(ql.Term("CDC"), definitions, [], 0.8)
    assert ql.describe(expanded).count("disease control") == 1


def test_definitions_read_from_the_index_key_each_long_form_as_analysis_does():
    """Long forms of plain words are their own keys (not analysed again, which was most of a cold
    query's reading of the definitions); the others are analysed: dots, hyphens, apostrophes,
    accents, digits and curly quotes come out as the index reads them."""
    from briefsearch.engine.api import definition_value
    from briefsearch.query import tree as ql
    from briefsearch.query.rewrite import _long_form_index, acronym_definitions, expand_acronyms, long_form_key

    pairs = [("USPTO", "Patent and Trademark Office"), ("CDC", "Centers for Disease Control and Prevention"),
             ("USCC", "U.S.-China Economic and Security Review Commission"), ("COVID-19", "coronavirus disease 2019"),
             ("ECOWAS", "Economic Community of West African States"), ("CIV", "Côte d’Ivoire"),
             ("WHO", "World Health Organization's"), ("G7", "Group of Seven"), ("DOD", "Department  of  Defense")]
    values = [definition_value(short, long) for short, long in pairs]
    definitions = acronym_definitions(values)
    assert definitions == {short.lower(): {long_form_key([long])} for short, long in pairs}
    assert definitions["uscc"] == {"us china economic and security review commission"}
    assert definitions["civ"] == {"cote divoire"} and definitions["who"] == {"world health organization"}
    by_long = _long_form_index(definitions)
    assert by_long["us china economic security review commission"] == {"uscc"}  # its content words
    notes = []
    expand_acronyms(ql.And((ql.Term("U.S.-China"), ql.Term("Economic"), ql.Term("and"), ql.Term("Security"),
                            ql.Term("Review"), ql.Term("Commission"))), definitions, notes, 0.8)
    assert notes == ['"U.S.-China Economic and Security Review Commission" → USCC']
