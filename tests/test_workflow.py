"""The reporter's workflow on the shared exports: sorting and sources, first mention, citations,
whole articles, timelines, exports, alerts and batch search, through the real CLI.

The corpus is every White House and State Department record of the shared exports that mentions
Havana (15 briefings and statements): a first mention among them is the first mention in the whole
export, since a record that does not say "Havana" cannot match. Beside them, the three records
with a paragraph that starts like a spreadsheet formula ("@POTUS will be asking...", "+1669...").
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import STATE_DEPT, WHITE_HOUSE, require
from tests.helpers import invoke, one_line_error


def records_mentioning(path, word: str) -> list[str]:
    return [line for line in require(path).read_text(encoding="utf-8").splitlines() if word in line.lower()]


@pytest.fixture(scope="module")
def havana(tmp_path_factory):
    """(corpus folder, index dir) of the records that mention Havana, one file per outlet."""
    root = tmp_path_factory.mktemp("havana")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "whitehouse.jsonl").write_text("\n".join(records_mentioning(WHITE_HOUSE, "havana")) + "\n", encoding="utf-8")
    (corpus / "state.jsonl").write_text("\n".join(records_mentioning(STATE_DEPT, "havana")) + "\n", encoding="utf-8")
    formulas = [line for path in (WHITE_HOUSE, STATE_DEPT) for line in path.read_text(encoding="utf-8").splitlines()
                if re.search(r"<p>[-=+@]", line) and "havana" not in line.lower()]
    (corpus / "formulas.jsonl").write_text("\n".join(formulas) + "\n", encoding="utf-8")
    index = root / "index"
    result = invoke("index", corpus, "--index", index, "--jobs", "1", "-q")
    assert result.exit_code == 0, result.output
    return corpus, index


def run(*args, expect=0):
    result = invoke(*args)
    assert result.exit_code == expect, (result.exit_code, result.output)
    return result


def hits(index, *args) -> list[dict]:
    return json.loads(run("query", *args, "--index", index, "--format", "json").stdout)["hits"]


def test_first_white_house_mention_of_havana_syndrome_is_the_june_21_briefing_question(havana):
    _, index = havana
    [first] = hits(index, '"havana syndrome"', "--source", "white house", "--first")
    assert first["date"].startswith("2021-06-21") and first["outlet"] == "The White House"
    assert first["title"] == "Press Briefing by Press Secretary Jen Psaki, June 21, 2021"
    assert first["is_question"] and "havana syndrome" in first["text"].lower()
    assert len(first["context"]) >= 3  # the question with its neighbours
    # The State Department spoke of it five days earlier, on the evening of the Geneva summit (June 16;
    # the feed stamps it 00:36 UTC on June 17): without the source filter that comes first.
    [anywhere] = hits(index, '"havana syndrome"', "--first")
    assert anywhere["date"].startswith("2021-06-16") and anywhere["outlet"] == "U.S. Department of State"


def test_sort_orders_hits_by_date_and_keeps_the_count(havana):
    _, index = havana
    by_score = json.loads(run("query", "havana", "--index", index, "--format", "json", "-n", "1000").stdout)
    for order, reverse in (("oldest", False), ("newest", True)):
        data = json.loads(run("query", "havana", "--index", index, "--format", "json", "-n", "1000", "--sort", order).stdout)
        assert data["total"] == by_score["total"]
        dates = [h["date"] for h in data["hits"]]
        assert dates == sorted(dates, reverse=reverse)
        assert {h["id"] for h in data["hits"]} == {h["id"] for h in by_score["hits"]}


def test_source_filter_names_outlets_and_an_unknown_one_is_a_usage_error(havana):
    _, index = havana
    state = hits(index, "havana", "--source", "department of state", "-n", "100")
    assert state and {h["outlet"] for h in state} == {"U.S. Department of State"}
    result = run("query", "havana", "--index", index, "--source", "pentagon", expect=2)
    assert "No source matches 'pentagon'" in one_line_error(result) and "The White House" in result.stderr


def first_question_id(index) -> str:
    return hits(index, '"havana syndrome"', "--source", "white house", "--first")[0]["id"]


def test_cite_carries_speaker_quote_title_outlet_date_url_and_id(havana):
    _, index = havana
    question = first_question_id(index)
    answer = question.split("#p")[0] + f"#p{int(question.split('#p')[1]) + 1}"
    url = "https://www.whitehouse.gov/briefing-room/press-briefings/2021/06/21/press-briefing-by-press-secretary-jen-psaki-june-21-2021/"
    plain = run("cite", answer, "--index", index).stdout
    assert "Jen Psaki" in plain and "June 21, 2021" in plain and url in plain and answer in plain
    assert "The White House" in plain and "\u201cMS. PSAKI: I don\u2019t have any more specifics" in plain
    assert "A reporter's question" in run("cite", question, "--index", index).stdout
    markdown = run("cite", answer, "--index", index, "--style", "markdown").stdout
    assert markdown.startswith("> MS. PSAKI:") and f"]({url})" in markdown and "**Jen Psaki**" in markdown
    bibtex = run("cite", answer, "--index", index, "--style", "bibtex").stdout
    assert bibtex.startswith("@misc{briefsearch:") and "author = {{Jen Psaki}}" in bibtex and f"url = {{{url}}}" in bibtex
    assert "date = {2021-06-21}" in bibtex
    [item] = json.loads(run("cite", answer, "--index", index, "--style", "csl-json").stdout)
    assert item["issued"] == {"date-parts": [[2021, 6, 21]]} and item["URL"] == url
    assert item["author"] == [{"literal": "Jen Psaki"}] and item["publisher"] == "The White House"
    assert "No paragraph" in one_line_error(run("cite", "000000000000#p1", "--index", index, expect=1))


def test_articles_list_and_read_prints_the_whole_briefing_with_turns(havana):
    _, index = havana
    listed = json.loads(run("articles", "--index", index, "--format", "json", "-n", "100").stdout)
    records = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in havana[0].iterdir())
    assert len(listed) == records == 18
    dates = [a["date"] for a in listed]
    assert dates == sorted(dates, reverse=True)
    briefing = next(a for a in listed if a["title"] == "Press Briefing by Press Secretary Jen Psaki, June 21, 2021")
    assert briefing["outlet"] == "The White House" and "Jen Psaki" in briefing["speakers"] and briefing["paragraphs"] > 200
    state = json.loads(run("articles", "havana", "--source", "state", "--index", index, "--format", "json").stdout)
    assert state and all(a["outlet"] == "U.S. Department of State" for a in state)

    text = run("read", first_question_id(index), "--index", index).stdout  # a paragraph id names its article
    assert text.startswith("Press Briefing by Press Secretary Jen Psaki, June 21, 2021\n")
    assert "\n  JEN PSAKI:\n" in text and "\n  QUESTION:\n" in text
    assert len([line for line in text.splitlines() if line.lstrip().startswith("p")]) >= briefing["paragraphs"]
    whole = json.loads(run("read", briefing["id"], "--index", index, "--format", "json").stdout)
    assert [p["paragraph"] for p in whole["paragraphs"]] == list(range(1, briefing["paragraphs"] + 1))
    assert "No article" in one_line_error(run("read", "000000000000", "--index", index, expect=1))


def test_timeline_counts_add_up_to_the_search_total(havana):
    _, index = havana
    total = json.loads(run("query", "cuba", "--index", index, "--format", "json").stdout)["total"]
    data = json.loads(run("timeline", "cuba", "--index", index, "--by", "source", "--interval", "month",
                          "--format", "json").stdout)
    assert data["total"] == total and sum(data["counts"]) + data["undated"] == total
    assert data["labels"][0] <= "2021-06" and "2021-08" in data["labels"]  # empty months are listed
    labels = data["labels"]
    assert labels == sorted(labels) and len(labels) == len(set(labels))
    by_source = {s["name"]: s for s in data["series"]}
    assert set(by_source) == {"The White House", "U.S. Department of State"}
    assert sum(s["total"] for s in data["series"]) == total  # each paragraph has one outlet
    for i in range(len(labels)):
        assert sum(s["counts"][i] for s in data["series"]) == data["counts"][i]
    weeks = json.loads(run("timeline", "cuba", "--index", index, "--interval", "week", "--format", "json").stdout)
    assert sum(weeks["counts"]) == sum(data["counts"]) and len(weeks["labels"]) > len(labels)
    chart = run("timeline", "cuba", "--index", index, "--interval", "month").stdout
    assert f"in all" in chart and "\u2588" in chart and f"{total:,} in all" in chart


def test_timeline_plot_draws_a_picture_with_axes_and_legend(havana, tmp_path):
    pytest.importorskip("matplotlib", reason="the [plot] extra is not installed")
    _, index = havana
    picture = tmp_path / "cuba.svg"
    run("timeline", "cuba", "--index", index, "--by", "source", "--plot", picture)
    svg = picture.read_text(encoding="utf-8")
    assert "matching paragraphs" in svg and "The White House" in svg and "month" in svg
    result = run("timeline", "cuba", "--index", index, "--plot", tmp_path / "cuba.txt", expect=1)
    assert ".svg" in one_line_error(result)


def test_export_streams_every_match_with_its_metadata_and_neutralises_formulas(havana, tmp_path):
    _, index = havana
    total = json.loads(run("query", "cuba", "--index", index, "--format", "json").stdout)["total"]
    lines = run("export", "cuba", "--index", index).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == total and all(r["url"] and r["outlet"] and r["date"] for r in records)
    assert {r["id"] for r in records} == {h["id"] for h in hits(index, "cuba", "-n", "1000")}
    everything = run("export", "--index", index).stdout.splitlines()
    stats = run("stats", "--index", index, "--format", "json").stdout
    assert len(everything) == json.loads(stats)["paragraphs"]

    import csv
    import io

    out = tmp_path / "cuba.csv"
    run("export", "cuba", "--index", index, "--format", "csv", "-o", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == total and rows[0].keys() >= {"id", "text", "date", "url", "outlet", "speaker", "topics"}
    # Transcript lines starting with a dash are real in these exports; as cells they must not run.
    dashes = [r for r in csv.DictReader(io.StringIO(run("export", "--index", index, "--format", "csv").stdout))
              if r["text"].lstrip("'").startswith(("-", "=", "+", "@"))]
    assert dashes and all(r["text"].startswith("'") for r in dashes)


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe():
    from briefsearch.present.render import csv_cell, records_csv

    assert [csv_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "plain", 3, -4)] == ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "plain", 3, -4]
    assert records_csv([{"text": '=HYPERLINK("http://x")'}], ("text",)).splitlines()[1] == '"\'=HYPERLINK(""http://x"")"'


@pytest.mark.slow
def test_alerts_deliver_only_what_is_indexed_after_their_last_run(havana, tmp_path):
    import shutil

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(havana[0], corpus)
    shutil.copytree(havana[1], index)
    run("alerts", "add", "kamala", "harris", "--source", "white house", "--index", index)
    assert "kamala: 'harris' --source 'white house'" in run("alerts", "list", "--index", index).stdout
    assert run("alerts", "run", "--index", index, expect=3).stdout == ""  # nothing indexed since it was saved
    assert run("alerts", "run", "kamala", "--index", index, expect=3).stdout == ""

    # One more file: two White House records about the Vice President's trip, not yet indexed.
    lines = [line for line in WHITE_HOUSE.read_text(encoding="utf-8").splitlines()
             if "northern triangle" in line.lower() and "harris" in line.lower() and "havana" not in line.lower()
             and "<p>@" not in line][:2]
    (corpus / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    news = [json.loads(line) for line in run("alerts", "run", "--index", index, "--format", "jsonl").stdout.splitlines()]
    new_articles = {a["id"] for a in json.loads(run("articles", "--index", index, "--format", "json", "-n", "100").stdout)
                    if a["url"] in {json.loads(line)["link"] for line in lines}}
    expected = {r["id"] for r in map(json.loads, run("export", "harris", "--source", "white house", "--index", index).stdout.splitlines())
                if r["article_id"] in new_articles}
    assert expected and {r["id"] for r in news} == expected
    assert {r["status"] for r in news} == {"new"} and {r["alert"] for r in news} == {"kamala"}
    assert run("alerts", "run", "--index", index, expect=3).stdout == ""  # twice in a row: nothing new

    # Re-indexing an unchanged file is not news; an edited article is, marked "updated".
    (corpus / "more.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    assert run("alerts", "run", "--index", index, expect=3).stdout == ""
    head, key, body = lines[0].partition('"content_html"')
    edited = head + key + body.replace("Harris", "Kamala Harris", 1)
    assert key and edited != lines[0]
    (corpus / "more.jsonl").write_text("\n".join([edited, lines[1]]) + "\n", encoding="utf-8")
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    updated = [json.loads(line) for line in run("alerts", "run", "--index", index, "--format", "jsonl").stdout.splitlines()]
    assert updated and {r["status"] for r in updated} == {"updated"}
    assert all("Kamala Harris" in r["text"] for r in updated)

    # Alerts live with the index: a rebuild keeps them and is not news; --since looks back in ingest time.
    run("index", corpus, "--index", index, "-q", "--jobs", "1", "--rebuild")
    assert run("alerts", "run", "--index", index, expect=3).stdout == ""
    again = run("alerts", "run", "kamala", "--since", "2000-01-01", "--index", index, "--format", "jsonl").stdout
    assert expected <= {json.loads(line)["id"] for line in again.splitlines()}
    run("alerts", "remove", "kamala", "--index", index)
    assert "No alert named 'kamala'" in one_line_error(run("alerts", "run", "kamala", "--index", index, expect=1))


def test_batch_writes_one_summary_row_per_search(havana, tmp_path):
    import csv
    import io

    _, index = havana
    terms = tmp_path / "terms.csv"
    terms.write_text('query,source,label\n"havana syndrome",white house,ahi\ncuba,,all\nzzyzx,,none\n"(unclosed",,bad\n', encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("batch", terms, "--index", index).stdout)))
    assert [r["label"] for r in rows] == ["ahi", "all", "none", "bad"]
    ahi, cuba, none, bad = rows
    # a row counts what ``query`` counts and dates what ``export`` writes (``Searcher.matching``)
    exported = [json.loads(line) for line in run("export", "havana", "syndrome", "--source", "white house",
                                                 "--index", index).stdout.splitlines()]
    dates = sorted(p["date"][:10] for p in exported if p["date"])
    total = json.loads(run("query", "havana", "syndrome", "--source", "white house", "--index", index,
                           "--format", "json").stdout)["total"]
    assert int(ahi["paragraphs"]) == total == len(exported) >= 2
    assert (ahi["first_date"], ahi["last_date"]) == (dates[0], dates[-1])
    first = hits(index, '"havana syndrome"', "--source", "white house")[0]
    assert ahi["best_id"] == first["id"] and not ahi["error"]
    total = json.loads(run("query", "cuba", "--index", index, "--format", "json").stdout)["total"]
    assert int(cuba["paragraphs"]) == total and "Ned Price" in cuba["top_speakers"]
    assert none["paragraphs"] == "0" and not none["best_id"]
    assert bad["error"] and bad["paragraphs"] == ""
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert "is empty" in one_line_error(run("batch", empty, "--index", index, expect=2))


def test_outlets_are_named_from_the_url_host():
    from briefsearch.ingest.extract.outlets import outlet_of

    assert outlet_of("https://www.whitehouse.gov/briefing-room/x/") == "The White House"
    assert outlet_of("https://bidenwhitehouse.archives.gov/briefing-room/x/") == "The White House"
    assert outlet_of("https://www.state.gov/briefings/x/") == "U.S. Department of State"
    assert outlet_of("https://www.nytimes.com/2021/06/21/x.html") == "nytimes.com"
    assert outlet_of(None) is None and outlet_of("seeds/note.txt") is None


def index_records(tmp_path, keep, expect: int):
    """An index of the records of both exports whose link ``keep`` accepts (``expect`` of them)."""
    lines = [line for path in (STATE_DEPT, WHITE_HOUSE) for line in require(path).read_text(encoding="utf-8").splitlines()
             if keep(json.loads(line)["link"])]
    assert len(lines) == expect
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    return index


def test_a_briefing_posted_twice_shows_once_with_its_copies(tmp_path):
    """The State Department posted its June 17, 2021 briefing at two addresses."""
    urls = ("https://www.state.gov/department-press-briefing-june-17-2021/",
            "https://www.state.gov/briefings/department-press-briefing-june-17-2021/")
    index = index_records(tmp_path, lambda link: link in urls, expect=2)
    grouped = hits(index, '"alarming spike in COVID cases"', "-n", "5")
    assert len(grouped) == 1 and grouped[0]["copies"]
    copy = grouped[0]["copies"][0]
    assert copy.split("#")[0] != grouped[0]["article_id"]
    every = hits(index, '"alarming spike in COVID cases"', "-n", "5", "--all-copies")
    assert {h["id"] for h in every} == {grouped[0]["id"], copy}
    text = run("query", '"alarming spike in COVID cases"', "--index", index, "-n", "1").stdout
    assert "also in 1 other article" in text
    from starlette.testclient import TestClient

    from briefsearch.web.app import create_app

    with TestClient(create_app(index), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/", params={"q": '"alarming spike in COVID cases"'}).text
    assert page.count('class="hit"') == 1 and "also in 1 other article<" in page
    assert f'href="/p/{copy.replace("#p", "-p")}"' in page


@pytest.mark.parametrize("command", [("query",), ("articles",), ("timeline",), ("export",), ("alerts", "add")])
def test_every_search_command_takes_the_same_filters(command):
    """One decorator (cli.filter_options) gives every search command the same five filters."""
    from briefsearch.cli import cli

    group = cli
    for name in command:
        group = group.commands[name] if hasattr(group, "commands") else group
    options = {option for param in group.params for option in param.opts}
    assert {"--speaker", "--topic", "--source", "--since", "--until"} <= options
    assert "filters" not in {param.name for param in group.params}


def test_a_statement_read_out_in_a_briefing_is_a_copy_and_a_formula_is_not(tmp_path):
    """The State Department's note on Collin Walsh was read out, reworded, in that day's briefing;
    four proclamations of May 13, 2022 close with the same "IN WITNESS WHEREOF" paragraph, which is
    a formula (more than three articles), not one statement."""
    wanted = ("congratulations-to-collin-walsh", "department-press-briefing-june-22-2022/", "/2022/05/13/a-proclamation-")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=6)
    ledger = {path.name: path.read_bytes() for path in index.glob("ledger.sqlite*") if not path.name.endswith("-shm") and path.stat().st_size}
    [note] = hits(index, '"professional accomplishments"', "-n", "5")
    [copy] = note["copies"]
    every = hits(index, '"professional accomplishments"', "-n", "5", "--all-copies")
    assert {h["id"] for h in every} == {note["id"], copy}
    assert {h["title"].startswith("Department Press Briefing") for h in every} == {True, False}
    closings = hits(index, '"IN WITNESS WHEREOF"', "-n", "10")
    assert len(closings) == 4 and not any(h.get("copies") for h in closings)
    assert {path.name: path.read_bytes() for path in index.glob("ledger.sqlite*") if not path.name.endswith("-shm") and path.stat().st_size} == ledger  # searches never write it


def test_words_said_again_are_not_copies_and_a_document_posted_again_later_is(tmp_path):
    """The First Lady said "we need to vote ... the bare minimum" in two speeches four days apart:
    said again, not one statement printed twice. The State Department posted its Chair's Statement
    on the Roadmap for Global Food Security again 36 days later: the same document under the same
    title, so its paragraphs are copies however far apart."""
    wanted = ("first-lady-jill-biden-at-the-unidosus-2022-annual-conference/",
              "first-lady-jill-biden-at-the-american-federation-of-teachers-2022-convention/",
              "chairs-statement-roadmap-for-global-food-security-call-to-action")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=4)
    said = hits(index, '"voting is the bare minimum"', "-n", "5")
    assert len(said) == 2 and not any(h.get("copies") for h in said)
    [posted] = hits(index, '"act with urgency, at scale, and in concert"', "-n", "5")
    assert len(posted["copies"]) == 1 and posted["copies"][0].split("#")[0] != posted["article_id"]
    assert len(hits(index, '"act with urgency, at scale, and in concert"', "-n", "5", "--all-copies")) == 2


def test_copies_are_decided_again_when_a_later_run_adds_or_removes_one(tmp_path):
    """The note on Collin Walsh and the briefing that read it out, indexed by separate runs: the
    second run decides the note's copy, removing the briefing's file takes it away."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, wanted in (("note.jsonl", "congratulations-to-collin-walsh"), ("briefing.jsonl", "department-press-briefing-june-22-2022/")):
        lines = [line for line in require(STATE_DEPT).read_text(encoding="utf-8").splitlines() if wanted in json.loads(line)["link"]]
        assert len(lines) == 1
        (corpus / name).write_text(lines[0] + "\n", encoding="utf-8")
    briefing = (corpus / "briefing.jsonl").read_text(encoding="utf-8")
    (corpus / "briefing.jsonl").unlink()
    index = tmp_path / "index"
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    [alone] = hits(index, '"professional accomplishments"', "-n", "5")
    assert not alone.get("copies")
    (corpus / "briefing.jsonl").write_text(briefing, encoding="utf-8")
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    [note] = hits(index, '"professional accomplishments"', "-n", "5")
    assert note["id"] == alone["id"] and len(note["copies"]) == 1 and note["copies"][0].split("#")[0] != note["article_id"]
    (corpus / "briefing.jsonl").unlink()
    run("index", corpus, "--index", index, "-q", "--jobs", "1")
    [again] = hits(index, '"professional accomplishments"', "-n", "5")
    assert again["id"] == note["id"] and not again.get("copies")


