"""The live documents a compiled query matches, gathered once as a sorted array, and each segment's
facet values by document (doc values): what a total, the facet counts and a date histogram of one
search are counted from, without scoring and without a Python step per match.

Words, their ``And``/``Or``/``AndNot``, the required side of ``AndMaybe`` (its optional side
only scores), restrictions and date ranges are set operations on cached posting arrays; anything
else (a phrase) is read through Whoosh's own matcher for that node alone. Segments never change
once written and deletions only grow, so posting arrays are kept per (segment, deletions, term)
and value tables per (segment, field), shared by every reader of the index until a merge retires
the segment: a new generation reuses what its old segments already paid for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq

from briefsearch.engine.whoosh.compiler import Restriction

_EMPTY = np.zeros(0, dtype=np.int32)
_LOCK = threading.Lock()


class Kept:
    """A cache of arrays, least recently used first out, bounded by the numbers its values hold
    (``size``) rather than by their count: an index that a run of batch commits left in fifty
    segments needs fifty times the entries of one in a single segment, most of them small."""

    def __init__(self, budget: int, size=lambda value: max(len(value), 1)):  # an empty one counts 1
        self.entries: OrderedDict = OrderedDict()
        self.budget, self.size, self.held = budget, size, 0

    def recall(self, key):
        with _LOCK:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def remember(self, key, value):
        with _LOCK:
            old = self.entries.pop(key, None)
            if old is not None:
                self.held -= self.size(old)
            self.entries[key] = value
            self.held += self.size(value)
            while self.held > self.budget and len(self.entries) > 1:
                _, gone = self.entries.popitem(last=False)
                self.held -= self.size(gone)
        return value


_POSTINGS = Kept(8_000_000)  # (segment, deleted, field, term) -> sorted live local ids (4 bytes each)
_VALUES = Kept(16_000_000, lambda table: table.held)  # (segment, field) -> SegmentValues


def _segment_id(leaf) -> tuple[str, str]:
    """The segment's folder and id: a copied index holds the same ids, not the same deletions."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    folder = str(getattr(getattr(leaf, "_storage", None), "folder", ""))
    return folder, segment.segment_id() if segment is not None else f"leaf-{id(leaf)}"


def _deleted(leaf) -> int:
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.deleted_count() if segment is not None and leaf.has_deletions() else 0


def term_docs(leaf, field: str, text) -> np.ndarray:
    """The live local document numbers of one segment holding ``text`` in ``field``."""
    key = (_segment_id(leaf), _deleted(leaf), field, text)
    found = _POSTINGS.recall(key)
    if found is None:  # (a term the segment lacks is kept too: asking the segment costs more)
        # the segment reader's postings already skip deleted documents
        found = _POSTINGS.remember(key, np.fromiter(leaf.postings(field, text).all_ids(), dtype=np.int32)
                                   if (field, text) in leaf else _EMPTY)
    return found


def _union(arrays) -> np.ndarray:
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return _EMPTY
    return arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))


def _intersection(arrays) -> np.ndarray:
    arrays = sorted(arrays, key=len)
    found = arrays[0]
    for other in arrays[1:]:
        if not len(found):
            break
        found = np.intersect1d(found, other, assume_unique=True)
    return found


def leaf_docs(subsearcher, query: wq.Query) -> np.ndarray:
    """The live local document numbers of one segment that ``query`` matches, sorted."""
    leaf = subsearcher.reader()
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return _EMPTY
    if isinstance(query, wq.Term):
        return term_docs(leaf, query.fieldname, query.text)
    if isinstance(query, wq.And):
        return _intersection([leaf_docs(subsearcher, q) for q in query.subqueries]) if query.subqueries else _EMPTY
    if isinstance(query, wq.Or) and getattr(query, "minmatch", 0) in (0, 1, None):
        return _union([leaf_docs(subsearcher, q) for q in query.subqueries])
    if isinstance(query, wq.AndMaybe):  # the optional side only adds to the score
        return leaf_docs(subsearcher, query.a)
    if isinstance(query, wq.AndNot):
        found = leaf_docs(subsearcher, query.a)
        return np.setdiff1d(found, leaf_docs(subsearcher, query.b), assume_unique=True) if len(found) else found
    if isinstance(query, Restriction):
        return leaf_docs(subsearcher, query.child)
    if isinstance(query, wq.TermRange):
        return _union([term_docs(leaf, query.fieldname, text) for text in query._btexts(leaf)])
    # a phrase, or anything else: Whoosh's own matcher for this node (its postings skip
    # deletions), which reads positions; kept like a word's postings, as the segment's answer
    key = (_segment_id(leaf), _deleted(leaf), "query", repr(query))
    found = _POSTINGS.recall(key)
    if found is None:
        found = _POSTINGS.remember(key, np.fromiter(query.docs(subsearcher), dtype=np.int32))
    return found


