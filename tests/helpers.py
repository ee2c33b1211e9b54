"""Helpers the tests share: the CLI in-process, its one-line errors, index counts, real corpora."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefsearch.cli import cli
from briefsearch.indexing.storage import IndexDir
from briefsearch.query.searcher import Searcher
from tests.conftest import STATE_DEPT, require


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def paragraph_count(index_dir) -> int:
    with Searcher(index_dir) as searcher:
        return searcher.reader.totals().paragraphs


def commit_point(index_dir) -> Path | None:
    """The engine's commit-point file of the live generation (None before there is one)."""
    try:
        generation = IndexDir(index_dir).live()
        return generation.engine().commit_point(generation.path)
    except Exception:  # noqa: BLE001 - not yet created, or between a commit's steps
        return None


def manifest(index_dir) -> dict:
    with Searcher(index_dir) as searcher:
        return searcher.reader.manifest()


def state_dept_corpus(folder: Path, files: int, records: int) -> list[Path]:
    """``files`` JSONL files of ``records`` real press releases each."""
    lines = require(STATE_DEPT).read_text(encoding="utf-8").splitlines()
    folder.mkdir()
    paths = []
    for number in range(files):
        path = folder / f"part-{number:03d}.jsonl"
        path.write_text("\n".join(lines[number * records:(number + 1) * records]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
