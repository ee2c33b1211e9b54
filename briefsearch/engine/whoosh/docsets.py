"""The live documents a compiled query matches, gathered once as a sorted array, and each segment's
facet values by document (doc values): what a total, the facet counts and a date histogram of one
search are counted from, without scoring and without a Python step per match.

Words, their ``And``/``Or``/``AndNot``, the required side of ``AndMaybe`` (its optional side
only scores), restrictions and date ranges are set operations on cached posting arrays; a phrase
is checked on its words' positions in the paragraphs holding all its words (``topk``), a batch
at a time under a ``Budget``: when the time runs out, the paragraphs checked so far are the
answer and the budget says it was cut (Whoosh's own phrase matcher, which knows no deadline,
took 2.9 s for ``"of the united states"~10`` on the 121k index). Anything else is read through
Whoosh's own matcher for that node alone. Segments never change
once written and deletions only grow, so posting arrays are kept per (segment, deletions, term)
and value tables per (segment, field), shared by every reader of the index until a merge retires
the segment: a new generation reuses what its old segments already paid for.
"""

from __future__ import annotations

import threading
import time
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


PHRASE_BATCH = 256  # paragraphs whose phrase positions are checked between looks at the clock


class Budget:
    """When gathering documents must stop (seconds from now; None: never) and whether it did:
    a cut answer holds only documents that match, but not all of them, and is never kept."""

    def __init__(self, seconds: float | None = None):
        self.ends = None if not seconds else time.monotonic() + seconds
        self.cut = False

    def over(self) -> bool:
        return self.ends is not None and time.monotonic() > self.ends


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
        found = _POSTINGS.remember(key, _read_ids(leaf, field, text) if (field, text) in leaf else _EMPTY)
    return found


def _read_ids(leaf, field: str, text) -> np.ndarray:
    """A term's live local ids, read a block at a time (Whoosh's ``all_ids`` makes a Python step
    of each: 4 s for the 512 words of four wide prefixes on the 121k index)."""
    matcher = leaf._terms.matcher(field, leaf._text_to_bytes(field, text), leaf.schema[field].format)
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_ids")):
        # another posting format: the segment reader's postings already skip deleted documents
        return np.fromiter(leaf.postings(field, text).all_ids(), dtype=np.int32)
    blocks = []
    while matcher.is_active():
        matcher._read_ids()
        blocks.append(np.asarray(matcher._ids, dtype=np.int32))
        matcher._next_block()
    ids = np.concatenate(blocks) if blocks else _EMPTY
    if leaf.has_deletions() and len(ids):
        ids = ids[~np.isin(ids, np.fromiter(leaf.deleted_docs_set, dtype=np.int64))]
    return ids


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


def leaf_docs(subsearcher, query: wq.Query, budget: Budget | None = None) -> np.ndarray:
    """The live local document numbers of one segment that ``query`` matches, sorted (those found
    before ``budget`` ran out, which then says so)."""
    leaf = subsearcher.reader()
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return _EMPTY
    if isinstance(query, wq.Term):
        if budget is not None and budget.over():  # not read: some of the matches, never one that does not match
            budget.cut = True
            return _EMPTY
        return term_docs(leaf, query.fieldname, query.text)
    if isinstance(query, wq.And):
        return _intersection([leaf_docs(subsearcher, q, budget) for q in query.subqueries]) if query.subqueries else _EMPTY
    if isinstance(query, wq.Or) and getattr(query, "minmatch", 0) in (0, 1, None):
        return _union(_each_in_time(query.subqueries, lambda q: leaf_docs(subsearcher, q, budget), budget))
    if isinstance(query, wq.AndMaybe):  # the optional side only adds to the score
        return leaf_docs(subsearcher, query.a, budget)
    if isinstance(query, wq.AndNot):
        found = leaf_docs(subsearcher, query.a, budget)
        # what is left out is gathered whole (an exclusion cut short would let excluded ones in)
        return np.setdiff1d(found, leaf_docs(subsearcher, query.b), assume_unique=True) if len(found) else found
    if isinstance(query, Restriction):
        return leaf_docs(subsearcher, query.child, budget)
    if isinstance(query, wq.TermRange):
        return _union([term_docs(leaf, query.fieldname, text) for text in query._btexts(leaf)])
    # a phrase, or anything else: kept like a word's postings, as the segment's answer (unless cut)
    key = (_segment_id(leaf), _deleted(leaf), "query", repr(query))
    found = _POSTINGS.recall(key)
    if found is not None:
        return found
    budget = budget or Budget()
    cut_before = budget.cut
    budget.cut = False
    found = _phrase_docs(subsearcher, query, budget) if isinstance(query, wq.Phrase) else None
    if found is None:  # Whoosh's own matcher for this node (its postings skip deletions), which reads positions
        found = _matcher_docs(subsearcher, query, budget)
    if not budget.cut:
        _POSTINGS.remember(key, found)
    budget.cut = budget.cut or cut_before
    return found


def _each_in_time(parts, gather, budget: Budget | None) -> list:
    """``gather`` of each of ``parts`` (the alternatives of an Or) until ``budget`` runs out: the
    union of those gathered is some of the matches, never a paragraph that does not match."""
    found = []
    for part in parts:
        if budget is not None and found and budget.over():
            budget.cut = True
            break
        found.append(gather(part))
    return found


def _phrase_docs(subsearcher, phrase: wq.Phrase, budget: Budget) -> np.ndarray | None:
    """The documents holding ``phrase`` among those holding all its words, checked on positions
    a batch at a time until ``budget`` runs out (None: positions this way are not readable)."""
    from briefsearch.engine.whoosh import topk

    leaf = subsearcher.reader()
    if not phrase.words:
        return _EMPTY
    # the postings the positions are read through (kept by ``topk``, live ids already)
    candidates = _intersection([topk.term_postings(leaf, phrase.fieldname, word).ids
                                for word in dict.fromkeys(phrase.words)])
    held = []
    try:
        for start in range(0, len(candidates), PHRASE_BATCH):
            if budget.over():
                budget.cut = True
                break
            held.append(topk.phrase_holds(phrase, subsearcher, candidates[start:start + PHRASE_BATCH]))
    except topk.Unsupported:
        return None
    return np.concatenate(held).astype(np.int32) if held else _EMPTY


def _matcher_docs(subsearcher, query: wq.Query, budget: Budget) -> np.ndarray:
    found = []
    for n, docnum in enumerate(query.docs(subsearcher), 1):
        found.append(docnum)
        if not n % 64 and budget.over():
            budget.cut = True
            break
    return np.array(found, dtype=np.int32)


def query_docs(searcher, query: wq.Query, budget: Budget | None = None) -> np.ndarray:
    """The live document numbers of the whole index that ``query`` matches, sorted (those found
    before ``budget`` ran out, which then says so)."""
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        if budget is not None and budget.over():
            budget.cut = True
            break
        found = leaf_docs(subsearcher, query, budget)
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
