"""Query rewriting before ranking: common words dropped, exclusions set apart, acronyms expanded.

Each step takes a query structure (``tree``) and returns a new one; nothing here runs a search.
"""

from __future__ import annotations

from dataclasses import replace

from briefsearch.engine.api import parse_definition_value
from briefsearch.query import tree as ql
from briefsearch.query.policy import DEFAULT_POLICY, RankingPolicy
from briefsearch.text.analysis import analyze, index_term


def plain_words(node) -> list[str] | None:
    """The words of an implicit AND of plain text terms (no fields, wildcards or operators)."""
    if isinstance(node, ql.And) and node.implicit and all(
        isinstance(c, ql.Term) and c.field is None and not c.fuzzy for c in node.children
    ):
        return [c.text for c in node.children]
    return None


def split_exclusions(node):
    """(the rest, the exclusions) of words side by side with some excluded ("iran sanctions
    -iraq"): the rest is ranked like any words side by side, and every tier leaves out what the
    exclusions match. Other queries: (node, ())."""
    if not (isinstance(node, ql.And) and node.implicit):
        return node, ()
    exclusions = tuple(c for c in node.children if isinstance(c, ql.Not))
    rest = tuple(c for c in node.children if not isinstance(c, ql.Not))
    if not exclusions or not rest:
        return node, ()
    return (rest[0] if len(rest) == 1 else ql.And(rest, implicit=True)), exclusions


def required_words(node):
    """Words side by side with some marked ``+`` ("+tauscher russia"): the marked ones must match,
    the others only add to the score (an ``AndMaybe``). ``+`` elsewhere changes nothing: the words
    of an explicit AND are all required already."""
    if isinstance(node, ql.And):
        children = tuple(ql.Required(required_words(c.child)) if isinstance(c, ql.Required) else required_words(c)
                         for c in node.children)
        marked = [c.child for c in children if isinstance(c, ql.Required)]
        if node.implicit and marked:
            rest = tuple(c for c in children if not isinstance(c, ql.Required))
            required = marked[0] if len(marked) == 1 else ql.And(tuple(marked))
            optional = tuple(c for c in rest if not isinstance(c, ql.Not))
            excluded = tuple(c for c in rest if isinstance(c, ql.Not))
            if excluded:
                required = ql.And((required, *excluded))
            return ql.AndMaybe(required, (ql.Or(optional),)) if optional else required
        return ql.And(tuple(c.child if isinstance(c, ql.Required) else c for c in children), implicit=node.implicit)
    if isinstance(node, ql.Or):
        return ql.Or(tuple(required_words(c) for c in node.children))
    if isinstance(node, ql.Required):
        return required_words(node.child)
    if isinstance(node, (ql.Not, ql.Boost)):
        return replace(node, child=required_words(node.child))
    return node


def drop_stop_words(node, policy: RankingPolicy = DEFAULT_POLICY):
    """Remove common words from implicit word groups (keeping capitals such as US and IT)."""
    if isinstance(node, ql.And) and node.implicit:
        kept = tuple(c for c in node.children if not is_stop(c, policy))
        if not kept:
            return ql.Phrase(tuple(c.text for c in node.children))  # "to be or not to be"
        if len(kept) < len(node.children):
            node = kept[0] if len(kept) == 1 else ql.And(kept, implicit=True)
        if isinstance(node, ql.And):
            return ql.And(tuple(drop_stop_words(c, policy) for c in node.children), implicit=node.implicit)
        return node
    if isinstance(node, ql.And):
        return ql.And(tuple(drop_stop_words(c, policy) for c in node.children), implicit=False)
    if isinstance(node, ql.Or):
        return ql.Or(tuple(drop_stop_words(c, policy) for c in node.children))
    return node


def is_stop(node, policy: RankingPolicy = DEFAULT_POLICY) -> bool:
    return (isinstance(node, ql.Term) and node.field is None and not node.fuzzy
            and node.text.lower() in policy.stop_words
            and (policy.stop_words_in_capitals or not node.text.isupper()))


