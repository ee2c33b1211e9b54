"""Copies of one statement, decided when paragraphs are indexed: the same paragraph printed in
several articles (a briefing posted at two addresses, prepared and delivered text of one speech, a
statement read out in a briefing, a speech quoted in a release).

A paragraph's candidates are the paragraphs of other articles that share one of its anchors (runs
of 8 words, kept by the ledger: ``indexing.ledger``, ``text.fingerprint.statement_anchors``); an
anchor that more than ``COMMON_ANCHOR`` paragraphs hold is a formula's and finds none. Which
candidates are copies depends on how much of the shorter one's runs of 5 words the other holds, on
whether each was spoken or written, and on whether their articles are one document printed twice
(``_copies`` says how). Copies count only when at most ``MAX_ARTICLES`` articles hold them, all
published within ``MAX_DAYS`` days: the same words in more articles, or further apart, are a
formula (an order's closing, a program's boilerplate, a notice's template).

An index run decides the copies of what it wrote or removed and of every paragraph that shares an
anchor with those (``regroup``), and the ledger keeps each paragraph's copies, so a search only
looks them up (``query.duplicates``). Measured on hand-labelled candidate pairs of the White House
and State Department exports by ``scripts/duplicates_eval.py`` (see the README).

When a run decides them all (a first build, a rebuild, new rules) it reads the index once, in
order, into a ``_Snapshot``, and compares two articles only when the anchors link enough of their
paragraphs to make one document (``_Documents._unlinked``): reading each candidate from the index
and comparing every pair of articles asked about would take a million resampled paragraphs more
than a day (``scripts/copies_cost.py``).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from array import array
from collections import OrderedDict
from contextlib import closing
from datetime import date
from functools import lru_cache
from itertools import groupby, islice
from typing import NamedTuple

from briefsearch.errors import NotFound
from briefsearch.indexing.ledger import article_of
from briefsearch.text.fingerprint import STATEMENT_MIN_WORDS, statement_anchors, statement_shingles, statement_words

MIN_WORDS = STATEMENT_MIN_WORDS
CONTAINMENT = 0.5  # of the shorter paragraph's runs of words found in the other
READ_OUT_CONTAINMENT = 0.4  # between spoken and written words (a statement read out, a speech quoted)
WRITTEN_CONTAINMENT = 0.75  # between two written paragraphs of different documents
SAME_DOCUMENT = 0.6  # of the shorter document's paragraphs with a copy in the other: one document twice
DOCUMENT_CONTAINMENT = 0.9  # what a copy is there between written documents (a template changes more)
MAX_ARTICLES = 3  # more articles with the same words: a formula, not one statement
MAX_DAYS = 7  # published further apart: the same words said again, not printed twice
CANDIDATES = 12  # paragraphs read per paragraph at most, those sharing most anchors first
COMMON_ANCHOR = 40  # an anchor held by more paragraphs is a formula's: it finds no candidate
STATEMENTS_KEPT = 100_000  # statements kept while deciding (about 500 bytes each), of paragraphs and of articles
SNAPSHOT_KEPT = 20_000  # the same, read from a ``_Snapshot`` (a few microseconds each)
PAIRS_KEPT = 100_000  # pairs of articles remembered as one document printed twice or not
ARTICLES_COMPARED = 16  # articles whose runs of words are kept as sets while pairs of articles are compared
SPOKEN = frozenset({"turn", "answer", "question"})  # kinds of speech (``models.Paragraph.speech``)
# What the rules above decide: the ledger's copies are decided again when this changes.
RULES = "2026-12-03.3"


def containment(first: str, second: str) -> float:
    """The share of the shorter text's runs of words that the other holds (0 to 1)."""
    a, b = set(statement_shingles(first)), set(statement_shingles(second))
    return len(a & b) / max(1, min(len(a), len(b)))