def test_copies_are_the_same_whatever_part_of_the_index_is_kept_in_memory(tmp_path, monkeypatch):
    """Deciding the copies of a whole index keeps only the statements used last
    (``indexing.copies.STATEMENTS_KEPT``): with room for one, it decides what it decides with room
    for all, and what the index run decided."""
    from briefsearch.indexing import copies
    from briefsearch.indexing.ledger import Ledger
    from briefsearch.indexing.storage import IndexDir

    wanted = ("congratulations-to-collin-walsh", "department-press-briefing-june-22-2022/", "/2022/05/13/a-proclamation-")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=6)

    def decided(again: bool):
        generation = IndexDir(index).live()
        reader = generation.engine().reader(generation.path)
        try:
            with Ledger(index) as ledger:
                count = copies.regroup(ledger, reader) if again else None
                return count, ledger.copies(ledger.grouped_ids())
        finally:
            reader.close()

    _, by_the_run = decided(again=False)
    count, kept = decided(again=True)
    assert kept == by_the_run and len(kept) >= 2 and count > len(kept)  # the note and its copies; the formula none
    monkeypatch.setattr(copies, "STATEMENTS_KEPT", 1)
    monkeypatch.setattr(copies, "ARTICLES_COMPARED", 1)
    assert decided(again=True) == (count, kept)


