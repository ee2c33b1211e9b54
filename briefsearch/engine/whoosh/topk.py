"""The best ``limit`` matches of a query by Whoosh's scores, without scoring every match in
Python: bounds for all matches at once, phrase positions read only where they can matter.

Every match gets two bounds of its score as array arithmetic over cached postings (term
frequencies, field lengths and the BM25F statistics of Whoosh's own scorer): words score exactly
as Whoosh scores them; an optional phrase (the all-words tier's phrase and proximity boosts)
adds its words' scores to the upper bound and nothing to the lower. Whether a phrase stands is
then read from its words' positions, best upper bounds first, for the matches whose upper bound
reaches the k-th best of the lower bounds (exact scores once read): no match left unread could
have entered the top k, so the hits are Whoosh's, ties by document number as its collector
breaks them. (The scores are summed in another order than Whoosh's matchers add them: paragraphs
whose scores differ only in the last bit, copies of one statement, may come in another order.)
Measured in one process over 32k State Department paragraphs: the all-words tier of "secretary
blinken" (3,303 matches) ranked in 102 ms instead of 1,262 ms, its any-word tier (5,461) in 15 ms
instead of 341; the same hits and scores for 26 queries' tiers at 1, 10, 20 and 100 hits (and the
right total where Whoosh's AndNot let two excluded paragraphs through).

``top`` returns None for a query with a part the arrays do not model; Whoosh ranks it as before.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from briefsearch.engine.whoosh import docsets
from briefsearch.engine.whoosh.compiler import Restriction

SAFETY = 1 + 1e-9  # a bound's float sums may differ from Whoosh's order of adding by an ulp
FIRST_BATCH = 32  # matches whose phrases are checked before the floor is raised
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
_WEIGHTS: OrderedDict = OrderedDict()  # (segment, deletions, field, term) -> (ids, term frequencies)
_WEIGHTS_BUDGET = 5_000_000  # postings kept (8 bytes each: a term frequency is kept as float32 when exact)
_LENGTHS = docsets.Kept(4_000_000)  # (segment, field) -> field length by document (8 bytes each)
_LOCK = threading.Lock()
_kept = [0]


class Unsupported(Exception):
    """A query part the arrays do not model."""


class Postings:
    """One term's postings in one segment: live local ids, term frequencies, and where each
    posting's block lies in the postings file (to read its positions when a phrase asks)."""

    def __init__(self, ids, weights, block_starts=None, blocks=(), raw=None):
        self.ids, self.weights = ids, weights
        self.block_starts = block_starts  # index (in file order) of each block's first posting
        self.blocks = blocks  # (data offset, data length, compressed) of each block
        self.raw = raw  # file order index of each live posting (None: no deletions)

    def __len__(self):
        return len(self.ids)


_NO_POSTINGS = Postings(_EMPTY_IDS, _EMPTY_SCORES)


def term_postings(leaf, field: str, text) -> Postings:
    """One term's postings in one segment (``Postings``), kept."""
    return _postings(leaf, field, text)


