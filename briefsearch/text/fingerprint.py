"""A paragraph's fingerprint: the same statement gives the same fingerprint wherever it is printed.

The words of the text, case, accents, punctuation, quote and dash styles and spacing aside, hashed.
The alerts' ledger keys on it (an unchanged paragraph re-indexed is not new, an edited one is) and
so does duplicate grouping (the same readout on two sites).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD = re.compile(r"\w+")
_MAYBE_COMBINING = re.compile("[\u0300-\U0010ffff]")  # no character below U+0300 is a combining mark


def _drop_combining(match: re.Match) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def statement_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without accents."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    # combining marks dropped: only the characters that could be one are looked at (one
    # paragraph's fingerprint per hit of every search, and per paragraph of every index run)
    return _WORD.findall(_MAYBE_COMBINING.sub(_drop_combining, folded))


def words_print(words: list[str]) -> str:
    """16 hex characters naming ``words`` (``statement_words``) in order."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:16]


def fingerprint(text: str) -> str:
    """16 hex characters naming the words of ``text`` in order."""
    return words_print(statement_words(text))
