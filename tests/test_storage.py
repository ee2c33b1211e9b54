"""The index directory: writer lock, version stamp, generation pointer, leftovers of a crash."""

import json
import os
import subprocess
import sys

import pytest

from briefsearch.errors import CorruptIndex, IncompatibleIndex, IndexBusy, NoIndex
from briefsearch.indexing.generation import Generation
from briefsearch.indexing.storage import IndexDir, WriterLock


def test_second_writer_is_told_who_holds_the_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from briefsearch.indexing.storage import WriterLock; "
         f"l=WriterLock({str(tmp_path)!r}); l.acquire(); print('locked', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy) as caught:
            WriterLock(tmp_path).acquire(wait=0.2)
        message = str(caught.value)
        assert f"pid {holder.pid}" in message and "since" in message and "--wait" in message
    finally:
        holder.kill()
        holder.wait()
    lock = WriterLock(tmp_path)
    lock.acquire()  # the kernel released the dead holder's lock: never stale
    lock.release()


def test_lock_records_holder_and_is_reentrant_after_release(tmp_path):
    lock = WriterLock(tmp_path, command="briefsearch index seeds")
    lock.acquire()
    body = json.loads((tmp_path / "writer.lock").read_text())
    assert body["pid"] == os.getpid() and body["command"] == "briefsearch index seeds"
    lock.release()
    with WriterLock(tmp_path) as again:
        again.acquire()


def test_no_index_message_names_the_directory(tmp_path):
    with pytest.raises(NoIndex, match="No index at .*index/ — run: briefsearch index"):
        IndexDir(tmp_path / "index").current()


def test_pointer_to_a_missing_generation_is_corrupt(tmp_path):
    (tmp_path / "CURRENT").write_text("gen-000007\n")
    with pytest.raises(CorruptIndex, match="missing generation"):
        IndexDir(tmp_path).current()


def test_stamp_of_another_format_is_refused_before_opening(tmp_path):
    from briefsearch.engine import engine_named

    store = IndexDir(tmp_path)
    generation = Generation(store.new_generation(), store.display())
    whoosh = engine_named("whoosh")
    generation.write_stamp(whoosh, "0.1.0")
    assert generation.engine() is whoosh and generation.stamp().engine == "whoosh"
    stamp = json.loads((generation.path / "briefsearch-index.json").read_text())
    for changed in ({"format_version": whoosh.format_version + 1}, {"schema_fingerprint": "other"}):
        (generation.path / "briefsearch-index.json").write_text(json.dumps({**stamp, **changed}))
        with pytest.raises(IncompatibleIndex, match="briefsearch 0.1.0 .*--rebuild"):
            generation.engine()
    (generation.path / "briefsearch-index.json").write_text(json.dumps({**stamp, "engine": "lucene"}))
    with pytest.raises(IncompatibleIndex, match="engine 'lucene'.*it has: .*whoosh.*--rebuild"):
        generation.engine()
    older = {k: v for k, v in stamp.items() if k != "engine"}  # written before there was a choice
    (generation.path / "briefsearch-index.json").write_text(json.dumps(older))
    assert generation.engine() is whoosh
    (generation.path / "briefsearch-index.json").write_text("{not json")
    with pytest.raises(CorruptIndex, match="unreadable"):
        generation.engine()


def test_publish_switches_pointer_and_keeps_one_previous_generation(tmp_path):
    store = IndexDir(tmp_path)
    names = []
    for _ in range(3):
        names.append(store.publish(store.new_generation()).name)
    assert names == ["gen-000001", "gen-000002", "gen-000003"]
    assert store.current().name == "gen-000003"
    assert [g.name for g in store.generations()] == ["gen-000002", "gen-000003"]


def test_leftovers_of_an_interrupted_run_are_removed(tmp_path):
    store = IndexDir(tmp_path)
    store.publish(store.new_generation())
    unfinished = store.new_generation()
    (unfinished / "x.seg").write_text("partial")
    (tmp_path / "CURRENT.tmp123").write_text("gen-000002")
    removed = store.clean_leftovers()
    assert sorted(removed) == ["temp pointer CURRENT.tmp123", "unfinished build gen-000002.tmp"]
    assert not unfinished.exists() and store.current().name == "gen-000001"
