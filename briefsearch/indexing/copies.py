"""Copies of one statement, decided when paragraphs are indexed: the same paragraph printed in
several articles (a briefing posted at two addresses, prepared and delivered text of one speech, a
statement read out in a briefing, a quote reprinted).

A paragraph's candidates are the paragraphs that share one of its anchors (runs of 8 words, kept by
the ledger: ``indexing.ledger``, ``text.fingerprint.statement_anchors``); an anchor that more than
``COMMON_ANCHOR`` paragraphs hold is a formula's and finds none. A candidate is a copy when most
of the shorter paragraph's runs of 5 words are in the other (``CONTAINMENT``;
``TRANSCRIPT_CONTAINMENT`` between two transcript turns: people who say a thing twice say it in
nearly the same words, which is not one statement printed twice). Copies count only when at most
``MAX_ARTICLES`` articles hold them, all published within ``MAX_DAYS`` days: the same words in more
articles, or further apart, are a formula (an order's closing, a program's boilerplate, a notice's
template).

An index run decides the copies of what it wrote or removed and of every paragraph that shares an
anchor with those (``regroup``), and the ledger keeps each paragraph's copies, so a search only
looks them up (``query.duplicates``). Measured on hand-labelled candidate pairs of the White House
and State Department exports by ``scripts/duplicates_eval.py`` (see the README).
"""

from __future__ import annotations

from datetime import date

from briefsearch.errors import NotFound
from briefsearch.text.fingerprint import STATEMENT_MIN_WORDS, statement_shingles, statement_words

MIN_WORDS = STATEMENT_MIN_WORDS
CONTAINMENT = 0.5  # of the shorter paragraph's runs of words found in the other
TRANSCRIPT_CONTAINMENT = 0.75  # between two transcript turns
MAX_ARTICLES = 3  # more articles with the same words: a formula, not one statement
MAX_DAYS = 7  # published further apart: the same words said again, not printed twice
CANDIDATES = 12  # paragraphs read per paragraph at most, those sharing most anchors first
COMMON_ANCHOR = 40  # an anchor held by more paragraphs is a formula's: it finds no candidate
# What the rules above decide: the ledger's copies are decided again when this changes.
RULES = "2026-12-03.1"


def containment(first: str, second: str) -> float:
    """The share of the shorter text's runs of words that the other holds (0 to 1)."""
    a, b = set(statement_shingles(first)), set(statement_shingles(second))
    return len(a & b) / max(1, min(len(a), len(b)))


class _Statement:
    """What deciding copies needs of one paragraph: its article, day, kind and runs of words."""

    __slots__ = ("id", "article_id", "day", "is_turn", "words", "shingles")

    def __init__(self, paragraph):
        words = statement_words(paragraph.text)
        self.id, self.article_id, self.is_turn = paragraph.id, paragraph.article_id, paragraph.is_turn
        self.day = _day(paragraph.date)
        self.words = len(words)
        self.shingles = frozenset(statement_shingles(paragraph.text, words))


def copies_among(paragraph, candidates) -> tuple[str, ...]:
    """The ids of ``paragraph``'s copies among ``candidates`` (paragraphs of any article, read in
    turn): those that hold most of its runs of words or whose runs of words it holds. None when
    the copies make a formula: more than ``MAX_ARTICLES`` articles, or more than ``MAX_DAYS`` days
    between the first and the last."""
    return _copies(_Statement(paragraph), map(_Statement, candidates))


def _copies(own: _Statement, candidates) -> tuple[str, ...]:
    copies, articles = [], {own.article_id}
    for candidate in candidates:
        if candidate.article_id == own.article_id or candidate.words < MIN_WORDS:
            continue
        bar = TRANSCRIPT_CONTAINMENT if own.is_turn and candidate.is_turn else CONTAINMENT
        if len(own.shingles & candidate.shingles) < bar * min(len(own.shingles), len(candidate.shingles)):
            continue
        copies.append(candidate)
        articles.add(candidate.article_id)
        if len(articles) > MAX_ARTICLES:
            return ()  # a formula: no need to read further
    days = [d for d in (c.day for c in (own, *copies)) if d is not None]
    if days and (max(days) - min(days)).days > MAX_DAYS:
        return ()
    return tuple(sorted(c.id for c in copies))


def regroup(ledger, reader, changed=None) -> int:
    """Decide again the copies of the paragraph ids ``changed`` (written, changed or removed) and of
    every paragraph sharing an anchor with them, or of every paragraph that shares an anchor with
    another article's when ``changed`` is None (a new ledger, a rebuild, new rules); the ledger
    keeps them. A paragraph's candidates are the ``CANDIDATES`` paragraphs of other articles that
    share most of its anchors (those of every text it had), each held by at most ``COMMON_ANCHOR``
    paragraphs. Returns how many paragraphs were decided."""
    if changed is None:
        candidates = ledger.candidates_all(COMMON_ANCHOR, CANDIDATES)
        statements = _read_all(reader, {i for i, theirs in candidates.items() for i in (i, *theirs)})
    else:
        ids = set(changed) | ledger.neighbours(changed, COMMON_ANCHOR)
        candidates = {i: ledger.candidates_of(i, COMMON_ANCHOR, CANDIDATES) for i in ids}
        statements = _read_each(reader, {i for i, theirs in candidates.items() for i in (i, *theirs)})
    decided = {}
    for paragraph_id, theirs in candidates.items():
        own = statements.get(paragraph_id)
        if own is None or own.words < MIN_WORDS:
            decided[paragraph_id] = ()
            continue
        decided[paragraph_id] = _copies(own, (statements[i] for i in theirs if i in statements))
    ledger.set_copies(decided, full=changed is None)
    return len(decided)


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
