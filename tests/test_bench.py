"""The benchmark's corpus builder on real export slices, and one quick run of scripts/bench.py."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
STATE = SHARED / "state_dept_press_releases" / "items.jsonl"
WHITE_HOUSE = SHARED / "whitehouse_briefing_room" / "items.jsonl"

pytestmark = pytest.mark.skipif(not STATE.exists() or not WHITE_HOUSE.exists(),
                                reason="shared exports not present")

sys.path.insert(0, str(REPO / "scripts"))
from benchlib import corpus  # noqa: E402
from benchlib.queries import make_queries  # noqa: E402


@pytest.fixture(scope="module")
def articles():
    """The first 30 records of each export: 60 real articles."""
    return corpus.read_articles((STATE, WHITE_HOUSE), limit=30)


def test_split_paragraphs_breaks_on_br_runs_and_keeps_labels():
    body = ("<p>Q&nbsp;&nbsp;&nbsp; Thanks, Jen.<br>&nbsp;<br>MS. PSAKI:&nbsp; Sure.</p>\n"
            "<p><strong>MR PRICE: </strong>Thank you very much.</p>")
    assert corpus.split_paragraphs(body) == [
        ("Q&nbsp;&nbsp;&nbsp; Thanks, Jen.", "Q Thanks, Jen."),
        ("MS. PSAKI:&nbsp; Sure.", "MS. PSAKI: Sure."),
        ("<strong>MR PRICE: </strong>Thank you very much.", "MR PRICE: Thank you very much."),
    ]
    assert [corpus.speaker_key(h) for h, _ in corpus.split_paragraphs(body)] == [
        "question", "psaki", "price"]


def test_resampled_corpus_is_deterministic_real_and_exact(articles):
    pool = {p for a in articles for p in a.paragraphs}
    size = len(pool) + 700  # beyond the pool, so articles are resampled
    first = corpus.sample_articles(articles, size, seed=5)
    again = corpus.sample_articles(articles, size, seed=5)
    other = corpus.sample_articles(articles, size, seed=6)
    assert first == again
    assert first != other
    paragraphs = [p for a in first for p in a["paragraphs"]]
    assert len(paragraphs) == size
    assert set(paragraphs) <= pool
    assert len({a["id"] for a in first}) == len(first)
    titles = {a.record["title"] for a in articles}
    assert {a["title"] for a in first} <= titles


def test_small_corpus_takes_whole_real_articles(articles):
    chosen = corpus.sample_articles(articles, 100, seed=1)
    assert sum(len(a["paragraphs"]) for a in chosen) == 100
    by_id = {a.record["id"]: a.paragraphs for a in articles}
    for article in chosen:  # each is a real article, the last possibly cut short
        assert by_id[article["id"]][:len(article["paragraphs"])] == article["paragraphs"]
    record = corpus.to_record(chosen[0])
    assert record["content_html"].count("<p>") == len(chosen[0]["paragraphs"])


def test_queries_are_deterministic_with_fifty_of_each_kind(tmp_path):
    built = corpus.build_corpus(tmp_path, 600, 3, make_queries, sources=(STATE, WHITE_HOUSE))
    queries = json.loads(built.queries_file.read_text())
    again = make_queries([json.loads(line) for line in built.paragraphs_file.open()], 3)
    assert queries == again
    assert [q["kind"] for q in queries] == ["word"] * 50 + ["three"] * 50 + ["phrase"] * 50 + ["filtered"] * 50
    assert all(q["speaker"] or q["topic"] for q in queries[150:])
    reused = corpus.build_corpus(tmp_path, 600, 3, make_queries, sources=(STATE, WHITE_HOUSE))
    assert reused.reused and reused.articles == built.articles


@pytest.mark.slow
def test_bench_quick_mode_prints_the_tables(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench.py"), "--quick", "--sizes", "2k",
         "--index-runs", "1", "--query-passes", "1", "--cold-runs", "2",
         "--workdir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for heading in ("=== 2,000 paragraphs", "Indexing (median of 1 runs)",
                    "Warm queries, top 10 with snippets (200 queries",
                    "Cold whole-process query (2 fresh processes each"):
        assert heading in run.stdout
    figures = json.loads(out.read_text())["results"][0]
    assert figures["indexing"]["whoosh"]["paragraphs_per_s"] > 0
    assert figures["warm"]["fts5"]["queries"] == 200


def test_fed_corpus_resamples_briefsearch_paragraphs_and_indexes_them(tmp_path):
    """--fed: briefsearch extracts a slice of both exports once; a corpus twice that size is
    resampled from its paragraphs and indexed without ingest into an index that answers queries."""
    pytest.importorskip("tantivy")
    from benchlib.fed_corpus import build_fed_corpus

    sources = []
    for path in (STATE, WHITE_HOUSE):
        sliced = tmp_path / "slices" / path.parent.name / "items.jsonl"
        sliced.parent.mkdir(parents=True)
        with open(path, encoding="utf-8") as lines:
            sliced.write_text("".join(line for _, line in zip(range(15), lines)), encoding="utf-8")
        sources.append(str(sliced))
    pool_root = tmp_path / "pool"
    pool_root.mkdir()
    script = str(REPO / "scripts" / "benchlib" / "fed_index.py")
    run = subprocess.run([sys.executable, script, "extract", str(pool_root / "paragraphs.jsonl"), "1", *sources],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    extracted = json.loads(run.stdout)
    assert extracted["files"] == 2 and extracted["paragraphs"] > 100
    pool = {"root": str(pool_root), "params": {"test": 1}, "paragraphs": extracted["paragraphs"], "seconds": 1.0,
            "cpu_seconds": 1.0, "tree_rss": 0, "jobs": 1}
    size = 2 * extracted["paragraphs"] + 7
    fed = build_fed_corpus(tmp_path / "work", size, 3, make_queries, pool)
    again = build_fed_corpus(tmp_path / "work", size, 3, make_queries, pool)
    assert fed.resampled and again.reused and fed.size == size
    records = [json.loads(line) for line in open(fed.fed, encoding="utf-8")]
    plain = [json.loads(line) for line in open(fed.paragraphs_file, encoding="utf-8")]
    pool_texts = {json.loads(line)["text"] for line in open(pool_root / "paragraphs.jsonl", encoding="utf-8")}
    assert len(records) == len(plain) == size
    assert {r["text"] for r in records} <= pool_texts  # real paragraphs, as briefsearch extracted them
    assert [r["text"] for r in records] == [p["body"] for p in plain]
    assert len({r["id"] for r in records}) == size
    assert not any("answers_to" in r for r in records)

    index_dir = tmp_path / "index"
    run = subprocess.run([sys.executable, script, "index", str(fed.fed), "tantivy", str(index_dir)],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["paragraphs"] == size
    word = next(q for q in json.loads(fed.queries_file.read_text()) if q["kind"] == "word")["words"][0]
    found = subprocess.run([sys.executable, "-m", "briefsearch", "query", word, "--index", str(index_dir)],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
    assert found.returncode == 0, found.stderr
    assert word.lower() in found.stdout.lower()
