"""The ranking policy as one frozen value: every weight and threshold that orders the hits.

The defaults are the measured ones (``scripts/eval.py``, ``scripts/levers.py``); a variant is
``dataclasses.replace(DEFAULT_POLICY, title_boost=0.6)`` handed to ``Searcher``, never a patch.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefsearch.engine.api import Scoring
from briefsearch.query import feedback

# Dropped from keyword queries (never from phrases, never when typed in capitals like "US", "IT").
STOP_WORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or
    our she that the their them there these they this those to was we were what when where which
    who will with would you your do does did not no so than then into about over say says said""".split()
)


@dataclass(frozen=True)
class RankingPolicy:
    """How words side by side are ranked (``plan``), expanded (``rewrite``) and re-ranked (``feedback``)."""

    # BM25F over text and title (``engine.api.Scoring``)
    k1: float = 1.2
    b: float = 0.75
    # optional clauses of the all-words tier: the title holding the words, the words as a phrase,
    # the words within ``near_slop`` moves of each other
    title_boost: float = 0.3
    phrase_boost: float = 2.0
    near_boost: float = 1.0
    near_slop: int = 8
    # words side by side occurring more often than this in the collection, together, are ranked
    # without the phrase and nearness boosts (``plan.costly_words``): bounded cost
    proximity_budget: int = 40_000
    # an acronym's long form (and a long form's acronym) ranks this much below the words typed
    expansion_weight: float = 0.8
    # the curated dictionary of government acronyms (``rewrite.government_acronyms``) merged with
    # the definitions the collection makes
    curated_acronyms: bool = True
    stop_words: frozenset[str] = STOP_WORDS
    stop_words_in_capitals: bool = False  # "THE" typed in capitals is a stop word too
    all_words_first: bool = True  # False: one any-word tier (with the same boosts)
    most_words_parts: tuple[int, int] = (3, 4)  # queries of this many parts get the at-least-two tier
    suggest_below: int = 3  # offer a corrected query when a search finds fewer paragraphs than this
    # a word the collection does not have also finds the word it likely meant (``spelling``), this
    # much lower ("morroco" also finds "Morocco"); 0 turns it off
    correction_weight: float = 0.9
    # pseudo-relevance feedback (``feedback``): queries of at least ``feedback_min_words`` distinct
    # words; the ``feedback_words`` likeliest words of the first ``feedback_docs`` hits, hit weights
    # sharpened by ``feedback_sharpness``, the likeliest at ``feedback_weight``, re-rank the first
    # ``feedback_rerank`` hits
    feedback_min_words: int = 4
    feedback_docs: int = 10
    feedback_words: int = feedback.WORDS
    feedback_sharpness: float = feedback.SHARPNESS
    feedback_weight: float = 1.0
    feedback_rerank: int = 100

    @property
    def scoring(self) -> Scoring:
        return Scoring(k1=self.k1, b=self.b)


DEFAULT_POLICY = RankingPolicy()
