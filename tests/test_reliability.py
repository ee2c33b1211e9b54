"""Faults around the index: a second writer, old formats, Ctrl-C, racing readers, a full disk, damage,
and the leftovers of a killed run. Each test checks the exit code, the one-line message and that
the index is as of its last commit."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefsearch.cli import cli
from briefsearch.errors import CorruptIndex
from briefsearch.search import Searcher, search
from briefsearch.storage import IndexDir, WriterLock
from tests.conftest import ROOT, STATE_DEPT, require


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def paragraph_count(index_dir) -> int:
    with Searcher(index_dir) as searcher:
        return searcher.reader.doc_count() - len(searcher.reader.manifest())


def manifest(index_dir) -> dict:
    with Searcher(index_dir) as searcher:
        return searcher.reader.manifest()


@pytest.fixture()
def seed_copy(seed_index, tmp_path):
    """A private copy of the seed index (tests here damage or lock it) and its corpus folder."""
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    return seed_index.parent / "seeds", index_dir


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


# --- one writer ------------------------------------------------------------------------------


def hold_lock(index_dir: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from briefsearch.storage import WriterLock; "
         f"lock = WriterLock({str(index_dir)!r}); lock.acquire(); print('locked', flush=True); "
         f"time.sleep({seconds}); lock.release()"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_second_index_run_says_who_writes_and_exits_75(seed_copy):
    corpus, index_dir = seed_copy
    holder = hold_lock(index_dir, 30)
    try:
        result = invoke("index", corpus, "--index", index_dir)
        assert result.exit_code == 75
        line = one_line_error(result)
        assert line.startswith("briefsearch: Another briefsearch index run (pid ")
        assert f"(pid {holder.pid} on " in line and ", since " in line and line.endswith("or use --wait SECONDS")
    finally:
        holder.kill()
        holder.wait()


def test_wait_outlasts_a_short_holder(seed_copy):
    corpus, index_dir = seed_copy
    holder = hold_lock(index_dir, 1.0)
    try:
        result = invoke("index", corpus, "--index", index_dir, "--wait", 20)
        assert result.exit_code == 0, result.output
        assert "0 new, 0 changed, 1 unchanged" in result.stdout
    finally:
        holder.wait()


def test_readers_do_not_take_the_writer_lock(seed_copy):
    corpus, index_dir = seed_copy
    holder = hold_lock(index_dir, 30)
    try:
        assert invoke("query", "missile", "--index", index_dir, "-n", 1).exit_code == 0
    finally:
        holder.kill()
        holder.wait()


# --- version stamp ---------------------------------------------------------------------------


def test_incompatible_stamp_is_refused_before_opening_and_rebuild_fixes_it(seed_copy):
    corpus, index_dir = seed_copy
    stamp_path = IndexDir(index_dir).current() / "briefsearch-index.json"
    stamp = json.loads(stamp_path.read_text())
    stamp.update(format_version=999, briefsearch_version="9.9.9")
    stamp_path.write_text(json.dumps(stamp))
    for args in (("query", "missile"), ("index", corpus), ("check",)):
        result = invoke(*args, "--index", index_dir)
        assert result.exit_code == 4, (args, result.output)
        assert one_line_error(result) == (
            f"briefsearch: The index at {index_dir}/ was built by briefsearch 9.9.9 (format 999), "
            "which this version cannot read — run: briefsearch index --rebuild")
    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("query", "missile", "--index", index_dir).exit_code == 0


# --- Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_keeps_the_last_commit_and_the_next_run_resumes(tmp_path, signal_number):
    files = state_dept_corpus(tmp_path / "corpus", 16, 2)
    index_dir = tmp_path / "index"
    batch = 3
    process = subprocess.Popen(
        [sys.executable, "-m", "briefsearch", "index", str(tmp_path / "corpus"), "--index", str(index_dir),
         "--batch-files", str(batch), "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    # The first build publishes an empty index (_MAIN_0.toc); _MAIN_1.toc is the first batch.
    while not list(index_dir.glob("gen-*/_MAIN_1.toc")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal_number)
    out, err = process.communicate(timeout=60)
    assert process.returncode in (130, 0), err
    if process.returncode == 130:
        assert err == "briefsearch: interrupted — the index is as of its last commit; run the command again to resume\n"
        assert out == ""
    done = manifest(index_dir)
    # A committed state: whole batches of the sorted files, and exactly their paragraphs.
    assert sorted(done) == [str(f) for f in files[:len(done)]]
    assert len(done) % batch == 0 or len(done) == len(files)
    assert paragraph_count(index_dir) == sum(entry["paragraphs"] for entry in done.values())
    assert invoke("check", "--index", index_dir).exit_code == 0

    rerun = invoke("index", tmp_path / "corpus", "--index", index_dir, "--batch-files", batch)
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout.startswith(f"{len(files) - len(done)} new, 0 changed, {len(done)} unchanged, 0 removed, 0 skipped files")
    finished = manifest(index_dir)
    assert len(finished) == len(files)
    assert {path: finished[path] for path in done} == done  # finished files were not redone
    assert paragraph_count(index_dir) == sum(entry["paragraphs"] for entry in finished.values())
    assert invoke("check", "--index", index_dir).exit_code == 0


# --- readers ---------------------------------------------------------------------------------


def test_reader_open_retries_when_a_commit_deletes_the_toc(seed_index, monkeypatch):
    from briefsearch.engine import whoosh_engine

    real_open = whoosh_engine.windex.open_dir
    calls = []

    def racing_open(*args, **kwargs):
        calls.append(args)
        if len(calls) <= 2:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", "_MAIN_7.toc")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(whoosh_engine.windex, "open_dir", racing_open)
    result = search(seed_index, "joint threat assessment")
    assert len(calls) == 3
    assert result.hits[0].paragraph.position == 22


def test_reader_open_that_keeps_failing_is_a_damaged_index(seed_index, monkeypatch):
    from briefsearch.engine import whoosh_engine

    def gone(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "_MAIN_7.toc")

    monkeypatch.setattr(whoosh_engine.windex, "open_dir", gone)
    monkeypatch.setattr(whoosh_engine.time, "sleep", lambda seconds: None)
    with pytest.raises(CorruptIndex, match=r"cannot be opened .* — run: briefsearch check, or briefsearch index --rebuild"):
        search(seed_index, "missile")
    result = invoke("query", "missile", "--index", seed_index)
    assert result.exit_code == 5
    assert one_line_error(result).startswith("briefsearch: The index in ")


def test_long_lived_searcher_reopens_after_a_commit_without_duplicates(tmp_path):
    files = state_dept_corpus(tmp_path / "corpus", 2, 2)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir).exit_code == 0
    with Searcher(index_dir) as searcher:
        before = searcher.reader.doc_count()
        assert invoke("index", files[1], "--index", index_dir).exit_code == 0
        after = searcher.reader.doc_count()
        ids = [hit.paragraph.id for hit in searcher.search("the", None).hits]
    assert after == paragraph_count(index_dir) + 2 and after > before
    assert len(ids) == len(set(ids))


# --- disk full -------------------------------------------------------------------------------


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
    assert sorted(os.listdir(index_dir)) == ["CURRENT", generation.name, "writer.lock"]
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
    assert sorted(os.listdir(index_dir)) == ["CURRENT", live.name, "writer.lock"]  # the half-built generation is gone
    assert IndexDir(index_dir).current() == live
    assert paragraph_count(index_dir) == 27


# --- damage ----------------------------------------------------------------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _zero(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


@pytest.mark.parametrize("damage", [_truncate, _zero], ids=["truncated", "zeroed"])
@pytest.mark.parametrize("target", ["*.seg", "_MAIN_*.toc"])
def test_damaged_index_exits_5_with_recovery_advice(seed_copy, monkeypatch, damage, target):
    from briefsearch.engine import whoosh_engine

    monkeypatch.setattr(whoosh_engine.time, "sleep", lambda seconds: None)  # no need to wait out the retries
    corpus, index_dir = seed_copy
    generation = IndexDir(index_dir).current()
    victim = next(generation.glob(target))
    damage(victim)

    checked = invoke("check", "--index", index_dir)
    assert checked.exit_code == 5
    assert checked.stderr.strip().splitlines()[-1] == (
        f"briefsearch: the index at {index_dir}/ is damaged (2 problems) — rebuild it: briefsearch index --rebuild PATH ...")
    assert f"damaged: {victim.name} does not match its checksum" in checked.stderr
    assert "Traceback" not in checked.output

    queried = invoke("query", "missile", "--index", index_dir)
    assert queried.exit_code == 5
    line = one_line_error(queried)
    assert line.startswith(f"briefsearch: The index in {generation} cannot be ")
    assert line.endswith("— run: briefsearch check, or briefsearch index --rebuild")

    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("check", "--index", index_dir).exit_code == 0


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


# --- recovery on start -----------------------------------------------------------------------


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
    assert sorted(os.listdir(index_dir)) == ["CURRENT", generation.name, "writer.lock"]
    assert invoke("check", "--index", index_dir).exit_code == 0
    again = invoke("index", corpus, "--index", index_dir)
    assert "recovered" not in again.stderr


def test_batches_commit_without_merging_and_the_run_merges_at_its_end(tmp_path, monkeypatch):
    """A merge can take seconds on a big index: inside a batch commit it widens what an interruption
    loses (a resumed run that merged first could be stopped again before any batch landed)."""
    from briefsearch.engine import committed_file_test
    from briefsearch.engine.whoosh_engine import WhooshWriter

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
    committed = committed_file_test(generation)
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
    from briefsearch.indexer import index_paths as _index_paths
    from briefsearch.search import Searcher as _Searcher
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
