"""Shared fixtures: the seed article, the shared data folder, a hermetic environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-missile-defenses-directed-at-russia.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
STATE_DEPT = SHARED_DATA / "state_dept_press_releases" / "items.jsonl"
WHITE_HOUSE = SHARED_DATA / "whitehouse_briefing_room" / "items.jsonl"


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch):
    """No user settings leak into tests; no colour codes in captured output."""
    for name in ("BRIEFSEARCH_INDEX", "BRIEFSEARCH_SPEAKER_OVERRIDES", "BRIEFSEARCH_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    return path


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the seed article, built once through the real pipeline."""
    from briefsearch.indexing.runs import index_paths

    root = tmp_path_factory.mktemp("seed")
    corpus = root / "seeds"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    index_dir = root / "index"
    index_paths([str(corpus)], str(index_dir))
    return index_dir


@pytest.fixture()
def seed_copy(seed_index, tmp_path):
    """A private copy of the seed index (tests here damage or lock it) and its corpus folder."""
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    return seed_index.parent / "seeds", index_dir
