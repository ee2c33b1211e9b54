"""Topics: editor section labels, taxonomy matches on normalised text, help for short paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefsearch.ingest.enrich import Enricher, EnrichmentState
from briefsearch.ingest.enrich.topics import (
    DEFAULT_TAXONOMY,
    MAX_TOPICS,
    assign_topics,
    load_taxonomy,
    section_topics,
    text_topics,
    is_procedural,
)
from briefsearch.models import Article, Paragraph

SEED = Path(__file__).resolve().parents[1] / "seeds" / "us-missile-defenses-directed-at-russia.txt"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.mark.parametrize("section, labels", [
    ("IRAN", ("Iran",)),
    ("IRAN2", ("Iran",)),
    ("Iran", ("Iran",)),
    ("NORTHKOREA", ("North Korea",)),
    ("NorthKorea", ("North Korea",)),
    ("ISPAL", ("Israel and the Palestinians", "Israel")),
    ("NORDSTREAM2", ("Nord Stream 2",)),
    ("RUSSIAUKRAINE", ("Russia", "Ukraine")),
    ("BURKINAFASO", ("Burkina Faso",)),
    ("HONGKONG", ("Hong Kong",)),
    ("COVID", ("Health",)),
    ("UKRAINEREGION", ("Ukraine",)),
    ("Vesakday", ("Vesakday",)),
    ("DEPARTMENT", ()),
    ("_Hlk73635127", ()),
    ("footnote-ref-2", ()),
    (None, ()),
])
def test_section_labels_map_to_human_labels(taxonomy, section, labels):
    assert section_topics(taxonomy, section) == labels


def test_taxonomy_is_versioned_and_uses_common_country_names(taxonomy):
    data = json.loads(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))
    assert taxonomy.version == data["version"]
    assert {"South Korea", "North Korea", "Russia", "Iran", "Syria", "Burma", "Missile defense"} <= taxonomy.labels
    assert not any("," in label for label in taxonomy.labels)  # never "Korea, Republic of"
    assert "United States" not in taxonomy.labels  # every paragraph would carry it


@pytest.mark.parametrize("text, expected", [
    ("Talks in Pyongyang and Seoul continued.", ["North Korea", "South Korea"]),
    ("The Iranian regime and Tehran's proxies", ["Iran"]),
    ("We discussed missile-defense cooperation with the Kremlin.", ["Missile defense", "Russia"]),
    ("The ROK and the DPRK", ["South Korea", "North Korea"]),
    ("The WHO said so.", ["Health"]),
    ("Who said so?", []),
    ("Turkey and Jordan", ["Turkey", "Jordan"]),
    ("a turkey dinner in jordan", []),
    ("New sanctions on the Houthis", ["Sanctions", "Yemen"]),
])
def test_text_topics_match_normalised_words_and_respect_case_rules(taxonomy, text, expected):
    assert list(text_topics(taxonomy, text)) == expected


def _seed():
    parts = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return parts[0], parts[1:]


def test_seed_paragraphs_are_about_missile_defense_and_russia(taxonomy):
    _, texts = _seed()
    topics = assign_topics(taxonomy, texts, [None] * len(texts))
    assert all(len(labels) <= MAX_TOPICS for labels in topics)
    limitations = texts.index(next(t for t in texts if "any limitations" in t))
    assert topics[limitations] == ("Missile defense", "Russia")
    jta_sessions = texts.index(next(t for t in texts if "three JTA sessions" in t))
    # The paragraph names no topic itself; the article's one thread does (Russia 21 mentions, missile defense 18).
    assert topics[jta_sessions] == ("Russia", "Missile defense")


def test_section_label_comes_first_short_answers_take_their_question_and_thanks_is_about_nothing(taxonomy):
    texts = ["QUESTION: On Iran, is the JCPOA still on the table?", "MR PRICE: It is.", "QUESTION: Thanks."]
    topics = assign_topics(taxonomy, texts, ["IRAN2", "IRAN2", "NORDSTREAM2"], [True, False, True], [True] * 3)
    assert topics == [("Iran", "Nuclear nonproliferation"), ("Iran", "Nuclear nonproliferation"), ()]


BRIEFING = [
    "QUESTION: On Iran, do you expect a return to the JCPOA this week?",
    "MR PRICE: We are not there yet. The talks in Vienna continue.",
    "QUESTION: Thank you.",
    "MR PRICE: Go ahead.",
    "QUESTION: Can I follow up?",
    "MR PRICE: Sure.",
    "QUESTION: North Korea fired another missile today. Any reaction?",
    "MR PRICE: We condemn the launch. It violates multiple UN Security Council resolutions.",
    "Yes, Michele.",
]


def test_turns_carry_what_their_own_question_asked_and_procedural_turns_nothing(taxonomy):
    flags = [text.startswith("QUESTION") for text in BRIEFING]
    topics = assign_topics(taxonomy, BRIEFING, [None] * len(BRIEFING), flags, [True] * len(BRIEFING))
    assert topics == [
        ("Iran", "Nuclear nonproliferation"),
        ("Austria", "Iran", "Nuclear nonproliferation"),  # Vienna is Austria's; the question adds what it asked
        (), (), (), (),  # thanks and go-aheads run the briefing; a follow-up naming nothing asks about nothing named
        ("North Korea",),
        ("United Nations", "North Korea"),
        ("North Korea",),  # the call to the next reporter still belongs to this exchange
    ]


def test_an_answer_on_another_subject_does_not_carry_the_briefings_earlier_subject(taxonomy):
    # Press Briefing by Press Secretary Jen Psaki, April 7, 2022 (White House export): a Title 42
    # exchange after many on Ukraine and NATO.
    texts = ["Q Jen, on Ukraine: is NATO sending more weapons to Ukraine?",
             "MS. PSAKI: NATO allies are sending more to Ukraine, and Ukraine will get what it needs.",
             "Q And then, on a different topic, when Title 42 expires next month, what is the plan for the migrants "
             "a day that are going to cross?",
             "MS. PSAKI: I don’t know where you’re basing your specific numbers on, Peter. But what I would tell you —"]
    topics = assign_topics(taxonomy, texts, [None] * 4, [True, False, True, False], [True] * 4)
    assert "Ukraine" not in topics[2] + topics[3] and "NATO" not in topics[2] + topics[3]
    assert "Migration" in topics[3]  # the short answer takes what its question asked about


@pytest.mark.parametrize("text, procedural", [
    ("Go ahead.", True), ("MR BARTLETT: Thank you. Let’s next go to Priscilla Alvarez from CNN.", True),
    ("QUESTION: Muath Alamri from Asharq al Awsat newspaper.", True), ("Q (Off-mike.)", True),
    ("With that, happy to take your questions. Matt.", True), ("OPERATOR: Thank you. Your line is open.", True),
    ("Yes.", False), ("MR PRICE: And we have, correct.", False), ("QUESTION: Thank you. On Iran, what is the status?", False),
    ("MS PORTER: Thanks, Muhammad. To the deputy secretary’s meeting in Oman, I would have to refer you to", False),
    ("MR PRICE: We’re consulting with Israelis and Palestinians.", False),
])
def test_procedural_turns_are_told_from_short_answers(text, procedural):
    assert is_procedural(text) is procedural


def test_prose_threads_run_while_paragraphs_stay_on_a_place(taxonomy):
    texts = ["The United States condemns the military coup in Burma.",
             "We call for the release of all those unjustly detained.",  # a theme only: still Burma
             "Separately, we welcome the peaceful elections in Zambia.",  # a new place: a new thread
             "We congratulate the people on a credible vote."]
    # Prose lends its thread's places, not its themes: "Democracy" stays with the lines that say so.
    assert assign_topics(taxonomy, texts, [None] * len(texts)) == [
        ("Democracy", "Burma"), ("Wrongful detention", "Burma"), ("Democracy", "Zambia"), ("Zambia",)]


def test_a_theme_that_dominates_prose_is_carried_but_not_one_a_long_document_touches(taxonomy):
    statement = ["Our vaccine donations to Peru continue.", "Vaccines save lives; the pandemic is not over.",
                 "COVID vaccines reach every region.", "We thank the health workers there."]
    communique = ["We will end the pandemic.", "We will fight climate change, cut emissions and protect the climate.",
                  "We will trade freely, cut tariffs and open markets to exports.", "Our democracies thrive on elections.",
                  "We thank Lord Stern for his paper."]
    assert assign_topics(taxonomy, statement, [None] * 4)[3] == ("Health", "Peru")
    assert assign_topics(taxonomy, communique, [None] * 5)[4] == ()


def test_spoken_turns_share_their_exchange_s_themes(taxonomy):
    texts = ["QUESTION: Are you worried about the pandemic and the vaccine supply?",
             "MR PRICE: We are doing everything we can. The doses are going out this week."]
    assert assign_topics(taxonomy, texts, [None, None], [True, False], [True, True])[1] == ("Health",)
    assert assign_topics(taxonomy, texts, [None, None], [False, False], [False, False])[1] == ()


@pytest.mark.parametrize("text", [
    "Media representatives may attend this event upon presentation of a passport or a press card.",
    "This event will be pooled press coverage and livestreamed on www.state.gov.",
    "We will form a press pool to cover the Secretary's remarks on Colombia.",
])
def test_press_logistics_get_no_topics(taxonomy, text):
    assert assign_topics(taxonomy, ["Colombia and the United States sign a trade deal.", text], [None, None])[1] == ()


@pytest.mark.parametrize("text, expected", [
    ("The President will convene the National Security Council on Ukraine.", ["Ukraine"]),
    ("The UN Security Council met on Ukraine.", ["United Nations", "Ukraine"]),
    ("They fight drug trafficking and trafficking in weapons.", []),
    ("Trafficking in persons is a crime.", ["Human trafficking"]),
    ("Investments in infrastructure and civil society partners", []),
])
def test_names_that_contain_a_topic_word_are_not_the_topic(taxonomy, text, expected):
    assert list(text_topics(taxonomy, text)) == expected


def test_the_place_an_opening_question_names_stays_with_its_exchange(taxonomy):
    texts = ["QUESTION: Can I start with Ukraine? The Kremlin says it has no plans to attack.",
             "MR PRICE: Russia has massed troops on the border. Moscow can choose diplomacy.",
             "QUESTION: And Putin?",
             "MR PRICE: Russia has a choice to make. We will see what Russia decides.",
             "Okay."]
    topics = assign_topics(taxonomy, texts, [None] * len(texts), [True, False, True, False, False], [True] * 5)
    # "And Putin?" asks about Russia alone: its exchange carries Russia, not the first exchange's Ukraine.
    assert topics == [("Ukraine", "Russia"), ("Russia", "Ukraine"), ("Russia",), ("Russia",), ("Russia",)]


def test_a_thread_led_by_a_theme_carries_its_place(taxonomy):
    texts = ["QUESTION: Are COVID vaccines reaching Rangoon?",
             "MR PRICE: Our vaccine donations continue. The pandemic is a global health crisis.",
             "We have more to say on vaccines soon."]
    topics = assign_topics(taxonomy, texts, [None] * len(texts), [True, False, False])
    assert topics == [("Health", "Burma")] * 3


def test_enricher_passes_question_turns_to_topics():
    article = Article("b", "t", "Department Press Briefing", ())
    paragraphs = [Paragraph(id=f"b#p{i}", article_id="b", position=i, text=text)
                  for i, text in enumerate(BRIEFING, 1)]
    enriched = Enricher(EnrichmentState()).enrich(article, paragraphs)
    assert [p.is_question for p in enriched][:3] == [True, False, True]
    assert enriched[1].topics == ("Austria", "Iran", "Nuclear nonproliferation") and enriched[8].topics == ("North Korea",)
    assert enriched[3].topics == ()  # "MR PRICE: Go ahead."


@pytest.mark.parametrize("section, labels", [
    ("Imposing Costs on Russia’s Defense Sector", ("Russia",)),
    ("Strengthening Supply Chain Resilience", ("Trade",)),
    ("Cities Summit", ("Cities Summit",)),  # a heading the taxonomy does not know keeps its words
    ("BAHAMAS", ("The Bahamas",)),
])
def test_headings_and_short_anchors_map_through_the_taxonomy(taxonomy, section, labels):
    assert section_topics(taxonomy, section) == labels


@pytest.mark.parametrize("text, expected", [
    ("The Summit of Americas in Los Angeles", ["Western Hemisphere"]),
    ("the killing of a Palestinian journalist", ["Israel and the Palestinians", "Palestinian Territories"]),
    ("denuclearization of the Korean Peninsula", ["Nuclear nonproliferation", "North Korea"]),
    ("Foreign Minister Lavrov met Foreign Minister Kuleba", ["Russia", "Ukraine"]),
    ("semiconductors and critical infrastructure", ["Technology"]),
])
def test_taxonomy_aliases_for_common_briefing_themes(taxonomy, text, expected):
    assert list(text_topics(taxonomy, text)) == expected


def test_places_are_not_themes(taxonomy):
    assert {"Missile defense", "Health", "Sanctions"} <= taxonomy.themes
    assert not {"NATO", "Israel and the Palestinians", "Russia", "Burma"} & taxonomy.themes


def test_at_most_five_topics(taxonomy):
    text = "Russia, Ukraine, Iran, Iraq, Syria, Cuba and Burma face sanctions on human rights grounds."
    assert len(assign_topics(taxonomy, [text], [None])[0]) == MAX_TOPICS


def test_user_taxonomy_overrides_and_extends(tmp_path):
    override = tmp_path / "taxonomy.json"
    override.write_text(json.dumps({"version": "local-1", "themes": {"Lunar policy": ["moon base", "artemis"]},
                                    "sections": {"compact": {"MOON": ["Lunar policy"]}}, "remove": ["Economy"]}))
    taxonomy = load_taxonomy(str(DEFAULT_TAXONOMY), str(override))
    assert taxonomy.version.endswith("+local-1")
    assert list(text_topics(taxonomy, "A moon base and inflation")) == ["Lunar policy"]
    assert section_topics(taxonomy, "MOON2") == ("Lunar policy",)
    enricher = Enricher(EnrichmentState(), taxonomy_path=str(override))
    article = Article("a", "t", "", ())
    [paragraph] = enricher.enrich(article, [Paragraph(id="a#p1", article_id="a", position=1, text="The moon base.")])
    assert paragraph.topics == ("Lunar policy",)
    assert enricher.state.to_dict()["taxonomy_version"] == taxonomy.version


def test_a_place_that_is_also_a_name_is_the_place_only_when_meant():
    from briefsearch.ingest.enrich.topics import DEFAULT_TAXONOMY, load_taxonomy, text_topics

    taxonomy = load_taxonomy(str(DEFAULT_TAXONOMY))
    # Real sentences of the White House and State Department exports.
    assert "Monaco" not in text_topics(taxonomy, "Deputy Attorney General Lisa Monaco and I are announcing new steps "
                                                 "to stop ghost guns.")
    assert "Jersey" not in text_topics(taxonomy, "Governor Phil Murphy of New Jersey joined the call.")
    assert "Georgia" not in text_topics(taxonomy, "Deputy Secretary McKeon traveled to Atlanta and Clarkston, Georgia.")
    assert "Georgia" in text_topics(taxonomy, "We support the sovereignty and territorial integrity of Georgia and Ukraine.")
    assert "Jordan" in text_topics(taxonomy, "The President met with King Abdullah II of Jordan.")
