"""Did-you-mean: the collection's own words, and corrections for query words it does not know.

Suggestions come from the collection's vocabulary (``text.vocabulary``: surface words, never
stemmed), so a suggestion is always a word the user can read and that occurs in the collection:
"missle defence" → "missile defense", never "missil defens".
"""

from __future__ import annotations

import re

from briefsearch.text.vocabulary import MIN_COUNT, Vocabulary

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
RARE_RATIO = 20  # a known word is still corrected if a one-edit neighbour is this much more common


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


def correct_word(word: str, vocabulary: Vocabulary) -> str | None:
    """The likeliest intended word for ``word``, or None when it looks right."""
    lower = word.lower()
    if len(lower) < 4 or not lower.isalpha():
        return None
    counts = vocabulary.counts
    own = counts.get(lower, 0)
    near = {w for w in _edits1(lower) if counts.get(w, 0) >= MIN_COUNT}
    if own >= MIN_COUNT:
        best = max(near, key=counts.__getitem__, default=None)
        return best if best and counts[best] >= RARE_RATIO * own else None
    if not near:
        near = {w2 for w1 in _edits1(lower) for w2 in _edits1(w1) if counts.get(w2, 0) >= MIN_COUNT}
    if not near:
        return None
    return max(near, key=lambda w: (counts[w], w))


def suggest(query: str, vocabulary: Vocabulary) -> str | None:
    """The query with misspelt words replaced (operators, quotes and fields kept), or None."""
    changed = False

    def fix(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word.isupper() or match.start() > 0 and query[match.start() - 1] == ":":
            return word  # acronyms and field values are not typos
        better = correct_word(word, vocabulary)
        if better is None:
            return word
        changed = True
        return better.capitalize() if word[0].isupper() else better

    corrected = re.sub(r"(?<![\w*])[A-Za-z]+(?![\w*:~])", fix, query)
    return corrected if changed else None
