"""One name per person across the collection: surname-only labels met before the full name, and
spellings of one name, settled at the end of an indexing run (``enrich.registry``)."""

from __future__ import annotations

import json

import pytest

from briefsearch.ingest.enrich import EnrichmentState
from briefsearch.ingest.enrich.registry import settle_names
from tests.conftest import WHITE_HOUSE, require
from tests.helpers import invoke


def entry(paragraphs, aliases=None, gender=None):
    return {"paragraphs": paragraphs, "aliases": dict(aliases or {}), "gender": gender}


# Registry entries as the White House and State Department exports produce them (names, labels,
# counts and genders copied from the registries their enrichment learnt).
def test_a_surname_label_becomes_the_full_name_the_same_label_was_resolved_to_elsewhere():
    speakers = {"Mr. Zients": entry(91, {"MR. ZIENTS": 91}, "m"), "Jeff Zients": entry(517, {"MR. ZIENTS": 517}, "m"),
                "Dr. Fauci": entry(48, {"DR. FAUCI": 48}), "Anthony Fauci": entry(302, {"DR. FAUCI": 298, "Dr. Fauci": 4}),
                "Dr. Walensky": entry(23, {"DR. WALENSKY": 23}), "Rochelle Walensky": entry(356, {"DR. WALENSKY": 352})}
    assert settle_names(speakers, {}) == {"Mr. Zients": "Jeff Zients", "Dr. Fauci": "Anthony Fauci",
                                          "Dr. Walensky": "Rochelle Walensky"}


def test_an_office_and_surname_needs_evidence_that_it_is_that_person():
    speakers = {"Prime Minister Holness": entry(3, {"PRIME MINISTER HOLNESS": 3}), "Andrew Holness": entry(3),
                "Speaker Pelosi": entry(5, {"SPEAKER PELOSI": 5}), "Nancy Pelosi": entry(97, {"Speaker Nancy Pelosi": 97}),
                "Chairman Chung": entry(1, {"CHAIRMAN CHUNG": 1}), "Julie J. Chung": entry(21, {"MS CHUNG": 21}, "f"),
                "Prime Minister Martin": entry(9, {"PRIME MINISTER MARTIN": 9}), "Michel Martin": entry(22, {"MS MARTIN": 22}, "f"),
                "President Mcgarvey": entry(1), "Jack Mcgarvey": entry(1, {"MR. JACK MCGARVEY": 1}, "m")}
    people = {"prime minister holness": "Andrew Holness", "holness": "Andrew Holness", "chung": "Julie J. Chung"}
    # Holness is the office learnt; Hyundai's Chairman Chung, Ireland's Prime Minister Martin and the
    # union's President McGarvey are other people than the only full names the collection has.
    assert settle_names(speakers, people) == {"Prime Minister Holness": "Andrew Holness", "Speaker Pelosi": "Nancy Pelosi"}


def test_an_honorific_takes_the_only_speaker_of_that_surname_whose_gender_fits():
    speakers = {"Mr. White": entry(3, {"MR. WHITE": 3}, "m"), "James White": entry(16, {"CHIEF WHITE": 16}),
                "Mr. Friedlander": entry(4, {"MR. FRIEDLANDER": 4}, "m"),
                "Margot Friedlander": entry(6, {"MS FRIEDLANDER": 6}, "f"),
                "Ms. Morgan": entry(2, {"MS. MORGAN": 2}, "f")}
    # Bob Morgan is only mentioned, never speaks: the soccer player "MS. MORGAN" is not him.
    assert settle_names(speakers, {"morgan": "Bob Morgan"}) == {"Mr. White": "James White"}


def test_spellings_of_one_name_become_the_most_used():
    speakers = {"Antony J. Blinken": entry(6999), "Antony Blinken": entry(12), "Joe Biden": entry(4),
                "Joseph R. Biden": entry(17358), "Jill Biden": entry(300), "Wendy Sherman": entry(2),
                "Wendy R. Sherman": entry(90), "Sheikh Abdullah bin Zayed": entry(2), "Mohammed bin Zayed": entry(3)}
    assert settle_names(speakers, {}) == {"Antony Blinken": "Antony J. Blinken", "Joe Biden": "Joseph R. Biden",
                                          "Wendy Sherman": "Wendy R. Sherman"}


def test_settling_merges_the_registry_and_later_labels_use_the_full_name():
    state = EnrichmentState(speakers={"Mr. Zients": entry(91, {"MR. ZIENTS": 91}, "m"),
                                      "Jeff Zients": entry(517, {"MR. ZIENTS": 517}, "m")},
                            people={"zients": "Jeff Zients"})
    assert state.settle_names() == {"Mr. Zients": "Jeff Zients"}
    assert state.speakers == {"Jeff Zients": entry(608, {"MR. ZIENTS": 608, "Mr. Zients": 91}, "m")}


# -- through the CLI, on two real COVID-19 briefings of the White House export -------------------------

def _white_house_records(*ids):
    wanted = {f"https://www.whitehouse.gov/?p={n}": None for n in ids}
    with require(WHITE_HOUSE).open(encoding="utf-8") as handle:
        for line in handle:
            if json.loads(line)["id"] in wanted:
                wanted[json.loads(line)["id"]] = line
    if not all(wanted.values()):
        pytest.skip("the two briefings are not in the shared White House export")
    return [wanted[key] for key in wanted]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_an_index_rewrites_paragraphs_whose_speaker_the_collection_spelt_out_later(tmp_path, engine):
    # June 2021's briefing says only "MR. ZIENTS:" and "DR. FAUCI:"; a later one introduces
    # "Jeff Zients". Neither spells out Dr. Fauci's name, so he stays "Dr. Fauci".
    first, later = _white_house_records(19629, 25789)
    export = tmp_path / "briefings.jsonl"
    export.write_text(first + later, encoding="utf-8")
    index = tmp_path / "index"
    result = invoke("index", "--index", index, "--engine", engine, "-j", "1", "-q", export)
    assert result.exit_code == 0, result.output
    speakers = json.loads(invoke("speakers", "--index", index, "--format", "json").output)
    names = {record["name"]: record for record in speakers}
    assert "Mr. Zients" not in names and "Dr. Fauci" in names
    assert "Mr. Zients" in names["Jeff Zients"]["aliases"]
    found = json.loads(invoke("query", "--index", index, "--format", "json", "--speaker", "Jeff Zients", "-n", "50",
                              "vaccination").output)
    assert {hit["speaker"] for hit in found["hits"]} == {"Jeff Zients"}
    assert len({hit["article_id"] for hit in found["hits"]}) == 2  # the earlier briefing's paragraphs are his too
