"""The tantivy index in a generation directory: create it, open it, recover it, name its files.

A commit is tantivy's atomic replacement of ``meta.json``, which names the live segments; a
segment's files (``<segment id>.idx``, ``.pos``, ``.term``, ``.store``, ``.fast``, ``.fieldnorm``
and ``<segment id>.<opstamp>.del``) never change once written. ``open_index`` retries: a writer's
garbage collection can delete a segment that the ``meta.json`` read a moment before still named.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import tantivy

from briefsearch.engine.tantivy.schema import build_schema
from briefsearch.errors import CorruptIndex

META_NAME = "meta.json"
SEGMENT_FILE = re.compile(r"^([0-9a-f]{32})(?:\.(\d+))?\.(idx|pos|term|store|fast|fieldnorm|del)$")
_OPEN_RETRIES = 10


def cannot_open(generation: Path, error: BaseException) -> CorruptIndex:
    return CorruptIndex(f"The index in {generation} cannot be opened ({type(error).__name__}: {error}) — "
                        "run: briefsearch check, or briefsearch index --rebuild")


def open_index(generation: Path) -> tantivy.Index:
    """``Index.open`` with retries (a concurrent garbage collection), damage as CorruptIndex."""
    if not (Path(generation) / META_NAME).is_file():
        raise CorruptIndex(f"The index generation {generation} holds no tantivy index — run: briefsearch index --rebuild")
    last: BaseException | None = None
    for attempt in range(_OPEN_RETRIES):
        try:
            return tantivy.Index.open(str(generation))
        except (ValueError, OSError) as error:
            last = error
            if "No such file" not in str(error) and "NotFound" not in str(error) and "does not exist" not in str(error):
                break
            time.sleep(0.02 * (attempt + 1))
    raise cannot_open(generation, last)


def create_index(generation: Path) -> None:
    """An empty index in ``generation`` (a new directory): tantivy writes its first ``meta.json``."""
    tantivy.Index(build_schema(), path=str(generation), reuse=False)


def live_segments(generation: Path) -> set[str] | None:
    """The file names ``meta.json`` makes live (segment files and delete files), or None when it
    cannot be read."""
    try:
        meta = json.loads((Path(generation) / META_NAME).read_text(encoding="utf-8"))
        names = set()
        for segment in meta["segments"]:
            segment_id = segment["segment_id"].replace("-", "")
            names.add(segment_id)
            deletes = segment.get("deletes")
            if deletes:
                names.add(f"{segment_id}.{deletes['opstamp']}")
        return names
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _is_live(name: str, live: set[str]) -> bool:
    match = SEGMENT_FILE.match(name)
    if not match:
        return False
    segment, opstamp, extension = match.groups()
    if extension == "del":
        return f"{segment}.{opstamp}" in live
    return opstamp is None and segment in live


def recover_generation(generation: Path) -> list[str]:
    """Delete the segment files no commit names (a writer killed before its commit, or between a
    merge and its garbage collection); return the names removed. Nothing is removed when
    ``meta.json`` cannot be read: that is damage for ``check`` to report, not leftovers."""
    live = live_segments(generation)
    if live is None:
        return []
    removed = []
    for name in sorted(os.listdir(generation)):
        if SEGMENT_FILE.match(name) and not _is_live(name, live):
            os.remove(Path(generation) / name)
            removed.append(name)
    return removed


def committed_file_test(generation: Path):
    """A test ``name -> bool``: is this file part of the live commit (``meta.json`` or a file of a
    live segment)? When ``meta.json`` cannot be read, every engine file counts (so that its
    checksum is verified and the damage reported)."""
    live = live_segments(generation)

    def committed(name: str) -> bool:
        if name == META_NAME:
            return True
        if live is None:
            return bool(SEGMENT_FILE.match(name))
        return _is_live(name, live)

    return committed


def commit_point(generation: Path) -> Path:
    return Path(generation) / META_NAME


def is_engine_file(name: str) -> bool:
    """``meta.json`` or a segment file (not tantivy's lock files or its ``.managed.json`` list)."""
    return name == META_NAME or bool(SEGMENT_FILE.match(name))
