"""Query rewriting before ranking: common words dropped, exclusions set apart, acronyms expanded.

Each step takes a query structure (``tree``) and returns a new one; nothing here runs a search.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from briefsearch.engine.api import parse_definition_value
from briefsearch.query import tree as ql
from briefsearch.query.policy import DEFAULT_POLICY, STOP_WORDS, RankingPolicy
from briefsearch.text.analysis import analyze, index_term, may_hold_terms


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


def unknown_words(node) -> list[str]:
    """The plain words of ``node`` (no field, wildcard or fuzzy mark) a speller may look at."""
    if isinstance(node, ql.Term):
        return [node.text] if node.field is None and not node.fuzzy else []
    if isinstance(node, (ql.And, ql.Or)):
        return [w for c in node.children for w in unknown_words(c)]
    if isinstance(node, ql.AndMaybe):
        return unknown_words(node.required)
    if isinstance(node, (ql.Required, ql.Boost)):
        return unknown_words(node.child)
    return []


def also_corrected(node, corrections: dict[str, str], weight: float):
    """Each word of ``corrections`` (a word the collection does not have → the one it likely
    meant) also finds its correction, ranked ``weight`` as high: "morroco" finds "Morocco"."""
    if not corrections:
        return node
    if isinstance(node, ql.Term) and node.field is None and not node.fuzzy and node.text in corrections:
        return ql.Or((node, ql.Boost(ql.Term(corrections[node.text]), weight)))
    if isinstance(node, ql.And):
        return ql.And(tuple(also_corrected(c, corrections, weight) for c in node.children), implicit=node.implicit)
    if isinstance(node, ql.Or):
        return ql.Or(tuple(also_corrected(c, corrections, weight) for c in node.children))
    if isinstance(node, (ql.Required, ql.Boost)):
        return replace(node, child=also_corrected(node.child, corrections, weight))
    if isinstance(node, ql.AndMaybe):
        return replace(node, required=also_corrected(node.required, corrections, weight))
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


def phrase_test(phrases):
    """``lambda text: all(holds_phrase(text, words) for words in phrases)``, made for many texts:
    each phrase analysed once, and a text that surely lacks one of the phrases' words
    (``text.analysis.may_hold_terms``) ruled out before it is analysed."""
    wanted = [w for w in (analyze(" ".join(words), stem=False) for words in phrases) if w]
    needles = sorted({term for w in wanted for term in w if term.isascii()}, key=len, reverse=True)

    def test(text: str) -> bool:
        if needles and not may_hold_terms(text, needles):
            return False
        if not wanted:
            return True
        have = analyze(text, stem=False)
        for w in wanted:
            first, n = w[0], len(w)
            if not any(have[i : i + n] == w for i, term in enumerate(have) if term == first):
                return False
        return True

    return test


def long_form_key(words) -> str:
    """How a long form is compared: its unstemmed index terms ("U.S.-Russia" → "us russia")."""
    return _long_form_key(" ".join(words))


@lru_cache(maxsize=65536)
def _long_form_key(text: str) -> str:
    # kept: every new generation reads its acronym definitions again, nearly all of them known
    return " ".join(analyze(text, stem=False))


# A long form of plain words (lower-case ASCII letters and digits, one space apart) is its own
# ``long_form_key``: each word is one token whose unstemmed index term is itself. Most long forms
# an index defines are; analysing each of them was most of what a cold query spent on its acronyms.
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _key_of(long: str) -> str:
    """``long_form_key([long])``, without analysing a long form of plain words."""
    return long if _PLAIN_KEY.fullmatch(long) else long_form_key([long])


def acronym_definitions(values) -> dict[str, set[str]]:
    """short form (lowercase) → long forms (``long_form_key``), from the engine's ``acronym``
    facet values."""
    out: dict[str, set[str]] = {}
    for value in values:
        short, long = parse_definition_value(value)
        if short and long:
            out.setdefault(short, set()).add(_key_of(long))
    return out


GOVERNMENT_ACRONYMS = Path(__file__).resolve().parents[1] / "ingest" / "enrich" / "government_acronyms.json"


@lru_cache(maxsize=1)
def government_acronyms() -> tuple[dict[str, set[str]], frozenset[str]]:
    """The curated dictionary shipped with briefsearch (``government_acronyms.json``, versioned):
    short form (lowercase) → long forms (``long_form_key``), and the short forms that are also
    common words ("ICE", "WHO"), which expand only when typed in capitals."""
    data = json.loads(GOVERNMENT_ACRONYMS.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    capitals = set()
    for short, long, *flags in data["acronyms"]:
        out.setdefault(short.lower(), set()).add(long_form_key([long]))
        if "capitals" in flags:
            capitals.add(short.lower())
    return out, frozenset(capitals)


def merged_definitions(collection: dict[str, set[str]], curated: dict[str, set[str]]) -> dict[str, set[str]]:
    """The collection's definitions with the curated ones added (both long forms kept)."""
    merged = {short: set(longs) for short, longs in curated.items()}
    for short, longs in collection.items():
        merged.setdefault(short, set()).update(longs)
    return merged


