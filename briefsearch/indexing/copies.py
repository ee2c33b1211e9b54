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

from datetime import date

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
SPOKEN = frozenset({"turn", "answer", "question"})  # kinds of speech (``models.Paragraph.speech``)
# What the rules above decide: the ledger's copies are decided again when this changes.
RULES = "2026-12-03.3"


def containment(first: str, second: str) -> float:
    """The share of the shorter text's runs of words that the other holds (0 to 1)."""
    a, b = set(statement_shingles(first)), set(statement_shingles(second))
    return len(a & b) / max(1, min(len(a), len(b)))


class _Statement:
    """What deciding copies needs of one paragraph: its article, title, day, whether its words were
    spoken (a transcript turn, a speech) or written, and its runs of words."""

    __slots__ = ("id", "article_id", "title", "day", "spoken", "words", "shingles")

    def __init__(self, paragraph):
        words = statement_words(paragraph.text)
        self.id, self.article_id = paragraph.id, paragraph.article_id
        self.title = " ".join(w for w in statement_words(paragraph.title or "") if w not in _EDITION)
        self.day = _day(paragraph.date)
        self.spoken = paragraph.is_turn or paragraph.speech in SPOKEN
        self.words = len(words)
        self.shingles = frozenset(statement_shingles(paragraph.text, words))

    def holds(self, other: "_Statement", share: float) -> bool:
        """Whether ``share`` of the shorter one's runs of words are in the other."""
        return len(self.shingles & other.shingles) >= share * min(len(self.shingles), len(other.shingles))


_EDITION = frozenset({"corrected", "updated", "update", "revised"})  # words of a title that mark a new edition


class _Documents:
    """Whether two articles are one document printed twice: most paragraphs of the shorter (at least
    two) have a copy in the other (``CONTAINMENT`` between spoken words: a speech as prepared and as
    delivered; ``DOCUMENT_CONTAINMENT`` between written ones, since a series of notices or schedules
    from one template shares half the words of each paragraph), read from the index once per article."""

    def __init__(self, reader):
        self.reader = reader
        self.articles: dict[str, list[_Statement]] = {}
        self.pairs: dict[tuple[str, str], bool] = {}

    def same(self, first: str, second: str, spoken: bool) -> bool:
        key = (first, second, spoken) if first < second else (second, first, spoken)
        if key not in self.pairs:
            a, b = self._statements(key[0]), self._statements(key[1])
            if len(a) > len(b):
                a, b = b, a
            share = CONTAINMENT if spoken else DOCUMENT_CONTAINMENT
            held = sum(1 for x in a if any(x.holds(y, share) for y in b))
            self.pairs[key] = len(a) >= 2 and held >= SAME_DOCUMENT * len(a)
        return self.pairs[key]

    def _statements(self, article_id: str) -> list[_Statement]:
        if article_id not in self.articles:
            self.articles[article_id] = [s for s in map(_Statement, self.reader.article(article_id)) if s.words >= MIN_WORDS]
        return self.articles[article_id]


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
    copies, articles = [], {own.article_id}
    for candidate in candidates:
        if candidate.article_id == own.article_id or candidate.words < MIN_WORDS:
            continue
        if not own.holds(candidate, READ_OUT_CONTAINMENT):
            continue
        if own.spoken != candidate.spoken:
            pass  # read out or quoted
        elif not own.spoken and own.holds(candidate, WRITTEN_CONTAINMENT):
            pass
        elif not (own.holds(candidate, CONTAINMENT) and documents.same(own.article_id, candidate.article_id, own.spoken)):
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


def regroup(ledger, reader, changed=None, anchors=()) -> int:
    """Decide again the copies of the paragraph ids ``changed`` (written, changed or removed) and of
    every paragraph holding one of ``anchors`` (those of the texts written), or of every paragraph that shares an anchor with
    another article's when ``changed`` is None (a new ledger, a rebuild, new rules); the ledger
    keeps them. A paragraph's candidates are the ``CANDIDATES`` paragraphs of other articles that
    share most of its anchors (those of every text it had), each held by at most ``COMMON_ANCHOR``
    paragraphs. Returns how many paragraphs were decided."""
    if changed is None:
        candidates = ledger.candidates_all(COMMON_ANCHOR, CANDIDATES)
        statements = _read_all(reader, {i for i, theirs in candidates.items() for i in (i, *theirs)})
        decided = _decide(candidates, statements, reader)
    else:
        decided = decide(ledger, reader, set(changed) | ledger.neighbours(anchors, COMMON_ANCHOR))
    ledger.set_copies(decided, full=changed is None)
    return len(decided)


def decide(ledger, reader, paragraph_ids) -> dict[str, tuple[str, ...]]:
    """Paragraph id → the ids of its copies, for ``paragraph_ids`` (decided, not kept)."""
    candidates, texts = {}, {}
    for paragraph_id in paragraph_ids:
        try:
            paragraph = reader.get(paragraph_id)
        except NotFound:  # the ledger remembers paragraphs the index no longer holds
            candidates[paragraph_id] = []
            continue
        texts[paragraph_id] = _Statement(paragraph)
        candidates[paragraph_id] = ledger.candidates_of(paragraph_id, statement_anchors(paragraph.text), COMMON_ANCHOR, CANDIDATES)
    others = {i for theirs in candidates.values() for i in theirs} - set(texts)
    return _decide(candidates, {**texts, **_read_each(reader, others)}, reader)


def _decide(candidates: dict, statements: dict, reader) -> dict[str, tuple[str, ...]]:
    decided, documents = {}, _Documents(reader)
    for paragraph_id, theirs in candidates.items():
        own = statements.get(paragraph_id)
        if own is None or own.words < MIN_WORDS:
            decided[paragraph_id] = ()
            continue
        decided[paragraph_id] = _copies(own, (statements[i] for i in theirs if i in statements), documents)
    return decided


def _read_all(reader, ids: set[str]) -> dict[str, _Statement]:
    """The statements of the paragraphs of ``ids`` the index holds, in one pass over the index."""
    return {p.id: _Statement(p) for p in reader.paragraphs() if p.id in ids}


def _read_each(reader, ids: set[str]) -> dict[str, _Statement]:
    """The statements of the paragraphs of ``ids`` the index holds, read one at a time."""
    found = {}
    for paragraph_id in ids:
        try:
            found[paragraph_id] = _Statement(reader.get(paragraph_id))
        except NotFound:  # the ledger remembers paragraphs the index no longer holds
            continue
    return found


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