class _Statement:
    """What deciding copies needs of one paragraph: its article, title, day, whether its words were
    spoken (a transcript turn, a speech) or written, and its runs of words (each once, packed: a
    tenth of the memory of a set of them; ``_holds`` makes a set of one side where it compares)."""

    __slots__ = ("id", "article_id", "title", "day", "spoken", "words", "shingles")

    def __init__(self, paragraph_id: str, article_id: str, title: str, day: date | None, spoken: bool, words: int,
                 shingles: array):
        self.id, self.article_id, self.title, self.day = paragraph_id, sys.intern(article_id), title, day
        self.spoken, self.words, self.shingles = spoken, words, shingles

    @classmethod
    def of(cls, paragraph) -> "_Statement":
        words = statement_words(paragraph.text)
        return cls(paragraph.id, paragraph.article_id, _title(paragraph.title or ""), _day(paragraph.date),
                   paragraph.is_turn or paragraph.speech in SPOKEN, len(words),
                   array("i", set(statement_shingles(paragraph.text, words))))


def _holds(mine: frozenset, theirs, share: float) -> bool:
    """Whether ``share`` of the shorter one's runs of words are in the other (``theirs``: a set, or
    a ``_Statement``'s shingles)."""
    return len(mine.intersection(theirs)) >= share * min(len(mine), len(theirs))


_EDITION = frozenset({"corrected", "updated", "update", "revised"})  # words of a title that mark a new edition


@lru_cache(maxsize=4096)
def _title(title: str) -> str:
    """A title's words without those that mark a new edition (one string for all of an article's paragraphs)."""
    return " ".join(w for w in statement_words(title) if w not in _EDITION)


class _Statements:
    """The statements of the index's paragraphs, read as they are asked for: a paragraph (a
    candidate) on its own, an article (to tell whether two are one document) whole. Each kind is
    kept for the ``STATEMENTS_KEPT`` used last (paragraphs are decided by id, an article's together,
    and their copies are mostly in one other article), so deciding holds a bounded part of the
    index, however large it is. A paragraph is asked for by its id."""

    def __init__(self, reader):
        self.reader = reader
        self.kept = STATEMENTS_KEPT
        self.paragraphs: OrderedDict[object, _Statement | None] = OrderedDict()
        self.articles: OrderedDict[str, list[_Statement]] = OrderedDict()
        self.held = 0  # statements in ``articles``

    def get(self, key) -> _Statement | None:
        """The statement of the paragraph ``key``; None when the index no longer holds it (the
        ledger remembers paragraphs the index has lost)."""
        if key in self.paragraphs:
            self.paragraphs.move_to_end(key)
            return self.paragraphs[key]
        found = self.paragraphs[key] = self._read(key)
        if len(self.paragraphs) > self.kept:
            self.paragraphs.popitem(last=False)
        return found

    def article(self, article_id: str) -> list[_Statement]:
        """The statements of the paragraphs of ``article_id`` of at least ``MIN_WORDS`` words."""
        if article_id in self.articles:
            self.articles.move_to_end(article_id)
            return self.articles[article_id]
        found = self.articles[article_id] = self._read_article(article_id)
        self.held += len(found)
        while self.held > self.kept and len(self.articles) > 1:
            self.held -= len(self.articles.popitem(last=False)[1])
        return found

    def _read(self, paragraph_id: str) -> _Statement | None:
        try:
            return _Statement.of(self.reader.get(paragraph_id))
        except NotFound:
            return None

    def _read_article(self, article_id: str) -> list[_Statement]:
        return [s for s in map(_Statement.of, self.reader.article(article_id)) if s.words >= MIN_WORDS]


