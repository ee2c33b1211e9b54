"""Text normalisation shared by ingest and query: NFC, control characters, invisible marks.

Stored text keeps its curly quotes and dashes; ``fold_punctuation`` gives the ASCII forms that
matching uses, so a query typed with straight quotes finds text written with curly ones.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline: they separate what is on either side ("met\x00them" is
# two words), so each becomes a space.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Zero-width and bidi marks and the BOM: invisible inside a word, so they are dropped.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Spaces other than the plain one become plain ones, then runs of plain spaces one: two passes
# that each search for one thing are cheaper than one that tries alternatives at every character.
_UNUSUAL_SPACE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile("  +")

_PUNCTUATION_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
    }
)
_PUNCTUATION_PAIRS = tuple((chr(code), ascii_form) for code, ascii_form in _PUNCTUATION_FOLD.items())


def clean_text(text: str) -> str:
    """NFC-normalise, turn control characters into spaces, drop invisible marks, collapse runs of spaces.

    Newlines are kept (chunking uses them); carriage returns become newlines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # no accents to compose, no invisible marks, no unusual spaces but tabs
        text = _CONTROLS.sub(" ", text)
        if "\t" in text:
            text = text.replace("\t", " ")
    else:
        text = unicodedata.normalize("NFC", text)
        text = _CONTROLS.sub(" ", text)
        text = _INVISIBLE.sub("", text)
        text = _UNUSUAL_SPACE.sub(" ", text)
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


def clean_line(text: str) -> str:
    """``clean_text`` for one-line values (titles, names): newlines become spaces, ends stripped."""
    return " ".join(clean_text(text).split())


def fold_punctuation(text: str) -> str:
    """Curly quotes, primes and dashes to their ASCII forms (same length per character but '…')."""
    if text.isascii():
        return text
    # One replace per character present: str.translate looks every character up in a dict, which
    # is ten times slower on a paragraph that holds a single curly apostrophe.
    for char, ascii_form in _PUNCTUATION_PAIRS:
        if char in text:
            text = text.replace(char, ascii_form)
    return text
