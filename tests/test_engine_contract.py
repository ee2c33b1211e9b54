"""The engine contract (``engine.api``), checked the same way against every engine briefsearch has.

Paragraphs come from real text through the real ingest (the seed article, and State Department
press releases when the shared data is there); each test writes them with the engine's writer and
reads them back through its reader, with nothing engine-specific in the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefsearch.engine import ENGINES, engine_named
from briefsearch.errors import NotFound
from briefsearch.ingest.enrich import Enricher
from briefsearch.ingest.pipeline import ingest_file
from briefsearch.ingest.sources import find_sources
from briefsearch.query import tree as qt
from tests.conftest import SEED


@pytest.fixture(params=sorted(ENGINES))
def engine(request):
    return engine_named(request.param)


@pytest.fixture(scope="module")
def seed_paragraphs():
    sources, _ = find_sources([str(SEED)])
    paragraphs, entry = ingest_file(sources[0], Enricher(), 20_000_000)
    return sources[0].path, paragraphs, entry


def _generation(engine, tmp_path: Path, sources) -> Path:
    generation = tmp_path / f"gen-{engine.name}"
    generation.mkdir()
    engine.create(generation)
    writer = engine.writer(generation)
    for path, paragraphs, entry in sources:
        writer.replace_source(path, paragraphs, entry, existed=False)
    writer.commit()
    writer.close()
    return generation


def test_paragraphs_come_back_as_they_were_written(engine, tmp_path, seed_paragraphs):
    path, paragraphs, entry = seed_paragraphs
    reader = engine.reader(_generation(engine, tmp_path, [seed_paragraphs]))
    try:
        assert sorted(reader.paragraphs(), key=lambda p: p.position) == paragraphs
        assert reader.get(paragraphs[21].id) == paragraphs[21]
        assert reader.article_paragraphs(paragraphs[0].article_id, 20, 23) == paragraphs[19:23]
        with pytest.raises(NotFound):
            reader.get(f"{paragraphs[0].article_id}#p999")
        assert reader.manifest() == {path: entry}
        totals = reader.totals()
        assert (totals.paragraphs, totals.articles, totals.sources) == (27, 1, 1)
    finally:
        reader.close()


def test_search_ranks_filters_and_describes(engine, tmp_path, seed_paragraphs):
    reader = engine.reader(_generation(engine, tmp_path, [seed_paragraphs]))
    try:
        query = reader.compile(qt.And((qt.Term("missile"), qt.Term("cooperation")), implicit=True))
        found = reader.search(query, limit=5)
        assert found.total > 5 and len(found.hits) == 5 and not found.timed_out
        scores = [score for _, score in found.hits]
        assert scores == sorted(scores, reverse=True)
        assert {"missil", "cooper"} <= found.terms
        assert all("missile" in p.text.lower() and "cooperat" in p.text.lower() for p, _ in found.hits)
        assert "missil" in query.describe()

        within = reader.compile(qt.Term("Ellen Tauscher", "speaker"))
        filtered = reader.search(query, within=within, limit=50)
        assert 0 < filtered.total < found.total
        assert all(p.speaker == "Ellen Tauscher" for p, _ in filtered.hits)

        one = reader.search(query, limit=5, per_article=True)
        assert len(one.hits) == 1 and one.hits[0] == found.hits[0]
        ids = [p.id for p, _ in found.hits]
        scored = reader.score_paragraphs(query, ids + ["nothing#p1"])
        assert scored == pytest.approx(dict(zip(ids, scores)))
    finally:
        reader.close()


def test_facets_count_live_paragraphs_only(engine, tmp_path, seed_paragraphs):
    path, paragraphs, entry = seed_paragraphs
    generation = _generation(engine, tmp_path, [seed_paragraphs])
    reader = engine.reader(generation)
    try:
        assert reader.facet_counts("speaker") == {"Ellen Tauscher": 12}
        topics = reader.facet_counts("topic")
        assert topics["missile defense"] == 27 and list(topics) == sorted(topics)
        assert reader.values("acronym") == ["jta=joint threat assessment"]
        assert reader.facet_counts("flag")["quote"] >= 1
        within = reader.compile(qt.Term("Arms control", "topic"))
        assert sum(reader.facet_counts("speaker", within).values()) <= 2
        with_speaker = reader.paragraphs_with("speaker", "Ellen Tauscher")
        assert len(with_speaker) == 12 and {p.speaker for p in with_speaker} == {"Ellen Tauscher"}
        assert len(reader.paragraphs_with("speaker", "Ellen Tauscher", limit=3)) == 3
    finally:
        reader.close()

    writer = engine.writer(generation)  # the file again, with only its first ten paragraphs
    writer.replace_source(path, paragraphs[:10], {**entry, "paragraphs": 10}, existed=True)
    writer.commit()
    writer.close()
    reader = engine.reader(generation)
    try:
        assert reader.totals().paragraphs == 10
        assert reader.facet_counts("topic")["missile defense"] == 10
        speaker_count = sum(1 for p in paragraphs[:10] if p.speaker == "Ellen Tauscher")
        assert reader.facet_counts("speaker").get("Ellen Tauscher", 0) == speaker_count
        assert reader.manifest()[path]["paragraphs"] == 10
    finally:
        reader.close()


def test_nothing_is_visible_before_commit_and_cancel_drops_it(engine, tmp_path, seed_paragraphs):
    path, paragraphs, entry = seed_paragraphs
    generation = _generation(engine, tmp_path, [])
    reader = engine.reader(generation)
    writer = engine.writer(generation)
    writer.replace_source(path, paragraphs, entry, existed=False)
    assert writer.pending()
    writer.cancel()
    assert not writer.pending()
    writer.close()
    assert engine.reader(generation).totals().paragraphs == 0

    writer = engine.writer(generation)
    writer.replace_source(path, paragraphs, entry, existed=False)
    assert reader.is_current() and reader.totals().paragraphs == 0
    writer.commit()
    writer.close()
    assert not reader.is_current()  # the snapshot stays as it was
    assert reader.totals().paragraphs == 0
    reader.close()
    fresh = engine.reader(generation)
    assert fresh.totals().paragraphs == 27 and fresh.is_current()
    fresh.close()

    writer = engine.writer(generation)
    writer.delete_source(path)
    writer.commit()
    writer.close()
    gone = engine.reader(generation)
    assert gone.totals().paragraphs == 0 and gone.manifest() == {}
    gone.close()


def test_the_engine_names_its_commit_point_and_its_files(engine, tmp_path, seed_paragraphs):
    generation = _generation(engine, tmp_path, [seed_paragraphs])
    point = engine.commit_point(generation)
    assert point.is_file() and point.parent == generation and engine.is_engine_file(point.name)
    committed = engine.committed_files(generation)
    files = [p.name for p in generation.iterdir() if p.is_file() and engine.is_engine_file(p.name)]
    assert point.name in files and all(committed(name) for name in files)
    assert not engine.is_engine_file("checksums.json") and not committed("checksums.json")
    assert engine.recover(generation) == []
    reader = engine.reader(generation)
    assert reader.check() == []
    reader.close()
