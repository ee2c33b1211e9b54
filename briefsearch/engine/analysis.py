"""The text analyzer shared by indexing, query compilation and snippet highlighting.

Tokens: words, and dotted acronyms kept whole ("U.S." → "us"); possessive 's dropped; lowercased;
accents folded; Porter-stemmed ("defenses" → "defens"). No stop list at index time, so "US" and
"IT" stay searchable and a phrase never matches across a removed word ("Department State" does not
match "Department of State"); common words are dropped from keyword queries instead, at query time.
Only Whoosh's built-in components are used, because the schema (with its analyzer) is pickled into
the index and a renamed custom class would make every index unopenable.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    SubstitutionFilter,
)
from whoosh.support.charset import accent_map

ANALYZER_VERSION = 1
TOKEN_PATTERN = r"(?:\w\.){2,}(?!\w)|\w+(?:['\u2019]\w+)*"


def text_analyzer(stem: bool = True):
    """The analyzer of the paragraph text and title fields (a new instance)."""
    chain = (
        RegexTokenizer(TOKEN_PATTERN)
        | SubstitutionFilter(r"['\u2019][sS]$", "")
        | SubstitutionFilter(r"[.'\u2019]", "")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
    )
    if stem:
        chain = chain | StemFilter(cachesize=100_000)
    return chain


def name_analyzer():
    """The analyzer of speaker names for filtering: words, lowercased, accents folded, no stemming."""
    return text_analyzer(stem=False)


@lru_cache(maxsize=2)
def _shared(stem: bool):
    return text_analyzer(stem)


def analyze(text: str, stem: bool = True) -> list[str]:
    """The index terms of ``text``, in order."""
    return [token.text for token in _shared(stem)(text)]


def analyze_spans(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each token of ``text``: where each index term stands in the text."""
    return [(t.text, t.startchar, t.endchar) for t in _shared(True)(text, chars=True)]
