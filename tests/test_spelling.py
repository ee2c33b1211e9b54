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
