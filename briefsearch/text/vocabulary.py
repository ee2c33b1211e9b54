"""The collection's vocabulary: surface words (lowercased, never stemmed) and how often each occurs.

Counted by the indexing run as paragraphs are written and saved with each generation; spelling
suggestions (``query.spelling``) read it. Counts are approximate after incremental updates
(removed articles are not subtracted), which is fine for ranking suggestions.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]{3,}")
MIN_COUNT = 2  # words seen once are as likely typos as words


def word_counts(texts) -> Counter:
    """How often each word of ``texts`` occurs, as ``Vocabulary.add_text`` counts them."""
    return Counter(word.lower() for text in texts for word in _WORD.findall(text))


class Vocabulary:
    """Word → number of occurrences in the collection."""

    def __init__(self, counts: dict[str, int] | None = None):
        self.counts: Counter = Counter(counts or {})

    def add_text(self, text: str) -> None:
        self.counts.update(word.lower() for word in _WORD.findall(text))

    def add_counts(self, counts: Counter) -> None:
        """Add the counts ``word_counts`` made (in another process: ``ingest.parallel``)."""
        self.counts.update(counts)

    def to_dict(self) -> dict[str, int]:
        return {word: n for word, n in self.counts.items() if n >= MIN_COUNT}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Vocabulary":
        return cls(data or {})

    def __contains__(self, word: str) -> bool:
        return self.counts.get(word, 0) >= MIN_COUNT
