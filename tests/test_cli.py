"""The CLI end to end: index, query in every format, show, stats, incremental runs, error exits."""

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from briefsearch.cli import cli
from tests.conftest import SEED, STATE_DEPT, require

JTA_PARAGRAPH = "which we now refer to as the Joint Threat Assessment, or JTA, for short."


def run(*args, expect=0):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == expect, (result.exit_code, result.output, result.stderr)
    return result


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def test_seed_index_then_query_ranks_the_jta_paragraph_first(corpus, tmp_path):
    index = str(tmp_path / "index")
    first = run("index", str(corpus), "--index", index)
    assert "1 new, 0 changed, 0 unchanged, 0 removed, 0 skipped files; 27 paragraphs written, 27 in the index" in first.output
    data = json.loads(run("query", "joint threat assessment", "--index", index, "--format", "json").stdout)
    assert data["hits"][0]["text"].endswith(JTA_PARAGRAPH)
    assert data["hits"][0]["paragraph"] == 22


def test_second_run_changes_nothing_and_says_so(corpus, tmp_path):
    index = str(tmp_path / "index")
    run("index", str(corpus), "--index", index)
    again = run("index", str(corpus), "--index", index)
    assert "0 new, 0 changed, 1 unchanged, 0 removed, 0 skipped files; 0 paragraphs written, 27 in the index" in again.output


def test_changed_file_replaces_its_paragraphs_and_removed_file_leaves(corpus, tmp_path):
    index = str(tmp_path / "index")
    extra = corpus / "note.txt"
    extra.write_text("Press note\n\nThe ambassador discussed grain exports through Odesa.\n", encoding="utf-8")
    run("index", str(corpus), "--index", index)
    assert "Odesa" in run("query", "odesa", "--index", index).output

    extra.write_text("Press note\n\nThe ambassador discussed fertilizer exports through Constanta.\n", encoding="utf-8")
    changed = run("index", str(corpus), "--index", index)
    assert "0 new, 1 changed, 1 unchanged, 0 removed" in changed.output
    assert run("query", "odesa", "--index", index).stderr.strip() == "No paragraphs match."
    assert "Constanta" in run("query", "constanta", "--index", index).output

    extra.unlink()
    removed = run("index", str(corpus), "--index", index)
    assert "0 new, 0 changed, 1 unchanged, 1 removed" in removed.output and "27 in the index" in removed.output
    assert run("query", "constanta", "--index", index).stderr.strip() == "No paragraphs match."


def test_rebuild_starts_over_in_a_new_generation(corpus, tmp_path):
    index = tmp_path / "index"
    run("index", str(corpus), "--index", str(index))
    rebuilt = run("index", str(corpus), "--index", str(index), "--rebuild")
    assert "1 new, 0 changed, 0 unchanged" in rebuilt.output and "27 in the index" in rebuilt.output
    assert (index / "CURRENT").read_text().strip() == "gen-000002"


@pytest.fixture()
def seed(seed_index):
    return str(seed_index)


def test_phrase_query_returns_only_paragraphs_with_the_phrase(seed):
    data = json.loads(run("query", '"missile defense cooperation"', "--index", seed, "--format", "json", "-n", "50").stdout)
    assert data["total"] == len(data["hits"]) >= 1
    for hit in data["hits"]:
        assert "missile defense cooperation" in hit["text"].lower()


def test_phrase_does_not_match_across_a_word_and_stems_match(seed):
    assert run("query", '"Department State"', "--index", seed).stderr.strip() == "No paragraphs match."
    data = json.loads(run("query", "defenses", "--index", seed, "--format", "json", "-n", "50").stdout)
    texts = [h["text"] for h in data["hits"]]
    assert any("missile defense " in t and "defenses" not in t for t in texts)  # "defenses" found "defense"


def test_acronyms_and_capitals_stay_searchable(seed):
    us = json.loads(run("query", "U.S.", "--index", seed, "--format", "json", "-n", "50").stdout)
    assert us["total"] >= 10 and all(("US" in h["text"] or "U.S." in h["text"]) for h in us["hits"])
    curly = json.loads(run("query", '"don\'t undermine"', "--index", seed, "--format", "json").stdout)
    assert "don\u2019t undermine" in curly["hits"][0]["text"]  # straight quote in the query, curly in the text


def test_jsonl_and_csv_formats(seed):
    lines = run("query", "cooperation", "--index", seed, "--format", "jsonl", "-n", "3").output.splitlines()
    assert len(lines) == 3 and [json.loads(line)["rank"] for line in lines] == [1, 2, 3]
    rows = list(csv.DictReader(io.StringIO(run("query", "cooperation", "--index", seed, "--format", "csv", "-n", "2").output)))
    assert len(rows) == 2 and rows[0]["id"].endswith(f"#p{rows[0]['paragraph']}")


def test_text_output_and_context(seed):
    out = run("query", "limitations", "--speaker", "tauscher", "--index", seed, "-C", "1").output
    assert " 1. [" in out and "Ellen Tauscher" in out and "> p12:" in out and "  p11:" in out


def test_per_article_gives_one_hit_per_article(seed):
    data = json.loads(run("query", "russia", "--index", seed, "--format", "json", "--per-article").stdout)
    assert len(data["hits"]) == 1