def _postings(leaf, field: str, text) -> Postings:
    """One term's postings in one segment, read block by block (and kept: a segment's postings
    never change, and deletions are part of the key)."""
    key = (docsets._segment_id(leaf), docsets._deleted(leaf), field, text)
    with _LOCK:
        found = _WEIGHTS.get(key)
        if found is not None:
            _WEIGHTS.move_to_end(key)
            return found
    if (field, text) not in leaf:  # kept too: asking the segment costs more than the cache
        found = _NO_POSTINGS
        with _LOCK:
            _WEIGHTS[key] = found
            _kept[0] += 1
        return found
    matcher = leaf._terms.matcher(field, leaf._text_to_bytes(field, text), leaf.schema[field].format)
    ids, weights, starts, blocks = [], [], [], []
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_dataoffset", "_nextoffset")):
        read = 0
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            starts.append(read)
            blocks.append((matcher._dataoffset, matcher._nextoffset - matcher._dataoffset, bool(matcher._compression)))
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float64))
            read += len(ids[-1])
            matcher._next_block()
    else:  # another posting format: one posting at a time, positions never read from here
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        ids.append(np.array([p[0] for p in pairs], dtype=np.int32))
        weights.append(np.array([p[1] for p in pairs], dtype=np.float64))
    ids = np.concatenate(ids) if ids else _EMPTY_IDS
    weights = np.concatenate(weights) if weights else _EMPTY_SCORES
    raw = None
    deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
    if deleted:
        live = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64))
        raw = np.flatnonzero(live)
        ids, weights = ids[live], weights[live]
    compact = weights.astype(np.float32)
    if np.array_equal(compact, weights):  # term frequencies: whole numbers, exact in half the bytes
        weights = compact
    found = Postings(ids, weights, np.array(starts, dtype=np.int64) if starts else None, tuple(blocks), raw)
    with _LOCK:
        _WEIGHTS[key] = found
        _kept[0] += max(len(ids), 1)
        while _kept[0] > _WEIGHTS_BUDGET and len(_WEIGHTS) > 1:
            _, old = _WEIGHTS.popitem(last=False)
            _kept[0] -= max(len(old), 1)
    return found


