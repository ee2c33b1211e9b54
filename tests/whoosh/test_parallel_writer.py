"""Indexing with worker processes (``--jobs``): the same index as in-process writing, and no lost
paragraphs, stray processes or tracebacks when a worker fails or the parent is killed."""

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from whoosh.writing import SegmentWriter

from briefsearch.query.searcher import SearchOptions, Searcher
from briefsearch.indexing.storage import IndexDir
from tests.conftest import ROOT
from tests.helpers import invoke, manifest, one_line_error, paragraph_count, state_dept_corpus

QUERIES = ["human rights", '"Secretary Blinken"', "sanctions Iran", "climate", "Ukraine Russia aggression"]


def ranking(index_dir: Path) -> list[list[tuple[float, set[str]]]]:
    """Per query, the top 20 as (score, paragraph ids) groups. Paragraphs with equal scores come in
    document order, which depends on the segment layout; the last group may be cut at the limit."""
    rankings = []
    with Searcher(index_dir) as searcher:
        for query in QUERIES:
            groups: dict[float, set[str]] = {}
            for hit in searcher.search(query, SearchOptions(limit=20)).hits:
                groups.setdefault(round(hit.score, 4), set()).add(hit.paragraph.id)
            rankings.append(list(groups.items())[:-1])
    return rankings


def test_workers_build_the_same_index_as_one_process(tmp_path):
    state_dept_corpus(tmp_path / "corpus", 6, 20)
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke("index", tmp_path / "corpus", "--index", one, "--jobs", 1).exit_code == 0
    result = invoke("index", tmp_path / "corpus", "--index", two, "--jobs", 2, "--batch-files", 3)
    assert result.exit_code == 0, result.output
    assert paragraph_count(two) == paragraph_count(one) > 1000
    assert manifest(two) == manifest(one)
    with Searcher(two) as searcher:  # both workers wrote a segment in each of the two batches
        # (and the speaker names settled at the end of the run may rewrite some articles: one more)
        assert len(searcher.reader.index._segments()) in (4, 5)
    first, second = ranking(one), ranking(two)
    assert all(sum(len(ids) for _, ids in groups) >= 10 for groups in first)
    assert second == first
    assert invoke("check", "--index", two).exit_code == 0


def _in_worker(action):
    """Patch SegmentWriter.add_document so that ``action`` runs in worker processes only."""
    parent = os.getpid()
    real = SegmentWriter.add_document

    def add_document(self, **fields):
        if os.getpid() != parent:
            action()
        return real(self, **fields)

    return add_document


def _worker_disk_full():
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_worker_out_of_disk_space_fails_the_run_with_exit_74_and_loses_nothing(tmp_path, monkeypatch):
    files = state_dept_corpus(tmp_path / "corpus", 2, 10)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir, "--jobs", 2).exit_code == 0
    before = paragraph_count(index_dir)
    monkeypatch.setattr(SegmentWriter, "add_document", _in_worker(_worker_disk_full))
    result = invoke("index", files[1], "--index", index_dir, "--jobs", 2)
    assert result.exit_code == 74
    assert one_line_error(result).startswith("briefsearch: Disk full while writing the index")
    monkeypatch.undo()
    assert paragraph_count(index_dir) == before
    again = invoke("index", files[1], "--index", index_dir, "--jobs", 2)
    assert again.exit_code == 0 and again.stdout.startswith("1 new, 0 changed, 0 unchanged"), again.output
    assert paragraph_count(index_dir) > before


def test_a_worker_that_dies_fails_the_run_with_one_line_and_loses_nothing(tmp_path, monkeypatch):
    files = state_dept_corpus(tmp_path / "corpus", 2, 10)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir, "--jobs", 2).exit_code == 0
    before = paragraph_count(index_dir)
    monkeypatch.setattr(SegmentWriter, "add_document", _in_worker(lambda: os._exit(3)))
    result = invoke("index", files[1], "--index", index_dir, "--jobs", 2)
    assert result.exit_code == 1
    assert one_line_error(result) == (
        "briefsearch: An indexing worker process ended (exit code 3) without writing its part — the index is "
        "as of its last commit; run briefsearch index again")
    monkeypatch.undo()
    assert paragraph_count(index_dir) == before
    again = invoke("index", files[1], "--index", index_dir, "--jobs", 2)
    assert again.exit_code == 0 and again.stdout.startswith("1 new, 0 changed, 0 unchanged"), again.output
    assert invoke("check", "--index", index_dir).exit_code == 0


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(child) for child in task.read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_workers_end_themselves_when_the_indexing_process_is_killed(tmp_path):
    state_dept_corpus(tmp_path / "corpus", 4, 150)
    index_dir = tmp_path / "index"
    process = subprocess.Popen(
        [sys.executable, "-m", "briefsearch", "index", str(tmp_path / "corpus"), "--index", str(index_dir),
         "--jobs", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers |= _children(process.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the run ended before both workers started"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    # The next run clears what the killed one left and finishes the work.
    again = invoke("index", tmp_path / "corpus", "--index", index_dir, "--jobs", 2)
    assert again.exit_code == 0, again.output
    assert len(manifest(index_dir)) == 4
    assert invoke("check", "--index", index_dir).exit_code == 0
    assert "MAIN.tmp" not in os.listdir(IndexDir(index_dir).current())  # job files and pools are gone
