"""Reading pages as a reader would: dates from the page's own evidence on the source's calendar
day, front matter, hidden content, furniture ids, server extensions, skipped types and duplicates."""

from __future__ import annotations

import json

from briefsearch.ingest.extract import extract_articles
from briefsearch.ingest.sources import SourceFile
from tests.helpers import invoke


def page(name: str, text: str):
    [article] = extract_articles(SourceFile(name, len(text), 0), text)
    return article


def html(head: str = "", body: str = "<p>The Secretary met the Foreign Minister today.</p>") -> str:
    return f"<!DOCTYPE html><html><head><title>Readout of a Call</title>{head}</head><body><main>{body}</main></body></html>"


# --- dates -------------------------------------------------------------------------------------


def test_a_late_evening_time_stays_on_the_sources_day_with_its_exact_time():
    article = page("a.html", html('<meta property="article:published_time" content="2021-06-09T21:30:00-04:00">'))
    assert article.date == "2021-06-09T21:30:00-04:00"  # 01:30 UTC on June 10, but June 9 where it was said


def test_published_is_preferred_over_modified_in_linked_data_and_meta():
    linked = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Readout of a Call",
              "dateModified": "2021-07-01T08:00:00Z", "datePublished": "2021-06-09T10:00:00-04:00"}
    head = (f'<meta property="article:modified_time" content="2021-07-02T08:00:00Z">'
            f'<script type="application/ld+json"><![CDATA[{json.dumps(linked)}]]></script>')
    assert page("a.html", html(head)).date == "2021-06-09T10:00:00-04:00"
    assert page("b.html", html('<meta property="article:modified_time" content="2021-07-02T08:00:00Z">'
                               '<meta name="pubdate" content="2021-06-09">')).date == "2021-06-09"


def test_a_modified_date_is_used_only_when_nothing_says_when_it_was_published():
    assert page("a.html", html('<meta property="article:modified_time" content="2021-07-02T08:00:00Z">')).date \
        == "2021-07-02T08:00:00+00:00"


def test_time_element_and_visible_dateline():
    assert page("a.html", html(body='<p>By Staff</p><time datetime="2020-04-02T17:00:00-04:00">April 2</time>'
                                    '<p>The task force met today in the Situation Room.</p>')).date == "2020-04-02T17:00:00-04:00"
    dateline = html(body="<h1>Readout of a Call</h1><p>June 9, 2021</p><p>The Secretary met the Foreign Minister today "
                         "to discuss the joint threat assessment and energy security in Europe.</p>")
    assert page("c.html", dateline).date == "2021-06-09"


def test_no_date_on_the_page_gives_none():
    assert page("a.html", html()).date is None


def test_since_until_and_date_field_use_the_sources_day(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "late.html").write_text(html('<meta property="article:published_time" content="2021-06-09T21:30:00-04:00">',
                                           "<p>Evening statement on energy security.</p>"), encoding="utf-8")
    index = tmp_path / "index"
    assert invoke("index", folder, "--index", index, "--jobs", "1").exit_code == 0
    hits = lambda *args: json.loads(invoke("query", "energy", "--index", index, "--format", "json", *args).stdout)["hits"]  # noqa: E731
    assert [h["date"] for h in hits("--since", "2021-06-09", "--until", "2021-06-09")] == ["2021-06-09T21:30:00-04:00"]
    assert hits("--since", "2021-06-10") == []
    assert len(json.loads(invoke("query", "energy date:2021-06-09", "--index", index, "--format", "json").stdout)["hits"]) == 1
    assert "2021-06-09" in invoke("query", "energy", "--index", index).output


# --- server extensions and skipped types ----------------------------------------------------------


