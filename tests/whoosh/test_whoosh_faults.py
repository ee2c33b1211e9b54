"""Whoosh-only faults: retried opens, disk full inside Whoosh's commit, its leftovers and merges,
damage found while searching. The engine-independent faults are in tests/test_reliability.py."""

import errno
import json
import os

import pytest

from briefsearch.errors import CorruptIndex
from briefsearch.indexing.storage import IndexDir, WriterLock
from briefsearch.query.searcher import search
from tests.helpers import invoke, one_line_error, paragraph_count, state_dept_corpus


def test_reader_open_retries_when_a_commit_deletes_the_toc(seed_index, monkeypatch):
    from briefsearch.engine.whoosh import directory

    real_open = directory.windex.open_dir
    calls = []

    def racing_open(*args, **kwargs):
        calls.append(args)
        if len(calls) <= 2:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", "_MAIN_7.toc")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(directory.windex, "open_dir", racing_open)
    result = search(seed_index, "joint threat assessment")
    assert len(calls) == 3
    assert result.hits[0].paragraph.position == 22


def test_reader_open_that_keeps_failing_is_a_damaged_index(seed_index, monkeypatch):
    from briefsearch.engine.whoosh import directory

    def gone(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "_MAIN_7.toc")

    monkeypatch.setattr(directory.windex, "open_dir", gone)
    monkeypatch.setattr(directory.time, "sleep", lambda seconds: None)
    with pytest.raises(CorruptIndex, match=r"cannot be opened .* — run: briefsearch check, or briefsearch index --rebuild"):
        search(seed_index, "missile")
    result = invoke("query", "missile", "--index", seed_index)
    assert result.exit_code == 5
    assert one_line_error(result).startswith("briefsearch: The index in ")


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("phase", ["toc rename", "segment assembly"])
def test_disk_full_leaves_the_index_unchanged_and_unlocked(tmp_path, monkeypatch, phase):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    files = state_dept_corpus(tmp_path / "corpus", 2, 2)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir).exit_code == 0
    generation = IndexDir(index_dir).current()
    files_before = sorted(os.listdir(generation))
    count_before = paragraph_count(index_dir)

    with monkeypatch.context() as patch:
        if phase == "toc rename":
            real_rename = FileStorage.rename_file

            def rename(self, frm, to, safe=False):
                if ".toc." in frm:
                    _enospc()
                return real_rename(self, frm, to, safe=safe)

            patch.setattr(FileStorage, "rename_file", rename)
        else:
            patch.setattr(SegmentWriter, "_assemble_segment", _enospc)
        result = invoke("index", files[1], "--index", index_dir)
    assert result.exit_code == 74
    assert one_line_error(result) == (
        f"briefsearch: Disk full while writing the index in {index_dir} — the index is unchanged; "
        "free some space and run briefsearch index again")
    assert sorted(os.listdir(generation)) == files_before  # no temp TOC, segment or pool files left
    assert sorted(os.listdir(index_dir)) == ["CURRENT", generation.name, "ledger.sqlite", "writer.lock"]
    assert paragraph_count(index_dir) == count_before
    # Both locks are free: briefsearch's and Whoosh's (a second run in this process would fail otherwise).
    lock = WriterLock(index_dir)
    lock.acquire()
    lock.release()
    again = invoke("index", files[1], "--index", index_dir)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("1 new, 0 changed, 0 unchanged")
    assert invoke("check", "--index", index_dir).exit_code == 0


def test_disk_full_during_a_rebuild_keeps_the_live_generation(seed_copy, monkeypatch):
    from whoosh.writing import SegmentWriter

    corpus, index_dir = seed_copy
    live = IndexDir(index_dir).current()
    monkeypatch.setattr(SegmentWriter, "_assemble_segment", _enospc)
    result = invoke("index", corpus, "--index", index_dir, "--rebuild")
    assert result.exit_code == 74
    assert sorted(os.listdir(index_dir)) == ["CURRENT", live.name, "ledger.sqlite", "writer.lock"]  # the half-built generation is gone
    assert IndexDir(index_dir).current() == live
    assert paragraph_count(index_dir) == 27


def test_check_ignores_checksums_of_files_a_later_merge_deleted(seed_copy):
    """A kill between a commit and the recording of its checksums leaves entries for merged-away files."""
    corpus, index_dir = seed_copy
    checksums = IndexDir(index_dir).current() / "checksums.json"
    recorded = json.loads(checksums.read_text())
    recorded["MAIN_mergedaway000001.seg"] = "0" * 64
    checksums.write_text(json.dumps(recorded))
    assert invoke("check", "--index", index_dir).exit_code == 0
    live_segment = next(name for name in recorded if name.endswith(".seg") and "mergedaway" not in name)
    (IndexDir(index_dir).current() / live_segment).unlink()
    assert invoke("check", "--index", index_dir).exit_code == 5


