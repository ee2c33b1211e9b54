"""Rendering: every format carries the documented keys; bold only when asked for."""

import csv
import io
import json

from briefsearch.models import Hit, Paragraph, SearchResult
from briefsearch.present.render import HIT_KEYS, render_result
from briefsearch.query.snippets import MARK_END, MARK_START, make_snippet

PARAGRAPH = Paragraph(
    id="76a10e417cd0#p12", article_id="76a10e417cd0", position=12,
    text="\u201cWe cannot agree to any limitations on our missile defense deployments.\u201d -Ms. Tauscher",
    title="Are US Missile Defenses Directed At Russia?", date="2010-06-01", author="Mina Fabulous",
    source="seeds/us.txt", url="https://example.org/a", speaker="Ellen Tauscher", is_quote=True,
    topics=("Missile defense", "Russia"),
)
RESULT = SearchResult(query="limitations", total=1, hits=(
    Hit(rank=1, score=4.06, paragraph=PARAGRAPH, snippet=f"We cannot agree to any {MARK_START}limitations{MARK_END} on our"),))


def test_json_is_one_object_with_the_documented_keys():
    data = json.loads(render_result(RESULT, "json"))
    assert data["query"] == "limitations" and data["total"] == 1
    hit = data["hits"][0]
    assert set(HIT_KEYS) <= set(hit)
    assert hit["paragraph"] == 12 and hit["topics"] == ["Missile defense", "Russia"]
    assert hit["snippet"] == "We cannot agree to any limitations on our"
    assert hit["speaker"] == "Ellen Tauscher"


def test_jsonl_is_one_hit_per_line():
    lines = render_result(RESULT, "jsonl").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == "76a10e417cd0#p12"


def test_csv_has_a_header_row_and_joins_lists():
    rows = list(csv.DictReader(io.StringIO(render_result(RESULT, "csv"))))
    assert list(rows[0]) == list(HIT_KEYS)
    assert rows[0]["topics"] == "Missile defense; Russia" and rows[0]["rank"] == "1"


def test_text_shows_rank_title_date_speaker_id_and_bold_only_with_color():
    plain = render_result(RESULT, "text", color=False)
    assert " 1. [4.06] Are US Missile Defenses Directed At Russia?" in plain
    assert "2010-06-01 · Ellen Tauscher · 76a10e417cd0#p12" in plain
    assert "\x1b[" not in plain and MARK_START not in plain
    assert "\x1b[1mlimitations\x1b[0m" in render_result(RESULT, "text", color=True)


def test_snippet_does_not_cut_honorifics_or_initials():
    text = ("The talks went on for hours. " * 6 + "Ms. Tauscher said the U.S. Government will not accept limitations on "
            "missile defense. " + "Other sentences follow here. " * 6)
    snippet = make_snippet(text, {"limit"}, width=120)
    plain = snippet.replace(MARK_START, "").replace(MARK_END, "")
    assert "Ms. Tauscher said the U.S. Government will not accept limitations" in plain
    assert f"{MARK_START}limitations{MARK_END}" in snippet
