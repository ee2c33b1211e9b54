"""A paragraph's fingerprint: the same statement gives the same fingerprint wherever it is printed.

The words of the text, case, accents, punctuation, quote and dash styles and spacing aside, hashed.
The alerts' ledger keys on it (an unchanged paragraph re-indexed is not new, an edited one is).
Duplicate grouping (the same readout on two sites, a statement read out in a briefing) finds near
copies by the anchors of the paragraph's runs of words (``statement_anchors``), which the ledger keeps.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

_WORD = re.compile(r"\w+")
# No character below U+0300 is a combining mark. Written as "not below U+0300": the same characters
# as the range [\u0300-\U0010ffff], whose compiling took 18 ms of every process that imports this.
_MAYBE_COMBINING = re.compile("[^\x00-\u02ff]")


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


# Near copies (``query.duplicates``): a paragraph's words in runs of ``SHINGLE_WORDS``, hashed; the
# least hash of every ``ANCHOR_WINDOW`` consecutive runs is an anchor (winnowing), so two
# paragraphs that share a run of ANCHOR_WINDOW + SHINGLE_WORDS - 1 = 8 words share an anchor.
SHINGLE_WORDS = 5
ANCHOR_WINDOW = 4
STATEMENT_MIN_WORDS = 12  # shorter paragraphs ("Thank you.") are said everywhere: never grouped
_SIGNED = 2**31


def statement_shingles(text: str, words: list[str] | None = None) -> list[int]:
    """The hashes of ``text``'s runs of ``SHINGLE_WORDS`` words, in order (one for a shorter text);
    ``words``: its ``statement_words`` when the caller has them already. Signed 32-bit numbers (CRC-32
    less 2**31): the ledger keeps millions of anchors, and SQLite stores one in 4 bytes, not 6."""
    words = statement_words(text) if words is None else words
    return [zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")) - _SIGNED
            for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]


def statement_print(text: str) -> tuple[str, list[int]]:
    """``fingerprint(text)`` and ``statement_anchors(text)``, from one pass over its words: what the
    ledger keeps of a paragraph (``indexing.ledger``)."""
    words = statement_words(text)
    return words_print(words), statement_anchors(text, words)


def statement_anchors(text: str, words: list[str] | None = None) -> list[int]:
    """The anchors the ledger keeps for ``text`` to find its near copies; none for a text of fewer
    than ``STATEMENT_MIN_WORDS`` words."""
    shingles = statement_shingles(text, words)
    if len(shingles) + SHINGLE_WORDS - 1 < STATEMENT_MIN_WORDS:
        return []
    window = min(ANCHOR_WINDOW, len(shingles))
    return sorted({min(shingles[i:i + window]) for i in range(len(shingles) - window + 1)})