class _Snapshot(_Statements):
    """The statements of every paragraph of the index, made in one pass over it in the engine's
    order (what deciding the copies of a whole index reads: each candidate read from the index on
    its own costs a search and a stored document, a millisecond) and kept, pickled, in an unnamed
    scratch file beside the ledger, which the system removes when it is closed (however the run
    ends). A paragraph is asked for by its number in the ledger. Memory holds where each statement
    is and the numbers of each article's statements, which count them: 20 bytes a paragraph."""

    def __init__(self, reader, ledger):
        super().__init__(reader)
        self.kept = min(SNAPSHOT_KEPT, STATEMENTS_KEPT)
        self.scratch = tempfile.TemporaryFile(dir=ledger.path.parent)
        self.fd = self.scratch.fileno()
        self.where, self.size = array("q"), array("i")  # by ledger number: offset in ``scratch`` (-1: none), length
        self.members: dict[str, array] = {}  # article id → the ledger numbers of its statements
        paragraphs = iter(reader.paragraphs())
        while batch := list(islice(paragraphs, 1000)):
            numbers = ledger.numbers(p.id for p in batch)
            self._grow(max(numbers.values(), default=0))
            chunk = bytearray()
            offset = self.scratch.tell()
            for paragraph in batch:
                number = numbers.get(paragraph.id)
                if number is None:  # not recorded: no anchors, no candidates
                    continue
                statement = _Statement.of(paragraph)
                record = pickle.dumps((statement.id, statement.article_id, statement.title, statement.day,
                                       statement.spoken, statement.words, statement.shingles.tobytes()),
                                      pickle.HIGHEST_PROTOCOL)
                self.where[number], self.size[number] = offset + len(chunk), len(record)
                chunk += record
                if statement.words >= MIN_WORDS:
                    self.members.setdefault(statement.article_id, array("q")).append(number)
            self.scratch.write(chunk)
        self.scratch.flush()

    def _grow(self, number: int) -> None:
        if number >= len(self.where):
            more = number + 1 - len(self.where)
            self.where.extend(array("q", [-1]) * more)
            self.size.extend(array("i", [0]) * more)

    def close(self) -> None:
        self.scratch.close()

    def count(self, article_id: str) -> int:
        """How many statements ``article_id`` has (known without reading it)."""
        return len(self.members.get(article_id, ()))

    def _read(self, number: int) -> _Statement | None:
        if number >= len(self.where) or self.where[number] < 0:
            return None
        paragraph_id, article_id, title, day, spoken, words, shingles = pickle.loads(
            os.pread(self.fd, self.size[number], self.where[number]))
        runs = array("i")
        runs.frombytes(shingles)
        return _Statement(paragraph_id, article_id, title, day, spoken, words, runs)

    def _read_article(self, article_id: str) -> list[_Statement]:
        return [self._read(number) for number in self.members.get(article_id, ())]


class _Documents:
    """Whether two articles are one document printed twice: most paragraphs of the shorter (at least
    two) have a copy in the other (``CONTAINMENT`` between spoken words: a speech as prepared and as
    delivered; ``DOCUMENT_CONTAINMENT`` between written ones, since a series of notices or schedules
    from one template shares half the words of each paragraph), remembered for ``PAIRS_KEPT`` pairs."""

    def __init__(self, statements: _Statements):
        self.statements = statements
        self.pairs: dict[tuple[str, str, bool], bool] = {}
        self.runs: OrderedDict[str, _ArticleRuns] = OrderedDict()
        self.linked: _Links | None = None  # of the article being decided, when its statements are a _Snapshot

    def same(self, first: str, second: str, spoken: bool) -> bool:
        key = (first, second, spoken) if first < second else (second, first, spoken)
        if key not in self.pairs:
            if len(self.pairs) >= PAIRS_KEPT:
                self.pairs.clear()  # asked again, a pair is worked out again: the same answer
            if self._unlinked(first, second):
                self.pairs[key] = False
                return False
            a, b = self._article_runs(key[0]), self._article_runs(key[1])
            if len(a.paragraphs) > len(b.paragraphs):
                a, b = b, a
            self.pairs[key] = len(a.paragraphs) >= 2 and _held(a, b, CONTAINMENT if spoken else DOCUMENT_CONTAINMENT)
        return self.pairs[key]

    def _unlinked(self, first: str, second: str) -> bool:
        """Whether the anchors say, without reading either article, that two articles are not one
        document: the shorter has fewer than two statements, or fewer than ``SAME_DOCUMENT`` of them
        share an anchor with the other (``_Links``). Comparing the articles would count a copy
        that shares no anchor too; a paragraph's own copies are only ever found through one, and
        this asks the same of a document's. ``scripts/copies_cost.py`` measures its answers against
        comparing every pair of articles asked about."""
        linked = self.linked
        if linked is None or linked.article not in (first, second):
            return False
        other = second if first == linked.article else first
        own, theirs = self.statements.count(linked.article), self.statements.count(other)  # a _Snapshot's
        if min(own, theirs) < 2:
            return True
        mine, others = linked.mine.get(other, 0), len(linked.theirs.get(other, ()))
        if own < theirs:
            return mine < SAME_DOCUMENT * own
        if theirs < own:
            return others < SAME_DOCUMENT * theirs
        return max(mine, others) < SAME_DOCUMENT * own  # as long: either may be the one compared

    def _article_runs(self, article_id: str) -> _ArticleRuns:
        """The runs of words of an article, kept for the ``ARTICLES_COMPARED`` articles compared
        last (deciding goes article by article, so one side of most pairs is the same)."""
        if article_id in self.runs:
            self.runs.move_to_end(article_id)
            return self.runs[article_id]
        sets = [frozenset(s.shingles) for s in self.statements.article(article_id)]
        found = self.runs[article_id] = _ArticleRuns(sets, frozenset().union(*sets), min(map(len, sets), default=0))
        if len(self.runs) > ARTICLES_COMPARED:
            self.runs.popitem(last=False)
        return found


