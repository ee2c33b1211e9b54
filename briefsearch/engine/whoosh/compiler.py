"""Compile briefsearch's query structure (``query.tree``) into Whoosh queries.

Words search the paragraph text (``title:`` searches the article title). A word that the analyzer
splits into several terms ("U.S.-Russia") becomes a phrase, as users expect.
"""

from __future__ import annotations

from itertools import islice

from whoosh import query as wq

from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.query import tree as ql
from briefsearch.text.analysis import analyze

MAX_PREFIX_EXPANSION = 512
# Query fields searched by words, and the Whoosh field holding them (default: the paragraph text).
_TEXT_FIELDS = {"title": "title", "answers": "asked", "questions": "answered"}


class Compiler:
    """Turns a query structure into a Whoosh query against one reader (for prefix expansion)."""

    def __init__(self, reader):
        self.reader = reader

    def compile(self, node) -> wq.Query | None:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    # --- leaves ------------------------------------------------------------------------------

    def _term(self, node: ql.Term):
        if node.field == "speaker":
            words = analyze(node.text, stem=False)
            return _all([wq.Term("speaker_words", w) for w in words])
        if node.field == "topic":
            return wq.Term("topics", node.text.strip().lower())
        if node.field == "speech":
            return wq.Term("speech", node.text.strip().lower())
        if node.field == "outlet":  # an exact outlet name, as ``facet_counts("outlet")`` gives it
            return wq.Term("outlet", node.text)
        field = _TEXT_FIELDS.get(node.field, "text")
        terms = analyze(node.text)
        if not terms:
            return None
        if node.fuzzy and len(terms) == 1:
            return wq.FuzzyTerm(field, terms[0], maxdist=1, prefixlength=1)
        if len(terms) == 1:
            return wq.Term(field, terms[0])
        if field in ("asked", "answered"):
            return _all([wq.Term(field, t) for t in terms])
        return wq.Phrase(field, terms)

    def _prefix(self, node: ql.Prefix):
        prefix = "".join(analyze(node.text, stem=False))
        if not prefix:
            return None
        field = _TEXT_FIELDS.get(node.field, "text")
        expanded = list(islice(self.reader.expand_prefix(field, prefix), MAX_PREFIX_EXPANSION + 1))
        if len(expanded) > MAX_PREFIX_EXPANSION:
            raise QueryTooExpensive(f'"{node.text}*" matches more than {MAX_PREFIX_EXPANSION} words: type more letters before the *')
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in expanded]
        if not words:
            return wq.NullQuery
        return wq.Or([wq.Term(field, w) for w in words])

    def _phrase(self, node: ql.Phrase):
        if node.field in ("speaker", "topic", "speech"):
            return self._term(ql.Term(" ".join(node.words), node.field))
        terms = analyze(" ".join(node.words))
        if not terms:
            return None
        if node.field in ("answers", "questions"):  # no positions there: a phrase is all its words
            return _all([wq.Term(_TEXT_FIELDS[node.field], t) for t in terms])
        field = _TEXT_FIELDS.get(node.field, "text")
        if len(terms) == 1:
            return wq.Term(field, terms[0])
        return wq.Phrase(field, terms, slop=1 + node.slop)

    def _daterange(self, node: ql.DateRange):
        return wq.TermRange("pub_day", node.start, node.end)

    # --- groups ------------------------------------------------------------------------------

    def _and(self, node: ql.And):
        positives, negatives = self._split(node.children)
        if not positives:
            raise QuerySyntaxError("A query cannot only exclude words: add a word to search for")
        query = _all(positives)
        if negatives:
            query = wq.AndNot(query, _any(negatives))
        return query

    def _or(self, node: ql.Or):
        children = [c for c in (self.compile(child) for child in node.children) if c is not None]
        return _any(children) if children else None

    def _andmaybe(self, node: ql.AndMaybe):
        required = self.compile(node.required)
        optional = [q for q in (self.compile(o) for o in node.optional) if q is not None]
        if required is None or not optional:
            return required
        return wq.AndMaybe(required, _any(optional))

    def _not(self, node: ql.Not):
        inner = self.compile(node.child)
        return None if inner is None else wq.Not(inner)

    def _required(self, node: ql.Required):
        return self.compile(node.child)

    def _boost(self, node: ql.Boost):
        inner = self.compile(node.child)
        if inner is None:
            return None
        inner = inner.copy()
        inner.boost = inner.boost * node.factor
        return inner

    # --- helpers -----------------------------------------------------------------------------

    def _split(self, children):
        positives, negatives = [], []
        for child in children:
            if isinstance(child, ql.Not):
                compiled = self.compile(child.child)
                if compiled is not None:
                    negatives.append(compiled)
            else:
                compiled = self.compile(child)
                if compiled is not None:
                    positives.append(compiled)
        return positives, negatives



def _all(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _any(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)
