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


def statement_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without accents."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def fingerprint(text: str) -> str:
    """16 hex characters naming the words of ``text`` in order."""
    return hashlib.sha1(" ".join(statement_words(text)).encode("utf-8")).hexdigest()[:16]
