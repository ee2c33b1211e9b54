"""Text analysis: the index terms of a text, the same for every engine, at index and at query time.

Tokens: words, and dotted acronyms kept whole ("U.S." → "us"); possessive 's dropped; lowercased;
accents folded; Porter-stemmed ("defenses" → "defens"). No stop list at index time, so "US" and
"IT" stay searchable and a phrase never matches across a removed word ("Department State" does not
match "Department of State"); common words are dropped from keyword queries instead, at query time.
Engines index these terms as they are (the Whoosh engine wraps them in a tokenizer, a second engine
is fed them pre-tokenized); ``ANALYZER_VERSION`` goes into each engine's schema fingerprint, so an
index made with other analysis is refused with --rebuild advice instead of searched wrongly.
"""

from __future__ import annotations

import re

from briefsearch.text.accents import ACCENT_MAP as accent_map
from briefsearch.text.porter import stem as porter_stem

ANALYZER_VERSION = 2
TOKEN_PATTERN = r"(?:\w\.){2,}(?!\w)|\w+(?:['\u2019]\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)  # one match per token
_POSSESSIVE = re.compile(r"['\u2019][sS]$")
_DROP = str.maketrans("", "", ".'\u2019")
_CACHE_LIMIT = 500_000
_terms: dict[bool, dict[str, str]] = {True: {}, False: {}}  # stem → word → term


def index_term(word: str, stem: bool = True) -> str:
    """The index term of one token: possessive and dots dropped, lowercased, accents folded, stemmed."""
    cache = _terms[stem]
    term = cache.get(word)
    if term is None:
        term = _POSSESSIVE.sub("", word).translate(_DROP).lower()
        if not term.isascii():
            term = term.translate(accent_map)
        if stem:
            term = porter_stem(term)
        if len(cache) < _CACHE_LIMIT:
            cache[word] = term
    return term


def cached_terms() -> dict[str, str]:
    """The cache of stemmed index terms by word as written (read it; ``index_term`` fills it)."""
    return _terms[True]


def tokens(text: str) -> list[str]:
    """The words of ``text`` as written, in order (each one's index term is ``index_term(word)``)."""
    return TOKEN_RE.findall(text)


def analyze(text: str, stem: bool = True) -> list[str]:
    """The index terms of ``text``, in order."""
    cache = _terms[stem]  # the cache inline: this is most of the analysis time of a bulk build
    return [cache.get(word) or index_term(word, stem) for word in TOKEN_RE.findall(text)]


# Terms made ahead by the extraction worker processes of an index run (``ingest.parallel``): the
# terms of the texts of the file being written, which ``joined_terms`` looks up before analysing.
_ahead: dict[tuple[str, bool], str] = {}


def terms_ahead(texts) -> dict[tuple[str, bool], str]:
    """(text, stem) → ``joined_terms(text, stem)`` for each text, stemmed and as written: made in
    the worker process that extracted the texts, so that the indexing process need not."""
    return {(text, stem): " ".join(analyze(text, stem)) for text in texts for stem in (True, False)}


def use_terms_ahead(made: dict[tuple[str, bool], str]) -> None:
    """Let ``joined_terms`` take these terms (``terms_ahead``), in place of those given before."""
    global _ahead
    _ahead = made


def joined_terms(text: str, stem: bool = True) -> str:
    """The index terms of ``text`` one space apart (index terms never hold a space)."""
    made = _ahead.get((text, stem))
    return made if made is not None else " ".join(analyze(text, stem))


def joined_terms_both(text: str) -> tuple[str, str]:
    """``joined_terms(text)`` and ``joined_terms(text, stem=False)``, from one pass over its tokens."""
    stemmed, written = _ahead.get((text, True)), _ahead.get((text, False))
    if stemmed is not None and written is not None:
        return stemmed, written
    words = TOKEN_RE.findall(text)
    plain, stems = _terms[False], _terms[True]
    return (" ".join([stems.get(word) or index_term(word, True) for word in words]),
            " ".join([plain.get(word) or index_term(word, False) for word in words]))


def may_hold_terms(text: str, terms) -> bool:
    """False when one of ``terms`` (unstemmed index terms of ASCII letters) is surely not among the
    unstemmed index terms of ``text``, without analysing it: each of its words' terms stands in the
    text lowered, its dots and apostrophes dropped and its accents folded (a possessive's term is a
    prefix of its word's; only Greek sigma lowers by context, and it folds to no ASCII letter)."""
    lowered = text.lower().replace(".", "").replace("'", "").replace("\u2019", "")
    missing = [term for term in terms if term not in lowered]
    if not missing:
        return True
    if lowered.isascii():
        return False
    folded = lowered.translate(accent_map)  # slow (a dict lookup a character): only when needed
    return all(term in folded for term in missing)


def analyze_spans(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each token of ``text``: where each index term stands in the text."""
    cache = _terms[True]
    return [(cache.get(word := m.group()) or index_term(word), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def one_edit_apart(word: str, other: str) -> bool:
    """Whether ``other`` is ``word`` or one edit from it (an inserted, deleted or replaced letter,
    or two neighbours swapped) with the first letter kept: what a fuzzy word (``missle~``) matches."""
    if not word or not other or word[0] != other[0]:
        return False
    a, b = word[1:], other[1:]
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return (a[i + 1:] == b[i:]) if len(a) > len(b) else (a[i:] == b[i + 1:])
