"""The engine contract (``engine.api``), checked the same way against every engine briefsearch has.

Paragraphs come from real text through the real ingest (the seed article, and State Department
press releases when the shared data is there); each test writes them with the engine's writer and
reads them back through its reader, with nothing engine-specific in the test.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from briefsearch.engine import ENGINES, engine_named
from briefsearch.errors import NotFound
from briefsearch.indexing.storage import IndexDir
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
        assert topics["missile defense"] == 26 and list(topics) == sorted(topics)
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
        assert reader.facet_counts("topic")["missile defense"] == 9  # all but the photo caption (p4)
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


# --- the same answers from every engine --------------------------------------------------------

QUERY_KINDS = (
    "missile defense", '"joint threat assessment"', '"missile defense"~3', '"defense missile"~3', "iran OR iraq",
    "iran AND sanctions", "iran -iraq", "iran NOT iraq", "+iran deal", "(iran OR iraq) sanctions", "sanction*",
    "missle~", "secretery~", "speaker:tauscher limitations", 'topic:"missile defense"', "title:(iran deal)",
    "date:2021-06 iran", "date:2021..2022-02", "U.S.-Russia relations", "10:30 briefing", "the", '"department of state"',
    '"foreign minister"~3', "ukrain*", "human rights -china", "title:briefing", "(russia OR ukraine) AND security",
    '"press availability"', "speaker:blinken", "covid vaccines", "secretary OR minister",
    "answers:russia", 'answers:"nord stream"', "questions:(sanctions iran)", "speech:answer", "speech:statement iran",
)


@pytest.fixture(scope="module")
def real_sources(seed_paragraphs, tmp_path_factory):
    """The seed article and, when the shared data is there, 80 State Department press releases."""
    from tests.conftest import STATE_DEPT

    sources = [seed_paragraphs]
    if STATE_DEPT.exists():
        folder = tmp_path_factory.mktemp("contract-sources")  # pytest's, removed with its old runs
        lines = STATE_DEPT.read_text(encoding="utf-8").splitlines()[:80]
        (folder / "state.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        enricher = Enricher()
        for source in find_sources([str(folder)])[0]:
            paragraphs, entry = ingest_file(source, enricher, 20_000_000)
            sources.append((source.path, paragraphs, entry))
    return sources


@pytest.fixture(scope="module")
def every_engine(real_sources, tmp_path_factory):
    """A reader of the same paragraphs for each engine briefsearch has (installed)."""
    readers = {}
    for name in sorted(ENGINES):
        try:
            engine = engine_named(name)
        except Exception as error:  # noqa: BLE001 - an optional engine that is not installed
            pytest.skip(f"engine {name} unavailable: {error}")
        readers[name] = engine.reader(_generation(engine, tmp_path_factory.mktemp(name), real_sources))
    yield readers
    for reader in readers.values():
        reader.close()


def _matches(reader, text, within=None):
    from briefsearch.query.language import parse_query

    found = reader.search(reader.compile(parse_query(text)), within=within, limit=100_000)
    return found.total, {p.id for p, _ in found.hits}


@pytest.mark.parametrize("text", QUERY_KINDS)
def test_every_query_kind_matches_the_same_paragraphs_in_every_engine(every_engine, text):
    answers = {name: _matches(reader, text) for name, reader in every_engine.items()}
    first = next(iter(answers.values()))
    assert all(answer == first for answer in answers.values()), {n: (t, len(ids)) for n, (t, ids) in answers.items()}
    assert first[0] == len(first[1])


def test_filters_and_facet_counts_are_the_same_in_every_engine(every_engine):
    from briefsearch.query.language import parse_date_range

    results = {}
    for name, reader in every_engine.items():
        day = parse_date_range("2021-06")
        filters = {"speaker": qt.Term("Ellen Tauscher", "speaker"), "topic": qt.Term("Iran", "topic"),
                   "date": qt.DateRange(day.start, day.end)}
        answer = {}
        for label, node in filters.items():
            within = reader.compile(node)
            answer[label] = _matches(reader, "the OR security", within)
            answer[label + " speakers"] = reader.facet_counts("speaker", within)
        for facet in ("speaker", "topic", "acronym", "flag", "speech"):
            answer[facet] = reader.facet_counts(facet)
        answer["totals"] = {k: v for k, v in vars(reader.totals()).items() if k != "bytes"}
        answer["per article"] = [p.article_id for p, _ in reader.search(
            reader.compile(qt.Term("security")), limit=20, per_article=True).hits]
        results[name] = answer
    first = next(iter(results.values()))
    for name, answer in results.items():
        for key in first:
            if key == "per article":
                assert len(answer[key]) == len(set(answer[key])) == len(first[key]), (name, key)
            else:
                assert answer[key] == first[key], (name, key)

@pytest.fixture(scope="module")
def briefing_paragraphs(tmp_path_factory):
    """One real State Department press briefing (questions and answers) through the real ingest."""
    import json

    from tests.conftest import STATE_DEPT, require

    record = next(line for line in require(STATE_DEPT).read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["title"].startswith("Department Press Briefing"))
    path = tmp_path_factory.mktemp("briefing") / "briefing.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    sources, _ = find_sources([str(path)])
    paragraphs, entry = ingest_file(sources[0], Enricher(), 20_000_000)
    return sources[0].path, paragraphs, entry


def _longest_word(text: str) -> str:
    import re

    return max(re.findall(r"[A-Za-z]{6,}", text), key=len)


def test_answers_are_found_by_their_question_and_questions_by_their_answer(engine, tmp_path, briefing_paragraphs):
    from briefsearch.text.analysis import analyze

    path, paragraphs, entry = briefing_paragraphs
    by_id = {p.id: p for p in paragraphs}
    asked = [p for p in paragraphs if p.speech == "question" and p.answered_by]
    assert len(asked) >= 10
    question = asked[len(asked) // 2]
    answer = by_id[question.answered_by]
    assert answer.speech == "answer" and by_id[answer.answers_to].speech == "question"
    reader = engine.reader(_generation(engine, tmp_path, [briefing_paragraphs]))
    try:
        word = _longest_word(question.text)
        found = reader.search(reader.compile(qt.Term(word, "answers")), limit=200)
        assert answer.id in {p.id for p, _ in found.hits}
        for p, _ in found.hits:  # every hit answers a question holding the word
            assert p.speech == "answer"
            question_words = {t for q in paragraphs if q.answered_by == by_id[p.answers_to].answered_by
                              for t in analyze(q.text)}
            assert analyze(word)[0] in question_words

        word = _longest_word(" ".join(p.text for p in paragraphs if p.answers_to == answer.answers_to))
        found = reader.search(reader.compile(qt.Term(word, "questions")), limit=200)
        assert question.id in {p.id for p, _ in found.hits}
        assert all(p.speech == "question" and p.answered_by for p, _ in found.hits)

        kinds = reader.facet_counts("speech")
        assert kinds["answer"] == sum(p.speech == "answer" for p in paragraphs) > 0
        assert kinds["question"] == len([p for p in paragraphs if p.speech == "question"])
        answers = reader.search(reader.compile(qt.Term("answer", "speech")), limit=1000)
        assert answers.total == kinds["answer"] and all(p.speech == "answer" for p, _ in answers.hits)
    finally:
        reader.close()


def _holding(paragraphs, test) -> set[str]:
    """The ids of the paragraphs one of whose words as written (``text.analysis``, unstemmed) passes ``test``."""
    from briefsearch.text.analysis import analyze

    return {p.id for p in paragraphs if any(test(word) for word in analyze(p.text, stem=False))}


def test_prefixes_and_fuzzy_words_match_words_as_written(engine, tmp_path, seed_paragraphs):
    """"cooperat*" is every paragraph with a word starting "cooperat" whatever its stem ("cooper"),
    and none with only "Cooper"; "missle~" the words one edit away. Scored by the stems."""
    path, paragraphs, entry = seed_paragraphs
    cooper = replace(paragraphs[0], id=f"{paragraphs[0].article_id}#p99", position=99,
                     text="Gary Cooper met the cooper at the co-op.")
    reader = engine.reader(_generation(engine, tmp_path, [(path, [*paragraphs, cooper], entry)]))
    try:
        everything = [*paragraphs, cooper]
        for prefix in ("cooperat", "cooperati", "coop", "defens", "threat"):
            found = reader.search(reader.compile(qt.Prefix(prefix)), limit=100)
            expected = _holding(everything, lambda word, prefix=prefix: word.startswith(prefix))
            assert expected and found.total == len(expected), prefix
            assert {p.id for p, _ in found.hits} == expected, prefix
            scores = [score for _, score in found.hits]
            assert scores == sorted(scores, reverse=True) and min(scores) > 0
        assert cooper.id not in {p.id for p, _ in reader.search(reader.compile(qt.Prefix("cooperat")), limit=100).hits}
        found = reader.search(reader.compile(qt.Term("missle", fuzzy=True)), limit=100)
        assert {p.id for p, _ in found.hits} == _holding(everything, lambda word: word in ("missile", "missiles")) != set()
        assert "missil" in found.terms  # highlighted by the stem, like the word itself
        nothing = reader.search(reader.compile(qt.Prefix("zzyzx")), limit=10)
        assert nothing.total == 0 and nothing.hits == ()
    finally:
        reader.close()


def test_a_wide_prefix_is_capped_and_says_so(engine, tmp_path):
    """A prefix standing for more words than the cap searches the commonest and leaves a note."""
    from briefsearch.models import Paragraph

    words = [f"alpha{n:04d}" for n in range(700)]
    paragraphs = [Paragraph(id=f"a1#p{n + 1}", article_id="a1", position=n + 1, title="Many words",
                            text=" ".join(words[n:n + 3] + (["alpha0001"] * 3 if n % 2 else [])), source="many.txt")
                  for n in range(len(words))]
    reader = engine.reader(_generation(engine, tmp_path, [("many.txt", paragraphs, {"paragraphs": len(paragraphs)})]))
    try:
        query = reader.compile(qt.Prefix("alpha"))
        assert len(query.notes) == 1 and "commonest" in query.notes[0]
        found = reader.search(query, limit=5)
        assert 0 < found.total < len(paragraphs) + 1
        assert reader.compile(qt.Prefix("alpha000")).notes == ()
    finally:
        reader.close()


# --- the CLI on either engine, and the same faults ---------------------------------------------


@pytest.fixture()
def tantivy_index(tmp_path):
    """The seed article indexed with ``--engine tantivy`` through the CLI."""
    pytest.importorskip("tantivy")
    import shutil

    from tests.helpers import invoke

    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    index_dir = tmp_path / "index"
    built = invoke("index", corpus, "--index", index_dir, "--engine", "tantivy")
    assert built.exit_code == 0, built.output
    return corpus, index_dir


def test_the_engine_is_chosen_at_creation_and_kept_from_the_stamp(tantivy_index):
    from tests.helpers import invoke, one_line_error

    corpus, index_dir = tantivy_index
    stats = invoke("stats", "--index", index_dir)
    assert "tantivy engine" in stats.stdout and "27 paragraphs" in stats.stdout
    found = invoke("query", "joint threat assessment", "--index", index_dir, "--format", "json")
    assert found.exit_code == 0 and '"84825b66e5b0#p22"' in found.stdout.replace(" ", "")
    assert invoke("check", "--index", index_dir).exit_code == 0
    again = invoke("index", corpus, "--index", index_dir)  # no --engine: the stamp's
    assert again.exit_code == 0 and again.stdout.startswith("0 new, 0 changed, 1 unchanged")
    refused = invoke("index", corpus, "--index", index_dir, "--engine", "whoosh")
    assert refused.exit_code == 2
    assert "uses the tantivy engine; --engine whoosh applies when an index is created" in one_line_error(refused)
    switched = invoke("index", corpus, "--index", index_dir, "--engine", "whoosh", "--rebuild")
    assert switched.exit_code == 0
    assert "whoosh engine" in invoke("stats", "--index", index_dir).stdout


_NOT_FOR_A_QUERY = ("bs4", "lxml", "htmldate", "readability", "yaml", "dateutil", "pycountry", "nameparser",  # ingest
                    "starlette", "jinja2", "uvicorn", "anyio",  # the web page
                    "whoosh", "numpy",  # the other engine
                    "concurrent.futures", "logging", "multiprocessing", "shutil")  # threads, workers, removing


def test_a_cold_query_loads_only_what_a_search_needs(tantivy_index):
    """``briefsearch query`` in a fresh process (what a cold query pays for) imports no library of
    another stage or engine: each would add milliseconds to every search typed at a prompt."""
    import subprocess
    import sys

    _, index_dir = tantivy_index
    code = ("import sys\nfrom briefsearch.cli import main\n"
            "sys.argv = ['briefsearch', 'query', 'joint threat assessment', '--index', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {_NOT_FOR_A_QUERY!r} if m in sys.modules), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, str(index_dir)], capture_output=True, text=True, timeout=60)
    assert "84825b66e5b0#p22" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "[]"


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:1000] if how == "truncated" else bytes(len(data)))


@pytest.mark.parametrize("how", ["truncated", "zeroed"])
@pytest.mark.parametrize("target", ["largest file", "commit point"])
def test_a_damaged_tantivy_index_is_reported_as_the_whoosh_one_is(tantivy_index, how, target):
    """The faults of tests/test_reliability.py (run there on the default engine) on tantivy."""
    from briefsearch.indexing.storage import IndexDir
    from tests.helpers import invoke, one_line_error

    corpus, index_dir = tantivy_index
    generation = IndexDir(index_dir).live()
    engine = generation.engine()
    point = engine.commit_point(generation.path)
    files = [p for p in generation.path.iterdir() if engine.is_engine_file(p.name) and p != point]
    victim = point if target == "commit point" else max(files, key=lambda p: p.stat().st_size)
    _damage(victim, how)

    checked = invoke("check", "--index", index_dir)
    assert checked.exit_code == 5 and "Traceback" not in checked.output
    assert f"damaged: {victim.name} does not match its checksum" in checked.stderr
    queried = invoke("query", "missile", "--index", index_dir)
    assert queried.exit_code == 5
    line = one_line_error(queried)
    assert line.startswith(f"briefsearch: The index ") and "briefsearch index --rebuild" in line
    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("check", "--index", index_dir).exit_code == 0
    assert "tantivy engine" in invoke("stats", "--index", index_dir).stdout  # a rebuild keeps the engine


@pytest.fixture(scope="module")
def press_sources(tmp_path_factory, seed_paragraphs):
    """The seed article (undated, no outlet) and 12 real State Department press releases."""
    from tests.helpers import state_dept_corpus

    folder = tmp_path_factory.mktemp("press") / "state"
    [path] = state_dept_corpus(folder, files=1, records=12)
    sources, _ = find_sources([str(path)])
    paragraphs, entry = ingest_file(sources[0], Enricher(), 20_000_000)
    return [seed_paragraphs, (sources[0].path, paragraphs, entry)]


def test_date_orders_put_undated_paragraphs_last_and_keep_reading_order(engine, tmp_path, press_sources):
    reader = engine.reader(_generation(engine, tmp_path, press_sources))
    try:
        query = reader.compile(qt.Term("secretary"))
        by_score = reader.search(query, limit=10_000)
        assert by_score.total > 20
        for order, later in (("oldest", lambda a, b: a <= b), ("newest", lambda a, b: a >= b)):
            found = reader.search(query, limit=10_000, order=order)
            assert found.total == by_score.total
            assert {p.id for p, _ in found.hits} == {p.id for p, _ in by_score.hits}
            dates = [p.date for p, _ in found.hits]
            dated = [d for d in dates if d]
            assert dates[: len(dated)] == dated, "undated paragraphs come last"
            assert all(later(a, b) for a, b in zip(dated, dated[1:]))
            for (a, _), (b, _) in zip(found.hits, found.hits[1:]):
                if a.article_id == b.article_id and a.date:
                    assert a.position < b.position, "an article's paragraphs in reading order"
            assert all(score > 0 for _, score in found.hits[:5])
        first = reader.search(query, limit=1, order="oldest").hits[0][0]
        assert first.date == min(p.date for p, _ in by_score.hits if p.date)
    finally:
        reader.close()


def test_outlet_and_day_are_facets_and_filters(engine, tmp_path, press_sources):
    state = press_sources[1][1]
    reader = engine.reader(_generation(engine, tmp_path, press_sources))
    try:
        assert reader.facet_counts("outlet") == {"U.S. Department of State": len(state)}
        assert reader.values("outlet") == ["U.S. Department of State"]
        days = reader.facet_counts("date")
        assert sum(days.values()) == len(state) and list(days) == sorted(days)
        assert days[state[0].date[:10]] >= 1
        query = reader.compile(qt.Term("secretary"))
        outlet = reader.compile(qt.Term("U.S. Department of State", "outlet"))
        within = reader.search(query, within=outlet, limit=10_000)
        assert 0 < within.total < reader.search(query, limit=10_000).total  # the seed has no outlet
        assert all(p.outlet == "U.S. Department of State" for p, _ in within.hits)
        table = reader.facet_table("date", "outlet")
        assert sum(table.values()) == len(state) and {o for _, o in table} == {"U.S. Department of State"}
        by_speaker = reader.facet_table("speaker", "date", query)
        speakers = reader.facet_counts("speaker", query)
        assert {s for s, _ in by_speaker} <= set(speakers)
        assert all(sum(n for (s, _), n in by_speaker.items() if s == name) <= speakers[name] for name in speakers)
    finally:
        reader.close()


def test_matches_stream_every_match_and_article_reads_a_whole_article(engine, tmp_path, press_sources):
    everything = [p for _, paragraphs, _ in press_sources for p in paragraphs]
    reader = engine.reader(_generation(engine, tmp_path, press_sources))
    try:
        assert sorted(p.id for p in reader.matches(None)) == sorted(p.id for p in everything)
        query = reader.compile(qt.Term("secretary"))
        found = reader.search(query, limit=10_000)
        assert sorted(p.id for p in reader.matches(query)) == sorted(p.id for p, _ in found.hits)
        outlet = reader.compile(qt.Term("U.S. Department of State", "outlet"))
        assert {p.outlet for p in reader.matches(None, within=outlet)} == {"U.S. Department of State"}
        article_id = press_sources[1][1][-1].article_id
        expected = [p for p in everything if p.article_id == article_id]
        assert reader.article(article_id) == expected and len(expected) > 1
        assert reader.article("000000000000") == []
    finally:
        reader.close()


def test_check_is_sampled_by_default_and_reads_everything_when_full(engine, tmp_path, seed_paragraphs):
    """``check()`` reads a sample, ``check(full=True)`` every paragraph; a sound index has no problems
    either way (``briefsearch check`` and ``check --full``)."""
    reader = engine.reader(_generation(engine, tmp_path, [seed_paragraphs]))
    try:
        assert reader.check() == []
        assert reader.check(sample=5) == []
        assert reader.check(full=True) == []
    finally:
        reader.close()



@pytest.mark.parametrize("streamed", [False, True], ids=["whole files", "streamed exports"])
def test_terms_made_by_the_extraction_workers_index_what_the_indexing_process_would(tmp_path, monkeypatch, streamed):
    """With worker processes, the tantivy engine's terms, the ledger's fingerprints and anchors and
    the vocabulary's counts are made where the files are extracted (``ingest.parallel.MadeAhead``),
    and a streamed export is read by a worker of its own (``ingest.parallel.streamed_ahead``): the
    index, its ledger and its vocabulary must be exactly those of one built in one process."""
    pytest.importorskip("tantivy")
    from tests.conftest import STATE_DEPT, require
    from tests.helpers import invoke

    require(STATE_DEPT)
    if streamed:  # each file counts as a large export
        monkeypatch.setattr("briefsearch.ingest.pipeline.STREAM_MIN_BYTES", 1)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with STATE_DEPT.open(encoding="utf-8") as records:
        lines = [next(records) for _ in range(60)]
    for number in range(3):  # three files: two go to the workers in turn
        (corpus / f"state-{number}.jsonl").write_text("".join(lines[number::3]), encoding="utf-8")
    found, kept = {}, {}
    for jobs in ("1", "2"):
        index_dir = tmp_path / f"index-{jobs}"
        built = invoke("index", corpus, "--index", index_dir, "--engine", "tantivy", "--jobs", jobs, "-q")
        assert built.exit_code == 0, built.output
        found[jobs] = [invoke("query", text, "--index", index_dir, "--format", "json", "-n", "20").stdout
                       for text in ("sanctions", "human rights", '"foreign minister"', "cooperat*", "secretary~",
                                    "U.S. assistance Ukraine", "title:secretary", "answers:sanctions")]
        generation = IndexDir(index_dir).live()
        reader = engine_named("tantivy").reader(generation.path)
        stored = sorted(reader.paragraphs(), key=lambda p: p.id)  # enriched: speakers, topics, acronyms
        reader.close()
        ledger = sqlite3.connect(index_dir / "ledger.sqlite")
        kept[jobs] = (stored,ledger.execute("SELECT id, print FROM paragraphs ORDER BY id").fetchall(),
                      ledger.execute("SELECT p.id, a.anchor FROM anchors a JOIN paragraphs p ON p.rowid = a.paragraph"
                                     " ORDER BY 1, 2").fetchall(),
                      ledger.execute("SELECT id, ids FROM copies ORDER BY id").fetchall(),
                      generation.vocabulary())
        ledger.close()
    assert found["1"] == found["2"]
    assert kept["1"] == kept["2"]
    stored, prints, anchors, _, vocabulary = kept["1"]
    assert len(stored) == len(prints) > 100 and len(anchors) > 1000 and len(vocabulary) > 500
    assert sum(bool(p.topics) for p in stored) > 100
    assert all('"hits": []' not in answer.replace("\n", "").replace("  ", " ") for answer in found["1"])
