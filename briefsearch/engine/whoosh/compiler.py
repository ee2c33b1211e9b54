"""Compile briefsearch's query structure (``query.tree``) into Whoosh queries.

Words search the paragraph text (``title:`` searches the article title). A word that the analyzer
splits into several terms ("U.S.-Russia") becomes a phrase, as users expect.

Prefixes and fuzzy words match the words as written (the unstemmed ``written`` field): "cooperat*"
is every paragraph holding a word that starts with "cooperat" ("cooperation", "cooperative"),
not the paragraphs of the stem "cooper" (which "Cooper" has too). The matching paragraphs are then
scored by the stems of those words, like any other word. At most ``MAX_EXPANSION`` words (the
commonest) stand for one prefix or fuzzy word; when there are more, a note says so.
"""

from __future__ import annotations

from itertools import islice

from whoosh import matching
from whoosh import query as wq

from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.query import tree as ql
from briefsearch.text.analysis import analyze, index_term, one_edit_apart

MAX_EXPANSION = 512  # words the prefixes and fuzzy words of one query stand for together (the commonest)
MAX_SCANNED = 50_000  # index words read to expand one prefix
MAX_FUZZY_CHARS = 40  # a longer word~ is not a typing error
# Query fields searched by words, and the Whoosh field holding them (default: the paragraph text).
_TEXT_FIELDS = {"title": "title", "answers": "asked", "questions": "answered"}


class Compiler:
    """Turns a query structure into a Whoosh query against one reader (for prefix expansion).

    ``notes`` collects what the reader should be told about the compiled query (a capped expansion).
    """

    def __init__(self, reader, frequencies: dict | None = None):
        self.reader = reader
        self.frequencies = {} if frequencies is None else frequencies  # (field, word) -> paragraphs, kept by the caller
        self.notes: list[str] = []
        self.share: int | None = None  # words each prefix or fuzzy word may stand for

    def compile(self, node) -> wq.Query | None:
        if self.share is None:  # the whole query: its expanding words share MAX_EXPANSION
            self.share = MAX_EXPANSION // max(1, _expanding(node))
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
            return self._fuzzy(node, field)
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
        if field != "text":  # these fields keep no words as written: their stems stand in
            return self._expanded(field, self.reader.expand_prefix(field, prefix), f"{node.text}*")
        return self._as_written(self.reader.expand_prefix("written", prefix), f"{node.text}*")

    def _fuzzy(self, node: ql.Term, field: str):
        word = "".join(analyze(node.text, stem=False))
        if not word:
            return None
        if len(word) > MAX_FUZZY_CHARS:
            raise QueryTooExpensive(f'"{node.text[:20]}...~" is too long for a fuzzy word: use at most {MAX_FUZZY_CHARS} letters')
        if field != "text":  # these fields keep no words as written: their stems stand in
            return self._expanded(field, self._near(field, index_term(word)), f"{node.text}~")
        return self._as_written(self._near("written", word), f"{node.text}~")

    def _near(self, field: str, word: str):
        """The index words of ``field`` one edit from ``word`` (``one_edit_apart``)."""
        for candidate in islice(self.reader.expand_prefix(field, word[:1]), MAX_SCANNED):
            candidate = candidate.decode("utf-8") if isinstance(candidate, bytes) else candidate
            if one_edit_apart(word, candidate):
                yield candidate

    def _commonest(self, field: str, found, label: str) -> list[str]:
        """The words of ``found`` (index words of ``field``), the ``MAX_EXPANSION`` commonest when
        there are more (said in ``notes``)."""
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in islice(found, MAX_SCANNED + 1)]
        if len(words) > MAX_SCANNED:
            raise QueryTooExpensive(f'"{label}" matches more than {MAX_SCANNED:,} words: type more letters before the *')
        if len(words) > self.share:
            words = sorted(words, key=lambda w: -self._frequency(field, w))[:self.share]
            self.notes.append(f'"{label}" stands for more than {self.share} words: searched the {self.share} commonest '
                              "(type more letters to narrow it)")
        return words

    def _frequency(self, field: str, word: str) -> int:
        """The paragraphs holding ``word``, asked once per reader (a query's tiers compile its
        prefixes once each: four wide prefixes asked 1,400 words three times)."""
        key = (field, word)
        found = self.frequencies.get(key)
        if found is None:
            found = self.frequencies[key] = self.reader.doc_frequency(field, word)
        return found

    def _as_written(self, found, label: str):
        """Paragraphs holding one of the words as written, scored by the words' stems."""
        words = self._commonest("written", found, label)
        if not words:
            return wq.NullQuery
        stems = sorted({index_term(w) for w in words})
        written = _any([wq.Term("written", w) for w in words])
        return wq.And([_any([wq.Term("text", s) for s in stems]), Restriction(written)])

    def _expanded(self, field: str, found, label: str):
        words = self._commonest(field, found, label)
        return _any([wq.Term(field, w) for w in words]) if words else wq.NullQuery

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



class Restriction(wq.WrappingQuery):
    """``child`` as a condition only: it matches what ``child`` matches and adds nothing to the score.

    Not Whoosh's ``ConstantScoreQuery(child, 0.0)``: its matcher reads a weight of 0.0 as "no
    weight given" and scores every match 1.0, so a filter raised every filtered score by one.
    """

    def matcher(self, searcher, context=None):
        inner = self.child.matcher(searcher, context)
        if isinstance(inner, matching.NullMatcherClass):
            return inner
        return _ZeroScore(inner)

    def __str__(self):
        return f"FILTER({self.child})"

    __unicode__ = __str__


class _ZeroScore(matching.WrappingMatcher):
    """Matches what the wrapped matcher does, scoring 0."""

    def _replacement(self, newchild):
        return _ZeroScore(newchild)

    def supports_block_quality(self):
        return False

    def score(self):
        return 0.0

    def max_quality(self):
        return 0.0


def _expanding(node) -> int:
    """How many prefixes and fuzzy words ``node`` holds."""
    if isinstance(node, ql.Prefix) or (isinstance(node, ql.Term) and node.fuzzy):
        return 1
    children = getattr(node, "children", None) or ()
    inner = [getattr(node, name) for name in ("child", "required") if getattr(node, name, None) is not None]
    inner += list(getattr(node, "optional", ()) or ())
    return sum(_expanding(c) for c in (*children, *inner))


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
