"""The Whoosh index in a generation directory: create it, open it, recover it, name its files.

``open_index`` retries: a commit can delete the TOC that ``open_dir`` listed a moment before
(24 of 31,741 opens under a fast writer). A commit is the rename of a new ``_MAIN_<n>.toc``; the
segments it names (``MAIN_<id>.seg``) never change once written.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from whoosh import index as windex

from briefsearch.engine.whoosh.schema import build_schema
from briefsearch.errors import CorruptIndex

INDEX_NAME = "MAIN"
_OPEN_RETRIES = 10


def open_index(generation: Path):
    """``open_dir`` with retries: a concurrent commit can delete the TOC between list and read."""
    last: Exception | None = None
    for attempt in range(_OPEN_RETRIES):
        try:
            return windex.open_dir(str(generation), indexname=INDEX_NAME)
        except windex.EmptyIndexError as error:
            raise CorruptIndex(f"The index generation {generation} holds no Whoosh index — run: briefsearch index --rebuild") from error
        except (FileNotFoundError, EOFError) as error:
            last = error
            time.sleep(0.02 * (attempt + 1))
        except Exception as error:  # pickle/zlib/struct errors of a damaged TOC
            raise CorruptIndex(f"The index in {generation} cannot be opened ({type(error).__name__}) — run: briefsearch check, or briefsearch index --rebuild") from error
    raise CorruptIndex(f"The index in {generation} cannot be opened ({last}) — run: briefsearch check, or briefsearch index --rebuild")


def create_index(generation: Path) -> None:
    """Create an empty index in ``generation`` (a new directory)."""
    windex.create_in(str(generation), build_schema(), indexname=INDEX_NAME).close()


def recover_generation(generation: Path) -> list[str]:
    """Delete what an interrupted writer left in ``generation``; return the names removed.

    Whoosh leaves segment files of an uncommitted writer until the next commit, and never deletes
    the temp TOC files (``_MAIN_5.toc.1700000000.1``) of a commit that died while writing them.
    """
    ix = open_index(generation)
    try:
        toc = ix._read_toc()
        live = {segment.segment_id() for segment in toc.segments}
        toc_pattern = windex.TOC._pattern(INDEX_NAME)
        segment_pattern = windex.TOC._segment_pattern(INDEX_NAME)
        removed = []
        for name in sorted(os.listdir(generation)):
            toc_match, segment_match = toc_pattern.match(name), segment_pattern.match(name)
            stale = (
                (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name)
                or (toc_match and int(toc_match.group(1)) != toc.generation)
                or (segment_match and segment_match.group(1) not in live)
            )
            if stale:
                os.remove(generation / name)
                removed.append(name)
        if (generation / f"{INDEX_NAME}.tmp").is_dir():  # the posting pool of a writer that died
            shutil.rmtree(generation / f"{INDEX_NAME}.tmp", ignore_errors=True)
            removed.append(f"{INDEX_NAME}.tmp")
        return removed
    finally:
        ix.close()


def committed_file_test(generation: Path):
    """A test ``name -> bool``: is this file part of the live commit (its TOC or a live segment)?

    Checksums recorded at an earlier commit may name files a later merge deleted; those are not
    damage.
    """
    ix = open_index(generation)
    try:
        toc = ix._read_toc()
        live = {segment.segment_id() for segment in toc.segments}
        toc_name = f"_{INDEX_NAME}_{toc.generation}.toc"
        segment_pattern = windex.TOC._segment_pattern(INDEX_NAME)

        def committed(name: str) -> bool:
            match = segment_pattern.match(name)
            return name == toc_name or bool(match and match.group(1) in live)

        return committed
    finally:
        ix.close()


def commit_point(generation: Path) -> Path:
    """The TOC file of the last commit."""
    ix = open_index(generation)
    try:
        return Path(generation) / f"_{INDEX_NAME}_{ix._read_toc().generation}.toc"
    finally:
        ix.close()


def is_engine_file(name: str) -> bool:
    """A TOC or segment file (not the lock, not a temp TOC of an unfinished commit)."""
    return bool(windex.TOC._pattern(INDEX_NAME).match(name) or windex.TOC._segment_pattern(INDEX_NAME).match(name))