def test_show_and_stats(seed):
    hit = json.loads(run("query", "joint threat assessment", "--index", seed, "--format", "json").stdout)["hits"][0]
    shown = json.loads(run("show", hit["id"], "-C", "1", "--index", seed, "--format", "json").stdout)
    assert [p["paragraph"] for p in shown["paragraphs"]] == [21, 22, 23]
    stats = json.loads(run("stats", "--index", seed, "--format", "json").stdout)
    assert set(stats) == {"engine", "articles", "paragraphs", "speakers", "topics", "first_date", "last_date", "bytes",
                          "months", "gaps", "undated"}
    assert stats["engine"] == "whoosh" and stats["articles"] == 1 and stats["paragraphs"] == 27 and stats["bytes"] > 0


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["query", "iran", "--index", "{missing}"], 1, "No index at"),
        (["stats", "--index", "{missing}"], 1, "No index at"),
        (["query", "(iran", "--index", "{seed}"], 2, 'Unbalanced parenthesis: add a ")"'),
        (["query", "foo:bar", "--index", "{seed}"], 2, 'Unknown field "foo:"'),
        (["query", "*", "--index", "{seed}"], 2, 'A bare "*"'),
        (["query", "iran", "-n", "0", "--index", "{seed}"], 2, "0 is not in the range"),
        (["query", "iran", "--since", "June", "--index", "{seed}"], 2, "Cannot read the date"),
        (["show", "nothere#p1", "--index", "{seed}"], 1, "No paragraph nothere#p1"),
        (["index", "{missing}/nowhere", "--index", "{missing}"], 2, "No such file or folder"),
    ],
)
def test_errors_are_one_line_with_the_documented_exit_code(args, code, message, seed, tmp_path):
    args = [a.format(seed=seed, missing=tmp_path / "none") for a in args]
    result = run(*args, expect=code)
    assert message in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_no_match_exits_zero_and_says_so_on_stderr(seed):
    result = run("query", "zeppelin", "--index", seed)
    assert result.stdout == "" and result.stderr.strip() == "No paragraphs match."


@pytest.mark.slow
def test_state_department_slice_end_to_end(tmp_path):
    """The first 120 records of the real State Department export, through the CLI."""
    source = require(STATE_DEPT)
    with open(source, encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(120)]
    export = tmp_path / "state.jsonl"
    export.write_text("".join(lines), encoding="utf-8")
    index = str(tmp_path / "index")
    first = run("index", str(export), "--index", index)
    assert "1 new, 0 changed, 0 unchanged, 0 removed, 0 skipped files" in first.output
    assert "0 new, 0 changed, 1 unchanged" in run("index", str(export), "--index", index).output
    stats = json.loads(run("stats", "--index", index, "--format", "json").stdout)
    assert stats["articles"] == 120 and stats["first_date"] == "2021-05-20"
    price = json.loads(run("query", "Afghanistan", "--speaker", "price", "--index", index, "--format", "json").stdout)
    assert price["hits"] and all(h["speaker"] == "Ned Price" for h in price["hits"])
    phrase = json.loads(run("query", '"human rights"', "--index", index, "--format", "json", "-n", "100").stdout)
    assert phrase["hits"] and all("human rights" in h["text"].lower() for h in phrase["hits"])


def test_misspelt_words_also_find_collection_words_and_say_so(seed):
    result = run("query", "missle cooperaton", "--index", seed)
    assert result.stderr.splitlines() == [
        "warning: Not in the collection, so also searched: missle → missile, cooperaton → cooperation"]
    data = json.loads(run("query", "missle cooperaton", "--index", seed, "--format", "json").stdout)
    assert data["total"] > data["all_words_total"] > 0 and "suggestion" not in data
    assert all("missil" in h["text"].lower() and "cooperat" in h["text"].lower()  # stems match
               for h in data["hits"] if h["tier"] == "all the words")


def test_did_you_mean_offers_collection_words(seed):
    result = run("query", "missle zeppelin", "--index", seed)
    assert "Did you mean: missile zeppelin" in result.stderr.splitlines()


def test_progress_bar_on_a_terminal(corpus, tmp_path):
    """On a terminal (a pty here), indexing shows files and paragraphs as it goes."""
    import os
    import subprocess
    import sys

    leader, follower = os.openpty()
    process = subprocess.run([sys.executable, "-m", "briefsearch", "index", str(corpus), "--index", str(tmp_path / "ix")],
                             stderr=follower, stdout=subprocess.PIPE, text=True, timeout=120)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert process.returncode == 0, screen
    assert "indexing" in screen.decode() and "27 paragraphs" in screen.decode() and "100%" in screen.decode()
    assert "27 paragraphs written" in process.stdout


def test_quoted_phrase_means_the_words_as_written(tmp_path):
    """The index holds stems; a quoted phrase still only returns paragraphs with those words."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "rights.txt").write_text(
        "Rights note\n\nEducation is a human right for every child.\n\n"
        "The report covers human rights in the region.\n\nHuman-rights groups met the envoy.\n",
        encoding="utf-8")
    index = str(tmp_path / "index")
    run("index", str(folder), "--index", index)
    quoted = json.loads(run("query", '"human rights"', "--index", index, "--format", "json").stdout)
    assert sorted(h["paragraph"] for h in quoted["hits"]) == [2, 3] and quoted["total"] == 2
    words = json.loads(run("query", "human rights", "--index", index, "--format", "json").stdout)
    assert sorted(h["paragraph"] for h in words["hits"]) == [1, 2, 3]  # unquoted words are stemmed