def _lengths(leaf, field: str) -> np.ndarray | None:
    """The field length Whoosh's scorer uses for each local document (decoded length bytes)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    key = (docsets._segment_id(leaf), field)
    found = _LENGTHS.recall(key)
    if found is not None:
        return found
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        raise Unsupported("no length column reader")
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        lengths = np.ones(leaf.doc_count_all(), dtype=np.float64)  # Whoosh's default of 1
    else:
        data = np.frombuffer(bytes(column._dbfile.get(column._basepos, column._count)), dtype=np.uint8)
        table = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])
        lengths = table[data]
    return _LENGTHS.remember(key, lengths)


class _Leaf:
    """Bounds of one segment's matches: (sorted local ids, upper bound of each one's score, lower
    bound, phrases), where ``phrases`` are the (phrase, its possible documents, what it adds to
    their scores where it holds) that make the two bounds differ."""

    def __init__(self, subsearcher, budget: docsets.Budget | None = None):
        self.searcher = subsearcher
        self.budget = budget
        self.reader = subsearcher.reader()
        self.weighting = subsearcher.weighting

    def bounds(self, query, exact_docs: bool):
        """The documents ``query`` matches (exactly when ``exact_docs``; else perhaps more, which
        only ever adds to an optional clause's upper bound) and their score bounds."""
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return _EMPTY_IDS, _EMPTY_SCORES, _EMPTY_SCORES, []
        if isinstance(query, Restriction):  # matches, scores nothing
            docs = docsets.leaf_docs(self.searcher, query.child, self.budget)
            zeros = np.zeros(len(docs))
            return docs, zeros, zeros, []
        if isinstance(query, wq.Term):
            ids, scores = self._term(query.fieldname, query.text)
            scores = scores * query.boost if query.boost != 1.0 else scores
            return ids, scores, scores, []
        if isinstance(query, wq.Phrase):
            ids, scores, _, _ = self._all([(*self._term(query.fieldname, word), None, []) for word in query.words])
            scores = scores * query.boost if query.boost != 1.0 else scores
            if exact_docs:
                if len(ids):
                    keep = np.isin(ids, docsets.leaf_docs(self.searcher, query, self.budget), assume_unique=True)
                    ids, scores = ids[keep], scores[keep]
                return ids, scores, scores, []
            # where the words stand together it scores its words' scores, elsewhere nothing
            return ids, scores, np.zeros(len(ids)), [(query, ids, scores)]
        if isinstance(query, wq.And):
            ids, upper, lower, phrases = self._all([self.bounds(q, exact_docs) for q in query.subqueries])
            if phrases and not exact_docs:  # whether it matches at all would turn on the phrase
                raise Unsupported("a phrase inside an optional And")
            return (ids, *_boosted(query.boost, upper, lower, phrases))
        if isinstance(query, wq.Or) and getattr(query, "minmatch", 0) in (0, 1, None) and getattr(query, "scale", None) is None:
            ids, upper, lower, phrases = self._any(docsets._each_in_time(
                query.subqueries, lambda q: self.bounds(q, exact_docs), self.budget))
            return (ids, *_boosted(query.boost, upper, lower, phrases))
        if isinstance(query, wq.AndMaybe):  # Whoosh applies no boost of a binary query
            ids, upper, lower, phrases = self.bounds(query.a, exact_docs)
            extra_ids, extra_upper, extra_lower, extra_phrases = self.bounds(query.b, False)
            if len(ids) and len(extra_ids):
                _, here, there = np.intersect1d(ids, extra_ids, assume_unique=True, return_indices=True)
                upper, lower = upper.copy(), lower.copy()
                upper[here] += extra_upper[there]
                lower[here] += extra_lower[there]
            return ids, upper, lower, phrases + extra_phrases
        if isinstance(query, wq.AndNot):
            ids, upper, lower, phrases = self.bounds(query.a, exact_docs)
            if len(ids):
                # gathered whole: an exclusion cut short would let excluded ones in
                keep = ~np.isin(ids, docsets.leaf_docs(self.searcher, query.b), assume_unique=True)
                ids, upper, lower = ids[keep], upper[keep], lower[keep]
            return ids, upper, lower, phrases
        raise Unsupported(type(query).__name__)

    def _term(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        if self.budget is not None and self.budget.over():
            # out of time: no more postings are read, and a word not read matches nothing here (an
            # And holding it matches nothing more, an Or what its other words matched): only some
            # of the matches, never one that does not match
            self.budget.cut = True
            return _EMPTY_IDS, _EMPTY_SCORES
        postings = _postings(self.reader, field, text)
        ids, weights = postings.ids, postings.weights.astype(np.float64)  # scored in Whoosh's float64
        if not len(ids):
            return ids, weights
        weighting = self.weighting
        if type(weighting).scorer is BM25F.scorer and self.reader.schema[field].scorable:
            # what Whoosh's BM25FScorer takes from the whole index (its idf, kept by the top
            # searcher, and the average field length), without making one per segment
            parent = self.searcher.get_parent()
            idf, avgfl = parent.idf(field, text), parent.avg_field_length(field) or 1
            k1, b = weighting.K1, weighting._field_B.get(field, weighting.B)
        else:
            scorer = weighting.scorer(self.searcher, field, text)
            if isinstance(scorer, WeightScorer):
                return ids, weights
            if not isinstance(scorer, BM25FScorer):
                raise Unsupported(type(scorer).__name__)
            idf, avgfl, k1, b = scorer.idf, scorer.avgfl, scorer.K1, scorer.B
        lengths = _lengths(self.reader, field)[ids]
        # Whoosh's bm25(), term by term in the same order of operations
        return ids, idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))

    @staticmethod
    def _all(parts):
        """Documents in every part, their bounds added up (Whoosh's And scores the sum)."""
        parts = sorted(parts, key=lambda part: len(part[0]))
        ids, upper, lower, phrases = parts[0]
        phrases = list(phrases)
        for other_ids, other_upper, other_lower, other_phrases in parts[1:]:
            phrases += other_phrases
            if not len(ids):
                break
            _, here, there = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
            ids, upper = ids[here], upper[here] + other_upper[there]
            lower = None if lower is None or other_lower is None else lower[here] + other_lower[there]
        return ids, upper, lower, phrases

    @staticmethod
    def _any(parts):
        """Documents in any part, the bounds of the parts holding each added up (Whoosh's Or)."""
        phrases = [phrase for part in parts for phrase in part[3]]
        parts = [part for part in parts if len(part[0])]
        if not parts:
            return _EMPTY_IDS, _EMPTY_SCORES, _EMPTY_SCORES, phrases
        if len(parts) == 1:
            return (*parts[0][:3], phrases)
        ids, inverse = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
        upper = np.bincount(inverse, weights=np.concatenate([p[1] for p in parts]), minlength=len(ids))
        lower = np.bincount(inverse, weights=np.concatenate([p[2] for p in parts]), minlength=len(ids))
        return ids.astype(np.int32), upper, lower, phrases


