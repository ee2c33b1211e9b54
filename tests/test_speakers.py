"""Speaker attribution: transcript labels and their continuations, prose quotes, name resolution."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from briefsearch.ingest.enrich import Enricher, EnrichmentState
from briefsearch.ingest.enrich.speakers import parse_label, quoted_spans, read_label
from briefsearch.models import Article, Paragraph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-missile-defenses-directed-at-russia.txt"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def make_article(texts, title="", author=None, article_id="a1"):
    article = Article(article_id, "test", title, (), author=author)
    paragraphs = [Paragraph(id=f"{article_id}#p{i}", article_id=article_id, position=i, text=t, title=title,
                            author=author) for i, t in enumerate(texts, 1)]
    return article, paragraphs


def seed_paragraphs():
    parts = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return make_article(parts[1:], title=parts[0], article_id="seed")


@pytest.fixture(scope="module")
def seed():
    article, paragraphs = seed_paragraphs()
    return Enricher(EnrichmentState()).enrich(article, paragraphs)


def by_start(paragraphs, start):
    [found] = [p for p in paragraphs if p.text.startswith(start)]
    return found


# -- the seed --------------------------------------------------------------------------------------

TAUSCHER_PARAGRAPHS = [
    "At the special briefing via teleconference",
    "\u201cWe appreciate the chance",
    "She stresses that it is in US mutual interest",
    "While the United States and Russia are cooperating",
    "She notes that cooperation has the potential",
    "US-Russia cooperation is opportunity",
    "However, Ms. Tauscher stresses",
    "\u201cWe cannot agree to any limitations",
    "She notes that both parties are able to agree",
    "Ms. Tauscher emphasizes",
    "She hopes that Russian colleagues",
    "\u201cOur cooperation is a much better approach",
]


@pytest.mark.parametrize("start", TAUSCHER_PARAGRAPHS)
def test_seed_tauscher_paragraphs_resolve_to_her_full_name(seed, start):
    assert by_start(seed, start).speaker == "Ellen Tauscher"


@pytest.mark.parametrize("start", ["Presidents Bush and Putin at the 33rd G8 summit", "Mina Fabulous follows the news",
                                   "The United States is committed", "Joint research and development"])
def test_seed_caption_bio_and_unattributed_prose_have_no_speaker(seed, start):
    assert by_start(seed, start).speaker is None


def test_seed_direct_quotes_are_flagged_and_reported_speech_is_not(seed):
    quotes = [p.position for p in seed if p.is_quote]
    assert quotes == [3, 12, 16]
    assert by_start(seed, "\u201cWe cannot agree to any limitations").is_quote
    assert not any(p.is_turn or p.is_question for p in seed)


def test_seed_registry_records_aliases_and_gender():
    article, paragraphs = seed_paragraphs()
    enricher = Enricher(EnrichmentState())
    enricher.enrich(article, paragraphs)
    entry = enricher.state.to_dict()["speakers"]
    assert [e["name"] for e in entry] == ["Ellen Tauscher"]
    assert entry[0]["paragraphs"] == 12
    assert entry[0]["gender"] == "f"
    assert entry[0]["aliases"] == {"Ms. Tauscher": 6}


# -- labels --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, kind, name", [
    ("MR PRICE", "person", "Price"),
    ("MR. PRICE", "person", "Price"),
    ("SECRETARY BLINKEN", "person", "Blinken"),
    ("MS. JEAN-PIERRE", "person", "Jean-Pierre"),
    ("DR. FAUCI", "person", "Fauci"),
    ("EXTERNAL AFFAIRS MINISTER JAISHANKAR", "person", "Jaishankar"),
    ("CROWN PRINCE BIN ZAYED", "person", "bin Zayed"),
    ("THE PRESIDENT", "title", ""),
    ("QUESTION", "question", ""),
])
def test_parse_label_reads_people_roles_and_questions(raw, kind, name):
    label = parse_label(raw)
    assert (label.kind, label.name) == (kind, name)


@pytest.mark.parametrize("raw, role", [
    ("MODERATOR", "Moderator"),
    ("OPERATOR", "Operator"),
    ("SENIOR STATE DEPARTMENT OFFICIAL ONE", "Senior State Department Official One"),
    ("SENIOR ADMINISTRATION OFFICIAL", "Senior Administration Official"),
])
def test_generic_labels_stay_title_cased_roles(raw, role):
    label = parse_label(raw)
    assert (label.kind, label.role) == ("role", role)


@pytest.mark.parametrize("raw", ["VESSEL NAME", "VESSEL FLAG", "VESSEL GROSS TONNAGE", "SUBJECT",
                                 "NOMINATIONS SENT TO THE SENATE", "END", "12:56 P.M. EDT"])
def test_field_labels_are_not_speakers(raw):
    assert parse_label(raw) is None


def test_q_label_without_colon_after_non_breaking_spaces():
    assert read_label("Q\u00a0\u00a0\u00a0 Thanks, Jen.")[1].kind == "question"
    assert read_label("Q Thanks, Jen.")[1].kind == "question"
    assert read_label("Quite so, Jen.") is None


# -- transcripts -----------------------------------------------------------------------------------

BRIEFING = [
    "Department Press Briefing – June 9, 2021",
    "MR PRICE: Good afternoon. Let me start with one item at the top.",
    "The United States condemns in the strongest terms the senseless killings.",
    "QUESTION: Thanks, Ned. I have a couple on Nord Stream 2.",
    "Is that still the position?",
    "MR. PRICE: Well, the Secretary spoke to this yesterday.",
    "(Laughter.)",
    "And we will keep at it.",
    "Q\u00a0\u00a0 And on Iran?",
    "MR PRICE: Thank you very much, everybody.",
    "(The briefing was concluded at 3:05 p.m.)",
]


def test_transcript_labels_and_continuations():
    article, paragraphs = make_article(BRIEFING, title="Department Press Briefing – June 9, 2021",
                                       author="Ned Price, Department Spokesperson")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [p.speaker for p in result] == [
        None, "Ned Price", "Ned Price", "Question", "Question", "Ned Price", None, "Ned Price", "Question",
        "Ned Price", None,
    ]
    assert [p.is_question for p in result] == [False, False, False, True, True, False, False, False, True, False, False]
    assert [p.is_turn for p in result] == [False, True, True, True, True, True, False, True, True, True, False]
    assert [p.speech for p in result] == ["none", "turn", "turn", "question", "question", "answer", "none", "answer",
                                          "question", "answer", "none"]


def test_each_answer_knows_its_question_and_each_question_its_answer():
    article, paragraphs = make_article(BRIEFING, author="Ned Price, Department Spokesperson")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [(p.position, p.answers_to, p.answered_by) for p in result if p.answers_to or p.answered_by] == [
        (4, None, "a1#p6"), (5, None, "a1#p6"), (6, "a1#p4", None), (8, "a1#p4", None),
        (9, None, "a1#p10"), (10, "a1#p9", None),
    ]


def test_registry_resolves_a_later_article_that_only_says_mr_price():
    enricher = Enricher(EnrichmentState())
    enricher.enrich(*make_article(BRIEFING, author="Ned Price, Department Spokesperson"))
    later = make_article(["MR PRICE: Good afternoon.", "QUESTION: Ned, on Iran?"], author="Office of the Spokesperson",
                         article_id="a2")
    assert [p.speaker for p in enricher.enrich(*later)] == ["Ned Price", "Question"]
    # The state survives a JSON round trip, as the pipeline persists it between runs.
    saved = json.loads(json.dumps(enricher.state.to_dict()))
    fresh = Enricher(EnrichmentState.from_dict(saved))
    assert fresh.enrich(*later)[0].speaker == "Ned Price"
    assert {"name": "Ned Price", "aliases": {"MR PRICE": 4, "MR. PRICE": 2}, "paragraphs": 6, "gender": "m"} in saved["speakers"]


def test_without_any_full_name_the_label_stays_readable():
    result = Enricher(EnrichmentState()).enrich(*make_article(["MR PRICE: Good afternoon."]))
    assert result[0].speaker == "Mr. Price"


def test_multi_person_creator_field_resolves_each_label():
    texts = ["SECRETARY BLINKEN: Good morning, everyone.", "PREMIER EGEDE: Thank you.",
             "FOREIGN MINISTER KOFOD: Thank you, Tony.", "QUESTION: A question for the Secretary."]
    creator = ("Antony J. Blinken, Secretary of State, Mute Egede, Greenlandic Premier, Pele Broberg, "
               "Greenlandic Foreign Minister, Jeppe Kofod, Danish Foreign Minister")
    result = Enricher(EnrichmentState()).enrich(*make_article(texts, author=creator))
    assert [p.speaker for p in result] == ["Antony J. Blinken", "Mute Egede", "Jeppe Kofod", "Question"]


def test_the_president_resolves_from_the_title_and_text():
    texts = ["THE PRESIDENT: Thank you. Please, sit down.", "It is good to be here.",
             "Q Mr. President, on Russia?", "THE PRESIDENT: We will see."]
    article, paragraphs = make_article(texts, title="Remarks by President Biden on the Economy",
                                       author="The White House")
    paragraphs.insert(0, Paragraph(id="a1#p0", article_id="a1", position=0,
                                   text="President Joe Biden traveled to Ohio on Friday."))
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [p.speaker for p in result] == [None, "Joe Biden", "Joe Biden", "Question", "Joe Biden"]


def test_sanctions_list_field_labels_get_no_speaker():
    texts = ["The Department of the Treasury today designated the following vessel.",
             "VESSEL NAME: ADRIAN DARYA 1", "VESSEL FLAG: Iran", "VESSEL TYPE: Crude Oil Tanker"]
    result = Enricher(EnrichmentState()).enrich(*make_article(texts, author="Office of the Spokesperson"))
    assert [(p.speaker, p.is_turn) for p in result] == [(None, False)] * 4


def test_override_file_is_applied_last(tmp_path):
    overrides = tmp_path / "speakers.json"
    overrides.write_text(json.dumps({"aliases": {"MR PRICE": "Edward Price", "Ms. Tauscher": "Ellen O. Tauscher"}}))
    enricher = Enricher(EnrichmentState(), overrides_path=str(overrides))
    result = enricher.enrich(*make_article(BRIEFING[:4], author="Ned Price, Department Spokesperson"))
    assert [p.speaker for p in result] == [None, "Edward Price", "Edward Price", "Question"]
    prose = enricher.enrich(*make_article(["\u201cWe cannot agree to any limitations.\u201d -Ms. Tauscher"],
                                          article_id="a2"))
    assert prose[0].speaker == "Ellen O. Tauscher"


def test_prose_quote_with_said_after_and_pronoun_carry_over():
    texts = ["\u201cWe are committed to ensuring Indian Country will benefit,\u201d said Mitch Landrieu, Senior Advisor.",
             "He added that the funds will reach Tribal communities.",
             "The Department of Transportation announced nearly $9 million for the program."]
    result = Enricher(EnrichmentState()).enrich(*make_article(texts, author="The White House"))
    assert [(p.speaker, p.is_quote) for p in result] == [("Mitch Landrieu", True), ("Mitch Landrieu", False),
                                                         (None, False)]


def test_pronoun_needs_a_compatible_speaker():
    texts = ["\u201cWe will not accept it,\u201d Mr. Kirby said.", "She added that talks continue."]
    result = Enricher(EnrichmentState()).enrich(*make_article(texts))
    assert [p.speaker for p in result] == ["Mr. Kirby", None]


# -- a real briefing from the shared export ---------------------------------------------------------

def _state_dept_record(title):
    path = SHARED / "state_dept_press_releases" / "items.jsonl"
    if not path.is_file():
        pytest.skip("shared State Department export not present")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["title"] == title:
                return record
    pytest.skip(f"{title!r} not in the export")


def test_real_state_department_briefing():
    record = _state_dept_record("Department Press Briefing \u2013 June 9, 2021")
    texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())
             for p in re.findall(r"<p>(.*?)</p>", record["content_html"], re.S)]
    texts = [t for t in texts if t]
    article, paragraphs = make_article(texts, title=record["title"], author=record["creator"])
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    labelled = [(p.text.split(":")[0], p.speaker) for p in result if re.match(r"(MR\.? PRICE|QUESTION):", p.text)]
    assert labelled
    assert {speaker for label, speaker in labelled if label.startswith("MR")} == {"Ned Price"}
    assert {speaker for label, speaker in labelled if label == "QUESTION"} == {"Question"}
    hammer = by_start(result, "MR PRICE: I just had a chance to see Ambassador Hammer")
    assert hammer.is_turn and not hammer.is_question


def test_quoted_spans_give_the_quote_text(seed):
    quote = by_start(seed, "\u201cWe cannot agree to any limitations")
    assert quoted_spans(quote.text) == ["We cannot agree to any limitations on our missile defense deployments."]
    assert quoted_spans('the so-called "war fund" was frozen') == []


# -- written statements and readouts (real pages of the shared exports) ----------------------------

def _shared_article(export: str, title: str):
    """One record of a shared export, by its title, through the real extraction and chunking."""
    from briefsearch.ingest.chunking import chunk_article
    from briefsearch.ingest.extract import extract_articles
    from briefsearch.ingest.sources import SourceFile

    path = SHARED / export / "items.jsonl"
    if not path.is_file():
        pytest.skip(f"shared data not found: {path}")
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if json.loads(l)["title"] == title)
    [article] = extract_articles(SourceFile(str(path), len(line), 0), line)
    return article, chunk_article(article)


def test_a_presidential_statement_speaks_in_the_presidents_voice():
    article, paragraphs = _shared_article(
        "whitehouse_briefing_room", "Statement by President Joe Biden on the First Anniversary of George Floyd’s Murder")
    enricher = Enricher(EnrichmentState())
    result = enricher.enrich(article, paragraphs)
    body = [p for p in result if p.text.strip() != "###"]
    assert len(body) >= 8
    assert {(p.speaker, p.speech, p.speaker_role) for p in body} == {("Joe Biden", "statement", "President")}
    # Once the collection has met his full name, the statement is his under that one name.
    enricher = Enricher(EnrichmentState(people={"biden": "Joseph R. Biden"}))
    assert {p.speaker for p in enricher.enrich(article, paragraphs) if p.text.strip() != "###"} == {"Joseph R. Biden"}
    assert [(p.speaker, p.speech) for p in result if p.text.strip() == "###"] == [(None, "none")]


def test_a_statement_under_the_secretarys_name_is_his_and_its_byline_line_is_not():
    article, paragraphs = _shared_article("state_dept_press_releases", "Yemen National Day")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert result[0].text == "Antony J. Blinken, Secretary of State" and result[0].speaker is None
    assert {(p.speaker, p.speech, p.speaker_role) for p in result[1:]} == {
        ("Antony J. Blinken", "statement", "Secretary of State")}


def test_a_readout_reports_its_principal_not_the_other_party():
    article, paragraphs = _shared_article("state_dept_press_releases", "Secretary Blinken’s Call with Afghan President Ghani")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [(p.speaker, p.speech) for p in result] == [
        (None, "none"), (None, "none"), ("Antony J. Blinken", "reported")]
    assert not any(p.is_quote for p in result)


def test_a_spokespersons_statement_on_a_meeting_reports_the_one_who_met():
    article, paragraphs = _shared_article(
        "whitehouse_briefing_room",
        "Statement by NSC Spokesperson Emily Horne on National Security Advisor Jake Sullivan’s Meeting with "
        "Minister of External Affairs Subrahmanyam Jaishankar of India")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert (result[0].speaker, result[0].speech, result[0].speaker_role) == (
        "Jake Sullivan", "reported", "National Security Advisor")


def test_a_letter_is_signed_by_its_author():
    texts = ["Dear Madam Speaker: (Dear Madam President:)",
             "I am enclosing a copy of the Executive Order I have issued.",
             "Sincerely, JOSEPH R. BIDEN JR."]
    article, paragraphs = make_article(texts, title="Letter to the Speaker of the House of Representatives",
                                       author="The White House")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [(p.speaker, p.speech) for p in result] == [(None, "none"), ("Joseph R. Biden", "statement"), (None, "none")]


def test_timestamps_carry_no_speaker():
    texts = ["4:22 P.M. EDT", "THE PRESIDENT: Thank you all.", "4:40 P.M. EDT"]
    article, paragraphs = make_article(texts, title="Remarks by President Biden", author="The White House")
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [p.speaker for p in result][0] is None and result[2].speaker is None


# -- other institutions' transcripts (hand-typed fixture in their label forms) ---------------------

OTHER = json.loads((ROOT / "tests" / "fixtures" / "other_transcripts.json").read_text(encoding="utf-8"))["transcripts"]


@pytest.mark.parametrize("transcript", OTHER, ids=[t["institution"][:40] for t in OTHER])
def test_other_institutions_label_forms(transcript):
    enricher = Enricher(EnrichmentState(people=dict(transcript.get("people", {}))))
    article, paragraphs = make_article(transcript["paragraphs"], title=transcript["title"])
    result = enricher.enrich(article, paragraphs)
    assert [[p.speaker, p.speech] for p in result] == transcript["speakers"]


def test_an_interviews_answers_are_linked_to_the_interviewers_questions():
    [interview] = [t for t in OTHER if t["institution"].startswith("Radio interview")]
    article, paragraphs = make_article(interview["paragraphs"], title=interview["title"])
    result = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [(p.answers_to, p.answered_by) for p in result[:5]] == [
        (None, "a1#p2"), ("a1#p1", None), (None, "a1#p4"), ("a1#p3", None), ("a1#p3", None)]
