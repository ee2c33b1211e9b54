"""Copies of one statement in search results: one paragraph per statement, the best ranked, with the
ids of its copies in other articles (a briefing posted at two addresses, a statement read out in a
briefing, a quote reprinted).

Which paragraphs are copies is decided when they are indexed (``indexing.copies``, which says how)
and kept in the index's ledger, so a search only looks up its hits' copies: one query of the ledger
by the hits' ids.
"""

from __future__ import annotations

from pathlib import Path

from briefsearch.indexing.ledger import LEDGER_FILE, Ledger


def copies_of(ledger: Ledger, paragraph) -> tuple[str, ...]:
    """The ids of ``paragraph``'s copies in other articles of the index, as its ledger keeps them."""
    return ledger.copies([paragraph.id]).get(paragraph.id, ())


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
    kept = ledger.copies([paragraph.id for paragraph in paragraphs])
    shown, covered = [], set()
    for position, paragraph in enumerate(paragraphs):
        if len(shown) >= limit:
            break
        if paragraph.id in covered and not all_copies:
            continue
        copies = kept.get(paragraph.id, ())
        covered.update(copies)
        shown.append((position, copies))
    return shown
