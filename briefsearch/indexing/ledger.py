"""The ledger: when each paragraph was first indexed, and when its text last changed.

One SQLite file in the index directory (beside the generations, so it survives ``--rebuild``),
keyed by paragraph id: the paragraph's fingerprint (``text.fingerprint``), a sequence number that
grows with every paragraph recorded new or changed, the time of that, and whether it was a change.
Index runs record what they wrote after each commit; alerts ask what came after a sequence number.
A paragraph written again with the same words keeps its number: re-indexing is not news. Beside
each paragraph the ledger keeps its anchors (``text.fingerprint.statement_anchors``), by which
duplicate grouping finds the paragraphs that share a run of its words; a changed paragraph's old
anchors stay (grouping checks every candidate's current text). They are most of the ledger (1.48
million at 100,000 paragraphs): one table keyed by (anchor, paragraph number), no index beside it,
written a batch at a time in key order through a 64 MB page cache (``scripts/ledger_cost.py``).
It keeps too the copies that an index run decided for each paragraph (``indexing.copies``): a
search looks up its hits' copies, one query.

If a run was killed between a commit and its record, the ledger's ``synced`` marker (the commit
it last saw) differs from the index's, and ``reconcile`` records what the index holds that the
ledger lacks. A ledger created for an index that already holds paragraphs records them as old
(sequence 0): they were there before anyone could have asked.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from pathlib import Path

from briefsearch.text.fingerprint import fingerprint, statement_anchors

LEDGER_FILE = "ledger.sqlite"
ANCHORS_SORTED = 300_000  # anchors of a batch sorted before they are inserted (about 20,000 paragraphs' worth)
CACHE_KB = 65_536  # SQLite's page cache of a writing connection (its default 2 MB rereads the anchors' pages)
PAIRING_CACHE_KB = 16_384  # while ``candidates_all`` runs: SQLite's sorts hold up to this much each in memory


class Ledger:
    def __init__(self, index_root: str | os.PathLike, readonly: bool = False):
        """The index's ledger; ``readonly`` for searches, which never write (nor create tables). (Not
        SQLite's read-only mode: its connections leave the write-ahead log files behind.)"""
        self.path = Path(index_root) / LEDGER_FILE
        self.db = sqlite3.connect(self.path, timeout=30)
        self._has_copies = False  # known once seen: a table, once there, stays
        if readonly:
            return
        self.db.executescript(
            f"PRAGMA cache_size=-{CACHE_KB};"
            "PRAGMA journal_mode=WAL;"
            "CREATE TABLE IF NOT EXISTS paragraphs (id TEXT PRIMARY KEY, print TEXT NOT NULL, seq INTEGER NOT NULL,"
            " indexed_at REAL NOT NULL, updated INTEGER NOT NULL DEFAULT 0);"
            "CREATE INDEX IF NOT EXISTS paragraphs_seq ON paragraphs (seq);"
            "DROP INDEX IF EXISTS paragraphs_print;"  # of older versions: nothing looks a fingerprint up
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS copies (id TEXT PRIMARY KEY, ids TEXT NOT NULL) WITHOUT ROWID;"
        )
        self._key_anchors()
        if self.db.execute("SELECT 1 FROM paragraphs LIMIT 1").fetchone() is None:
            self._mark_anchored()  # a new ledger records anchors from the start

    def _key_anchors(self) -> None:
        """The anchors table, keyed by (anchor, paragraph); a ledger of an older version kept them
        unsigned in a table with an index of its own (twice the size): they are moved over."""
        self.db.execute("BEGIN IMMEDIATE")  # one process moves them; another waits, then finds it done
        try:
            row = self.db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'anchors'").fetchone()
            if row is None or "WITHOUT ROWID" not in row[0]:
                self.db.execute("CREATE TABLE anchors_keyed (anchor INTEGER NOT NULL, paragraph INTEGER NOT NULL,"
                                " PRIMARY KEY (anchor, paragraph)) WITHOUT ROWID")
                if row is not None:
                    self.db.execute("INSERT OR IGNORE INTO anchors_keyed SELECT anchor - ?, paragraph FROM anchors"
                                    " ORDER BY 1, 2", (2**31,))  # signed, as ``statement_shingles`` gives them now
                    self.db.execute("DROP TABLE anchors")
                self.db.execute("ALTER TABLE anchors_keyed RENAME TO anchors")
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def size(self) -> int:
        """How many paragraphs the ledger holds (with those the index no longer holds)."""
        return self.db.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0]

    def last_seq(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM paragraphs").fetchone()[0]

    def record(self, paragraphs: Iterable[tuple[str, str, list[int]]], when: float | None = None,
               baseline: bool = False) -> tuple[int, int]:
        """Record (paragraph id, fingerprint, anchors) as indexed now; (new, changed) counts. With
        ``baseline``, new ones get sequence 0 (old news)."""
        when = time.time() if when is None else when
        seq = self.last_seq()
        new = changed = 0
        held = []  # (anchor, paragraph number), inserted ``ANCHORS_SORTED`` at a time in key order
        with self.db:
            for paragraph_id, print_, anchors in paragraphs:
                row = self.db.execute("SELECT print, rowid FROM paragraphs WHERE id = ?", (paragraph_id,)).fetchone()
                if row is not None and row[0] == print_:
                    continue
                seq += 1
                number = 0 if baseline and row is None else seq
                if row is None:
                    rowid = self.db.execute("INSERT INTO paragraphs VALUES (?, ?, ?, ?, 0)",
                                            (paragraph_id, print_, number, when)).lastrowid
                    new += 1
                else:
                    self.db.execute("UPDATE paragraphs SET print = ?, seq = ?, indexed_at = ?, updated = 1 WHERE id = ?",
                                    (print_, number, when, paragraph_id))
                    rowid = row[1]
                    changed += 1
                held.extend((anchor, rowid) for anchor in anchors)
                if len(held) >= ANCHORS_SORTED:
                    self._insert_anchors(held)
            self._insert_anchors(held)
        return new, changed

    def _insert_anchors(self, held: list[tuple[int, int]]) -> None:
        """Insert (anchor, paragraph number) pairs in key order, then forget them."""
        held.sort()
        self.db.executemany("INSERT OR IGNORE INTO anchors VALUES (?, ?)", held)
        held.clear()

    def since(self, seq: int | None = None, indexed_after: float | None = None) -> dict[str, tuple[int, float, bool]]:
        """Paragraph id → (seq, indexed_at, updated) of those recorded after ``seq`` (or at or after
        the time ``indexed_after``)."""
        if indexed_after is not None:
            rows = self.db.execute("SELECT id, seq, indexed_at, updated FROM paragraphs WHERE indexed_at >= ? AND seq > 0",
                                   (indexed_after,))
        else:
            rows = self.db.execute("SELECT id, seq, indexed_at, updated FROM paragraphs WHERE seq > ?", (seq or 0,))
        return {row[0]: (row[1], row[2], bool(row[3])) for row in rows}

    def prints(self, paragraph_ids: Iterable[str]) -> dict[str, str]:
        return self._by_id("print", paragraph_ids)

    def _by_id(self, column: str, paragraph_ids: Iterable[str]) -> dict:
        """Paragraph id → ``column`` of the paragraphs table, for those of ``paragraph_ids`` it holds."""
        ids, found = list(paragraph_ids), {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(self.db.execute(
                f"SELECT id, {column} FROM paragraphs WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return found

    def candidates_all(self, common: int) -> Iterator[tuple[str, int, list[tuple[str, int]]]]:
        """(paragraph id, its number, every paragraph of another article that shares one of its
        anchors as (id, number), those sharing most first, then by id) for every paragraph that
        shares one, by id (an article's paragraphs together); anchors held by more than ``common``
        paragraphs are left out. SQLite counts the anchors each pair of paragraphs shares and sorts
        them (on disk when they are many, ``PAIRING_CACHE_KB`` of them in memory: its sorts are
        sized by the page cache), so this holds one paragraph's pairs at a time, however large the
        ledger."""
        self.db.execute(f"PRAGMA cache_size=-{PAIRING_CACHE_KB}")
        try:
            yield from self._pairs(common)
        finally:
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KB}")

    def _pairs(self, common: int) -> Iterator[tuple[str, int, list[tuple[str, int]]]]:
        rows = self.db.execute(
            "WITH held AS (SELECT anchor FROM anchors GROUP BY anchor HAVING COUNT(*) BETWEEN 2 AND ?),"
            " pairs AS (SELECT a.paragraph AS one, b.paragraph AS other, COUNT(*) AS shared FROM held"
            "  JOIN anchors a ON a.anchor = held.anchor JOIN anchors b ON b.anchor = held.anchor AND b.paragraph != a.paragraph"
            "  GROUP BY a.paragraph, b.paragraph)"
            " SELECT p.id, one, o.id, other FROM pairs JOIN paragraphs p ON p.rowid = one JOIN paragraphs o ON o.rowid = other"
            " ORDER BY p.id, shared DESC, o.id", (common,))
        for (paragraph_id, number), group in groupby(rows, key=lambda row: row[:2]):
            article = article_of(paragraph_id)
            theirs = [(other, at) for _, _, other, at in group if article_of(other) != article]
            if theirs:
                yield paragraph_id, number, theirs

    def numbers(self, paragraph_ids: Iterable[str]) -> dict[str, int]:
        """Paragraph id → its number (rowid) in the ledger, for those of ``paragraph_ids`` it holds."""
        return self._by_id("rowid", paragraph_ids)

    def candidates_of(self, paragraph_id: str, anchors: list[int], common: int, limit: int) -> list[str]:
        """The ids of the ``limit`` paragraphs of other articles than that of ``paragraph_id`` that
        share most of ``anchors`` (its text's), leaving out anchors held by more than ``common``
        paragraphs (``candidates_all`` for one paragraph)."""
        if not anchors:
            return []
        marks = ",".join("?" * len(anchors))
        anchors = [row[0] for row in self.db.execute(
            f"SELECT anchor FROM anchors WHERE anchor IN ({marks}) GROUP BY anchor"
            f" HAVING COUNT(DISTINCT paragraph) BETWEEN 2 AND ?", (*anchors, common))]
        if not anchors:
            return []
        prefix = article_of(paragraph_id) + "#"
        marks = ",".join("?" * len(anchors))
        return [row[0] for row in self.db.execute(
            f"SELECT p.id FROM anchors a JOIN paragraphs p ON p.rowid = a.paragraph WHERE a.anchor IN ({marks})"
            f" AND substr(p.id, 1, ?) != ? GROUP BY a.paragraph ORDER BY COUNT(DISTINCT a.anchor) DESC, p.id LIMIT ?",
            (*anchors, len(prefix), prefix, limit))]

    def neighbours(self, anchors: Iterable[int], common: int) -> set[str]:
        """The ids of the paragraphs that hold one of ``anchors`` held by at most ``common`` paragraphs."""
        listed, holders = list(set(anchors)), {}
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            for anchor, paragraph_id in self.db.execute(
                    f"SELECT a.anchor, p.id FROM anchors a JOIN paragraphs p ON p.rowid = a.paragraph"
                    f" WHERE a.anchor IN ({','.join('?' * len(chunk))})", chunk):
                holders.setdefault(anchor, set()).add(paragraph_id)
        return {i for held in holders.values() if len(held) <= common for i in held}

    def copies(self, paragraph_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Paragraph id → the ids of its copies in other articles, as the last index run decided
        (``indexing.copies``), for those of ``paragraph_ids`` that have copies."""
        ids = list(paragraph_ids)
        if not ids or not self._copies_table():
            return {}
        found = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update((i, tuple(copies.split())) for i, copies in self.db.execute(
                f"SELECT id, ids FROM copies WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def grouped_ids(self) -> list[str]:
        """The ids of the paragraphs that have copies."""
        return [row[0] for row in self.db.execute("SELECT id FROM copies")]

    def set_copies(self, decided: Iterable[tuple[str, tuple[str, ...]]], full: bool) -> int:
        """Keep the copies as they are decided ((paragraph id, copy ids); none: no copies), replacing
        all the ledger kept when ``full``; how many paragraphs were decided. They are gathered in a
        temporary table (on disk, not in memory) while ``decided`` runs, a batch at a time, and kept
        in one short transaction at the end: searches see the copies before or after, never a part."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS decided (id TEXT PRIMARY KEY, ids TEXT NOT NULL)")
        with self.db:
            self.db.execute("DELETE FROM temp.decided")
        count, decided = 0, iter(decided)
        while batch := [(i, " ".join(copies)) for i, copies in islice(decided, 1000)]:
            with self.db:  # the temporary table only: the ledger is not locked while copies are decided
                self.db.executemany("INSERT OR REPLACE INTO temp.decided VALUES (?, ?)", batch)
            count += len(batch)
        with self.db:
            if full:
                self.db.execute("DELETE FROM copies")
            else:
                self.db.execute("DELETE FROM copies WHERE id IN (SELECT id FROM temp.decided)")
            self.db.execute("INSERT INTO copies SELECT id, ids FROM temp.decided WHERE ids != ''")
            self.db.execute("DELETE FROM temp.decided")
        return count

    def grouped(self) -> str | None:
        """What the ledger's copies were decided for: '<rules> <commit marker>' (``mark_grouped``)."""
        return self._meta("grouped")

    def mark_grouped(self, value: str) -> None:
        self._set_meta("grouped", value)

    def _copies_table(self) -> bool:
        """Whether the ledger has the copies table (one of an older version lacks it until its next
        index run; once there it stays, so a long-lived searcher asks until it is seen)."""
        if not self._has_copies:
            self._has_copies = self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'copies'").fetchone() is not None
        return self._has_copies

    def anchored(self) -> bool:
        """Whether every paragraph's anchors are recorded (a ledger of an older version has none)."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'anchored'").fetchone() is not None

    def _mark_anchored(self) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('anchored', '1')")

    def add_anchors(self, paragraphs) -> None:
        """Record the anchors of the index's paragraphs in a ledger written before anchors were kept."""
        with self.db:
            self.db.execute("DELETE FROM anchors")
            for paragraph in paragraphs:
                row = self.db.execute("SELECT rowid FROM paragraphs WHERE id = ?", (paragraph.id,)).fetchone()
                if row is not None:
                    self.db.executemany("INSERT OR IGNORE INTO anchors VALUES (?, ?)",
                                        ((anchor, row[0]) for anchor in statement_anchors(paragraph.text)))
        self._mark_anchored()

    def synced(self) -> str | None:
        return self._meta("synced")

    def mark_synced(self, marker: str) -> None:
        self._set_meta("synced", marker)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def reconcile(self, paragraphs, marker: str) -> tuple[int, int]:
        """Record every paragraph of the index the ledger lacks or holds with other words; an empty
        ledger records them all as old news."""
        empty = self.db.execute("SELECT 1 FROM paragraphs LIMIT 1").fetchone() is None
        counts = self.record(((p.id, fingerprint(p.text), statement_anchors(p.text)) for p in paragraphs), baseline=empty)
        self.mark_synced(marker)
        return counts


def article_of(paragraph_id: str) -> str:
    """The article of a paragraph id (``<article id>#p<position>``)."""
    return paragraph_id.rsplit("#", 1)[0]


def commit_marker(generation) -> str:
    """What names the live commit: the generation and its engine's commit point (name, size, mtime)."""
    point = generation.engine().commit_point(generation.path)
    stat = point.stat()
    return f"{generation.path.name}/{point.name}/{stat.st_size}/{stat.st_mtime_ns}"


def sync_ledger(index_root: str | os.PathLike, generation, reader) -> Ledger:
    """The index's ledger, reconciled with the live commit when it is not synced to it, its
    copies decided for that commit (``indexing.copies``)."""
    from briefsearch.indexing.copies import RULES, regroup

    ledger = Ledger(index_root)
    marker = commit_marker(generation)
    if ledger.synced() != marker:
        ledger.reconcile(reader.paragraphs(), marker)
    if not ledger.anchored():
        ledger.add_anchors(reader.paragraphs())
    if ledger.grouped() != f"{RULES} {marker}":
        regroup(ledger, reader)  # what changed since they were decided is not known: all again
        ledger.mark_grouped(f"{RULES} {marker}")
    return ledger
