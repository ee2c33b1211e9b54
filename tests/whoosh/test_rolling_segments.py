"""The Whoosh writer starts a new segment where its posting pool would spill to disk: the same
paragraphs and answers as one segment, no spilled run, nothing left behind by a cancel."""

import os
from dataclasses import replace

import pytest
from whoosh.writing import PostingPool

from briefsearch.engine.whoosh import ENGINE
from briefsearch.engine.whoosh.writer import WhooshWriter
from briefsearch.indexing.storage import IndexDir
from briefsearch.query.language import parse_query
from tests.helpers import invoke, state_dept_corpus


@pytest.fixture(scope="module")
def real_paragraphs(tmp_path_factory):
    """The paragraphs of 40 real press releases, as an index run made them."""
    root = tmp_path_factory.mktemp("rolling")
    files = state_dept_corpus(root / "corpus", 1, 40)
    assert invoke("index", files[0], "--index", root / "index").exit_code == 0
    reader = ENGINE.reader(IndexDir(root / "index").current())
    try:
        paragraphs = sorted(reader.paragraphs(), key=lambda p: (p.article_id, p.position))
    finally:
        reader.close()
    assert len(paragraphs) > 500
    return paragraphs


def written(folder, paragraphs, limitmb, spills, commit=True):
    """A new Whoosh generation holding ``paragraphs``, written with a pool budget of ``limitmb``."""
    folder.mkdir()
    ENGINE.create(folder)
    writer = WhooshWriter(folder, limitmb=limitmb)
    try:
        writer.replace_source("releases.jsonl", iter(paragraphs), {"size": 1}, existed=False)
        spills.append(len(writer._writer.pool.runs))
        if commit:
            writer.commit(merge=False)
    finally:
        writer.close()
    return folder


def answers(folder):
    reader = ENGINE.reader(folder)
    try:
        found = [reader.search(reader.compile(parse_query(text)), limit=100_000).hits
                 for text in ("sanctions", '"human rights"', "Ukraine Russia")]
        return (replace(reader.totals(), bytes=None),  # more segments take more bytes
                sorted(p.id for p in reader.paragraphs()),
                [sorted((round(score, 6), paragraph.id) for paragraph, score in hits) for hits in found])
    finally:
        reader.close()


def test_a_small_pool_writes_several_segments_and_never_spills(tmp_path, real_paragraphs, monkeypatch):
    saves = []
    real_save = PostingPool.save
    monkeypatch.setattr(PostingPool, "save", lambda self: (saves.append(1), real_save(self))[1])
    spills = []
    one = written(tmp_path / "one", real_paragraphs, 256, spills)
    several = written(tmp_path / "several", real_paragraphs, 1, spills)
    assert saves == [] and spills == [0, 0]  # the 1 MB pool rolled over instead of spilling
    segments = [name for name in os.listdir(several) if name.endswith(".seg")]
    assert len([name for name in os.listdir(one) if name.endswith(".seg")]) == 1 and len(segments) >= 4
    assert answers(several) == answers(one)


def test_a_cancelled_writer_leaves_none_of_its_segments(tmp_path, real_paragraphs):
    folder = tmp_path / "cancelled"
    folder.mkdir()
    ENGINE.create(folder)
    before = sorted(os.listdir(folder))
    writer = WhooshWriter(folder, limitmb=1)
    writer.replace_source("releases.jsonl", iter(real_paragraphs), {"size": 1}, existed=False)
    assert len(writer._writer.rolled) >= 3  # finished segments no TOC names yet
    writer.cancel()
    writer.close()
    assert sorted(set(os.listdir(folder)) - {"MAIN_WRITELOCK"}) == before  # Whoosh's lock file stays


KILLED_WRITER = """
import pickle, sys, time
from pathlib import Path
from briefsearch.engine.whoosh.writer import WhooshWriter

folder, paragraphs = Path(sys.argv[1]), pickle.loads(Path(sys.argv[2]).read_bytes())
writer = WhooshWriter(folder, limitmb=1)

def until_rolled():
    for paragraph in paragraphs:
        yield paragraph
        if writer._writer.rolled:
            print("rolled", flush=True)
            time.sleep(60)  # killed here: finished segments on disk, named by no TOC

writer.replace_source("releases.jsonl", until_rolled(), {"size": 1}, existed=False)
"""


def test_a_writer_killed_after_finishing_a_segment_leaves_the_committed_index(tmp_path, real_paragraphs):
    import pickle
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    folder = tmp_path / "killed"
    written(folder, real_paragraphs[:100], 256, [])
    before, committed = sorted(os.listdir(folder)), answers(folder)
    (tmp_path / "paragraphs.pickle").write_bytes(pickle.dumps(real_paragraphs[100:]))
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(folder), str(tmp_path / "paragraphs.pickle")],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "rolled\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    left = set(os.listdir(folder)) - set(before)
    assert any(name.endswith(".seg") for name in left)  # the finished segment is on disk
    assert answers(folder) == committed  # and no reader sees it
    removed = ENGINE.recover(folder)
    assert set(removed) >= {name for name in left if name.endswith(".seg")}
    assert set(os.listdir(folder)) - {"MAIN_WRITELOCK"} == set(before) - {"MAIN_WRITELOCK"}
    assert answers(folder) == committed