def _content_key(words) -> str:
    """A long form compared without its common words ("department of state" → "department state"):
    common words are dropped from queries before expansion."""
    return " ".join(w for w in long_form_key(words).split() if w not in STOP_WORDS)


def _content_key_of(key: str) -> str:
    """``_content_key([key])`` of a long form's key, without analysing a key of plain words."""
    return " ".join(w for w in _key_of(key).split() if w not in STOP_WORDS)


MAX_LONG_FORM_WORDS = 8
_LONG_FORM_INDEXES: dict = {}  # id(definitions) -> (definitions, their long-form index), the last few


def _long_form_index(definitions: dict[str, set[str]]) -> dict[str, set[str]]:
    """Long form (and its content words, when two or more) → short forms. Made once per
    definitions (a searcher keeps one per generation: tens of thousands of long forms), not per
    query; the last few are kept, since each thread of a server has a searcher of its own."""
    known = _LONG_FORM_INDEXES.get(id(definitions))
    if known is not None and known[0] is definitions:
        return known[1]
    by_long: dict[str, set[str]] = {}
    for short, longs in definitions.items():
        for long in longs:
            by_long.setdefault(long, set()).add(short)
            if (key := _content_key_of(long)) and len(key.split()) >= 2:
                by_long.setdefault(key, set()).add(short)
    if len(_LONG_FORM_INDEXES) >= 8:  # older generations' go
        _LONG_FORM_INDEXES.clear()
    _LONG_FORM_INDEXES[id(definitions)] = (definitions, by_long)
    return by_long


def _distinct_stems(longs) -> list[str]:
    """The long forms, one of each that the index reads alike ("center for disease control" and
    "centers for disease control" are one phrase there: searched twice, it scored twice)."""
    seen: dict[tuple, str] = {}
    for long in sorted(longs):
        seen.setdefault(tuple(analyze(long)), long)
    return list(seen.values())


def expand_acronyms(node, definitions: dict[str, set[str]], expansions: list[str],
                    weight: float = DEFAULT_POLICY.expansion_weight, capitals_only: frozenset[str] = frozenset()):
    """Let an acronym find its long form and a long form find its acronym, ranked ``weight`` as high.

    A long form is found anywhere among words side by side ("OFAC" also for "new office of foreign
    assets control rules"); an acronym in ``capitals_only`` expands only when typed in capitals.
    """
    if not definitions:
        return node
    by_long = _long_form_index(definitions)

    def plain(n) -> bool:
        return isinstance(n, ql.Term) and n.field is None and not n.fuzzy

    def runs(children) -> list[tuple[int, int, set[str]]]:
        """(start, end, acronyms) of the runs of plain words that spell a long form."""
        found, i = [], 0
        while i < len(children):
            for end in range(min(len(children), i + MAX_LONG_FORM_WORDS), i + 1, -1):
                part = children[i:end]
                if all(plain(c) for c in part) and (shorts := by_long.get(_content_key([c.text for c in part]))):
                    found.append((i, end, shorts))
                    i = end
                    break
            else:
                i += 1
        return found

    def acronyms_for(words, shorts):
        expansions.extend(f'"{" ".join(words)}" → {s.upper()}' for s in sorted(shorts))
        return tuple(ql.Boost(ql.Term(s.upper()), weight) for s in sorted(shorts))

    def visit(n):
        if isinstance(n, ql.Term) and n.field is None and not n.fuzzy:
            short = n.text.lower()
            longs = definitions.get(short)
            if longs and (n.text.isupper() or (len(n.text) <= 6 and short not in capitals_only)):
                alternatives = [ql.Boost(ql.Phrase(tuple(l.split())), weight) for l in _distinct_stems(longs)]
                expansions.extend(f'{n.text} → "{l}"' for l in sorted(longs))
                return ql.Or((n, *alternatives))
            return n
        words = n.words if isinstance(n, ql.Phrase) and n.field is None else plain_words(n)
        if words:
            shorts = by_long.get(long_form_key(words)) or by_long.get(_content_key(words))
            if shorts:
                return ql.Or((n, *acronyms_for(words, shorts)))
        if isinstance(n, (ql.And, ql.Or)) and (found := runs(n.children)):
            children, last = [], 0
            for start, end, shorts in found:
                children.extend(visit(c) for c in n.children[last:start])
                run = n.children[start:end]
                alternatives = acronyms_for([c.text for c in run], shorts)
                if isinstance(n, ql.Or):  # any of the words: the acronym is one more
                    children.extend([*run, *alternatives])
                else:
                    children.append(ql.Or((ql.And(tuple(run), implicit=True), *alternatives)))
                last = end
            children.extend(visit(c) for c in n.children[last:])
            return ql.Or(tuple(children)) if isinstance(n, ql.Or) else ql.And(tuple(children), implicit=n.implicit)
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
