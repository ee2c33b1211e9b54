"""Speakers, topics, acronyms and quotes through the CLI, on the seed article."""

import csv
import io
import json

from click.testing import CliRunner

from briefsearch.cli import cli


def run_json(*args):
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, (result.output, result.stderr)
    return json.loads(result.stdout)


def test_speakers_lists_tauscher_with_counts(seed_index):
    speakers = run_json("speakers", "--index", str(seed_index))
    tauscher = next(s for s in speakers if s["name"] == "Ellen Tauscher")
    assert set(tauscher) == {"name", "aliases", "paragraphs", "first_date", "last_date"}
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