def test_leftovers_of_a_killed_run_are_removed_and_reported(seed_copy):
    corpus, index_dir = seed_copy
    generation = IndexDir(index_dir).current()
    clean = sorted(os.listdir(generation))
    (index_dir / "gen-000005.tmp").mkdir()  # a rebuild that never finished
    (index_dir / "gen-000005.tmp" / "_MAIN_1.toc").write_text("partial")
    (index_dir / "CURRENT.tmp4242").write_text("gen-000005\n")
    (generation / "_MAIN_2.toc.1700000000.25").write_bytes(b"half a toc")  # Whoosh never deletes these
    (generation / "MAIN_orphan0000000001.seg").write_bytes(b"uncommitted segment")
    (generation / "MAIN_orphan0000000002.pst").write_bytes(b"uncommitted postings")
    (generation / "MAIN.tmp").mkdir()
    (generation / "MAIN.tmp" / "0.pool").write_bytes(b"posting pool")
    (generation / "checksums.json.tmp4242").write_text("{")

    result = invoke("index", corpus, "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "recovered from an interrupted run: removed temp pointer CURRENT.tmp4242",
        "recovered from an interrupted run: removed unfinished build gen-000005.tmp",
        "recovered from an interrupted run: removed 4 leftover engine files of an unfinished commit",
        "recovered from an interrupted run: removed 1 temp file (checksums.json.tmp4242)",
    ]
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged")
    assert sorted(os.listdir(generation)) == clean
    assert sorted(os.listdir(index_dir)) == ["CURRENT", generation.name, "ledger.sqlite", "writer.lock"]
    assert invoke("check", "--index", index_dir).exit_code == 0
    again = invoke("index", corpus, "--index", index_dir)
    assert "recovered" not in again.stderr


def test_batches_commit_without_merging_and_the_run_merges_at_its_end(tmp_path, monkeypatch):
    """A merge can take seconds on a big index: inside a batch commit it widens what an interruption
    loses (a resumed run that merged first could be stopped again before any batch landed)."""
    from briefsearch.engine.whoosh import ENGINE
    from briefsearch.engine.whoosh.writer import WhooshWriter

    files = state_dept_corpus(tmp_path / "corpus", 5, 1)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir).exit_code == 0
    commits = []
    real_commit = WhooshWriter.commit

    def recording_commit(self, merge=True):
        commits.append((merge, len(self.index._segments())))
        return real_commit(self, merge=merge)

    monkeypatch.setattr(WhooshWriter, "commit", recording_commit)
    result = invoke("index", tmp_path / "corpus", "--index", index_dir, "--batch-files", 2, "--jobs", 1)
    assert result.stdout.startswith("4 new, 0 changed, 1 unchanged")
    # (merge, segments before): two batches, then the end of the run lets Whoosh merge.
    assert commits == [(False, 1), (False, 2), (True, 3)]
    generation = IndexDir(index_dir).current()
    committed = ENGINE.committed_files(generation)
    recorded = json.loads((generation / "checksums.json").read_text())
    assert [name for name in os.listdir(generation) if committed(name) and name not in recorded] == []


def _postings_part(segment):
    """(offset, length) of the postings inside a compound segment file, from its own directory."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    compound = CompoundStorage(FileStorage(str(segment.parent)).open_file(segment.name), use_mmap=False)
    try:
        name = next(n for n in compound.list() if n.endswith(".pst"))
        return compound.range(name)
    finally:
        compound.close()


def test_damage_found_only_while_searching_is_a_corrupt_index(tmp_path):
    """Bytes damaged under an open searcher: the search that reads them raises CorruptIndex (exit 5)."""
    import shutil as _shutil

    from briefsearch.errors import CorruptIndex as _CorruptIndex
    from briefsearch.indexing.runs import index_paths as _index_paths
    from briefsearch.query.searcher import Searcher as _Searcher
    from tests.conftest import SEED as _SEED

    corpus = tmp_path / "seeds"
    corpus.mkdir()
    _shutil.copy(_SEED, corpus / _SEED.name)
    index = tmp_path / "index"
    _index_paths([str(corpus)], str(index))
    with _Searcher(index) as searcher:
        assert searcher.search("cooperation").total > 0
        segment = next(index.glob("gen-*/*.seg"))
        start, length = _postings_part(segment)
        with open(segment, "r+b") as handle:  # in place: the open searcher's mapping sees it
            handle.seek(start)
            handle.write(b"\xff" * length)
        outcomes = []
        for words in ("cooperation", "russia", "missile defense", "tauscher", "joint threat assessment"):
            try:
                searcher.search(words)
                outcomes.append("ok")
            except _CorruptIndex as error:
                assert "The index is damaged (" in str(error) and "--rebuild" in str(error)
                outcomes.append("damaged")
    assert "damaged" in outcomes
