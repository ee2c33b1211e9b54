"""Faults around the index: a second writer, old formats, Ctrl-C, racing readers, a full disk, damage,
and the leftovers of a killed run. Each test checks the exit code, the one-line message and that
the index is as of its last commit."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefsearch.query.searcher import Searcher
from briefsearch.indexing.storage import IndexDir
from tests.conftest import ROOT
from tests.helpers import commit_point, invoke, manifest, one_line_error, paragraph_count, state_dept_corpus


# --- one writer ------------------------------------------------------------------------------


def hold_lock(index_dir: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from briefsearch.indexing.storage import WriterLock; "
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
    # The first build publishes an empty index, then commits batch after batch: interrupt once the
    # engine's commit point has moved on from the empty one.
    empty = None
    while process.poll() is None and time.monotonic() < deadline:
        point = commit_point(index_dir)
        if empty is None:
            empty = point
        elif point is not None and point != empty:
            break
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


def test_long_lived_searcher_reopens_after_a_commit_without_duplicates(tmp_path):
    files = state_dept_corpus(tmp_path / "corpus", 2, 2)
    index_dir = tmp_path / "index"
    assert invoke("index", files[0], "--index", index_dir).exit_code == 0
    with Searcher(index_dir) as searcher:
        before = searcher.reader.totals().paragraphs
        assert invoke("index", files[1], "--index", index_dir).exit_code == 0
        after = searcher.reader.totals().paragraphs
        ids = [hit.paragraph.id for hit in searcher.search("the", None).hits]
    assert after == paragraph_count(index_dir) and after > before
    assert len(ids) == len(set(ids))


# --- damage ----------------------------------------------------------------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _zero(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


def _victim(index_dir, target: str) -> Path:
    """The engine's commit point, or its largest other file (the bulk of the postings)."""
    generation = IndexDir(index_dir).live()
    engine = generation.engine()
    point = engine.commit_point(generation.path)
    if target == "commit point":
        return point
    files = [p for p in generation.path.iterdir() if engine.is_engine_file(p.name) and p != point]
    return max(files, key=lambda p: p.stat().st_size)


@pytest.mark.parametrize("damage", [_truncate, _zero], ids=["truncated", "zeroed"])
@pytest.mark.parametrize("target", ["largest file", "commit point"])
def test_damaged_index_exits_5_with_recovery_advice(seed_copy, monkeypatch, damage, target):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # no need to wait out an engine's retries
    corpus, index_dir = seed_copy
    generation = IndexDir(index_dir).current()
    victim = _victim(index_dir, target)
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