def test_a_whole_index_decides_copies_as_paragraph_by_paragraph_reading_every_article(tmp_path, monkeypatch):
    """A first build decides every paragraph's copies from a snapshot of the index's statements,
    comparing two articles only when the ledger's anchors link enough of their paragraphs
    (``copies._Documents._unlinked``); one paragraph at a time, reading each candidate and article
    from the index and comparing every pair, gives the same copies: a briefing posted at two
    addresses (one document twice: copies), a note read out in a briefing (a copy), four
    proclamations' closing formula (none)."""
    from briefsearch.indexing import copies
    from briefsearch.indexing.ledger import Ledger
    from briefsearch.indexing.storage import IndexDir

    wanted = ("department-press-briefing-june-17-2021/", "congratulations-to-collin-walsh",
              "department-press-briefing-june-22-2022/", "/2022/05/13/a-proclamation-")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=8)

    def kept_and_exact():
        generation = IndexDir(index).live()
        reader = generation.engine().reader(generation.path)
        try:
            with Ledger(index) as ledger:
                copies.regroup(ledger, reader)
                kept = ledger.copies(ledger.grouped_ids())
                every = [p.id for p in reader.paragraphs()]
                exact = {i: found for i, found in copies.decide(ledger, reader, every).items() if found}
                return kept, exact
        finally:
            reader.close()

    kept, exact = kept_and_exact()
    twice = [i for i in kept if "#" in i and any(c.split("#")[0] != i.split("#")[0] for c in kept[i])]
    assert kept == exact and len(twice) >= 20  # the briefing's turns, each with its copy at the other address
    counted = copies._Snapshot.count
    monkeypatch.setattr(copies._Snapshot, "count", lambda self, article_id: 2 * counted(self, article_id))
    kept, exact = kept_and_exact()
    assert kept != exact  # articles counted twice as long seem unlinked: the briefing's turns lose their copies


