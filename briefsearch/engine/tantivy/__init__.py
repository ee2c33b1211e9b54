"""The tantivy engine (the ``tantivy`` package, an optional extra): the contract of ``engine.api``
over tantivy, fed briefsearch's own index terms so that it matches what the Whoosh engine matches.

The rooms: ``schema`` (what a document is), ``directory`` (the index files), ``writer`` (writing),
``compiler`` and ``reader`` (reading).
"""

from __future__ import annotations

from pathlib import Path

from briefsearch.engine.api import Scoring
from briefsearch.engine.tantivy import directory
from briefsearch.engine.tantivy.reader import TantivyReader
from briefsearch.engine.tantivy.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT
from briefsearch.engine.tantivy.writer import TantivyWriter


class TantivyEngine:
    """``engine.api.Engine`` for tantivy."""

    name = "tantivy"
    format_version = FORMAT_VERSION
    fingerprint = SCHEMA_FINGERPRINT

    def create(self, generation: Path) -> None:
        directory.create_index(generation)

    def writer(self, generation: Path, jobs: int = 1) -> TantivyWriter:
        return TantivyWriter(generation, jobs=jobs)

    def reader(self, generation: Path, scoring: Scoring = Scoring()) -> TantivyReader:
        return TantivyReader(generation, scoring)

    def recover(self, generation: Path) -> list[str]:
        return directory.recover_generation(generation)

    def commit_point(self, generation: Path) -> Path:
        return directory.commit_point(generation)

    def committed_files(self, generation: Path):
        return directory.committed_file_test(generation)

    def is_engine_file(self, name: str) -> bool:
        return directory.is_engine_file(name)


ENGINE = TantivyEngine()
