"""The ranking plan: the tiers a query runs as, under a ranking policy (``policy``).

Words side by side (plain words, quoted phrases, word groups in parentheses) run as tiers: all of
them, boosted when they stand together (phrase) or near each other and when the article title
holds them; then, for three or four words, at least two of them; then any of them. Anything else
(OR, NOT, fields, wildcards) runs as written, with the title boost for a single word.
"""

from __future__ import annotations

from briefsearch.query import tree as ql
from briefsearch.query.policy import DEFAULT_POLICY, RankingPolicy
from briefsearch.query.rewrite import stop_terms
from briefsearch.text.analysis import analyze


def loose_parts(node) -> list | None:
    """The parts of words side by side: plain words, phrases, and word groups in parentheses
    (flattened: "palliation (temporary improvement) of cancer" is five words side by side)."""
    if not (isinstance(node, ql.And) and node.implicit):
        return None
    parts: list = []
    for child in node.children:
        if isinstance(child, (ql.Term, ql.Phrase)) and child.field is None and not getattr(child, "fuzzy", False):
            parts.append(child)
        elif (inner := loose_parts(child)) is not None:
            parts.extend(inner)
        else:
            return None
    return parts


def part_words(parts) -> list[str]:
    """The words of ``loose_parts``, a phrase's words in turn."""
    return [w for part in parts for w in (part.words if isinstance(part, ql.Phrase) else (part.text,))]


def plan(node, policy: RankingPolicy = DEFAULT_POLICY, proximity: bool = True):
    """(primary, fallback) queries: all the words with their boosts, then any of them (or None).
    Without ``proximity`` the all-words tier has no phrase and nearness boosts (``costly_words``)."""
    if isinstance(node, ql.Term) and node.field is None and not node.fuzzy:
        title = ql.Boost(ql.Term(node.text, "title"), policy.title_boost)
        return ql.AndMaybe(node, (title,)), None
    parts = loose_parts(node)
    if parts is None:
        return node, None
    node = ql.And(tuple(parts), implicit=True)
    words = part_words(parts)
    title = ql.Boost(ql.Or(tuple(ql.Term(w, "title") for w in words)), policy.title_boost)
    phrase = ql.Boost(ql.Phrase(tuple(words)), policy.phrase_boost)
    near = ql.Boost(ql.Phrase(tuple(words), slop=policy.near_slop), policy.near_boost)
    # The fallback keeps only the title boost: the phrase and proximity boosts need every word,
    # and the paragraphs holding every word are all in the primary results already.
    fallback = ql.AndMaybe(ql.Or(tuple(parts)), (title,))
    if not policy.all_words_first:
        return fallback, None
    return ql.AndMaybe(node, (phrase, near, title) if proximity else (title,)), fallback


def costly_words(node, occurrences, policy: RankingPolicy = DEFAULT_POLICY) -> list[str]:
    """The words side by side of ``node`` when they are too common to rank by their positions
    within the time a search has: together they occur more than ``policy.proximity_budget`` times
    in the collection (``occurrences``: word → times). The phrase and nearness boosts read the
    positions of the words in every paragraph holding all of them, which for five of the
    commonest words of a press archive ("president secretary today united states") took seconds.
    An empty list when the boosts are affordable."""
    parts = loose_parts(node)
    if parts is None:
        return []
    words = list(dict.fromkeys(w.lower() for w in part_words(parts)))
    if len(words) < 2 or sum(occurrences(w) for w in words) <= policy.proximity_budget:
        return []
    return words


def most_words(fallback, policy: RankingPolicy = DEFAULT_POLICY):
    """The tier between all words and any word for a query of three or four parts: paragraphs
    holding at least two of them. A paragraph holding two scores as in the any-word fallback (a
    pair's And adds the same per-word scores); of four words, one holding three matches three pairs
    and scores double. The tier is an intersection of postings where the fallback is their union,
    so a three-word query that fills its page here never walks the union (100k paragraphs: the
    union alone took 25 ms at the median). None for other queries."""
    if not (isinstance(fallback, ql.AndMaybe) and isinstance(fallback.required, ql.Or)):
        return None
    parts = fallback.required.children
    low, high = policy.most_words_parts
    if not low <= len(parts) <= high:
        return None
    pairs = tuple(ql.And((a, b), implicit=True) for i, a in enumerate(parts) for b in parts[i + 1:])
    return ql.AndMaybe(ql.Or(pairs), fallback.optional)


def tiers(primary, fallback, policy: RankingPolicy = DEFAULT_POLICY) -> list:
    """The tiers of a plan in the order they run: all the words, at least two, any."""
    return [primary, *(tier for tier in (most_words(fallback, policy), fallback) if tier is not None)]


def wants_feedback(node, policy: RankingPolicy = DEFAULT_POLICY) -> bool:
    """Whether a query gets the feedback pass: words side by side (no OR, NOT, fields or
    wildcards), at least ``policy.feedback_min_words`` distinct ones once stop words are dropped. A
    query of a few words names what the reader wants to see; a sentence-long one describes it, and
    that is where the feedback words help (the test collections' queries: 3 to 60 words)."""
    parts = loose_parts(node)
    if parts is None:
        return False
    return len(set(analyze(" ".join(part_words(parts)))) - stop_terms(policy)) >= policy.feedback_min_words
