"""The collection's vocabulary: surface words (lowercased, never stemmed) and how often each occurs.

Counted by the indexing run as paragraphs are written and saved with each generation; spelling
suggestions (``query.spelling``) read it. Counts are approximate after incremental updates
(removed articles are not subtracted), which is fine for ranking suggestions.
"""

from __future__ import annotations

import json
import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]{3,}")
MIN_COUNT = 2  # words seen once are as likely typos as words
# How ``json.dumps`` writes a word → count object (its default separators): '{"word": 12, ...}'.
_DUMPED = re.compile(r'\{\}|\{"[^"\\]*": \d')
_COUNT = re.compile(r"\d+")


def word_counts(texts) -> Counter:
    """How often each word of ``texts`` occurs, as ``Vocabulary.add_text`` counts them."""
    return Counter(word.lower() for text in texts for word in _WORD.findall(text))


class Vocabulary:
    """Word → number of occurrences in the collection."""

    def __init__(self, counts: dict[str, int] | None = None):
        self._counts: Counter | None = Counter(counts or {})
        self._saved: str | None = None  # the saved JSON (``from_json``), kept: threads may read it at once
        self.revision = 0  # counts added so far (``add_text``, ``add_counts``): what was made from the words is stale

    @property
    def counts(self) -> Counter:
        if self._counts is None:
            self._counts = Counter(json.loads(self._saved) or {})
        return self._counts

    def add_text(self, text: str) -> None:
        self.counts.update(word.lower() for word in _WORD.findall(text))
        self.revision += 1

    def add_counts(self, counts: Counter) -> None:
        """Add the counts ``word_counts`` made (in another process: ``ingest.parallel``)."""
        self.counts.update(counts)
        self.revision += 1

    def to_dict(self) -> dict[str, int]:
        return {word: n for word, n in self.counts.items() if n >= MIN_COUNT}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Vocabulary":
        return cls(data or {})

    @classmethod
    def from_json(cls, saved: str) -> "Vocabulary":
        """The vocabulary ``to_dict`` gave, as saved with ``json.dumps``. A search asks for the
        counts of its own few words (``count``): those are found in the text, and the whole of it
        (tens of thousands of words) is parsed only when a caller needs every word (spelling)."""
        vocabulary = cls()
        if _DUMPED.match(saved) and "\\" not in saved:  # no escapes: each word stands as written
            vocabulary._counts, vocabulary._saved = None, saved
        else:
            vocabulary._counts = Counter(json.loads(saved) or {})
        return vocabulary

    def count(self, word: str) -> int:
        """How often ``word`` occurs in the collection (0: never, or once only)."""
        if self._counts is not None:
            return self._counts.get(word, 0)
        if '"' in word:
            return 0  # no saved word holds a quote (it would be escaped)
        # Between two quotes of the saved text stands either a saved word or ': N, ', and the
        # latter is never followed by '": ' (the next word's letters follow): this finds the word.
        at = self._saved.find(f'"{word}": ')
        if at < 0:
            return 0
        return int(_COUNT.match(self._saved, at + len(word) + 4).group())

    def starting_with(self, letter: str) -> dict[str, int]:
        """The words that begin with ``letter`` and their counts, in the order they were saved
        (a speller buckets one letter's words: found in the saved text, not all of it parsed)."""
        if self._counts is not None:
            return {word: n for word, n in self._counts.items() if word[:1] == letter}
        # '"' and a letter begin a saved word only (the other quotes are followed by ': ')
        pattern = re.compile(f'"({re.escape(letter)}[^"]*)": (\\d+)')
        return {word: int(n) for word, n in pattern.findall(self._saved)}

    def __contains__(self, word: str) -> bool:
        return self.count(word) >= MIN_COUNT
