"""Nasty query texts, made with a fixed seed: the query language's whole syntax, broken and
stacked, and the classes of query whose cost grows with their text (long words, many terms,
deep nesting, wide prefixes, fuzzy words, long phrases, pasted passages).

Used by ``tests/test_query_fuzz.py`` (every text answers or is refused with one line) and by
``scripts/query_cost.py`` (the slowest of each class on a real index, with peak memory).
"""

from __future__ import annotations

import random
import string

WORDS = ("missile", "defense", "russia", "iran", "sanctions", "taiwan", "ukraine", "covid", "vaccine",
         "secretary", "president", "briefing", "the", "of", "US", "JTA", "NATO", "human", "rights", "china")
PIECES = (
    '"', "\u201c", "\u201d", "(", ")", "OR", "AND", "NOT", "ANDMAYBE", "or", "-", "+", "*", "**", "~", "~3", "~99",
    "^2", ":", "?", "[", "]", "{", "}", "TO", "\\", "/", "..", "'", "speaker:", "topic:", "title:", "date:",
    "foo:", "text:", "2021", "2021-06", "2021-13", "1999..2021", "mis*", "m*", "*sile", "défense", "ｍｉｓｓｉｌｅ",
    "日本", "\u0645\u0635\u0631", "\U0001f680", "\u200b", "\ufeff", "\u202e", "\x00", "\x07", "\x1b[31m", "\t",
    "\n", "e\u0301", "-speaker:question", "+iran", "missle~", "a~", "~~", "**",
)


def _word(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(length))


def long_word(rng: random.Random) -> str:
    return _word(rng, rng.choice((100, 300, 1000, 3000, 10000)))


def many_terms(rng: random.Random) -> str:
    n = rng.choice((64, 65, 200, 1000, 3000))
    words = [rng.choice(WORDS) if rng.random() < 0.3 else _word(rng, rng.randint(3, 9)) for _ in range(n)]
    joiner = rng.choice((" ", " OR ", " AND "))
    return joiner.join(words)[:25_000]


def deep_nesting(rng: random.Random) -> str:
    depth = rng.choice((15, 16, 17, 100, 1000))
    inner = rng.choice(WORDS)
    if rng.random() < 0.5:
        return "(" * depth + inner + ")" * depth
    return "".join(f"({rng.choice(WORDS)} OR " for _ in range(depth)) + inner + ")" * depth


def wide_prefixes(rng: random.Random) -> str:
    prefixes = ["st", "co", "pr", "re", "in", "de", "ma", "se", "th", "wh", "an", "pa"]
    n = rng.choice((1, 2, 4, 8, 9))
    return " ".join(rng.choice(prefixes) + "*" for _ in range(n))


def fuzzy_words(rng: random.Random) -> str:
    n = rng.choice((1, 4, 8, 9, 30))
    words = [rng.choice(WORDS + ("secretery", "presidnt", "sanktions", "ukriane")) for _ in range(n)]
    if rng.random() < 0.3:
        words[0] = _word(rng, rng.choice((20, 40, 41, 200)))
    return " ".join(w + "~" for w in words)


def long_phrase(rng: random.Random) -> str:
    n = rng.choice((8, 32, 33, 200))
    return '"' + " ".join(rng.choice(WORDS) for _ in range(n)) + '"' + rng.choice(("", "~5", "~50", "~51", "~9999"))


def pasted_passage(rng: random.Random) -> str:
    n = rng.choice((50, 500, 3000))
    text = " ".join(rng.choice(WORDS + ("(", '"', "?", "-", "AND")) for _ in range(n))
    return text.upper() if rng.random() < 0.3 else text


def syntax_soup(rng: random.Random) -> str:
    parts = [rng.choice(PIECES + WORDS) + rng.choice(("", " ", "  ")) for _ in range(rng.randint(1, 16))]
    return "".join(parts)


def misspelt_words(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(1, 12)):
        word = list(rng.choice(WORDS + ("zelensky", "psaki", "blinken", "afghanistan")))
        if len(word) > 3:
            i = rng.randrange(len(word))
            word[i] = rng.choice(string.ascii_lowercase)
        words.append("".join(word))
    return " ".join(words)


CLASSES = {
    "long word": long_word,
    "many terms": many_terms,
    "deep nesting": deep_nesting,
    "wide prefixes": wide_prefixes,
    "fuzzy words": fuzzy_words,
    "long phrase": long_phrase,
    "pasted passage": pasted_passage,
    "syntax soup": syntax_soup,
    "misspelt words": misspelt_words,
}


def nasty_queries(count: int, seed: int = 12) -> list[tuple[str, str]]:
    """``count`` (class, query text) pairs, the classes in turn."""
    rng = random.Random(seed)
    names = list(CLASSES)
    return [(names[i % len(names)], CLASSES[names[i % len(names)]](rng)) for i in range(count)]
