"""The evaluation script's collection readers and its FTS5 baseline, on literal text and real files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import collections_ir  # noqa: E402

_spec = importlib.util.spec_from_file_location("eval_script", SCRIPTS / "eval.py")
eval_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_script)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ir_test_collections"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared IR test collections absent")


def test_paragraphs_rejoin_wrapped_lines_and_split_at_indents_and_blank_lines():
    lines = ["wing in a", "slipstream .", "  an experimental", "study .", "", "last part"]
    assert collections_ir.paragraphs_of(lines) == (
        "wing in a slipstream .\n\nan experimental study .\n\nlast part"
    )


def test_smart_records(tmp_path):
    path = tmp_path / "x.all"
    path.write_text(".I 1\n.T\nA title\n.W\n  body one\n.I 002\n.W\nbody two\n", encoding="utf-8")
    assert list(collections_ir.smart_records(path)) == [
        ("1", {"T": ["A title"], "W": ["  body one"]}),
        ("002", {"W": ["body two"]}),
    ]


def test_fts5_query_quotes_each_distinct_term():
    assert eval_script.fts5_query('U.S. "policy" OR NEAR(x) policy_x') == (
        '"u" OR "s" OR "policy" OR "or" OR "near" OR "x"'
    )
    assert eval_script.fts5_query("?? --") == ""


def test_fts5_baseline_ranks_by_bm25():
    docs = [
        collections_ir.Document("1", "", "wing flutter at high speed"),
        collections_ir.Document("2", "Flutter", "flutter of a wing flutter"),
        collections_ir.Document("3", "", "heat transfer in slabs"),
    ]
    ranking = eval_script.Fts5Baseline(docs).search("flutter?", 10)
    assert [docno for docno, _ in ranking] == ["2", "1"]


@needs_data
def test_time_uses_corrected_judgments():
    time = collections_ir.read_time()
    assert len(time.documents) == 423
    assert len(time.queries) == 83
    assert sum(len(j) for j in time.qrels.values()) == 253
    assert len(time.qrels) == 79
    # README: query 1 (Diem/Buddhists) -> position 268 = *TEXT 334
    assert time.qrels["1"]["334"] == 1


@needs_data
def test_cran_grades_and_sequential_query_numbers():
    cran = collections_ir.read_cran()
    assert len(cran.documents) == 1400
    assert len(cran.queries) == 225
    assert cran.queries["3"].startswith("what problems of heat conduction in composite slabs")
    # cranqrel "1 184 2" -> gain 5 - 2 = 3; "1 12 3" -> 2
    assert cran.qrels["1"]["184"] == 3
    assert cran.qrels["1"]["12"] == 2


@needs_data
def test_classic_collection_sizes():
    sizes = {}
    for name in ("cisi", "med", "npl"):
        c = collections_ir.read_collection(name)
        sizes[name] = (len(c.documents), len(c.queries), sum(len(j) for j in c.qrels.values()))
    assert sizes == {
        "cisi": (1460, 112, 3114),
        "med": (1033, 30, 696),
        "npl": (11429, 93, 2083),
    }
