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
"""

from __future__ import annotations

import sys
from array import array
from collections import OrderedDict
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from briefsearch.errors import NotFound
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

    def __init__(self, paragraph):
        words = statement_words(paragraph.text)
        self.id, self.article_id = paragraph.id, sys.intern(paragraph.article_id)
        self.title = _title(paragraph.title or "")
        self.day = _day(paragraph.date)
        self.spoken = paragraph.is_turn or paragraph.speech in SPOKEN
        self.words = len(words)
        self.shingles = array("i", set(statement_shingles(paragraph.text, words)))


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
    kept for the ``STATEMENTS_KEPT`` used last (paragraphs are decided in the order they were
    recorded, an article's together, and their copies are mostly in one other article), so deciding
    the copies of a whole index holds a bounded part of it, however large it is."""

    def __init__(self, reader):
        self.reader = reader
        self.paragraphs: OrderedDict[str, _Statement | None] = OrderedDict()
        self.articles: OrderedDict[str, list[_Statement]] = OrderedDict()
        self.held = 0  # statements in ``articles``

    def get(self, paragraph_id: str) -> _Statement | None:
        """The statement of ``paragraph_id``; None when the index no longer holds it (the ledger
        remembers paragraphs the index has lost)."""
        if paragraph_id in self.paragraphs:
            self.paragraphs.move_to_end(paragraph_id)
            return self.paragraphs[paragraph_id]
        try:
            found = _Statement(self.reader.get(paragraph_id))
        except NotFound:
            found = None
        self.paragraphs[paragraph_id] = found
        if len(self.paragraphs) > STATEMENTS_KEPT:
            self.paragraphs.popitem(last=False)
        return found

    def article(self, article_id: str) -> list[_Statement]:
        """The statements of the paragraphs of ``article_id`` of at least ``MIN_WORDS`` words."""
        if article_id in self.articles:
            self.articles.move_to_end(article_id)
            return self.articles[article_id]
        found = [s for s in map(_Statement, self.reader.article(article_id)) if s.words >= MIN_WORDS]
        self.articles[article_id] = found
        self.held += len(found)
        while self.held > STATEMENTS_KEPT and len(self.articles) > 1:
            self.held -= len(self.articles.popitem(last=False)[1])
        return found


class _Documents:
    """Whether two articles are one document printed twice: most paragraphs of the shorter (at least
    two) have a copy in the other (``CONTAINMENT`` between spoken words: a speech as prepared and as
    delivered; ``DOCUMENT_CONTAINMENT`` between written ones, since a series of notices or schedules
    from one template shares half the words of each paragraph), remembered for ``PAIRS_KEPT`` pairs."""

    def __init__(self, statements: _Statements):
        self.statements = statements
        self.pairs: dict[tuple[str, str, bool], bool] = {}
        self.runs: OrderedDict[str, _ArticleRuns] = OrderedDict()

    def same(self, first: str, second: str, spoken: bool) -> bool:
        key = (first, second, spoken) if first < second else (second, first, spoken)
        if key not in self.pairs:
            if len(self.pairs) >= PAIRS_KEPT:
                self.pairs.clear()  # asked again, a pair is worked out again: the same answer
            a, b = self._article_runs(key[0]), self._article_runs(key[1])
            if len(a.paragraphs) > len(b.paragraphs):
                a, b = b, a
            self.pairs[key] = len(a.paragraphs) >= 2 and _held(a, b, CONTAINMENT if spoken else DOCUMENT_CONTAINMENT)
        return self.pairs[key]

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
    as the ledger gives their candidates, so memory does not grow with the index. Returns how many
    paragraphs were decided."""
    statements = _Statements(reader)
    if changed is None:
        candidates = ledger.candidates_all(COMMON_ANCHOR, CANDIDATES)
    else:
        ids = set(changed) | ledger.neighbours(_anchors(reader, written), COMMON_ANCHOR)
        candidates = _candidates(ledger, reader, ids)
    return ledger.set_copies(_decided(candidates, statements), full=changed is None)


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
    """(paragraph id, its candidates) for each of ``paragraph_ids`` (``ledger.candidates_of``), an
    article's paragraphs together; none for those the index no longer holds."""
    for paragraph_id in sorted(paragraph_ids):
        try:
            text = reader.get(paragraph_id).text
        except NotFound:  # the ledger remembers paragraphs the index no longer holds
            yield paragraph_id, []
            continue
        yield paragraph_id, ledger.candidates_of(paragraph_id, statement_anchors(text), COMMON_ANCHOR, CANDIDATES)


def _decided(candidates, statements: _Statements):
    """(paragraph id, the ids of its copies) for each (paragraph id, its candidates) of ``candidates``."""
    documents = _Documents(statements)
    for paragraph_id, theirs in candidates:
        own = statements.get(paragraph_id)
        if own is None or own.words < MIN_WORDS:
            yield paragraph_id, ()
            continue
        yield paragraph_id, _copies(own, (s for s in map(statements.get, theirs) if s is not None), documents)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
