"""The Whoosh tokenizer that hands Whoosh briefsearch's own index terms (``text.analysis``).

The schema, with this tokenizer in it, is pickled into every Whoosh index by the class's module
path and name. Indexes written before the package had folders name it
``briefsearch.engine.analysis.BriefingAnalyzer``; that stays the one name it is pickled by (this
module answers to it), so every index, older or newer, names the same class.
"""

from __future__ import annotations

import sys

from whoosh.analysis import Token, Tokenizer

from briefsearch.text.analysis import TOKEN_RE, index_term

PICKLED_MODULE = "briefsearch.engine.analysis"


class BriefingAnalyzer(Tokenizer):
    """The whole analyzer in one pass over the text, with ``index_term``'s cache of word → term.

    Same terms as RegexTokenizer | possessive and dot removal | LowercaseFilter |
    CharsetFilter(accent_map) | StemFilter, about 3x faster, because Whoosh runs each stage of a
    chain as a Python generator per token.
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
        for pos, match in enumerate(TOKEN_RE.finditer(value), start_pos):
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


BriefingAnalyzer.__module__ = PICKLED_MODULE
sys.modules.setdefault(PICKLED_MODULE, sys.modules[__name__])


def text_analyzer(stem: bool = True) -> BriefingAnalyzer:
    """The analyzer of the paragraph text and title fields."""
    return BriefingAnalyzer(stem)


def name_analyzer() -> BriefingAnalyzer:
    """The analyzer of speaker names for filtering: words, lowercased, accents folded, no stemming."""
    return text_analyzer(stem=False)
