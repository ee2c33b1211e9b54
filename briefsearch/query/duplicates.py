"""Copies of one statement: the same paragraph printed in several articles (a briefing posted at two
addresses, prepared and delivered text of one speech, a statement read out in a briefing, a quote
reprinted).

A paragraph's candidates are the paragraphs that share one of its anchors (runs of 8 words, kept by
the ledger: ``indexing.ledger``, ``text.fingerprint.statement_anchors``) or all its words. A
candidate is a copy when most of the shorter paragraph's runs of 5 words are in the other
(``CONTAINMENT``; ``TRANSCRIPT_CONTAINMENT`` between two transcript turns: people who say a thing
twice say it in nearly the same words, which is not one statement printed twice). Copies count only
when at most ``MAX_ARTICLES`` articles hold them, all published within ``MAX_DAYS`` days: the same
words in more articles, or further apart, are a formula (an order's closing, a program's
boilerplate, a notice's template). Measured on hand-labelled candidate pairs of the White House and
State Department exports by ``scripts/duplicates_eval.py`` (see the README). Results show one
paragraph per statement, the best ranked, with the ids of its copies in other articles.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from briefsearch.errors import NotFound
from briefsearch.indexing.ledger import LEDGER_FILE, Ledger
from briefsearch.text.fingerprint import (
    STATEMENT_MIN_WORDS,
    statement_anchors,
    statement_shingles,
    statement_words,
    words_print,
)

MIN_WORDS = STATEMENT_MIN_WORDS
CONTAINMENT = 0.5  # of the shorter paragraph's runs of words found in the other
TRANSCRIPT_CONTAINMENT = 0.75  # between two transcript turns
MAX_ARTICLES = 3  # more articles with the same words: a formula, not one statement
MAX_DAYS = 7  # published further apart: the same words said again, not printed twice
CANDIDATES = 12  # paragraphs read per hit at most, those sharing most anchors first


def containment(first: str, second: str) -> float:
    """The share of the shorter text's runs of words that the other holds (0 to 1)."""
    a, b = set(statement_shingles(first)), set(statement_shingles(second))
    return len(a & b) / max(1, min(len(a), len(b)))


def copies_among(paragraph, candidates) -> tuple[str, ...]:
    """The ids of ``paragraph``'s copies among ``candidates`` (paragraphs of any article, read in
    turn): those that hold most of its runs of words or whose runs of words it holds. None when
    the copies make a formula: more than ``MAX_ARTICLES`` articles, or more than ``MAX_DAYS`` days
    between the first and the last."""
    own = set(statement_shingles(paragraph.text))
    copies, articles = [], {paragraph.article_id}
    for candidate in candidates:
        words = statement_words(candidate.text)
        if candidate.article_id == paragraph.article_id or len(words) < MIN_WORDS:
            continue
        theirs = set(statement_shingles(candidate.text, words))
        bar = TRANSCRIPT_CONTAINMENT if paragraph.is_turn and candidate.is_turn else CONTAINMENT
        if len(own & theirs) < bar * min(len(own), len(theirs)):
            continue
        copies.append(candidate)
        articles.add(candidate.article_id)
        if len(articles) > MAX_ARTICLES:
            return ()  # a formula: no need to read further
    days = [d for d in (_day(p.date) for p in (paragraph, *copies)) if d is not None]
    if days and (max(days) - min(days)).days > MAX_DAYS:
        return ()
    return tuple(sorted(c.id for c in copies))


def copies_of(ledger: Ledger, reader, paragraph) -> tuple[str, ...]:
    """The ids of ``paragraph``'s copies in other articles of the index."""
    words = statement_words(paragraph.text)
    if len(words) < MIN_WORDS:
        return ()
    ids = [paragraph_id for paragraph_id, _ in ledger.sharing_anchors(statement_anchors(paragraph.text, words), CANDIDATES + 1)]
    ids += ledger.with_print(words_print(words))[:CANDIDATES]
    return copies_among(paragraph, _read(reader, (i for i in dict.fromkeys(ids) if i != paragraph.id)))


def _read(reader, paragraph_ids):
    """The paragraphs of ``paragraph_ids`` the index holds, read as they are asked for (the ledger
    remembers paragraphs the index no longer holds)."""
    for paragraph_id in paragraph_ids:
        try:
            yield reader.get(paragraph_id)
        except NotFound:
            continue


def open_ledger(index_root) -> Ledger | None:
    """The index's ledger, read-only, for ``group_copies`` (None when the index has none); a
    searcher opens it once, not once per search."""
    return Ledger(index_root, readonly=True) if (Path(index_root) / LEDGER_FILE).exists() else None


def group_copies(ledger: Ledger | None, reader, paragraphs, limit: int, all_copies: bool = False) -> list[tuple]:
    """(position in ``paragraphs``, copies) for the first ``limit`` of the ranked ``paragraphs`` to
    show: ``copies`` are the ids of the same statement in other articles of the index (``ledger``,
    from ``open_ledger``). Unless ``all_copies``, a paragraph that is a copy of a better-ranked one
    is left out."""
    if ledger is None:
        return [(position, ()) for position in range(min(limit, len(paragraphs)))]
    shown, covered = [], set()
    for position, paragraph in enumerate(paragraphs):
        if len(shown) >= limit:
            break
        if paragraph.id in covered and not all_copies:
            continue
        copies = copies_of(ledger, reader, paragraph)
        covered.update(copies)
        shown.append((position, copies))
    return shown


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
