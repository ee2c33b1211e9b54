"""The text analyzer shared by indexing, query compilation and snippet highlighting.

Tokens: words, and dotted acronyms kept whole ("U.S." → "us"); possessive 's dropped; lowercased;
accents folded; Porter-stemmed ("defenses" → "defens"). No stop list at index time, so "US" and
"IT" stay searchable and a phrase never matches across a removed word ("Department State" does not
match "Department of State"); common words are dropped from keyword queries instead, at query time.
The schema (with this analyzer) is pickled into the index, so ``BriefingAnalyzer`` keeps its name and
module forever; ``ANALYZER_VERSION`` goes into the version stamp, so an index made with other
analysis is refused with --rebuild advice instead of searched wrongly.
"""

from __future__ import annotations

import re

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

ANALYZER_VERSION = 2
TOKEN_PATTERN = r"(?:\w\.){2,}(?!\w)|\w+(?:['\u2019]\w+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_POSSESSIVE = re.compile(r"['\u2019][sS]$")
_DROP = str.maketrans("", "", ".'\u2019")
_CACHE_LIMIT = 500_000
_terms: dict[tuple[str, bool], str] = {}


def index_term(word: str, stem: bool = True) -> str:
    """The index term of one token: possessive and dots dropped, lowercased, accents folded, stemmed."""
    key = (word, stem)
    term = _terms.get(key)
    if term is None:
        term = _POSSESSIVE.sub("", word).translate(_DROP).lower()
        if not term.isascii():
            term = term.translate(accent_map)
        if stem:
            term = porter_stem(term)
        if len(_terms) < _CACHE_LIMIT:
            _terms[key] = term
    return term


class BriefingAnalyzer(Tokenizer):
    """The whole analyzer in one pass over the text, with a cache of word → term.

    Same terms as RegexTokenizer | possessive and dot removal | LowercaseFilter |
    CharsetFilter(accent_map) | StemFilter, about 3x faster, because Whoosh runs each stage of a
    chain as a Python generator per token. This class is pickled into the index schema by its
    module path: never rename or move it (the version stamp catches any other change).
    """

    def __init__(self, stem: bool = True):
        self.stem = stem

    def __eq__(self, other):
        return type(other) is type(self) and other.stem == self.stem

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        stem = self.stem
        for pos, match in enumerate(_TOKEN.finditer(value), start_pos):
            word = match.group()
            token.text = index_term(word, stem)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def text_analyzer(stem: bool = True):
    """The analyzer of the paragraph text and title fields."""
    return BriefingAnalyzer(stem)


def name_analyzer():
    """The analyzer of speaker names for filtering: words, lowercased, accents folded, no stemming."""
    return text_analyzer(stem=False)


def tokens(text: str) -> list[str]:
    """The words of ``text`` as written, in order (each one's index term is ``index_term(word)``)."""
    return _TOKEN.findall(text)


def analyze(text: str, stem: bool = True) -> list[str]:
    """The index terms of ``text``, in order."""
    return [index_term(match.group(), stem) for match in _TOKEN.finditer(text)]


def analyze_spans(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each token of ``text``: where each index term stands in the text."""
    return [(index_term(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]
