"""Did-you-mean: the collection's own words, and corrections for query words it does not know.

Suggestions come from the collection's vocabulary (``text.vocabulary``: surface words, never
stemmed), so a suggestion is always a word the user can read and that occurs in the collection:
"missle defence" → "missile defense", never "missil defens". Of the words one or two edits away
the commonest wins, a second edit costing a factor ``SECOND_EDIT`` ("zelinsky" → "zelenskyy", 387
paragraphs, over "zelensky", 5). Field values are corrected only against their own lists
(``speaker:`` against the speakers' names, ``topic:`` against the topics), never into words of the
text; other field values are kept as typed.

Every step is bounded: words longer than ``MAX_WORD`` letters are not corrected, candidates are
read from buckets of the vocabulary by first letter and length, the edit distance stops at two,
and at most ``MAX_CORRECTED`` words of a query are looked at.
"""

from __future__ import annotations

import re

from briefsearch.text.analysis import analyze
from briefsearch.text.vocabulary import MIN_COUNT, Vocabulary

RARE_RATIO = 20  # a known word is still corrected if a neighbour is this much more common
SECOND_EDIT = 10  # a word two edits away must be this much more common than one an edit away
MAX_WORD = 30  # longer words are not typos of collection words
MAX_CORRECTED = 12  # words of one query looked at
NAME_COUNT = 5  # a word written as a name this often is a name ("Suga" 7, "Mori" 21), not a typo ("Adminstration" 2)
_QUERY_PART = re.compile(
    r'(?P<field>(?<![\w*])[A-Za-z_]+):(?P<value>"[^"]*"|\u201c[^\u201d]*\u201d|[^\s()"]+)'
    r"|(?P<word>(?<![\w*])[A-Za-z]+(?![\w*:~]))"
)


_osa_distance = None  # rapidfuzz's, imported at the first comparison: most queries make none


def distance(a: str, b: str, limit: int = 2) -> int:
    """The optimal-string-alignment edit distance of ``a`` and ``b`` (insert, delete, replace, swap
    two neighbours), or ``limit + 1`` when it is over ``limit`` (rapidfuzz's, in C++: a misspelt
    word is compared with thousands of the collection's)."""
    global _osa_distance
    if _osa_distance is None:
        from rapidfuzz.distance import OSA

        _osa_distance = OSA.distance
    return _osa_distance(a, b, score_cutoff=limit)


class Speller:
    """Words and how often each occurs, bucketed by first letter and length for quick neighbours.

    A letter's buckets are made when a word of that letter is first looked at, from
    ``words_of(letter)`` (the words beginning with it and their counts, in a fixed order): a search
    corrects a word or two, and bucketing all of a collection's tens of thousands of words was most
    of what its first correction cost. Without ``words_of``, the words are ``counts``.
    """

    def __init__(self, counts: dict[str, int] | None = None, words_of=None):
        self.counts = counts
        if words_of is None:
            by_letter: dict[str, dict[str, int]] = {}
            for word, n in (counts or {}).items():
                if word:
                    by_letter.setdefault(word[0], {})[word] = n
            words_of = lambda letter: by_letter.get(letter, {})  # noqa: E731
        self._words_of = words_of
        self._letters: dict[str, tuple[dict[str, int], dict[int, list[str]]]] = {}

    def _letter(self, letter: str) -> tuple[dict[str, int], dict[int, list[str]]]:
        """(word → count, length → words) of the words beginning with ``letter``."""
        made = self._letters.get(letter)
        if made is None:
            words = self._words_of(letter)
            buckets: dict[int, list[str]] = {}
            for word, n in words.items():
                if n >= MIN_COUNT:
                    buckets.setdefault(len(word), []).append(word)
            for bucket in buckets.values():  # commonest first: a search stops where no later word can win
                bucket.sort(key=words.__getitem__, reverse=True)
            made = self._letters[letter] = (words, buckets)
        return made

    def neighbours(self, word: str) -> list[tuple[str, int]]:
        """(word, distance) of the known words one or two edits from ``word`` (same first letter)."""
        found = []
        buckets = self._letter(word[0])[1]
        for length in range(len(word) - 2, len(word) + 3):
            for other in buckets.get(length, ()):
                if other != word:
                    d = distance(word, other)
                    if d <= 2:
                        found.append((other, d))
        return found

    def correct(self, word: str, is_name=None) -> str | None:
        """The likeliest intended word for ``word`` (lower case), or None when it looks right.

        Of the words one or two edits away the one of most weight wins (its count, divided by
        ``SECOND_EDIT`` for two edits); a word the collection knows yields only to one
        ``RARE_RATIO`` times commoner. With ``is_name`` (whether the collection writes a word with a
        capital inside sentences; None when it could not tell), a word seen ``NAME_COUNT`` times
        is corrected only when it is a name and so is the correction ("Zelensky" → "Zelenskyy",
        never "Mori" → "more" or "thus" → "this").
        Buckets are read commonest first and left as soon as no word further on could win, so a
        common word costs next to nothing to confirm."""
        if not 4 <= len(word) <= MAX_WORD or not word.isalpha():
            return None
        counts, buckets = self._letter(word[0])
        own = counts.get(word, 0)
        floor = RARE_RATIO * own if own >= MIN_COUNT else 0
        best, best_weight = "", 0.0
        for length in range(len(word) - 2, len(word) + 3):
            for other in buckets.get(length, ()):
                n = counts[other]
                if n < floor or n < best_weight:
                    break  # a word's weight is at most its count: none further on can win
                if other == word:
                    continue
                d = distance(word, other)
                if d > 2:
                    continue
                weight = n / (SECOND_EDIT if d == 2 else 1)
                if (weight, other) > (best_weight, best):
                    best, best_weight = other, weight
        if not best or best_weight < floor:
            return None  # no neighbour, or a real word of the collection with no much commoner one
        if own >= NAME_COUNT and is_name is not None:
            # a word the collection writes this often is a word ("thus" is not a typo of "this"), and
            # a name ("Mori", "Suga") one only of another name ("Zelensky" of "Zelenskyy")
            if not is_name(word) or not is_name(best):
                return None
        return best