def test_one_document_printed_twice_is_told_as_by_comparing_every_pair_of_paragraphs(tmp_path):
    """Whether two articles are one document printed twice (``copies._held``) passes over the
    paragraphs whose runs of words are not in the other article and stops once the count is decided:
    on every pair of real articles, the briefing the State Department posted at two addresses among
    them, it answers as comparing each paragraph with each paragraph of the other does."""
    from briefsearch.indexing import copies
    from briefsearch.indexing.storage import IndexDir

    wanted = ("department-press-briefing-june-17-2021/", "department-press-briefing-june-22-2022/",
              "congratulations-to-collin-walsh", "/2022/05/13/a-proclamation-")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=8)
    generation = IndexDir(index).live()
    reader = generation.engine().reader(generation.path)
    try:
        documents = copies._Documents(copies._Statements(reader))
        articles = sorted({p.article_id for p in reader.paragraphs()})
        answers = {}
        for first in articles:
            for second in articles:
                if first == second:
                    continue  # an article is trivially one document with itself
                mine, theirs = documents._article_runs(first), documents._article_runs(second)
                compared = 2 <= len(mine.paragraphs) <= len(theirs.paragraphs)  # as ``_Documents.same`` orders them
                for share in (copies.CONTAINMENT, copies.DOCUMENT_CONTAINMENT):
                    every = sum(1 for x in mine.paragraphs if any(copies._holds(x, y, share) for y in theirs.paragraphs))
                    expected = compared and every >= copies.SAME_DOCUMENT * len(mine.paragraphs)
                    answers[first, second, share] = (compared and copies._held(mine, theirs, share), expected)
    finally:
        reader.close()
    assert all(found == expected for found, expected in answers.values())
    assert sum(expected for _, expected in answers.values()) >= 2  # the briefing posted twice, at both shares