def stop_terms(policy: RankingPolicy = DEFAULT_POLICY) -> frozenset[str]:
    """The index terms of the stop words (left out of the feedback words)."""
    return frozenset(index_term(word) for word in policy.stop_words)


def quoted_phrases(node) -> list[tuple[str, ...]]:
    """The exact quoted phrases every hit of ``node`` must hold (not those inside OR or NOT, and
    not one that acronym expansion widened into an OR)."""
    if isinstance(node, ql.Phrase) and node.field is None and node.slop == 0:
        return [node.words]
    if isinstance(node, ql.And):
        return [p for child in node.children if not isinstance(child, ql.Not) for p in quoted_phrases(child)]
    if isinstance(node, (ql.Required, ql.Boost)):
        return quoted_phrases(node.child)
    if isinstance(node, ql.AndMaybe):
        return quoted_phrases(node.required)
    return []


def holds_phrase(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` has the words of the phrase in a row, unstemmed."""
    wanted = analyze(" ".join(words), stem=False)
    if not wanted:
        return True
    have = analyze(text, stem=False)
    first, n = wanted[0], len(wanted)
    return any(have[i : i + n] == wanted for i, term in enumerate(have) if term == first)


def long_form_key(words) -> str:
    """How a long form is compared: its unstemmed index terms ("U.S.-Russia" → "us russia")."""
    return " ".join(analyze(" ".join(words), stem=False))


def acronym_definitions(values) -> dict[str, set[str]]:
    """short form (lowercase) → long forms (``long_form_key``), from the engine's ``acronym``
    facet values."""
    out: dict[str, set[str]] = {}
    for value in values:
        short, long = parse_definition_value(value)
        if short and long:
            out.setdefault(short, set()).add(long_form_key([long]))
    return out


_long_forms_of: list = [None, {}]  # the definitions last inverted, and their inversion


def _long_forms(definitions: dict[str, set[str]]) -> dict[str, set[str]]:
    """long form → short forms, inverted once per definitions (a reader's, read once per reader)."""
    if _long_forms_of[0] is not definitions:
        by_long: dict[str, set[str]] = {}
        for short, longs in definitions.items():
            for long in longs:
                by_long.setdefault(long, set()).add(short)
        _long_forms_of[:] = [definitions, by_long]
    return _long_forms_of[1]


def expand_acronyms(node, definitions: dict[str, set[str]], expansions: list[str],
                    weight: float = DEFAULT_POLICY.expansion_weight):
    """Let an acronym find its long form and a long form find its acronym, ranked ``weight`` as high."""
    if not definitions:
        return node
    by_long = _long_forms(definitions)

    def visit(n):
        if isinstance(n, ql.Term) and n.field is None and not n.fuzzy:
            longs = definitions.get(n.text.lower())
            if longs and (n.text.isupper() or len(n.text) <= 6):
                alternatives = [ql.Boost(ql.Phrase(tuple(l.split())), weight) for l in sorted(longs)]
                expansions.extend(f'{n.text} → "{l}"' for l in sorted(longs))
                return ql.Or((n, *alternatives))
            return n
        words = n.words if isinstance(n, ql.Phrase) and n.field is None else plain_words(n)
        if words:
            shorts = by_long.get(long_form_key(words))
            if shorts:
                expansions.extend(f'"{" ".join(words)}" → {s.upper()}' for s in sorted(shorts))
                return ql.Or((n, *(ql.Boost(ql.Term(s.upper()), weight) for s in sorted(shorts))))
        if isinstance(n, ql.And):
            return ql.And(tuple(visit(c) for c in n.children), implicit=n.implicit)
        if isinstance(n, ql.Or):
            return ql.Or(tuple(visit(c) for c in n.children))
        if isinstance(n, (ql.Required, ql.Boost)):
            return replace(n, child=visit(n.child))
        if isinstance(n, ql.AndMaybe):
            return replace(n, required=visit(n.required))
        return n

    return visit(node)
