"""Copies of one statement: the same paragraph printed in several articles (a readout on two
sites, a briefing posted twice, a statement reprinted in full).

Paragraphs are the same statement when their words are the same (``text.fingerprint``: case,
accents, punctuation and spacing aside), they say enough to be a statement (at least
``MIN_WORDS`` words: "Thank you." is said everywhere), and at most ``MAX_ARTICLES`` articles
published within ``MAX_DAYS`` days hold them. Measured on 110 hand-labelled candidate pairs of the
White House and State Department exports (``scripts/duplicates_eval.py``): see the README. The index's ledger (``indexing.ledger``)
holds every paragraph's fingerprint, so finding a hit's copies is one lookup. Results show one
paragraph per statement, the best ranked, with the ids of its copies in other articles.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from briefsearch.errors import NotFound
from briefsearch.indexing.ledger import LEDGER_FILE, Ledger
from briefsearch.text.fingerprint import statement_words, words_print

MIN_WORDS = 12
MAX_ARTICLES = 3  # more articles with the same words: a formula, not one statement
MAX_DAYS = 7  # published further apart: the same words said again, not printed twice
MAX_COPIES = 100


def statement_print(text: str) -> str | None:
    """The fingerprint that groups a paragraph with its copies; None for a paragraph too short to group."""
    words = statement_words(text)
    return words_print(words) if len(words) >= MIN_WORDS else None


def open_ledger(index_root) -> Ledger | None:
    """The index's ledger, for ``group_copies`` (None when the index has none); a searcher opens
    it once, not once per search."""
    return Ledger(index_root) if (Path(index_root) / LEDGER_FILE).exists() else None


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
        key = statement_print(paragraph.text)
        copies = _copies(ledger, reader, paragraph, key) if key else ()
        covered.update(copies)
        shown.append((position, copies))
    return shown


def _copies(ledger: Ledger, reader, paragraph, key: str) -> tuple[str, ...]:
    """The same words in at most ``MAX_ARTICLES`` articles published within ``MAX_DAYS`` days: the
    same words in more articles, or far apart in time, are a formula (an order's preamble, a
    briefing's greeting, a nomination notice's opening), not one statement printed twice."""
    copies = []
    for paragraph_id in ledger.with_print(key)[:MAX_COPIES]:
        if paragraph_id.split("#", 1)[0] == paragraph.article_id:
            continue
        try:
            copy = reader.get(paragraph_id)  # the ledger remembers paragraphs the index no longer holds
        except NotFound:
            continue
        copies.append(copy)
    if len({c.article_id for c in copies}) + 1 > MAX_ARTICLES:
        return ()
    return tuple(sorted(c.id for c in copies if _days_apart(paragraph.date, c.date) <= MAX_DAYS))


def _days_apart(first: str | None, second: str | None) -> int:
    if not first or not second:
        return 0
    try:
        return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)
    except ValueError:
        return 0