def test_a_ledger_of_an_older_version_moves_its_anchors_to_the_keyed_table(tmp_path):
    """Older ledgers kept each anchor unsigned in a table with an index of its own, and an index of
    fingerprints nothing looked up: opened to be written, the anchors move to one table keyed by
    (anchor, paragraph), signed as ``statement_anchors`` gives them now, and the copies are found as
    before."""
    import sqlite3

    from briefsearch.indexing.ledger import Ledger

    wanted = ("congratulations-to-collin-walsh", "department-press-briefing-june-22-2022/")
    index = index_records(tmp_path, lambda link: any(w in link for w in wanted), expect=2)
    db = sqlite3.connect(index / "ledger.sqlite")
    anchors, grouped = sorted(db.execute("SELECT anchor, paragraph FROM anchors")), db.execute("SELECT * FROM copies").fetchall()
    db.executescript("ALTER TABLE anchors RENAME TO keyed;"
                     "CREATE TABLE anchors (anchor INTEGER NOT NULL, paragraph INTEGER NOT NULL);"
                     "INSERT INTO anchors SELECT anchor + 2147483648, paragraph FROM keyed; DROP TABLE keyed;"
                     "CREATE INDEX anchors_anchor ON anchors (anchor); CREATE INDEX paragraphs_print ON paragraphs (print);")
    db.close()
    with Ledger(index, readonly=True) as ledger:  # a search reads the older ledger as it is
        assert ledger.db.execute("SELECT * FROM copies").fetchall() == grouped
    with Ledger(index) as ledger:
        assert sorted(ledger.db.execute("SELECT anchor, paragraph FROM anchors")) == anchors
        schema = dict(ledger.db.execute("SELECT name, sql FROM sqlite_master"))
        assert ledger.db.execute("SELECT * FROM copies").fetchall() == grouped
    assert "WITHOUT ROWID" in schema["anchors"] and not {"anchors_anchor", "paragraphs_print", "anchors_keyed"} & set(schema)
    (index.parent / "corpus" / "records.jsonl").touch()  # read again: same words, the copies decided again
    run("index", index.parent / "corpus", "--index", index, "-q", "--jobs", "1")
    [note] = hits(index, '"professional accomplishments"', "-n", "5")
    assert len(note["copies"]) == 1


