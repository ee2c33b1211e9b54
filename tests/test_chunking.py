"""Blocks to paragraphs: ids and metadata, conservative merging of fragments, splitting long blocks."""

from __future__ import annotations

import re

from briefsearch.ingest.chunking import LONG_BLOCK, TARGET_MAX, TARGET_MIN, chunk_article, split_long_text
from briefsearch.models import Article, Block, Paragraph


def article(*blocks: Block) -> Article:
    return Article(article_id="0123456789ab", source="corpus/briefing.html", title="Briefing", blocks=blocks,
                   date="2021-06-09", author="Ned Price", url="https://example.gov/briefing/")


def chunk_texts(*blocks: Block) -> list[str]:
    return [p.text for p in chunk_article(article(*blocks))]


def test_ids_positions_and_metadata():
    paragraphs = chunk_article(article(Block("  First.  "), Block("   "), Block("Second.", section="IRAN")))
    assert paragraphs == [
        Paragraph(id="0123456789ab#p1", article_id="0123456789ab", position=1, text="First.", title="Briefing",
                  date="2021-06-09", author="Ned Price", source="corpus/briefing.html",
                  url="https://example.gov/briefing/", section=None),
        Paragraph(id="0123456789ab#p2", article_id="0123456789ab", position=2, text="Second.", title="Briefing",
                  date="2021-06-09", author="Ned Price", source="corpus/briefing.html",
                  url="https://example.gov/briefing/", section="IRAN"),
    ]


def test_short_transcript_turns_stay_their_own_paragraphs():
    assert chunk_texts(
        Block("QUESTION: Good accent, by the way.", bold_label="QUESTION:"),
        Block("MR PRICE: Thank you.", bold_label="MR PRICE:"),
        Block("Go ahead."),
        Block("Q Thanks"),
        Block("MS. PSAKI: Sure"),
        Block("Next \u2014"),
        Block("QUESTION: Hi.", bold_label="QUESTION:"),
    ) == ["QUESTION: Good accent, by the way.", "MR PRICE: Thank you.", "Go ahead.", "Q Thanks", "MS. PSAKI: Sure",
          "Next \u2014", "QUESTION: Hi."]


def test_headings_and_list_items_stay_separate():
    assert chunk_texts(
        Block("Background", "heading"), Block("Phase one", "li"), Block("Phase two", "li"), Block("Closing words here.")
    ) == ["Background", "Phase one", "Phase two", "Closing words here."]


def test_a_sentence_broken_across_blocks_is_joined():
    assert chunk_texts(Block("The Secretary said that the United States"), Block("will continue to support Ukraine."),
                       Block("New paragraph.")) == [
        "The Secretary said that the United States will continue to support Ukraine.", "New paragraph."
    ]


def test_a_stray_word_joins_the_next_paragraph_but_not_a_sentence():
    assert chunk_texts(Block("Also"), Block("We met the minister."), Block("Thanks."), Block("Bye now.")) == [
        "Also We met the minister.", "Thanks.", "Bye now."
    ]


def test_a_bare_label_joins_its_words():
    paragraphs = chunk_texts(Block("MR PRICE:", bold_label="MR PRICE:"), Block("Thank you, everyone."),
                             Block("Q"), Block("Is there news on Iran?"))
    assert paragraphs == ["MR PRICE: Thank you, everyone.", "Q Is there news on Iran?"]


def test_no_merge_across_sections_or_into_a_turn():
    assert chunk_texts(Block("Also", section="IRAN"), Block("more words", section="CHINA")) == ["Also", "more words"]
    assert chunk_texts(Block("Also"), Block("MR PRICE: Yes.", bold_label="MR PRICE:")) == ["Also", "MR PRICE: Yes."]


def test_timestamps_and_locations_stay_apart_from_turns():
    assert chunk_texts(Block("James S. Brady Press Briefing Room"), Block("12:56 P.M. EDT"),
                       Block("MS. PSAKI: All right.")) == [
        "James S. Brady Press Briefing Room", "12:56 P.M. EDT", "MS. PSAKI: All right."
    ]


LONG = (
    "Ms. Tauscher met Russian officials in Moscow on Tuesday to discuss missile defense cooperation. "
    "She said the U.S. missile defense plans do not threaten Russia's strategic deterrent in any way at all. "
    "The talks covered the European Phased Adaptive Approach, which the U.S. and NATO adopted at Lisbon in 2010. "
    "Gen. Smith and Dr. Jones of the U.S. Missile Defense Agency briefed the delegation on radar data. "
) * 16


def test_long_block_is_cut_between_sentences_not_at_abbreviations():
    assert len(LONG) > LONG_BLOCK
    paragraphs = chunk_article(article(Block("MR PRICE: " + LONG.strip(), bold_label="MR PRICE:")))
    pieces = [p.text for p in paragraphs]
    assert len(pieces) == 3
    assert all(TARGET_MIN <= len(piece) <= LONG_BLOCK for piece in pieces)
    assert " ".join(pieces) == "MR PRICE: " + LONG.strip()
    assert all(piece.endswith("radar data.") or piece.endswith("in any way at all.") or piece.endswith("in 2010.")
               or piece.endswith("cooperation.") for piece in pieces)
    assert not any(re.search(r"(?:Ms\.|U\.S\.|Gen\.|Dr\.)$", piece) for piece in pieces)
    assert [p.position for p in paragraphs] == [1, 2, 3]


def test_a_sentence_longer_than_the_limit_is_cut_between_words():
    text = " ".join(f"word{n}" for n in range(600))  # about 4,300 characters, no sentence end
    pieces = split_long_text(text)
    assert " ".join(pieces) == text
    assert len(pieces) > 1 and all(len(piece) <= TARGET_MAX for piece in pieces)
    assert all(not piece.startswith(" ") and re.fullmatch(r"(?:word\d+ ?)+", piece) for piece in pieces)


def test_blocks_under_the_limit_are_left_whole():
    text = "A sentence of exactly some length. " * 40  # 1,400 characters
    assert chunk_texts(Block(text)) == [text.strip()]
