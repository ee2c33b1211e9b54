"""One generation of an index: the engine's files and briefsearch's side files, owned in one place.

A generation directory holds the engine's index and, beside it:

- ``briefsearch-index.json``, the version stamp: which engine wrote the index, its format and
  schema fingerprint, the briefsearch version; read before the engine opens anything;
- ``checksums.json``: sha256 of every engine file, recorded after each commit;
- ``enrichment.json``: what enrichment learnt across the collection (speaker registry, people);
- ``vocabulary.json``: the collection's words and their counts, for spelling suggestions.

Writers (the indexing run) and readers (search, listings, check) reach all of them through
``Generation``; nobody else names these files.
"""

from __future__ import annotations

import json
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
            raise IncompatibleIndex(f"The index at {self.index_root} has no version stamp (not made by this briefsearch) — "
                                    "run: briefsearch index --rebuild") from None
        except (ValueError, KeyError, TypeError):
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
        """The enrichment state saved at the last commit (speaker registry, people), or None."""
        return self._json(ENRICHMENT_NAME)

    def write_enrichment(self, state: dict) -> None:
        write_atomic(self.path / ENRICHMENT_NAME, json.dumps(state, ensure_ascii=False))

    def vocabulary(self) -> dict | None:
        """Word → count of the collection, saved at the last commit, or None."""
        return self._json(VOCABULARY_NAME)

    def write_vocabulary(self, counts: dict) -> None:
        write_atomic(self.path / VOCABULARY_NAME, json.dumps(counts, ensure_ascii=False))

    def _json(self, name: str) -> dict | None:
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def clean_leftovers(self) -> list[str]:
        """Remove the temp files of side-file writes a killed run never finished."""
        removed = []
        for entry in sorted(self.path.iterdir()):
            if entry.is_file() and _ATOMIC_TEMP.search(entry.name):
                entry.unlink(missing_ok=True)
                removed.append(entry.name)
        return removed

    # --- checksums of committed engine files -------------------------------------------------

    def record_checksums(self, engine: Engine) -> None:
        """After a commit: sha256 of every engine file (they never change once written, so only new
        files are hashed, and the commit point, which an engine may replace under the same name)."""
        known = self._json(CHECKSUMS_NAME) or {}
        point = engine.commit_point(self.path).name
        current = {}
        for path in sorted(p for p in self.path.iterdir() if p.is_file() and engine.is_engine_file(p.name)):
            current[path.name] = (path.name != point and known.get(path.name)) or _sha256(path)
        write_atomic(self.path / CHECKSUMS_NAME, json.dumps(current, indent=1, sort_keys=True))

    def verify_checksums(self, committed: Callable[[str], bool] | None = None, commit_point: str | None = None) -> list[str]:
        """Files whose bytes differ from what was recorded at commit, or that are missing.

        ``committed`` (from the engine) tells which names the live commit uses: a process killed
        between a commit and the recording of its checksums leaves entries for files that commit's
        merge deleted, which are history, not damage. For the same reason, ``commit_point`` (an
        engine's commit file that keeps its name, as tantivy's ``meta.json``) may be one commit
        newer than its record: that is so when the live commit uses files never recorded.
        """
        try:
            known = json.loads((self.path / CHECKSUMS_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [f"{self.name}: no checksums recorded"]
        except ValueError:
            return [f"{self.name}/{CHECKSUMS_NAME} is unreadable"]
        problems = []
        newer = commit_point is not None and committed is not None and any(
            p.is_file() and p.name not in known and p.name != commit_point and committed(p.name) for p in self.path.iterdir())
        for name, digest in sorted(known.items()):
            if committed is not None and not committed(name):
                continue
            if newer and name == commit_point:
                continue
            path = self.path / name
            if not path.exists():
                problems.append(f"{name} is missing")
            elif _sha256(path) != digest:
                problems.append(f"{name} does not match its checksum")
        return problems


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