def query_docs(searcher, query: wq.Query) -> np.ndarray:
    """The live document numbers of the whole index that ``query`` matches, sorted."""
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        found = leaf_docs(subsearcher, query)
        if len(found):
            parts.append(found.astype(np.int64) + offset)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


class SegmentValues:
    """The values of one field by local document number in one segment: ``values`` (the
    segment's terms), and for each document the positions of its values in ``codes`` from
    ``starts[d]`` to ``starts[d + 1]``; ``single`` is set when no document holds two."""

    def __init__(self, leaf, field: str):
        values, owners = [], []
        for number, term in enumerate(leaf.lexicon(field)):
            values.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            # every posting, deleted or not: a deleted document is never in a set counted here
            owners.append(np.fromiter(leaf.postings(field, term).all_ids(), dtype=np.int32))
        self.values = values
        documents = leaf.doc_count_all()
        counts = np.zeros(documents + 1, dtype=np.int64)
        for docs in owners:
            counts[docs + 1] += 1
        self.starts = np.cumsum(counts)
        self.codes = np.zeros(int(self.starts[-1]), dtype=np.int32)
        filled = self.starts[:-1].copy()
        for number, docs in enumerate(owners):  # terms in order: each document's codes come out sorted
            self.codes[filled[docs]] = number
            filled[docs] += 1
        self.single = None
        if len(self.codes) == 0 or int(counts.max()) <= 1:
            single = np.full(documents, -1, dtype=np.int32)
            holders = np.flatnonzero(np.diff(self.starts))
            single[holders] = self.codes[self.starts[holders]]
            self.single = single
        self.held = len(self.starts) + len(self.codes) + (len(self.single) if self.single is not None else 0)

    def count(self, docs: np.ndarray) -> np.ndarray:
        """How many of ``docs`` (local numbers) hold each value, by value position."""
        if self.single is not None:
            codes = self.single[docs]
            codes = codes[codes >= 0]
        else:
            starts, ends = self.starts[docs], self.starts[docs + 1]
            lengths = ends - starts
            total = int(lengths.sum())
            if not total:
                return np.zeros(len(self.values), dtype=np.int64)
            # the positions starts[d] .. ends[d] - 1 of every document, end to end
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            codes = self.codes[np.arange(total) + shift]
        return np.bincount(codes, minlength=len(self.values))


_TERMS = Kept(2_000_000)  # (segment, field) -> the segment's terms of the field, decoded and sorted


def segment_terms(leaf, field: str) -> tuple[str, ...]:
    """The terms of ``field`` in one segment (deleted documents' too, as Whoosh's lexicon has them)."""
    key = (_segment_id(leaf), field)
    found = _TERMS.recall(key)
    if found is None:
        found = _TERMS.remember(key, tuple(t.decode("utf-8") if isinstance(t, bytes) else t for t in leaf.lexicon(field)))
    return found


def segment_values(leaf, field: str) -> SegmentValues:
    key = (_segment_id(leaf), field)
    table = _VALUES.recall(key)
    if table is None:
        table = _VALUES.remember(key, SegmentValues(leaf, field))
    return table


def facet_counts(searcher, field: str, docs: np.ndarray) -> dict[str, int]:
    """Value -> how many of ``docs`` (sorted global document numbers) hold it in ``field``."""
    counts: dict[str, int] = {}
    for subsearcher, offset in searcher.leaf_searchers():
        leaf = subsearcher.reader()
        end = offset + leaf.doc_count_all()
        local = docs[np.searchsorted(docs, offset):np.searchsorted(docs, end)] - offset
        if not len(local):
            continue
        table = segment_values(leaf, field)
        by_value = table.count(local)
        for position in np.flatnonzero(by_value):
            value = table.values[position]
            counts[value] = counts.get(value, 0) + int(by_value[position])
    return counts
