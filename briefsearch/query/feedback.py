"""Pseudo-relevance feedback: the words the best hits of a first ranking share, weighted for a
second ranking of the same hits (a relevance model after Lavrenko and Croft's RM3, weighted
towards the very top hits)."""

from __future__ import annotations

from collections import Counter
from math import exp

WORDS = 20  # feedback words kept
SHARPNESS = 12.0  # s in w(d) above
_MIN_LETTERS = 3


def feedback_words(hits, stop_terms: frozenset[str] | set[str], words: int = WORDS,
                   sharpness: float = SHARPNESS) -> list[tuple[str, float]]:
    """The ``words`` likeliest words of the relevance model of ``hits``, likeliest first.

    A sentence-long query describes what the reader wants in words the right paragraphs do not all
    use; its best first hits usually hold those words (for the TIME collection's "Kennedy
    administration pressure on Ngo Dinh Diem to stop suppressing the Buddhists": buddhist, diem,
    cathol(ic), viet, govern(ment), south, vietnames(e), mme, nhu, cong, hue, ...). The model:

        P(t | R) = sum over hits d of  w(d) tf(t, d) / |d|,   w(d) ∝ exp(s (score(d) / best - 1))

    over each hit's title and text, leaving out ``stop_terms``, numbers and words under three
    letters. The exponential keeps the model on the hits near the top: with s = 12 a hit scoring
    90% of the best counts 30% as much, one at 70% counts 3%. Weighting by score share instead
    spread it over all ten hits and cost TIME, whose queries have two relevant articles at the
    median, 3 points of nDCG@10 (scripts/levers.py).

    ``hits``: (title, text, score) of the first hits, best first. Each word is returned as it is
    written in the hits (its commonest spelling there), so that analysing it again gives the index
    term the model counted; its weight is P(t | R) divided by the likeliest word's, so the first
    word weighs 1.0.
    """
    hits = [(title, text, score) for title, text, score in hits if text or title]
    if not hits or max(score for _, _, score in hits) <= 0:
        return []
    weights = hit_weights([score for _, _, score in hits], sharpness)
    return relevance_model([(title, text) for title, text, _ in hits], weights, stop_terms, words)


def hit_weights(scores: list[float], sharpness: float) -> list[float]:
    """w(d) = exp(s (score(d) / best - 1)) for each hit's score (not yet summing to one)."""
    best = max(scores)
    return [exp(sharpness * (score / best - 1)) for score in scores]


def relevance_model(texts, weights: list[float], stop_terms, words: int) -> list[tuple[str, float]]:
    """The ``words`` likeliest words of P(t | R) = sum_d w(d) tf(t, d) / |d| over ``texts``
    ((title, text) of each hit) with ``weights`` w(d) (made to sum to one), as in ``feedback_words``."""
    from briefsearch.text.analysis import index_term, tokens

    total = sum(weights) or 1.0
    model: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for (title, text), weight in zip(texts, weights):
        counts: Counter[str] = Counter()
        for word in tokens(f"{title or ''}\n{text or ''}"):
            term = index_term(word)
            counts[term] += 1
            if len(term) >= _MIN_LETTERS and not term.isdigit() and term not in stop_terms:
                spellings.setdefault(term, Counter())[word.lower()] += 1
        length = sum(counts.values()) or 1
        for term, count in counts.items():
            if term in spellings:
                model[term] += (weight / total) * count / length
    top = model.most_common(words)
    if not top:
        return []
    likeliest = top[0][1]
    return [(spellings[term].most_common(1)[0][0], p / likeliest) for term, p in top]
