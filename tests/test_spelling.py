"""Did-you-mean: corrections are real words of the collection, never stems; syntax is kept."""

from briefsearch.query.spelling import Vocabulary, correct_word, suggest

TEXT = (
    "The United States is committed to missile defense cooperation with allies. " * 3
    + "Missile defense deployments and sanctions on Iran were discussed. " * 3
    + "The Ministry of Defence hosted the conference. " * 2
    + "Secretary Blinken spoke about Afghanistan. " * 2
)


def vocabulary() -> Vocabulary:
    v = Vocabulary()
    v.add_text(TEXT)
    return v


def test_misspelt_words_become_collection_words_not_stems():
    v = vocabulary()
    assert suggest("missle defence", v) == "missile defence"  # "defence" occurs here too
    v.add_text("missile defense " * 40)  # as in the State Department export: 909 to 9
    assert suggest("missle defence", v) == "missile defense"


def test_a_rare_spelling_is_corrected_only_when_a_neighbour_is_much_more_common():
    v = vocabulary()
    assert correct_word("defence", v) is None  # 2 vs 6: both are real words here
    v.add_text("missile defense " * 40)
    assert correct_word("defence", v) == "defense"


def test_syntax_fields_acronyms_and_known_words_are_kept():
    v = vocabulary()
    assert suggest('"sanctons on Iran" -Blinkin', v) == '"sanctions on Iran" -Blinken'
    assert suggest("speaker:blinkin JTA", v) is None
    assert suggest("missile defense", v) is None


def test_words_seen_once_are_not_vocabulary():
    v = Vocabulary()
    v.add_text("a singular mispeling appears")
    assert "mispeling" not in v and v.to_dict() == {}
    assert Vocabulary.from_dict({"missile": 3}).counts["missile"] == 3


def test_the_commoner_spelling_wins_even_two_edits_away():
    """As in the White House export: "Zelenskyy" in 387 paragraphs, "Zelensky" in 5."""
    v = Vocabulary.from_dict({"zelenskyy": 387, "zelensky": 5, "zelinski": 2})
    assert correct_word("zelinsky", v) == "zelenskyy"
    assert correct_word("zelensky", v) == "zelenskyy"  # known, but 77 times rarer
    assert correct_word("zelenskyy", v) is None


def test_field_values_are_corrected_against_their_own_lists_only():
    v = Vocabulary.from_dict({"are": 5000, "arms": 300, "control": 400, "missile": 900, "psaki": 40, "price": 30})
    topics = {"arms control": 40, "missile defense": 30}
    speakers = {"Jen Psaki": 900, "Ned Price": 800}
    assert suggest('topic:"arms control" missle', v, topics=topics) == 'topic:"arms control" missile'
    assert suggest('topic:"arms contrl"', v, topics=topics) == 'topic:"arms control"'
    assert suggest('topic:"arms contrl"', v) is None  # no topic list: the value is kept as typed
    assert suggest("speaker:psacki missle", v, speakers=speakers) == 'speaker:"Jen Psaki" missile'
    assert suggest("speaker:price", v, speakers=speakers) is None
    assert suggest("title:missle date:2021", v) is None


def test_every_step_is_bounded():
    from briefsearch.query.spelling import distance

    v = vocabulary()
    assert correct_word("x" * 3000, v) is None and correct_word("missile" * 5, v) is None
    assert distance("missile", "mussel") == 3 and distance("missle", "missile") == 1 and distance("ab", "ba") == 1
    assert suggest(" ".join(["missle"] * 200), v).split() == ["missile"] * 12 + ["missle"] * 188


def test_a_saved_vocabulary_gives_a_search_the_same_counts_read_from_its_text(tmp_path):
    """A search asks the saved vocabulary for the counts of its own words, which are read from the
    saved text without parsing all of it: the same counts and membership as the parsed vocabulary,
    for every word of real text (accented and non-Latin ones too) and for words it does not hold."""
    import itertools
    import json

    from briefsearch.indexing.generation import Generation
    from tests.conftest import STATE_DEPT, require

    collected = Vocabulary()
    with open(require(STATE_DEPT), encoding="utf-8") as export:
        for line in itertools.islice(export, 200):
            collected.add_text(json.dumps(json.loads(line), ensure_ascii=False))
    saved = collected.to_dict()
    assert any(not word.isascii() for word in saved)
    generation = Generation(tmp_path)
    generation.write_vocabulary(saved)
    asked = [*list(saved)[::10], "Blinken", "zzqx", "ab", "", '"', 'sanctions": 5, "iran', ": 1, ", "sanctions\\", "sanction"]
    words = list(saved)
    misspelt = [w[:2] + w[3:] for w in words[::40] if len(w) > 5] + [w[0] + w[2] + w[1] + w[3:] for w in words[1::40]]
    parsed = Vocabulary.from_dict(saved)
    corrected = [correct_word(word, parsed) for word in misspelt]
    assert corrected.count(None) < len(misspelt) / 2
    for read in (Vocabulary.from_json(generation.vocabulary_text()), Vocabulary.from_json(json.dumps(saved))):
        assert [read.count(word) for word in asked] == [saved.get(word, 0) for word in asked]
        assert [word in read for word in asked] == [saved.get(word, 0) >= 2 for word in asked]
        # the speller reads the words of each letter it is asked about: the same corrections
        assert [correct_word(word, read) for word in misspelt] == corrected
        assert correct_word("sanctoins", read) == "sanctions"
        assert read.counts == saved
