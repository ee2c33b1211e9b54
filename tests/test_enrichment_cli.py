"""Speakers, topics, acronyms and quotes through the CLI, on the seed article."""

import csv
import io
import json

import pytest

from click.testing import CliRunner

from briefsearch.cli import cli


def run_json(*args):
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, (result.output, result.stderr)
    return json.loads(result.stdout)


def test_speakers_lists_tauscher_with_counts(seed_index):
    speakers = run_json("speakers", "--index", str(seed_index))
    tauscher = next(s for s in speakers if s["name"] == "Ellen Tauscher")
    assert set(tauscher) == {"name", "category", "aliases", "paragraphs", "first_date", "last_date"}
    assert tauscher["category"] == "person"
    assert tauscher["paragraphs"] >= 10
    assert "Ms. Tauscher" in tauscher["aliases"] or "Tauscher" in tauscher["aliases"]


def test_speakers_within_a_topic(seed_index):
    on_defense = run_json("speakers", "--topic", "missile defense", "--index", str(seed_index))
    assert [s["name"] for s in on_defense] == ["Ellen Tauscher"]
    assert run_json("speakers", "--topic", "climate", "--index", str(seed_index)) == []


def test_topics_are_readable_labels_with_counts(seed_index):
    topics = {t["topic"]: t["paragraphs"] for t in run_json("topics", "--index", str(seed_index))}
    assert topics["Russia"] >= 15 and topics["Missile defense"] >= 15


def test_acronyms_lists_the_jta_definition(seed_index):
    acronyms = run_json("acronyms", "--index", str(seed_index))
    jta = next(a for a in acronyms if a["short"] == "JTA")
    assert jta["long"] == "Joint Threat Assessment" and jta["count"] == 1 and jta["first_source"].endswith("#p22")


def test_quotes_of_a_speaker_with_and_without_a_query(seed_index):
    quotes = run_json("quotes", "--speaker", "tauscher", "--index", str(seed_index))
    assert [q["quote"] for q in quotes][1] == "We cannot agree to any limitations on our missile defense deployments."
    assert len(quotes) == 3 and all(q["speaker"] == "Ellen Tauscher" for q in quotes)
    limited = run_json("quotes", "limitations", "--speaker", "tauscher", "--index", str(seed_index))
    assert [q["id"].split("#")[1] for q in limited] == ["p12"]


def test_topic_filter_is_case_insensitive(seed_index):
    upper = run_json("query", "cooperation", "--topic", "MISSILE DEFENSE", "--index", str(seed_index), "-n", "50")
    lower = run_json("query", "cooperation", "--topic", "missile defense", "--index", str(seed_index), "-n", "50")
    assert upper["total"] == lower["total"] > 0
    assert all("Missile defense" in h["topics"] for h in upper["hits"])


def test_questions_can_be_excluded_and_expansion_reported(seed_index):
    result = CliRunner().invoke(cli, ["query", "JTA", "--index", str(seed_index)])
    assert 'expanded: JTA → "joint threat assessment"' in result.output
    plain = CliRunner().invoke(cli, ["query", "JTA", "--no-expand", "--index", str(seed_index), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(plain.output)))
    assert [r["paragraph"] for r in rows] == ["22", "23"]


@pytest.fixture(scope="module")
def briefing_index(tmp_path_factory):
    """An index of two real State Department items: a press briefing and a statement by the Secretary."""
    from briefsearch.indexing.runs import index_paths
    from tests.conftest import STATE_DEPT, require

    lines = require(STATE_DEPT).read_text(encoding="utf-8").splitlines()
    briefing = next(l for l in lines if json.loads(l)["title"].startswith("Department Press Briefing"))
    statement = next(l for l in lines if json.loads(l)["title"] == "Yemen National Day")
    root = tmp_path_factory.mktemp("briefing")
    (root / "corpus").mkdir()
    (root / "corpus" / "items.jsonl").write_text(briefing + "\n" + statement + "\n", encoding="utf-8")
    index_paths([str(root / "corpus")], str(root / "index"))
    return root / "index"


def test_speakers_lists_people_first_and_questions_apart(briefing_index):
    speakers = run_json("speakers", "--index", str(briefing_index))
    kinds = [s["category"] for s in speakers]
    assert kinds == sorted(kinds, key=["person", "role", "question"].index)
    assert speakers[-1]["name"] == "Question" and kinds.count("question") == 1
    assert "Antony J. Blinken" in [s["name"] for s in speakers if s["category"] == "person"]


def test_quotes_lists_statements_and_answers_with_their_kind(briefing_index):
    said = run_json("quotes", "--speaker", "blinken", "--index", str(briefing_index))
    assert said and {q["speech"] for q in said} == {"statement"} and all(q["title"] == "Yemen National Day" for q in said)
    yemen = run_json("quotes", "yemen", "--speaker", "blinken", "--index", str(briefing_index))
    assert yemen and all("Yemen" in q["quote"] and q["id"] and q["date"] for q in yemen)
    answers = run_json("quotes", "--speaker", "porter", "--index", str(briefing_index))
    assert "answer" in {q["speech"] for q in answers}


def test_answers_are_searched_by_their_question_through_the_cli(briefing_index):
    hits = run_json("query", "speech:question", "-n", "50", "--index", str(briefing_index))["hits"]
    question = next(h for h in hits if h["answered_by"])
    word = max(question["text"].replace(",", " ").replace("?", " ").split(), key=len)
    found = run_json("query", f"answers:{word}", "-n", "100", "--index", str(briefing_index))["hits"]
    assert question["answered_by"] in {h["id"] for h in found}
    assert all(h["speech"] == "answer" and h["answers_to"] for h in found)