def test_anchors_find_a_shared_run_of_eight_words():
    from briefsearch.indexing.copies import containment
    from briefsearch.text.fingerprint import statement_anchors

    said = "We remain committed to our One-China Policy based on the Taiwan Relations Act and the three joint communiques."
    quoted = "As the spokesperson put it this week, our One-China Policy based on the Taiwan Relations Act stands unchanged."
    assert set(statement_anchors(said)) & set(statement_anchors(quoted))
    assert statement_anchors("Thank you all very much for coming today.") == []  # too short to be grouped
    assert containment(said, said.upper()) == 1.0 and containment(said, quoted) < 0.5


def test_a_statement_is_the_same_with_or_without_accents_and_keeps_its_letters():
    from briefsearch.text.fingerprint import fingerprint, statement_words

    assert fingerprint("Secretary Blinken met President Zelenskyy in Kyiv.") == \
        fingerprint("SECRETARY BLINKEN MET PRÉSIDENT ZELÉNSKYY IN KYÏV")
    # letters above U+0300 that are no combining mark stay: Greek, Cyrillic, Chinese, astral letters
    assert statement_words("Ο Λευκός Οίκος, Білий дім, 白宫 𝐀") == ["ο", "λευκοσ", "οικοσ", "білии", "дім", "白宫", "A"]