def speller(vocabulary: Vocabulary) -> Speller:
    """The vocabulary's speller, made once per vocabulary (again when words were added to it)."""
    made = getattr(vocabulary, "_speller", None)
    if made is None or made[0] != vocabulary.revision:
        made = (vocabulary.revision, Speller(words_of=vocabulary.starting_with))
        vocabulary._speller = made
    return made[1]


def correct_word(word: str, vocabulary: Vocabulary, is_name=None) -> str | None:
    """The likeliest intended word for ``word``, or None when it looks right (``is_name``:
    whether a word of the collection is written as a name, see ``reads_as_name``)."""
    return speller(vocabulary).correct(word.lower(), is_name)


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"\u201c(\[]\s*|\n\s*)$")


def reads_as_name(word: str, texts) -> bool:
    """Whether ``word`` is written as a name in ``texts``: with a capital more often than without,
    where it does not start a sentence (where every word has one)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    capital = lower = 0
    for text in texts:
        for match in pattern.finditer(text):
            if _SENTENCE_START.search(text[max(0, match.start() - 3):match.start()]):
                continue
            if match.group(0)[0].isupper():
                capital += 1
            else:
                lower += 1
    return capital > lower


def _name_words(names: dict[str, int]) -> dict[str, int]:
    words: dict[str, int] = {}
    for name, n in names.items():
        for word in analyze(name, stem=False):
            words[word] = words.get(word, 0) + n
    return words


def correct_speaker(value: str, speakers: dict[str, int]) -> str | None:
    """The speaker name ``value`` was meant to find (the one with most paragraphs), when no name
    holds all its words; None when one does or none is close."""
    wanted = analyze(value, stem=False)
    if not wanted or not speakers:
        return None
    named = {name: set(analyze(name, stem=False)) for name in speakers}
    if any(set(wanted) <= words for words in named.values()):
        return None
    spell = Speller(_name_words(speakers))
    fixed = [w if w in spell.counts else (spell.correct(w) if len(w) >= 4 else None) for w in wanted]
    if any(w is None for w in fixed):
        return None
    matching = [name for name, words in named.items() if set(fixed) <= words]
    return max(matching, key=lambda name: (speakers[name], name)) if matching else None


def correct_topic(value: str, topics: dict[str, int]) -> str | None:
    """The topic ``value`` was meant to be (lower case), when it is not one; None when it is or
    none is close (each word within two edits)."""
    value = " ".join(value.lower().split())
    if not value or not topics or value in topics:
        return None
    words = value.split()
    close = []
    for topic, n in topics.items():
        parts = topic.split()
        if len(parts) == len(words) and all(distance(a, b) <= (1 if len(a) < 5 else 2) for a, b in zip(words, parts)):
            close.append((n, topic))
    return max(close)[1] if close else None


def suggest(query: str, vocabulary: Vocabulary, speakers: dict[str, int] | None = None,
            topics: dict[str, int] | None = None, is_name=None) -> str | None:
    """The query with misspelt words replaced (operators, quotes and fields kept), or None.

    ``speakers`` and ``topics`` (value → paragraphs) correct ``speaker:`` and ``topic:`` values;
    without them those values are kept as typed, like every other field value. ``is_name``
    (word → whether the collection writes it as a name) keeps names from becoming common words.
    """
    changed = False
    looked = 0

    def fix(match: re.Match) -> str:
        nonlocal changed, looked
        if match.group("field"):
            field, value = match.group("field").lower(), match.group("value")
            bare = value.strip('"\u201c\u201d')
            better = None
            if field == "speaker" and speakers:
                better = correct_speaker(bare, speakers)
            elif field == "topic" and topics:
                better = correct_topic(bare, topics)
            if not better:
                return match.group(0)
            changed = True
            return f'{match.group("field")}:"{better}"' if " " in better else f'{match.group("field")}:{better}'
        word = match.group("word")
        if word.isupper() or looked >= MAX_CORRECTED:
            return word  # acronyms are not typos
        looked += 1
        better = correct_word(word, vocabulary, is_name)
        if better is None:
            return word
        changed = True
        return better.capitalize() if word[0].isupper() else better

    corrected = _QUERY_PART.sub(fix, query)
    return corrected if changed else None