def _boosted(boost: float, upper, lower, phrases):
    if boost == 1.0:
        return upper, lower, phrases
    return upper * boost, lower * boost, [(q, ids, adds * boost) for q, ids, adds in phrases]


def top(searcher, query: wq.Query, limit: int, deadline: float | None = None):
    """([(global document number, Whoosh's score)] best first, number of matches, timed out), or
    None when the query has a part the bounds do not model. ``deadline`` (seconds) bounds the
    gathering of the matches (a phrase's positions) and the checking of the phrases that can
    reach the top: when it runs out, the best of what was found is the answer, said timed out."""
    leaves, parts = [], []
    budget = docsets.Budget(deadline)
    try:
        for subsearcher, offset in searcher.leaf_searchers():
            ids, upper, lower, phrases = _Leaf(subsearcher, budget).bounds(query, True)
            leaves.append((subsearcher, offset, subsearcher.reader().doc_count_all()))
            parts.append((ids, upper, lower, phrases))
    except Unsupported:
        return None
    total = sum(len(part[0]) for part in parts)
    if not total or limit <= 0:
        return [], total, budget.cut
    ids = np.concatenate([part[0].astype(np.int64) + leaf[1] for part, leaf in zip(parts, leaves)])
    upper = np.concatenate([part[1] for part in parts]) * SAFETY + 1e-12
    scores = np.concatenate([part[2] for part in parts])  # lower bounds; exact once verified
    leaf_of = np.repeat(np.arange(len(parts)), [len(part[0]) for part in parts])
    verified = upper <= scores * SAFETY + 1e-12  # no phrase could add to these: their bounds meet
    order = np.lexsort((ids, -upper))  # best upper bound first
    batch, timed_out, first = max(FIRST_BATCH, 2 * limit), budget.cut, True
    while True:
        # No match scores less than its lower bound (its exact score once verified): the k-th
        # best of those is a floor under the k-th best score, and only a match whose upper bound
        # reaches the floor can be among the best k. Verify those, best bounds first.
        floor = np.partition(scores, -limit)[-limit] if total > limit else -np.inf
        unsure = order[~verified[order] & (upper[order] >= floor)][:batch]
        if not len(unsure):
            break
        if not first and budget.over():  # the first batch is checked whatever the time: some hits to show
            timed_out = True
            break
        first = False
        for number in np.unique(leaf_of[unsure]):
            chosen = np.sort(unsure[leaf_of[unsure] == number])
            subsearcher, offset, _ = leaves[number]
            local = (ids[chosen] - offset).astype(np.int32)
            wider: dict = {}  # the words of a phrase → where they stand within the widest slop checked
            for phrase, held_ids, adds in sorted(parts[number][3], key=lambda p: -p[0].slop):
                _, at, held_at = np.intersect1d(local, held_ids, assume_unique=True, return_indices=True)
                words = (phrase.fieldname, tuple(phrase.words))
                if words in wider:  # the words cannot stand closer where they do not stand farther
                    keep = np.isin(local[at], wider[words], assume_unique=True)
                    at, held_at = at[keep], held_at[keep]
                if not len(at):
                    continue
                held = phrase_holds(phrase, subsearcher, local[at])
                wider[words] = held
                stands = np.isin(local[at], held, assume_unique=True)
                scores[chosen[at[stands]]] += adds[held_at[stands]]
        verified[unsure] = True
        batch = total  # the floor is as high as the best bounds make it: the rest in one sweep
    floor = np.partition(scores, -limit)[-limit] if total > limit else -np.inf
    best = np.flatnonzero(verified & (upper >= floor))
    ranked = sorted(zip(ids[best].tolist(), scores[best].tolist()), key=lambda item: (-item[1], item[0]))
    return ranked[:limit], total, timed_out


def phrase_holds(phrase, subsearcher, docs: np.ndarray) -> np.ndarray:
    """Those of ``docs`` (sorted local numbers, each holding all the phrase's words) where
    ``phrase`` stands as it asks (the test of Whoosh's ``SpanNear2``, ordered, at least one
    position apart), on the positions of the words in those documents only, read from the blocks
    that hold them."""
    leaf = subsearcher.reader()
    field = phrase.fieldname
    fmt = leaf.schema[field].format
    if not fmt.supports("positions") or fmt.supports("characters"):
        raise Unsupported("positions")
    words = []
    for word in phrase.words:
        postings = _postings(leaf, field, word)
        if postings.block_starts is None:
            raise Unsupported("posting blocks")
        postfile = getattr(leaf._terms, "_postfile", None)
        if postfile is None:
            postfile = leaf._terms.matcher(field, leaf._text_to_bytes(field, word), fmt)._postfile
        at = np.searchsorted(postings.ids, docs)
        raw = at if postings.raw is None else postings.raw[at]
        block_of = np.searchsorted(postings.block_starts, raw, side="right") - 1
        key = (docsets._segment_id(leaf), field, word)
        words.append((postings, postfile, raw.tolist(), block_of.tolist(), key))
    held, slop = [], phrase.slop
    last = [(None, None)] * len(words)  # each word's block read last (the documents come in order)
    for n, docnum in enumerate(docs.tolist()):
        ends = None  # where a run of the words so far can end, ascending
        for w, (postings, postfile, raw, block_of, key) in enumerate(words):
            block = block_of[n]
            if last[w][0] != block:
                last[w] = (block, _block_values(postfile, postings.blocks[block], (*key, block)))
            values, decoded = last[w][1]
            at = raw[n] - int(postings.block_starts[block])
            positions = decoded[at]
            if positions is None:  # decoded once, kept with the block
                positions = decoded[at] = tuple(fmt.decode_positions(values[at]))
            if ends is None:
                ends = positions
            elif slop == 1:
                previous = set(ends)
                ends = [p for p in positions if p - 1 in previous]
            else:
                # Whoosh's SpanNear2 (ordered, mindist 1): each word 1 to ``slop`` positions after
                # where the run so far ends (positions come in ascending order; a bisection, not a
                # set of every reachable position: ``~50`` would make fifty of each)
                ends = [p for p in positions if _ends_within(ends, p - slop, p - 1)]
            if not ends:
                break
        if ends:
            held.append(docnum)
    return np.array(held, dtype=np.int32)


def _ends_within(ends: list, low: int, high: int) -> bool:
    """Whether a value of the ascending ``ends`` lies in [low, high]."""
    at = bisect_left(ends, low)
    return at < len(ends) and ends[at] <= high


_BLOCKS: OrderedDict = OrderedDict()  # (segment, field, term, block) -> its posting values
_BLOCKS_KEPT = 1024  # blocks of up to 128 postings' positions (about 9 KB each)


def _block_values(postfile, block, key) -> tuple[list, list]:
    """The posting values (encoded positions) of one block of a postings file, and beside them
    room for each one's positions once decoded, kept: a block never changes once written."""
    import zlib
    from pickle import loads

    with _LOCK:
        found = _BLOCKS.get(key)
        if found is not None:
            _BLOCKS.move_to_end(key)
            return found
    offset, length, compressed = block
    data = postfile.get(offset, length)
    values = loads(zlib.decompress(data) if compressed else data)[2]
    found = (values, [None] * len(values))
    with _LOCK:
        _BLOCKS[key] = found
        while len(_BLOCKS) > _BLOCKS_KEPT:
            _BLOCKS.popitem(last=False)
    return found