class _ArticleRuns(NamedTuple):
    """The runs of words of an article's paragraphs (a set each), all of them, and the fewest a paragraph has."""

    paragraphs: list[frozenset]
    every: frozenset
    fewest: int


def _held(shorter: _ArticleRuns, longer: _ArticleRuns, share: float) -> bool:
    """Whether ``SAME_DOCUMENT`` of the shorter article's paragraphs have a copy in the longer. A
    paragraph's copy holds ``share`` of the shorter one's runs of words, so they are all among the
    longer article's runs: a paragraph with fewer of them there is passed over without comparing it
    with each paragraph of the longer (articles of unrelated paragraphs, the usual pair, cost one set
    intersection a paragraph, not one for each of the other's), and the count stops as soon as it is
    decided."""
    need, held, left = SAME_DOCUMENT * len(shorter.paragraphs), 0, len(shorter.paragraphs)
    for runs in shorter.paragraphs:
        left -= 1
        if (len(runs.intersection(longer.every)) >= share * min(len(runs), longer.fewest)
                and any(_holds(runs, other, share) for other in longer.paragraphs)):
            held += 1
            if held >= need:
                return True
        elif held + left < need:
            return False
    return held >= need


def _copies(own: _Statement, candidates, documents: _Documents) -> tuple[str, ...]:
    """The ids of the copies of ``own`` among ``candidates``. A candidate is a copy when most of the
    shorter one's runs of words are in the other: at least ``READ_OUT_CONTAINMENT`` between spoken
    and written words (a statement read out, a speech quoted in a release); between two written
    paragraphs ``WRITTEN_CONTAINMENT``, or ``CONTAINMENT`` in one document printed twice; between
    spoken words ``CONTAINMENT`` in one document printed twice only (someone who says a thing again
    says it in nearly the same words, which is not one statement printed twice). None when the
    copies make a formula: more than ``MAX_ARTICLES`` articles, or more than ``MAX_DAYS`` days
    between the first and the last, unless each is the same document under the same title (posted
    again later)."""
    copies, articles, mine = [], {own.article_id}, frozenset(own.shingles)
    for candidate in candidates:
        if candidate.article_id == own.article_id or candidate.words < MIN_WORDS:
            continue
        if not _holds(mine, candidate.shingles, READ_OUT_CONTAINMENT):
            continue
        if own.spoken != candidate.spoken:
            pass  # read out or quoted
        elif not own.spoken and _holds(mine, candidate.shingles, WRITTEN_CONTAINMENT):
            pass
        elif not (_holds(mine, candidate.shingles, CONTAINMENT)
                  and documents.same(own.article_id, candidate.article_id, own.spoken)):
            continue
        copies.append(candidate)
        articles.add(candidate.article_id)
        if len(articles) > MAX_ARTICLES:
            return ()  # a formula: no need to read further
    days = [d for d in (c.day for c in (own, *copies)) if d is not None]
    if days and (max(days) - min(days)).days > MAX_DAYS and not all(
            c.title == own.title and documents.same(own.article_id, c.article_id, own.spoken and c.spoken) for c in copies):
        return ()
    return tuple(sorted(c.id for c in copies))


