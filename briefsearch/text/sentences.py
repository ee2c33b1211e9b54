"""Sentence boundaries that know briefing prose: "Ms.", "U.S.", "Gen.", "No. 5" do not end one.

Used by chunking (splitting overly long blocks) and by snippets (choosing a window).
"""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence (lower-cased, without the period).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt amb hon rev st jr sr
    messrs mmes fr sec dept govt assn corp inc ltd co bros vs etc al approx est no nos vol art
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft pt ave blvd rd fig
    """.split()
)

# A candidate end: . ! or ? (optionally followed by closing quotes/brackets), then space(s),
# then something that can start a sentence.
_CANDIDATE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:\b[A-Za-z]\.){1,}$")  # U.S. / U.N. / J.


# How far around a candidate end the tests look: the word before it and the words after it. A
# bounded window keeps splitting linear in the text (each test used to copy the text up to the
# candidate and run an end-anchored search over the copy: 1 MB in one paragraph took 432 s).
_LOOK_BEHIND = 40
_LOOK_AHEAD = 40
_LAST_WORD = re.compile(r"[A-Za-z][A-Za-z.]*$")
_OPENER = re.compile(r"(?:The|This|That|These|Those|We|I|It|He|She|They|But|And|In|On|So)\b")


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation at ``text[end]`` closes a sentence."""
    if text[end] != ".":
        return True
    before = text[max(0, end - _LOOK_BEHIND):end]
    word = _LAST_WORD.search(before, max(0, before.rfind(" ") + 1))
    if not word:
        return True  # "... in 2009." ends a sentence
    token = word.group()
    if token.lower().rstrip(".") in ABBREVIATIONS:
        return False
    if _INITIALS.search(before + "."):
        # "U.S." and "J." are initials: only an end if the next word is clearly a new sentence,
        # which we cannot tell reliably; treat single initials as non-ends, "U.S." as an end only
        # when followed by a common sentence opener.
        following = text[end + 1 : end + 1 + _LOOK_AHEAD].lstrip()[:12]
        return bool(_OPENER.match(following))
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences in ``text``, covering it in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if not _ends_sentence(text, match.start()):
            continue
        end = match.end()
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans
