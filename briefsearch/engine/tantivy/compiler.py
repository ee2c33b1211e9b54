"""Compile briefsearch's query structure (``query.tree``) into tantivy queries.

The same reading of the structure as the Whoosh engine's compiler: words search the paragraph
text (``title:`` the article title), a word the analysis splits into several terms ("U.S.-Russia")
is a phrase, ``speaker:`` matches the words of the speaker's name, ``topic:`` a whole topic.

Where tantivy differs, the compiled query says what to verify:

- a phrase with slop: tantivy lets the words change places within the slop ("defense missile"
  matches ``"missile defense"~2``), Whoosh keeps their order. A sloppy phrase that decides what
  matches (not one inside OR, NOT or an optional boost) is checked on each candidate's positions
  (``OrderCheck``), with Whoosh's rule: each word 1 to slop + 1 positions after the one before.
- prefixes and fuzzy words match the words as written (the ``written`` field, unstemmed) and are
  scored by those words' stems, as the contract says (``engine.api.CompiledQuery``); the words a
  fuzzy word stands for are those of the term dictionary ``one_edit_apart`` from it.

Each compiled query also carries its cost, the postings its terms hold (the reader decides from it
whether a search can run past its deadline), and the text terms it matches on, for highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from briefsearch.engine.tantivy.schema import day_number, topic_value
from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.query import tree as ql
from briefsearch.text.analysis import analyze, index_term, one_edit_apart

MAX_EXPANSION = 512  # words one prefix or fuzzy word stands for (the commonest)
MAX_SCANNED = 50_000  # index words read to expand one prefix or fuzzy word
MAX_FUZZY_CHARS = 40
Occur = tantivy.Occur
Q = tantivy.Query


@dataclass(frozen=True)
class OrderCheck:
    """Candidates must hold ``terms`` in ``field`` in this order, each 1 to ``gap`` positions after
    the one before."""

    field: str
    terms: tuple[str, ...]
    gap: int

    def holds(self, positions: list[str]) -> bool:
        first, rest = self.terms[0], self.terms[1:]
        ends = [i for i, term in enumerate(positions) if term == first]
        for term in rest:
            ends = sorted({j for i in ends for j in range(i + 1, min(i + self.gap, len(positions) - 1) + 1)
                           if positions[j] == term})
            if not ends:
                return False
        return bool(ends)


@dataclass
class Compiled:
    query: object | None  # tantivy.Query; None: matches nothing
    text: str  # its description
    terms: set[str] = field(default_factory=set)  # text-field terms it matches on
    cost: int = 0  # postings read
    checks: tuple[OrderCheck, ...] = ()  # what every match must also satisfy


# Query fields searched by words, and the tantivy field holding them (default: the paragraph text).
_TEXT_FIELDS = {"title": "title", "answers": "asked", "questions": "answered"}


def _field(node) -> str:
    return _TEXT_FIELDS.get(node.field, "text")


def fuzzy_pattern(term: str) -> str:
    """A regular expression of the words one Damerau-Levenshtein edit from ``term``, its first
    letter kept (Whoosh's ``FuzzyTerm(maxdist=1, prefixlength=1)``)."""
    e = re.escape
    forms = {e(term)}
    n = len(term)
    for i in range(1, n + 1):
        forms.add(e(term[:i]) + "." + e(term[i:]))  # an insertion
        if i < n:
            forms.add(e(term[:i]) + e(term[i + 1:]))  # a deletion
            forms.add(e(term[:i]) + "." + e(term[i + 1:]))  # a substitution
        if i < n - 1:
            forms.add(e(term[:i]) + e(term[i + 1]) + e(term[i]) + e(term[i + 2:]))  # a transposition
    return "|".join(sorted(forms))


class Compiler:
    """Turns a query structure into a tantivy query against one searcher (prefixes, costs)."""

    def __init__(self, schema, searcher):
        self.schema = schema
        self.searcher = searcher
        self.notes: list[str] = []  # what the reader should be told (a capped expansion)

    def compile(self, node) -> Compiled:
        compiled = self._compile(node, required=True)
        return compiled if compiled is not None else Compiled(None, "<nothing>")

    def _compile(self, node, required: bool) -> Compiled | None:
        return getattr(self, "_" + type(node).__name__.lower())(node, required)

    # --- leaves ------------------------------------------------------------------------------

    def _freq(self, field_name: str, term: str) -> int:
        return self.searcher.doc_freq(field_name, term)

    def _term_query(self, field_name: str, term: str, text_terms: bool = True) -> Compiled:
        return Compiled(Q.term_query(self.schema, field_name, term), f"{field_name}:{term}",
                        {term} if field_name == "text" and text_terms else set(), self._freq(field_name, term))

    def _term(self, node: ql.Term, required: bool):
        if node.field == "speaker":
            words = analyze(node.text, stem=False)
            return _all([self._term_query("speaker_words", w) for w in words])
        if node.field == "topic":
            return self._term_query("topics", topic_value(node.text))
        if node.field == "speech":
            return self._term_query("speech", node.text.strip().lower())
        if node.field == "outlet":  # an exact outlet name, as ``facet_counts("outlet")`` gives it
            return self._term_query("outlet", node.text)
        field_name = _field(node)
        terms = analyze(node.text)
        if not terms:
            return None
        if node.fuzzy and len(terms) == 1:
            return self._fuzzy(node, field_name)
        if field_name in ("asked", "answered"):  # no positions there: several terms are all of them
            return _all([self._term_query(field_name, t) for t in terms])
        if len(terms) == 1:
            return self._term_query(field_name, terms[0])
        return self._phrase_query(field_name, terms, 0, required)

    def _fuzzy(self, node: ql.Term, field_name: str) -> Compiled | None:
        word = "".join(analyze(node.text, stem=False))
        if not word:
            return None
        if len(word) > MAX_FUZZY_CHARS:
            raise QueryTooExpensive(f'"{node.text[:20]}...~" is too long for a fuzzy word: use at most {MAX_FUZZY_CHARS} letters')
        if field_name != "text":  # the other fields keep no words as written: their stems stand in
            word = index_term(word)
        candidates = self.searcher.terms_with_prefix("written" if field_name == "text" else field_name, word[:1], limit=MAX_SCANNED)
        near = [(term, count) for term, count in candidates if one_edit_apart(word, term)]
        return self._expanded(field_name, near, f"{node.text}~", f"{field_name}:{word}~1")

    def _prefix(self, node: ql.Prefix, required: bool):
        prefix = "".join(analyze(node.text, stem=False))
        if not prefix:
            return None
        field_name = _field(node)
        found = self.searcher.terms_with_prefix("written" if field_name == "text" else field_name, prefix, limit=MAX_SCANNED + 1)
        if len(found) > MAX_SCANNED:
            raise QueryTooExpensive(f'"{node.text}*" matches more than {MAX_SCANNED:,} words: type more letters before the *')
        return self._expanded(field_name, found, f"{node.text}*", f"{field_name}:{prefix}*")

    def _expanded(self, field_name: str, found, label: str, text: str) -> Compiled:
        """The paragraphs holding one of the words ``found`` ((word, count), commonest first): in
        the text, words as written, scored by their stems; in other fields, stems."""
        if len(found) > MAX_EXPANSION:
            found = found[:MAX_EXPANSION]
            self.notes.append(f'"{label}" stands for more than {MAX_EXPANSION} words: searched the {MAX_EXPANSION} commonest '
                              "(type more letters to narrow it)")
        if not found:
            return Compiled(None, text)
        words = sorted(term for term, _ in found)
        if field_name != "text":
            query = Q.boolean_query([(Occur.Should, Q.term_query(self.schema, field_name, w)) for w in words])
            return Compiled(query, text, set(), sum(count for _, count in found))
        stems = sorted({index_term(w) for w in words})
        scored = Q.boolean_query([(Occur.Should, Q.term_query(self.schema, "text", s)) for s in stems])
        written = Q.boolean_query([(Occur.Should, Q.term_query(self.schema, "written", w)) for w in words])
        query = Q.boolean_query([(Occur.Must, scored), (Occur.Must, Q.const_score_query(written, 0.0))])
        cost = sum(count for _, count in found) + sum(self._freq("text", s) for s in stems)
        return Compiled(query, text, set(stems), cost)

    def _phrase_query(self, field_name: str, terms, slop: int, required: bool) -> Compiled:
        cost = 2 * sum(self._freq(field_name, t) for t in set(terms))
        quoted = " ".join(terms)
        if slop == 0:
            return Compiled(Q.phrase_query(self.schema, field_name, list(terms), 0), f'{field_name}:"{quoted}"',
                            set(terms) if field_name == "text" else set(), cost)
        checks = (OrderCheck(field_name, tuple(terms), slop + 1),) if required else ()
        return Compiled(Q.phrase_query(self.schema, field_name, list(terms), slop), f'{field_name}:"{quoted}"~{slop}',
                        set(terms) if field_name == "text" else set(), cost, checks)

    def _phrase(self, node: ql.Phrase, required: bool):
        if node.field in ("speaker", "topic", "speech", "answers", "questions"):
            return self._term(ql.Term(" ".join(node.words), node.field), required)
        terms = analyze(" ".join(node.words))
        if not terms:
            return None
        field_name = _field(node)
        if len(terms) == 1:
            return self._term_query(field_name, terms[0])
        return self._phrase_query(field_name, terms, node.slop, required)

    def _daterange(self, node: ql.DateRange, required: bool):
        query = Q.range_query(self.schema, "day", tantivy.FieldType.Integer, day_number(node.start), day_number(node.end))
        return Compiled(query, f"day:[{node.start} TO {node.end}]", cost=self.searcher.num_docs)

    # --- groups ------------------------------------------------------------------------------

    def _and(self, node: ql.And, required: bool):
        positives, negatives = [], []
        for child in node.children:
            if isinstance(child, ql.Not):
                compiled = self._compile(child.child, False)
                if compiled is not None:
                    negatives.append(compiled)
            else:
                compiled = self._compile(child, required)
                if compiled is not None:
                    positives.append(compiled)
        if not positives:
            raise QuerySyntaxError("A query cannot only exclude words: add a word to search for")
        query = _all(positives)
        if negatives:
            query = _and_not(query, _any(negatives))
        return query

    def _or(self, node: ql.Or, required: bool):
        children = [c for c in (self._compile(child, required and len(node.children) == 1) for child in node.children) if c is not None]
        return _any(children) if children else None

    def _andmaybe(self, node: ql.AndMaybe, required: bool):
        main = self._compile(node.required, required)
        optional = [q for q in (self._compile(o, False) for o in node.optional) if q is not None]
        if main is None or not optional or main.query is None:
            return main
        optional = [q for q in optional if q.query is not None]
        if not optional:
            return main
        query = Q.boolean_query([(Occur.Must, main.query)] + [(Occur.Should, q.query) for q in optional])
        return Compiled(query, f"{main.text} ANDMAYBE ({' '.join(q.text for q in optional)})",
                        main.terms.union(*(q.terms for q in optional)), main.cost + sum(q.cost for q in optional), main.checks)

    def _not(self, node: ql.Not, required: bool):
        inner = self._compile(node.child, False)
        if inner is None:
            return None
        everything = Compiled(Q.term_query(self.schema, "kind", "paragraph"), "kind:paragraph", cost=self.searcher.num_docs)
        return _and_not(everything, inner)

    def _required(self, node: ql.Required, required: bool):
        return self._compile(node.child, required)

    def _boost(self, node: ql.Boost, required: bool):
        inner = self._compile(node.child, required)
        if inner is None or inner.query is None:
            return inner
        return Compiled(Q.boost_query(inner.query, node.factor), f"({inner.text})^{node.factor:g}", inner.terms, inner.cost, inner.checks)


def _all(parts: list[Compiled]) -> Compiled:
    if not parts:
        return Compiled(None, "<nothing>")
    if len(parts) == 1:
        return parts[0]
    if any(p.query is None for p in parts):
        return Compiled(None, "(" + " AND ".join(p.text for p in parts) + ")")
    return Compiled(Q.boolean_query([(Occur.Must, p.query) for p in parts]), "(" + " AND ".join(p.text for p in parts) + ")",
                    set().union(*(p.terms for p in parts)), sum(p.cost for p in parts),
                    tuple(c for p in parts for c in p.checks))


def _any(parts: list[Compiled]) -> Compiled:
    live = [p for p in parts if p.query is not None]
    text = "(" + " OR ".join(p.text for p in parts) + ")" if len(parts) > 1 else parts[0].text
    if not live:
        return Compiled(None, text)
    if len(live) == 1:
        only = live[0]
        return Compiled(only.query, text, only.terms, only.cost, only.checks)
    return Compiled(Q.boolean_query([(Occur.Should, p.query) for p in live]), text,
                    set().union(*(p.terms for p in live)), sum(p.cost for p in live))


def _and_not(query: Compiled, excluded: Compiled) -> Compiled:
    if query.query is None or excluded.query is None:
        return query
    return Compiled(Q.boolean_query([(Occur.Must, query.query), (Occur.MustNot, excluded.query)]),
                    f"({query.text} ANDNOT {excluded.text})", query.terms, query.cost + excluded.cost, query.checks)