def regroup(ledger, reader, changed=None, written=()) -> int:
    """Decide again the copies of the paragraph ids ``changed`` (written, changed or removed) and of
    every paragraph that shares an anchor with the texts of ``written`` (ids of paragraphs written),
    or of every paragraph that shares an anchor with another article's when ``changed`` is None (a
    new ledger, a rebuild, new rules); the ledger keeps them. A paragraph's candidates are the
    ``CANDIDATES`` paragraphs of other articles that share most of its anchors (those of every text
    it had), each held by at most ``COMMON_ANCHOR`` paragraphs. Paragraphs are decided one at a time
    as the ledger gives their candidates, so memory does not grow with the index; a whole index's
    are decided an article at a time from a ``_Snapshot`` of its statements, and two articles that
    the anchors do not link are not compared (``_Documents._unlinked``). Returns how many
    paragraphs were decided."""
    if changed is None:
        with closing(_Snapshot(reader, ledger)) as statements:
            return ledger.set_copies(_decided_by_article(ledger.candidates_all(COMMON_ANCHOR), statements), full=True)
    ids = set(changed) | ledger.neighbours(_anchors(reader, written), COMMON_ANCHOR)
    return ledger.set_copies(_decided(_candidates(ledger, reader, ids), _Statements(reader)), full=False)


class _Links(NamedTuple):
    """What the anchors link to one article's paragraphs: for each other article, how many of its
    paragraphs share an anchor with that article's (``mine``), and the ledger numbers of the
    paragraphs there that share one with its (``theirs``)."""

    article: str
    mine: dict[str, int]
    theirs: dict[str, set[int]]


def _decided_by_article(candidates, statements: _Snapshot):
    """``_decided`` for ``Ledger.candidates_all``'s (paragraph id, number, every candidate as (id,
    number)), an article at a time: its links to other articles are counted first (``_Links``)."""
    documents = _Documents(statements)
    for article_id, group in groupby(candidates, key=lambda row: article_of(row[0])):
        group = list(group)
        mine: dict[str, int] = {}
        theirs: dict[str, set[int]] = {}
        for _, _, found in group:
            articles = set()
            for paragraph_id, number in found:
                other = article_of(paragraph_id)
                articles.add(other)
                if other in theirs:
                    theirs[other].add(number)
                else:
                    theirs[other] = {number}
            for other in articles:
                mine[other] = mine.get(other, 0) + 1
        documents.linked = _Links(article_id, mine, theirs)
        yield from _decided(((i, number, [n for _, n in found[:CANDIDATES]]) for i, number, found in group),
                            statements, documents)


def decide(ledger, reader, paragraph_ids) -> dict[str, tuple[str, ...]]:
    """Paragraph id → the ids of its copies, for ``paragraph_ids`` (decided, not kept)."""
    return dict(_decided(_candidates(ledger, reader, paragraph_ids), _Statements(reader)))


def _anchors(reader, paragraph_ids) -> set[int]:
    """The anchors of the texts of ``paragraph_ids`` the index holds."""
    found = set()
    for paragraph_id in paragraph_ids:
        try:
            found.update(statement_anchors(reader.get(paragraph_id).text))
        except NotFound:  # written, then removed in the same run
            continue
    return found


def _candidates(ledger, reader, paragraph_ids):
    """(paragraph id, its id again, its candidates' ids) for each of ``paragraph_ids``
    (``ledger.candidates_of``), an article's paragraphs together; none for those the index no
    longer holds."""
    for paragraph_id in sorted(paragraph_ids):
        try:
            text = reader.get(paragraph_id).text
        except NotFound:  # the ledger remembers paragraphs the index no longer holds
            yield paragraph_id, paragraph_id, []
            continue
        yield paragraph_id, paragraph_id, ledger.candidates_of(paragraph_id, statement_anchors(text), COMMON_ANCHOR,
                                                               CANDIDATES)


def _decided(candidates, statements: _Statements, documents: _Documents | None = None):
    """(paragraph id, the ids of its copies) for each (paragraph id, its key, its candidates' keys)
    of ``candidates`` (a key: what ``statements`` reads a paragraph by)."""
    documents = documents or _Documents(statements)
    for paragraph_id, key, theirs in candidates:
        own = statements.get(key)
        if own is None or own.words < MIN_WORDS:
            yield paragraph_id, ()
            continue
        yield paragraph_id, _copies(own, (s for s in map(statements.get, theirs) if s is not None), documents)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
