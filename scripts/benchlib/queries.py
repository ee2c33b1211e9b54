"""Deterministic benchmark queries drawn from a corpus's own paragraphs.

Four kinds, the same count of each: ``word`` (a frequent word that is not a stopword), ``three``
(three content words of one paragraph, all required), ``phrase`` (2-3 consecutive content words of
one paragraph, quoted) and ``filtered`` (a content word of a paragraph plus that paragraph's
speaker surname or section topic as a filter). A query is a dict that each engine translates:
``{"kind", "words": [...], "phrase": bool, "speaker": str|None, "topic": str|None}``.
"""

from __future__ import annotations

import random
import re
from collections import Counter

KINDS = ("word", "three", "phrase", "filtered")
_WORD = re.compile(r"[A-Za-z]+")

# Common English function words plus words every briefing repeats; no query is built on them.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just let me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves said says one two also well going think know want
get got make made like really thank thanks yes okay way lot much many us very look see sure go
just right say time thing things able back still even today yeah question mr ms
""".split())


# Section labels that name a country; other labels ("department", "irfreport") make poor filters.
COUNTRY_TOPICS = frozenset("""
afghanistan burma china cuba ethiopia haiti india iran iraq israel japan lebanon libya mexico
nicaragua pakistan russia somalia sudan syria ukraine venezuela yemen belarus georgia turkey
""".split())


def content_words(text: str, min_len: int = 3) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text))
            if len(w) >= min_len and w not in STOPWORDS]


def make_queries(paragraphs: list[dict], seed: int, per_kind: int = 50) -> list[dict]:
    """``per_kind`` queries of each kind from ``paragraphs`` (dicts with body/speaker/topic)."""
    rng = random.Random(seed * 7919 + 1)
    queries = []
    queries += _word_queries(paragraphs, rng, per_kind)
    queries += _three_word_queries(paragraphs, rng, per_kind)
    queries += _phrase_queries(paragraphs, rng, per_kind)
    queries += _filtered_queries(paragraphs, rng, per_kind)
    return queries


make_queries.version = 3  # bump when the queries change, so cached corpora regenerate them


def _query(kind, words, phrase=False, speaker=None, topic=None):
    return {"kind": kind, "words": words, "phrase": phrase, "speaker": speaker, "topic": topic}


def _word_queries(paragraphs, rng, n):
    df = Counter()
    for p in paragraphs:
        df.update(set(content_words(p["body"], 4)))
    # by count, then alphabetically: most_common() leaves ties in set order, which varies run to run
    frequent = [w for w, _ in sorted(df.items(), key=lambda item: (-item[1], item[0]))[:500]]
    return [_query("word", [w]) for w in rng.sample(frequent, min(n, len(frequent)))]


def _three_word_queries(paragraphs, rng, n):
    out = []
    while len(out) < n:
        words = list(dict.fromkeys(content_words(rng.choice(paragraphs)["body"])))
        if len(words) >= 6:
            picks = sorted(rng.sample(range(len(words)), 3))
            out.append(_query("three", [words[i] for i in picks]))
    return out


def _phrase_queries(paragraphs, rng, n):
    out = []
    while len(out) < n:
        tokens = [w.lower() for w in _WORD.findall(rng.choice(paragraphs)["body"])]
        length = rng.choice((2, 3))
        starts = [i for i in range(len(tokens) - length + 1)
                  if all(len(t) >= 3 and t not in STOPWORDS for t in tokens[i:i + length])]
        if starts:
            i = rng.choice(starts)
            out.append(_query("phrase", tokens[i:i + length], phrase=True))
    return out


def _filtered_queries(paragraphs, rng, n):
    """Half speaker filters (named speakers only), half topic filters when the corpus has topics."""
    by_speaker, by_topic = {}, {}
    for p in paragraphs:
        if p["speaker"] and "-" not in p["speaker"] and p["speaker"] != "question":
            by_speaker.setdefault(p["speaker"], []).append(p)
        if p["topic"] in COUNTRY_TOPICS:
            by_topic.setdefault(p["topic"], []).append(p)
    speakers = sorted(by_speaker, key=lambda s: (-len(by_speaker[s]), s))[:8]
    topics = sorted(by_topic, key=lambda t: (-len(by_topic[t]), t))[:8]
    out = []
    while len(out) < n:
        use_topic = bool(topics) and (len(out) % 2 == 1 or not speakers)
        key = rng.choice(topics if use_topic else speakers)
        words = content_words(rng.choice((by_topic if use_topic else by_speaker)[key])["body"], 4)
        if words:
            word = rng.choice(words)
            out.append(_query("filtered", [word], speaker=None if use_topic else key,
                              topic=key if use_topic else None))
    return out