@pytest.mark.parametrize("words", [("havana", "syndrome"), ("cuba", "embassy", "staff"), ('"havana syndrome"',)])
def test_a_search_counts_exports_charts_and_facets_the_same_paragraphs(havana, words):
    """One definition of a search's matches (``Searcher.matching``, the widest tier: a paragraph
    shown for some of the words is a match): ``query``'s total, the rows ``export`` writes, the
    timeline's total and its counts plus the undated, the facet counts and the article list's
    paragraphs are the same number, with and without a filter."""
    from briefsearch.query.articles import list_articles
    from briefsearch.query.searcher import SearchOptions, facets

    _, index = havana
    for filters in ((), ("--source", "white house")):
        total = json.loads(run("query", *words, *filters, "--index", index, "--format", "json").stdout)["total"]
        exported = run("export", *words, *filters, "--index", index).stdout.splitlines()
        chart = json.loads(run("timeline", *words, *filters, "--index", index, "--format", "json").stdout)
        options = SearchOptions(source=filters[1] if filters else None)
        outlets = facets(index, " ".join(words), options)["outlet"]
        _, articles = list_articles(index, " ".join(words), options, limit=None)
        assert total == len(exported) == chart["total"] == sum(chart["counts"]) + chart["undated"] > 0, (words, filters)
        assert total == sum(outlets.values()) == sum(a["paragraphs"] for a in articles), (words, filters)