def test_a_php_page_is_sniffed_as_html_and_a_pdf_is_counted_by_extension(tmp_path):
    folder = tmp_path / "hearings"
    folder.mkdir()
    (folder / "hearing.php").write_text(
        "\n<!-- saved from the committee site -->\n<head><title>Hearing on Energy Security</title></head>"
        "<body><nav>Home | Hearings</nav><p>The committee heard testimony on pipeline sanctions.</p></body>",
        encoding="utf-8")
    (folder / "feed.aspx").write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>Readout</title>'
                                      "<description>The Secretary met the minister.</description></item></channel></rss>",
                                      encoding="utf-8")
    (folder / "LICENSE").write_text("Public domain.", encoding="utf-8")
    (folder / "statement").write_text("Statement on Sanctions\n\nThe United States imposes sanctions today.\n", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 binary")
    (folder / "annex.pdf").write_bytes(b"%PDF-1.4 binary")
    (folder / "photo.php").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    index = tmp_path / "index"
    result = invoke("index", folder, "--index", index, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 new, 0 changed, 0 unchanged, 0 removed, 4 skipped files; 3 paragraphs written")
    assert "4 skipped: unsupported file type (.pdf 2, (none) 1); binary file (.php 1)" in result.stderr.splitlines()
    assert f"warning: {folder / 'report.pdf'}: skipped (unsupported file type)" in result.stderr.splitlines()
    found = json.loads(invoke("query", "pipeline sanctions", "--index", index, "--format", "json").stdout)["hits"]
    assert [(h["title"], h["text"]) for h in found][:1] == [("Hearing on Energy Security",
                                                             "The committee heard testimony on pipeline sanctions.")]
    assert json.loads(invoke("query", "minister", "--index", index, "--format", "json").stdout)["hits"][0]["title"] == "Readout"
    assert invoke("index", folder, "--index", index, "--strict").exit_code == 6


# --- front matter -----------------------------------------------------------------------------------

BRIEFING_MD = """---
date: '2023-07-05'
published_time: 2023-07-05 20:59:20-04:00
source_url: https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2023/07/05/press-briefing/
tags: press-briefings
author: [Karine Jean-Pierre]
title: "Press Briefing by Press Secretary Karine\\_Jean-Pierre and National Security\\
  \\ Advisor Jake\\_Sullivan"
---

# Press Briefing by Press Secretary Karine Jean-Pierre and National Security Advisor Jake Sullivan

James S. Brady Press Briefing Room

MS. JEAN-PIERRE:  Hey, hey.  Happy Wednesday.

It is time to stop pointing <s>figers</s> \\[fingers\\] at each other.
"""


def test_markdown_front_matter_gives_title_date_url_author_tags_and_the_body_its_paragraphs():
    article = page("2023-07-05-press-briefing.md", BRIEFING_MD)
    assert article.title == "Press Briefing by Press Secretary Karine Jean-Pierre and National Security Advisor Jake Sullivan"
    assert article.date == "2023-07-05T20:59:20-04:00"
    assert article.url == "https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2023/07/05/press-briefing/"
    assert article.author == "Karine Jean-Pierre"
    assert article.categories == ("press-briefings",)
    assert [block.text for block in article.blocks] == [
        "James S. Brady Press Briefing Room", "MS. JEAN-PIERRE: Hey, hey. Happy Wednesday.",
        "It is time to stop pointing figers [fingers] at each other.",
    ]


def test_markdown_escapes_leave_titles_and_a_date_only_front_matter_is_a_day():
    article = page("note.md", "---\ntitle: 'Remarks by President\\_Biden \\#2'\ndate: 2021-06-09\n---\nThe President spoke.\n")
    assert (article.title, article.date, [b.text for b in article.blocks]) == ("Remarks by President_Biden #2", "2021-06-09",
                                                                               ["The President spoke."])


# Paragraphs as the White House Markdown archive writes them (fact sheets, "ICYMI" pages, remarks)
INLINE_MD = """---
title: Monday Morning Wins
date: '2025-03-03'
---

**American manufacturing surges:** Automaker Honda is
[expected](https://www.reuters.com/business/honda-produce-next-civic-indiana-2025-03-03/) to produce
its next *Civic* in Indiana, said [**Sen. Markwayne Mullin**](https://x.com/SenMullin/status/1)**:** \\*\\*\\*

> *“One year ago today, President Trump threw away the illusions of
> ‘free trade’.”*

<figure> <img src="https://www.whitehouse.gov/wp-content/uploads/2025/06/front-page-1.jpg"
style="width:600px" decoding="async" /> </figure>

![](https://mcusercontent.com/c97630621baff8c44fe607661/_compresseds/74caa.jpg)

We <span style="text-decoration: underline">must</span> use our lives to heal a broken world,
wrote Karine\\_Jean-Pierre: <https://bidenwhitehouse.archives.gov/letter.pdf>

**Chairman, Senate Judiciary Committee: **“Thank you, @POTUS.” Third**,** 5 * 3 = 15.

<!-- -->

\\*\\*\\*

------------------------------------------------------------------------

###
"""


def test_markdown_is_read_as_its_reader_sees_it_no_link_targets_markers_tags_or_separators():
    article = page("2025-03-03-monday-morning-wins.md", INLINE_MD)
    assert [block.text for block in article.blocks] == [
        "American manufacturing surges: Automaker Honda is expected to produce its next Civic in Indiana, "
        "said Sen. Markwayne Mullin: ***",
        "“One year ago today, President Trump threw away the illusions of ‘free trade’.”",
        "We must use our lives to heal a broken world, wrote Karine_Jean-Pierre: "
        "https://bidenwhitehouse.archives.gov/letter.pdf",
        "Chairman, Senate Judiciary Committee: “Thank you, @POTUS.” Third, 5 * 3 = 15.",
    ]


def test_text_opening_with_dashes_but_no_yaml_mapping_is_plain_text():
    article = page("memo.md", "---\nNot front matter at all\n---\n\nBody line.\n")
    assert [b.text for b in article.blocks] == ["--- Not front matter at all ---", "Body line."]


# --- duplicates --------------------------------------------------------------------------------------

BODY = "<p>The Secretary welcomed the agreement on energy security.</p><p>Both sides will meet again in July.</p>"


def _saved(folder, name, title, url, body=BODY):
    (folder / name).write_text(html(f'<meta property="og:title" content="{title}"><link rel="canonical" href="{url}">', body),
                               encoding="utf-8")


def test_equal_bodies_with_different_titles_and_urls_are_two_articles_same_url_or_title_and_body_one(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    _saved(folder, "a.html", "Readout of the Call with the Foreign Minister", "https://example.gov/readout-call/")
    _saved(folder, "b.html", "Readout of the Meeting with the Prime Minister", "https://example.gov/readout-meeting/")
    _saved(folder, "c.html", "Readout of the Call with the Foreign Minister", "https://example.gov/readout-call-copy/")
    _saved(folder, "d.html", "Readout, updated", "https://EXAMPLE.gov/readout-meeting", BODY + "<p>Updated.</p>")
    index = tmp_path / "index"
    result = invoke("index", folder, "--index", index, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {folder / 'c.html'}: 1 duplicate article not indexed again (same article as in {folder / 'a.html'})",
        f"warning: {folder / 'd.html'}: 1 duplicate article not indexed again (same article as in {folder / 'b.html'})",
    ]
    hits = json.loads(invoke("query", "energy security", "--index", index, "--format", "json").stdout)["hits"]
    assert sorted(h["title"] for h in hits) == ["Readout of the Call with the Foreign Minister",
                                                "Readout of the Meeting with the Prime Minister"]


# --- hidden content and furniture ids ----------------------------------------------------------------


def test_hidden_content_is_not_indexed():
    body = ("<p>The Secretary met the Foreign Minister.</p>"
            '<div hidden><p>Hidden by attribute.</p></div>'
            '<p aria-hidden="true">Hidden from screen readers.</p>'
            '<div style="color: red; display: none"><p>Hidden by display none.</p></div>'
            '<p style="visibility:hidden !important">Hidden by visibility.</p>'
            '<p>They discussed <span style="display:none">secret </span>energy security.</p>'
            '<p style="display: block">Shown with a style.</p>')
    assert [b.text for b in page("a.html", html(body=body)).blocks] == [
        "The Secretary met the Foreign Minister.", "They discussed energy security.", "Shown with a style."]


def test_sharing_and_social_ids_mark_furniture_only_when_they_name_furniture():
    pulls = "Each developer pulls the draft changesets from the shared repository, and both see the same history. "
    reform = "MR. PRICE: The reform protects retirees, and the Secretary will say more about it tomorrow. "
    body = ('<div class="entry-content"><div id="sharing-with-multiple-developers"><h2>Sharing with multiple developers</h2>'
            f"<p>{pulls * 3}</p></div>"
            f'<section id="social-security-reform"><p>{reform * 3}</p></section>'
            '<div class="social-share-buttons"><p>Share on Facebook</p></div>'
            '<div id="sharing"><p>Email this page</p></div>'
            '<ul class="share-links"><li>Tweet</li></ul></div>')
    assert [b.text for b in page("a.html", html(body=body)).blocks] == [
        "Sharing with multiple developers", (pulls * 3).strip(), (reform * 3).strip()]


# --- titles ------------------------------------------------------------------------------------------


def test_the_sites_own_name_is_cut_from_titles_and_an_author_after_a_bar_in_og_title_is_kept():
    wiki = html('<link rel="canonical" href="https://en.wikipedia.org/wiki/New_Zealand">').replace(
        "<title>Readout of a Call</title>", "<title>New Zealand - Wikipedia</title>")
    assert page("a.html", wiki).title == "New Zealand"
    named = html('<meta property="og:title" content="Rewriting Rules of Engagement with Video - Spiceworks">'
                 '<meta property="og:site_name" content="Spiceworks Inc">')
    assert page("b.html", named).title == "Rewriting Rules of Engagement with Video"
    byline = html("<meta property=\"og:title\" content=\"What is the sea telling us? | Eleanor Ainge Roy\">"
                  '<meta name="application-name" content="The Guardian">')
    assert page("c.html", byline).title == "What is the sea telling us? | Eleanor Ainge Roy"
    dash = html().replace("<title>Readout of a Call</title>", "<title>Department Press Briefing \u2013 June 9, 2021</title>")
    assert page("d.html", dash).title == "Department Press Briefing \u2013 June 9, 2021"


# --- coverage --------------------------------------------------------------------------------------------


def test_stats_shows_paragraphs_per_month_and_names_the_gaps(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, day, text in (("a", "2021-06-09T21:30:00-04:00", "<p>Energy security.</p><p>Pipeline sanctions.</p>"),
                            ("b", "2021-07-01", "<p>Climate cooperation.</p>"),
                            ("c", "2021-10-15", "<p>Arms control talks.</p>"),
                            ("d", None, "<p>An undated note on trade.</p>")):
        head = f'<meta property="article:published_time" content="{day}">' if day else ""
        (folder / f"{name}.html").write_text(html(head, text).replace("Readout of a Call", f"Readout {name}"), encoding="utf-8")
    index = tmp_path / "index"
    assert invoke("index", folder, "--index", index, "--jobs", "1").exit_code == 0
    covered = json.loads(invoke("stats", "--index", index, "--format", "json").stdout)
    assert covered["months"] == [{"month": "2021-06", "paragraphs": 2}, {"month": "2021-07", "paragraphs": 1},
                                 {"month": "2021-08", "paragraphs": 0}, {"month": "2021-09", "paragraphs": 0},
                                 {"month": "2021-10", "paragraphs": 1}]
    assert covered["gaps"] == [{"first_day": "2021-07-02", "last_day": "2021-10-14", "days": 105}]
    assert covered["undated"] == 1
    text = invoke("stats", "--index", index).stdout
    assert "2021-06  " + "\u2588" * 40 + "  2" in text.splitlines()
    assert "2021-08  " + " " * 40 + "  0" in text.splitlines()
    assert "gap: nothing from 2021-07-02 to 2021-10-14 (105 days)" in text
    assert invoke("stats", "--index", index, "--months", "--format", "csv").stdout.splitlines() == [
        "month,paragraphs", "2021-06,2", "2021-07,1", "2021-08,0", "2021-09,0", "2021-10,1"]


# --- main content: a section front, captions, formulas ---------------------------------------------------

_STORY = ('<li><article class="story"><div class="text"><h2><a href="/{n}">{head}</a></h2><p>{summary}</p>'
          '<p class="by">By {who}</p></div></article></li>')
_STORIES = [
    ("Olympics open in Beijing under tight rules", "From the bid to the pandemic, China has kept its promises, silenced "
     "critics, and set its own rules for the games, officials said.", "Steven Lee Myers"),
    ("The day I gave up the Beatles", "I celebrated their birthdays, read everything about the band, and memorized "
     "every song, until I stopped, and found a new world of music.", "Josh Max"),
    ("What video games have to do with the metaverse", "Technology companies believe games are the fastest road to "
     "an immersive internet, and the purchase of a studio shows it, again.", "Shira Ovide"),
    ("Drinks with benefits: do they work?", "A new market of drinks promises gut health, a relaxed mind, and glowing "
     "skin, but none of these effects has been proven, scientists say.", "Rachel Strugatz"),
]


def test_a_section_front_keeps_its_teasers_together_and_not_the_link_list_beside_them():
    stories = "".join(_STORY.format(n=n, head=head, summary=summary, who=who) for n, (head, summary, who) in enumerate(_STORIES))
    latest = "".join(f'<li><a href="/l{n}">Latest headline number {n} about the news of the day</a></li>' for n in range(12))
    body = (f'<section id="highlights"><h2>Highlights</h2><div class="stories"><ol>{stories}</ol></div></section>'
            f'<section id="latest"><h2>Latest</h2><ol>{latest}</ol></section>')
    text = "\n".join(block.text for block in page("front.php", html(body=body)).blocks)
    # readability-lxml alone keeps one teaser; several near-best teasers under one ancestor are the content
    assert all(summary in text and f"By {who}" in text for _, summary, who in _STORIES)
    assert "Latest headline" not in text


def test_a_figure_caption_is_a_block_of_its_own_and_alt_text_is_not_indexed():
    prose = "<p>The President signed the bill into law today, extending the program for ten years.</p>"
    body = (prose + '<figure><img src="signing.jpg" alt="A desk with pens"><figcaption>President Biden signs the bill'
            '</figcaption></figure><p>in the Oval Office, aides said, before leaving for Delaware.</p>')
    article = page("signing.html", html(body=body))
    assert [(block.kind, block.text) for block in article.blocks][1:3] == [
        ("caption", "President Biden signs the bill"), ("p", "in the Oval Office, aides said, before leaving for Delaware.")]
    assert "desk" not in " ".join(block.text for block in article.blocks)


def test_a_mathml_formula_is_indexed_once_not_again_as_its_tex_annotation():
    formula = ('<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>a</mi><mo>≠</mo><mn>0</mn>'
               '</mrow><annotation encoding="application/x-tex">a \\ne 0</annotation></semantics></math></span>'
               '<span class="katex-html" aria-hidden="true"><span>a</span><span>≠</span><span>0</span></span></span>')
    article = page("roots.html", html(body=f"<p>When {formula}, the equation has two solutions, one of them real.</p>"))
    assert [block.text for block in article.blocks] == ["When a≠0, the equation has two solutions, one of them real."]


def test_a_link_whose_class_names_a_popup_keeps_its_words():
    # Melville's Bartleby annotated: each note opens from a link with class="popup" (clean-links)
    note = "return overlib('He seems rather proud of it.', STICKY)"
    body = ("<p>The proceeding which followed will not be deemed extraordinary. "
            f'"<a href="javascript:void(0);" onclick="{note}" class="popup">Bartleby," said I, "I owe you twelve dollars '
            'on account; here are thirty-two; the odd twenty are yours.</a>--Will you take it?" and I handed the bills '
            "towards him.</p><p>But he made no motion, and stood there as before, in the middle of the room, silent.</p>")
    text = " ".join(block.text for block in page("bartleby.html", html(body=body)).blocks)
    assert "I owe you twelve dollars on account" in text
