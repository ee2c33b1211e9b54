"""One generation of an index: the engine's files and briefsearch's side files, owned in one place.

A generation directory holds the engine's index and, beside it:

- ``briefsearch-index.json``, the version stamp: which engine wrote the index, its format and
  schema fingerprint, the briefsearch version; read before the engine opens anything;
- ``checksums.json``: sha256 of every engine file and of the stamp, recorded after each commit
  with the file's size, mtime, ctime and inode when it was hashed, and the side files a commit
  wrote;
- ``enrichment.json``: what enrichment learnt across the collection (speaker registry, people);
- ``vocabulary.json``: the collection's words and their counts, for spelling suggestions.

Side files carry their own sha256 (``{"sha256": ..., "data": ...}``), written in the same atomic
replacement as their data, so a kill can never leave a side file and its checksum disagreeing.

Damage is never answered silently. Every reader verifies the generation when it opens it
(``verify_on_open``): each recorded file must exist with the size, mtime, ctime and inode it had
when it was hashed, or be hashed again and match (a file rewritten in place, even with its mtime
put back, has a new ctime); a side file is verified whenever it is read. ``check`` hashes every
file. Writers (the indexing run) and readers (search, listings, check) reach all of these files
through ``Generation``; nobody else names them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from briefsearch.durable import write_atomic
from briefsearch.engine import DEFAULT_ENGINE, engine_named
from briefsearch.engine.api import Engine
from briefsearch.errors import CorruptIndex, IncompatibleIndex

STAMP_NAME = "briefsearch-index.json"
CHECKSUMS_NAME = "checksums.json"
ENRICHMENT_NAME = "enrichment.json"
VOCABULARY_NAME = "vocabulary.json"
_ATOMIC_TEMP = re.compile(r"\.tmp\d+$")  # what a killed write_atomic leaves


@dataclass(frozen=True)
class Stamp:
    engine: str
    format_version: int
    schema_fingerprint: str
    briefsearch_version: str
    created: str


class Generation:
    """The generation directory ``path`` of the index at ``index_root`` (named in messages)."""

    def __init__(self, path: Path, index_root: str = ""):
        self.path = Path(path)
        self.index_root = index_root or f"{self.path.parent}/"

    @property
    def name(self) -> str:
        return self.path.name

    # --- the version stamp and the engine ----------------------------------------------------

    def write_stamp(self, engine: Engine, version: str) -> None:
        stamp = {
            "engine": engine.name,
            "format_version": engine.format_version,
            "schema_fingerprint": engine.fingerprint,
            "briefsearch_version": version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        write_atomic(self.path / STAMP_NAME, json.dumps(stamp, indent=2) + "\n")

    def stamp(self) -> Stamp:
        try:
            data = json.loads((self.path / STAMP_NAME).read_text(encoding="utf-8"))
            return Stamp(
                str(data.get("engine", DEFAULT_ENGINE)),  # stamps written before there was a choice
                int(data["format_version"]), str(data["schema_fingerprint"]),
                str(data.get("briefsearch_version", "?")), str(data.get("created", "")),
            )
        except FileNotFoundError:
            raise CorruptIndex(f"The index generation {self.path} has no version stamp ({STAMP_NAME} is missing) — "
                               "run: briefsearch index --rebuild") from None
        except (ValueError, KeyError, TypeError, OSError):
            raise CorruptIndex(f"The version stamp in {self.path} is unreadable — run: briefsearch index --rebuild") from None

    def engine(self) -> Engine:
        """The engine that wrote this generation, once the stamp says this briefsearch can read it."""
        stamp = self.stamp()
        engine = engine_named(stamp.engine)
        if stamp.format_version != engine.format_version or stamp.schema_fingerprint != engine.fingerprint:
            raise IncompatibleIndex(
                f"The index at {self.index_root} was built by briefsearch {stamp.briefsearch_version} "
                f"(format {stamp.format_version}), which this version cannot read — run: briefsearch index --rebuild"
            )
        return engine

    # --- side files --------------------------------------------------------------------------

    def enrichment(self) -> dict | None:
        """The enrichment state saved at the last commit (speaker registry, people), or None
        before the first commit. CorruptIndex when the file is damaged or missing."""
        return self._side(ENRICHMENT_NAME)

    def write_enrichment(self, state: dict) -> None:
        self._write_side(ENRICHMENT_NAME, state)

    def vocabulary(self) -> dict | None:
        """Word → count of the collection, saved at the last commit, or None before the first.
        CorruptIndex when the file is damaged or missing."""
        return self._side(VOCABULARY_NAME)

    def vocabulary_text(self) -> str | None:
        """``vocabulary()`` as its saved JSON text, verified but not parsed (a search reads the
        counts of its own words from it: ``Vocabulary.from_json``)."""
        data = self._side_bytes(VOCABULARY_NAME)
        try:
            return None if data is None else data.decode("utf-8")
        except UnicodeDecodeError:
            raise self._damage(f"{VOCABULARY_NAME} is not valid JSON") from None

    def write_vocabulary(self, counts: dict) -> None:
        self._write_side(VOCABULARY_NAME, counts)

    def _write_side(self, name: str, value) -> None:
        data = json.dumps(value, ensure_ascii=False)
        digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
        write_atomic(self.path / name, f'{_SIDE_HEAD}{digest}{_SIDE_MIDDLE}{data}}}')

    def _side(self, name: str):
        """A side file's data once its own checksum matched. None when it was never written; a file
        a commit recorded but now missing, damaged or unreadable is CorruptIndex, never an empty
        registry that the next commit would save over the real one."""
        data = self._side_bytes(name)
        if data is None:
            return None
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise self._damage(f"{name} is not valid JSON") from None

    def _side_bytes(self, name: str) -> bytes | None:
        """A side file's JSON once its own checksum matched (``_side``), not parsed."""
        path = self.path / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            if name in self._recorded():
                raise self._damage(f"{name} is missing") from None
            return None
        except OSError as error:
            raise self._damage(f"{name} is unreadable ({error.strerror})") from None
        problem = _side_problem(raw)
        if problem:
            raise self._damage(f"{name} {problem}")
        return _side_data(raw)

    def _damage(self, problem: str) -> CorruptIndex:
        return CorruptIndex(f"The index in {self.path} cannot be trusted: {problem} — "
                            "run: briefsearch check, or briefsearch index --rebuild")

    def clean_leftovers(self) -> list[str]:
        """Remove the temp files of side-file writes a killed run never finished."""
        removed = []
        for entry in sorted(self.path.iterdir()):
            if entry.is_file() and _ATOMIC_TEMP.search(entry.name):
                entry.unlink(missing_ok=True)
                removed.append(entry.name)
        return removed

    # --- checksums of committed files ------------------------------------------------------------

    def _recorded(self) -> dict:
        """checksums.json: name → {"sha256", "size", "mtime_ns", "ctime_ns", "ino"} (engine files
        and the stamp) or {"side": true} (side files, which check themselves); {} before any."""
        try:
            known = json.loads((self.path / CHECKSUMS_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError):
            raise self._damage(f"{CHECKSUMS_NAME} is unreadable") from None
        if not isinstance(known, dict):
            raise self._damage(f"{CHECKSUMS_NAME} is unreadable")
        return {name: ({"sha256": entry} if isinstance(entry, str) else entry) for name, entry in known.items()}

    def record_checksums(self, engine: Engine) -> None:
        """After a commit: sha256 of every engine file and the stamp, with the file's identity when
        hashed. Engine files never change once written, so a name already recorded keeps its
        digest: only new files are hashed, and files whose identity changed (an index copied
        elsewhere) are hashed again to refresh it when their bytes still match. A damaged file
        keeps its old digest and stays damaged; it is never re-blessed."""
        try:
            known = self._recorded()
        except CorruptIndex:
            known = {}  # unreadable: every file is hashed again below
        point = engine.commit_point(self.path).name  # an engine may replace it under the same name
        current: dict[str, dict] = {}
        for path in sorted(p for p in self.path.iterdir() if p.is_file()):
            if engine.is_engine_file(path.name) or path.name == STAMP_NAME:
                entry = known.get(path.name)
                if entry is None or path.name == point:
                    entry = _identity(path, _sha256(path))
                elif not _same_identity(entry, os.stat(path)):
                    digest = _sha256(path)
                    if digest == entry.get("sha256"):
                        entry = _identity(path, digest)
                current[path.name] = entry
            elif path.name in _SIDE_FILES:
                current[path.name] = {"side": True}
        write_atomic(self.path / CHECKSUMS_NAME, json.dumps(current, indent=1, sort_keys=True))

    def verify_on_open(self, engine: Engine) -> None:
        """Raise CorruptIndex unless every recorded file is as it was hashed: same size, mtime,
        ctime and inode (one stat each), or, when those differ (an index copied elsewhere),
        hashed again to the same sha256. Side files are verified when read."""
        known = self._recorded()
        committed = None
        for name, entry in sorted(known.items()):
            if entry.get("side"):
                continue
            path = self.path / name
            try:
                info = os.stat(path)
            except FileNotFoundError:
                committed = committed or engine.committed_files(self.path)
                if committed(name) or name == STAMP_NAME:
                    raise self._damage(f"{name} is missing") from None
                continue  # a file a later merge deleted before its checksums were recorded again
            if _same_identity(entry, info):
                continue
            if _sha256(path) != entry.get("sha256"):
                committed = committed or engine.committed_files(self.path)
                if name == engine.commit_point(self.path).name and self._newer_commit(known, name, committed):
                    continue  # a commit point replaced by a commit whose checksums were never recorded
                raise self._damage(f"{name} does not match its checksum")

    def _newer_commit(self, known: dict, commit_point: str, committed: Callable[[str], bool]) -> bool:
        """Whether the live commit uses files never recorded: then its commit point (one that keeps
        its name, as tantivy's ``meta.json``) is newer than its record, which is no damage."""
        return any(p.is_file() and p.name not in known and p.name != commit_point and committed(p.name)
                   for p in self.path.iterdir())

    def verify_checksums(self, committed: Callable[[str], bool] | None = None, commit_point: str | None = None) -> list[str]:
        """Every recorded file hashed again (``check``): files whose bytes differ from what was
        recorded at commit, or that are missing; side files against their own checksums.

        ``committed`` (from the engine) tells which names the live commit uses: a process killed
        between a commit and the recording of its checksums leaves entries for files that commit's
        merge deleted, which are history, not damage. For the same reason, ``commit_point`` (an
        engine's commit file that keeps its name, as tantivy's ``meta.json``) may be one commit
        newer than its record: that is so when the live commit uses files never recorded.
        """
        try:
            if not (self.path / CHECKSUMS_NAME).exists():
                return [f"{self.name}: no checksums recorded"]
            known = self._recorded()
        except CorruptIndex:
            return [f"{self.name}/{CHECKSUMS_NAME} is unreadable"]
        problems = []
        newer = commit_point is not None and committed is not None and self._newer_commit(known, commit_point, committed)
        for name, entry in sorted(known.items()):
            path = self.path / name
            if entry.get("side"):
                try:
                    raw = path.read_bytes()
                except OSError:
                    problems.append(f"{name} is missing")
                    continue
                problem = _side_problem(raw)
                if problem:
                    problems.append(f"{name} {problem}")
                continue
            if committed is not None and not committed(name):
                continue
            if newer and name == commit_point:
                continue
            if not path.exists():
                problems.append(f"{name} is missing")
            elif _sha256(path) != entry.get("sha256"):
                problems.append(f"{name} does not match its checksum")
        return problems


_SIDE_FILES = (ENRICHMENT_NAME, VOCABULARY_NAME)
_SIDE_HEAD = '{"sha256": "'
_SIDE_MIDDLE = '", "data": '
_SIDE_DATA_AT = len(_SIDE_HEAD) + 64 + len(_SIDE_MIDDLE)


def _side_data(raw: bytes) -> bytes:
    """The data part of a side file (the whole file when written before side files had checksums)."""
    return raw[_SIDE_DATA_AT:-1] if raw.startswith(_SIDE_HEAD.encode()) else raw


def _side_problem(raw: bytes) -> str | None:
    """What is wrong with a side file's bytes, or None."""
    if not raw.startswith(_SIDE_HEAD.encode()):
        # Written before side files carried checksums: only its JSON can be checked.
        try:
            json.loads(raw)
            return None
        except (ValueError, RecursionError):
            return "does not match its checksum"
    head = raw[:_SIDE_DATA_AT]
    if not head.endswith(_SIDE_MIDDLE.encode()) or not raw.endswith(b"}"):
        return "does not match its checksum"
    recorded = head[len(_SIDE_HEAD):len(_SIDE_HEAD) + 64].decode("ascii", "replace")
    if hashlib.sha256(_side_data(raw)).hexdigest() != recorded:
        return "does not match its checksum"
    return None


def _identity(path: Path, digest: str) -> dict:
    info = os.stat(path)
    return {"sha256": digest, "size": info.st_size, "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns,
            "ino": info.st_ino}


def _same_identity(entry: dict, info: os.stat_result) -> bool:
    return (entry.get("size"), entry.get("mtime_ns"), entry.get("ctime_ns"), entry.get("ino")) == (
        info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
