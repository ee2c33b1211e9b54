"""The Whoosh engine (Whoosh-Reloaded 2.7.5, pinned): the contract of ``engine.api`` over Whoosh.

The rooms: ``patches`` (fixes of Whoosh itself, installed here before anything else imports
Whoosh), ``analyzer`` and ``schema`` (what a document is), ``directory`` (the index files),
``writer`` and ``parallel`` (writing), ``compiler`` and ``reader`` (reading), ``errors``.
"""

from __future__ import annotations

from pathlib import Path

from briefsearch.engine.whoosh import patches

patches.install()

from briefsearch.engine.api import Scoring  # noqa: E402
from briefsearch.engine.whoosh import directory  # noqa: E402
from briefsearch.engine.whoosh.reader import WhooshReader  # noqa: E402
from briefsearch.engine.whoosh.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT  # noqa: E402
from briefsearch.engine.whoosh.writer import WhooshWriter  # noqa: E402


class WhooshEngine:
    """``engine.api.Engine`` for Whoosh."""

    name = "whoosh"
    format_version = FORMAT_VERSION
    fingerprint = SCHEMA_FINGERPRINT

    def create(self, generation: Path) -> None:
        directory.create_index(generation)

    def writer(self, generation: Path, jobs: int = 1) -> WhooshWriter:
        return WhooshWriter(generation, jobs=jobs)

    def reader(self, generation: Path, scoring: Scoring = Scoring()) -> WhooshReader:
        return WhooshReader(generation, scoring)

    def recover(self, generation: Path) -> list[str]:
        return directory.recover_generation(generation)

    def commit_point(self, generation: Path) -> Path:
        return directory.commit_point(generation)

    def committed_files(self, generation: Path):
        return directory.committed_file_test(generation)

    def is_engine_file(self, name: str) -> bool:
        return directory.is_engine_file(name)


ENGINE = WhooshEngine()
