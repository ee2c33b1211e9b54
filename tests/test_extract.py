"""Extraction of articles from each format, on hand-written fixtures and real shared exports."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from briefsearch.ingest.chunking import LONG_BLOCK, chunk_article
from briefsearch.errors import SkippedFile
from briefsearch.ingest.extract import extract_articles, iso_date, strip_site_suffix
from briefsearch.models import Block
from briefsearch.ingest.sources import SourceFile, read_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def sha12(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def extract_file(path: Path):
    info = path.stat()
    source = SourceFile(str(path), info.st_size, info.st_mtime_ns)
    return extract_articles(source, read_text(source)[0])


def extract_string(name: str, text: str):
    return extract_articles(SourceFile(name, len(text), 0), text)


def texts(article) -> list[str]:
    return [block.text for block in article.blocks]


# --- HTML --------------------------------------------------------------------------------------


def test_whole_page_metadata():
    [article] = extract_file(FIXTURES / "ext_page.html")
    assert article.title == "Readout of the Secretary\u2019s Call with the Foreign Minister"
    assert article.date == "2021-06-09T10:30:00-04:00"  # the source's own clock, not UTC
    assert article.author == "Office of the Spokesperson"
    assert article.url == "https://example.gov/readout-call-foreign-minister/"
    assert article.article_id == sha12(str(FIXTURES / "ext_page.html"))
    assert article.source == str(FIXTURES / "ext_page.html")


def test_whole_page_body_blocks_without_boilerplate():
    [article] = extract_file(FIXTURES / "ext_page.html")
    assert article.blocks == (
        Block("The Secretary spoke today with the Foreign Minister about the U.S.\u2013Russia talks \u2014 and about "
              "\u201cjoint threat assessment\u201d work."),
        Block("SECRETARY: We discussed energy security and the Nord Stream 2 pipeline.", bold_label="SECRETARY:"),
        Block("Next steps", "heading", "Next steps"),
        Block("Both sides agreed to meet again.", section="Next steps"),
        Block("The ministers will speak next week.", section="Next steps"),
        Block("Unclosed paragraph recovered by the parser.", section="Next steps"),
        Block("Energy security", "li", "Next steps"),
        Block("Climate cooperation", "li", "Next steps"),
    )


def test_boilerplate_words_are_nowhere():
    [article] = extract_file(FIXTURES / "ext_page.html")
    body = " ".join(texts(article)) + article.title
    for word in ["Quokka", "zebra", "cookies", "Pelican", "Albatross", "Flamingo", "Heron", "Cormorant", "Puffin",
                 "Gannet", "Osprey", "Kestrel", "Subscribe", "By Office"]:
        assert word not in body


def test_bare_fragment_splits_turns_on_single_br_before_a_label_and_reads_anchors():
    [article] = extract_file(FIXTURES / "ext_fragment.html")
    assert article.title == "ext fragment"  # no title in a fragment: the file name
    assert (article.date, article.author, article.url) == (None, None, None)
    assert article.blocks == (
        Block("James S. Brady Press Briefing Room"),
        Block("Text that sits directly in a div."),
        Block("MS. EXAMPLE: Good afternoon, everyone."),
        Block("Q Thanks. A question about the summit?"),
        Block("MS. EXAMPLE: Go ahead with the rest.\nIt continues on a new line."),
        Block("QUESTION: On Iran, is there news?", section="IRAN", bold_label="QUESTION:"),
        Block("MR PRICE: Nothing new today.", section="IRAN", bold_label="MR PRICE:"),
        Block("QUESTION: And on the pipeline?", section="NORDSTREAM2", bold_label="QUESTION:"),
    )


def test_anchor_takes_precedence_over_a_later_heading():
    [article] = extract_string(
        "a.html", '<h2>Opening</h2><p>Intro.</p><p><a id="post-9-IRAN2"></a>On Iran.</p><h3>Sub</h3><p>More.</p>'
    )
    assert [(b.text, b.section) for b in article.blocks] == [
        ("Opening", "Opening"), ("Intro.", "Opening"), ("On Iran.", "IRAN2"), ("Sub", "IRAN2"), ("More.", "IRAN2")
    ]


def test_br_runs_with_nbsp_split_and_a_lone_br_does_not():
    [article] = extract_string("a.html", "<p>One.<br>&nbsp;<br>Two.<br><br>Three<br>still three.<br> \n<br/>Four.</p>")
    assert texts(article) == ["One.", "Two.", "Three\nstill three.", "Four."]


def test_bold_label_after_a_br_run():
    [article] = extract_string("a.html", "<p><b>MR. A:</b> Hi.<br><br><strong>Q:</strong> Why?<br><br>Because.</p>")
    assert [(b.text, b.bold_label) for b in article.blocks] == [
        ("MR. A: Hi.", "MR. A:"), ("Q: Why?", "Q:"), ("Because.", None)
    ]


def test_html_without_text_is_skipped():
    with pytest.raises(SkippedFile) as caught:
        extract_string("empty.html", "<html><head><title>Nothing</title></head><body><nav>Menu</nav></body></html>")
    assert caught.value.reason == "no text found"


def test_txt_that_is_an_html_page_is_read_as_html():
    [article] = extract_string("page.txt", "<!DOCTYPE html><html><head><title>Real title</title></head>"
                                           "<body><p>Body text.</p></body></html>")
    assert (article.title, texts(article)) == ("Real title", ["Body text."])


@pytest.mark.parametrize(
    "title, site, expected",
    [
        ("Remarks by the President | The White House", "The White House", "Remarks by the President"),
        ("Remarks by the President - The White House", "The White House", "Remarks by the President"),
        ("Remarks by the President | Example Site", "", "Remarks by the President"),
        ("Department Press Briefing \u2013 June 9, 2021", "", "Department Press Briefing \u2013 June 9, 2021"),
        ("Department Press Briefing \u2013 June 9, 2021", "United States Department of State",
         "Department Press Briefing \u2013 June 9, 2021"),
        ("Questions and Answers | A long subtitle that is part of the title", "",
         "Questions and Answers | A long subtitle that is part of the title"),
    ],
)
def test_site_suffix_is_stripped_only_when_safe(title, site, expected):
    assert strip_site_suffix(title, site) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021-06-09", "2021-06-09"),
        ("June 9, 2021", "2021-06-09"),
        ("2021-06-09T10:30:00-04:00", "2021-06-09T10:30:00-04:00"),
        ("2021-06-09T10:30:00Z", "2021-06-09T10:30:00+00:00"),
        ("2021-06-09 10:30:00", "2021-06-09T10:30:00"),
        ("Wed, 09 Jun 2021 21:40:43 +0000", "2021-06-09T21:40:43+00:00"),
        ("Fri, 04 Jun 2021 10:00:00 EDT", "2021-06-04T10:00:00-04:00"),
        ("2021-06-09T21:30:00-04:00", "2021-06-09T21:30:00-04:00"),  # late evening stays on its own day
        ("Thursday, April 2, 2020", "2020-04-02"),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_become_iso(value, expected):
    assert iso_date(value) == expected


# --- plain text ----------------------------------------------------------------------------------


def test_plain_text_title_and_paragraphs(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text("  \nStatement on the Summit\n\nFirst paragraph\nwraps here.\n\n\n  Second paragraph.  \n")
    [article] = extract_file(path)
    assert article.title == "Statement on the Summit"
    assert article.blocks == (Block("First paragraph wraps here."), Block("Second paragraph."))
    assert article.article_id == sha12(str(path))


def test_plain_text_whose_first_paragraph_is_long_keeps_it_in_the_body(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("The ministers met in Geneva on Tuesday\nand agreed to talk again.\n\nMore.")
    [article] = extract_file(path)
    assert article.title == "The ministers met in Geneva on Tuesday"
    assert texts(article) == ["The ministers met in Geneva on Tuesday and agreed to talk again.", "More."]


def test_markdown_title_headings_and_lists():
    [article] = extract_file(FIXTURES / "ext_notes.md")
    assert article.title == "Notes on Missile Defense"
    assert article.blocks == (
        Block("The first paragraph of the notes is wrapped over two lines."),
        Block("Background", "heading", "Background"),
        Block("Phase one", "li", "Background"),
        Block("Phase two continues on a second line", "li", "Background"),
        Block("Closing paragraph.", section="Background"),
    )


def test_seed_article_keeps_its_jta_paragraph():
    seed = Path(__file__).resolve().parents[1] / "seeds" / "us-missile-defenses-directed-at-russia.txt"
    [article] = extract_file(seed)
    assert article.title == "Are US Missile Defenses Directed At Russia?"
    assert texts(article)[0].startswith("At the Russian Ministry of Defense Conference")
    assert any(text.endswith("which we now refer to as the Joint Threat Assessment, or JTA, for short.")
               for text in texts(article))


# --- JSON ----------------------------------------------------------------------------------------


def test_json_lines_records_bad_lines_skipped():
    path = FIXTURES / "ext_records.jsonl"
    first, second, third = extract_file(path)
    assert (first.article_id, first.title, first.date, first.author, first.url, first.categories) == (
        sha12("https://example.gov/?p=2001"), "Press Briefing on the Economy", "2021-06-03T23:17:25+00:00",
        "The White House", "https://example.gov/press-briefing-economy/", ("Press Briefings",),
    )
    assert texts(first) == ["12:56 P.M. EDT", "MS. PSAKI: All right. Welcome.", "Q Thanks, Jen. A question on jobs.",
                            "MS. PSAKI: Jobs are up."]
    assert (second.article_id, second.date, second.author, second.categories) == (
        sha12("https://example.gov/plain-statement/"), "2021-06-04", "Office of the Spokesperson",
        ("Statements and Releases",),
    )
    assert texts(second) == ["First paragraph of the statement continues on the next line.", "Second paragraph."]
    # Neither id nor url: the file path and the record's position (the 5th JSON line).
    assert third.article_id == sha12(f"{path}#4")
    assert (third.title, third.date, texts(third)) == (
        "Record without id or url", "2021-06-04T10:00:00-04:00", ["Only a plain paragraph."]
    )


def test_json_array_with_wordpress_style_fields():
    first, second = extract_file(FIXTURES / "ext_records.json")
    assert (first.article_id, first.title, first.date, first.author, first.url) == (
        sha12("3001"), "Readout \u2013 Call with the Prime Minister", "2021-06-09T10:00:00",
        "Press Office, Ned Price", "https://example.gov/wp-style/",
    )
    assert first.blocks == (Block("The President spoke with the Prime Minister."), Block("Trade", "li"),
                            Block("Security", "li"))
    assert (second.article_id, second.date, texts(second)) == (
        sha12("urn:example:record:2"), "2021-06-10", ["A plain description used as the body."]
    )


def test_json_object_with_items_list_and_single_object():
    articles = extract_string("feed.json", json.dumps({"items": [{"title": "A", "content_text": "Alpha."},
                                                                 {"title": "B", "content_text": "Beta."}]}))
    assert [(a.title, a.article_id) for a in articles] == [("A", sha12("feed.json#0")), ("B", sha12("feed.json#1"))]
    [single] = extract_string("one.json", json.dumps({"title": "Only", "body": "Just one."}))
    assert (single.title, single.article_id, texts(single)) == ("Only", sha12("one.json"), ["Just one."])


def test_repeated_record_id_in_one_file_gets_distinct_article_ids():
    line = json.dumps({"id": "same", "title": "T", "text": "Body."})
    first, second = extract_string("dup.jsonl", line + "\n" + line + "\n")
    assert first.article_id == sha12("same")
    assert second.article_id == sha12("same#1")


def test_json_with_no_readable_record_is_skipped():
    with pytest.raises(SkippedFile) as caught:
        extract_string("bad.jsonl", '{"title": "broken\n[1, 2]\nnot json at all\n')
    assert caught.value.reason == "no readable JSON records"


def test_json_records_without_body_are_no_text():
    with pytest.raises(SkippedFile) as caught:
        extract_string("titles.jsonl", '{"title": "Only a title"}\n')
    assert caught.value.reason == "no text found"


# --- feeds ---------------------------------------------------------------------------------------


def test_rss_items():
    first, second = extract_file(FIXTURES / "ext_feed.rss")
    assert (first.article_id, first.title, first.date, first.author, first.url, first.categories) == (
        sha12("https://example.gov/?p=1001"), "Sanctions on Shipping Network", "2021-06-09T21:40:43+00:00",
        "Antony J. Blinken, Secretary of State", "https://example.gov/sanctions-shipping/", ("Press Releases",),
    )
    # content:encoded wins over the description (which carries a script and an excerpt).
    assert first.blocks == (Block("The United States is sanctioning a shipping network."),
                            Block("VESSEL NAME: Example Star", bold_label="VESSEL NAME:"))
    assert (second.article_id, second.date, second.author) == (
        sha12("https://example.gov/oceans-day/"), "2021-06-08T14:00:00-04:00", None
    )
    assert texts(second) == ["Today we celebrate the oceans.", "We protect them together."]


def test_atom_entries():
    first, second = extract_file(FIXTURES / "ext_feed.atom")
    assert (first.article_id, first.title, first.date, first.author, first.url) == (
        sha12("urn:example:entry:1"), "Briefing on the Summit", "2021-06-09T10:30:00-04:00", "Ned Price",
        "https://example.gov/briefing-summit/",
    )
    assert first.blocks == (Block("MR PRICE: Good afternoon.", bold_label="MR PRICE:"),
                            Block("Let us begin with the summit."))
    assert (second.title, second.date, second.url) == (
        "Fact Sheet: Ocean Partnership", "2021-06-08", "https://example.gov/fact-sheet-oceans/"
    )
    assert second.blocks == (Block("Overview", "heading", "Overview"),
                             Block("The partnership funds marine research.", section="Overview"))


def test_xml_that_is_no_feed_is_skipped():
    with pytest.raises(SkippedFile) as caught:
        extract_string("sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>')
    assert caught.value.reason == "no RSS items or Atom entries"


def test_feed_does_not_resolve_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    feed = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<rss><channel><item><title>T</title><description>Body &xxe; end.</description></item></channel></rss>")
    [article] = extract_string("evil.rss", feed)
    assert "TOPSECRET" not in " ".join(texts(article))


# --- real exports --------------------------------------------------------------------------------


def real_record(name: str, title: str) -> tuple[str, dict]:
    path = SHARED_DATA / name / "items.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if f'"title": {json.dumps(title, ensure_ascii=False)}' in line:
                return line, json.loads(line)
    pytest.fail(f"record not found: {title}")


def test_white_house_br_packed_briefing_becomes_one_paragraph_per_turn():
    line, record = real_record("whitehouse_briefing_room", "Press Briefing by Press Secretary Jen Psaki, June 3, 2021")
    assert record["content_html"].count("<p") == 3  # the whole briefing is packed into 3 <p>s
    [article] = extract_string("wh.jsonl", line)
    paragraphs = chunk_article(article)
    assert (article.title, article.date, article.categories) == (
        "Press Briefing by Press Secretary Jen Psaki, June 3, 2021", "2021-06-03T19:17:25-04:00", ("Press Briefings",)
    )  # the feed's 23:17:25 UTC on Washington's clock (``outlets.local_clock``)
    assert [p.text for p in paragraphs[:2]] == ["James S. Brady Press Briefing Room", "12:56 P.M. EDT"]
    assert paragraphs[2].text.startswith("MS. PSAKI: All right. I have a couple of items for all of you at the top")
    assert paragraphs[-1].text == "1:50 P.M. EDT"
    # Every turn opens its own paragraph: as many paragraphs start with a label as the HTML has labels.
    assert sum(p.text.startswith("MS. PSAKI:") for p in paragraphs) == record["content_html"].count("MS. PSAKI:") == 83
    assert sum(p.text.startswith("Q ") for p in paragraphs) == 82
    two_labels = re.compile(r"\S.*(?:MS\. PSAKI:|(?<=[.?!\u2014] )Q [A-Z])")
    assert [p.text[:60] for p in paragraphs if two_labels.search(p.text)] == []
    assert max(len(p.text) for p in paragraphs) <= LONG_BLOCK


def test_state_department_anchors_label_sections():
    line, record = real_record("state_dept_press_releases", "Department Press Briefing \u2013 June 9, 2021")
    [article] = extract_string("state.jsonl", line)
    anchors = re.findall(r'<a id="post-\d+-([^"]+)"', record["content_html"])
    sections = [b.section for b in article.blocks]
    in_order = [s for i, s in enumerate(sections) if s and (i == 0 or sections[i - 1] != s)]
    assert in_order == anchors
    assert anchors[:4] == ["NICARAGUA", "BURKINAFASO", "AFGHANISTAN", "NORDSTREAM2"]
    assert sections[:3] == [None, None, None]  # before the first anchor
    opening = next(b for b in article.blocks if b.section == "NORDSTREAM2")
    assert opening.bold_label == "QUESTION:"
    assert opening.text.startswith("QUESTION: Thanks, Ned. I have a couple that relate to testimony")
    assert (article.author, article.url) == (
        "Ned Price, Department Spokesperson", "https://www.state.gov/briefings/department-press-briefing-june-9-2021/"
    )
