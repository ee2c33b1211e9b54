"""The evaluation metrics (scripts/irmetrics.py) against values worked out by hand."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import irmetrics  # noqa: E402

# Binary example: ranks 1..4 are a b c d; relevant are b (rank 2), d (rank 4) and e (not retrieved).
RANKING = ["a", "b", "c", "d"]
BINARY = {"b": 1, "d": 1, "e": 1, "c": 0}


def test_average_precision_counts_unretrieved_relevant_documents():
    # precision at rank 2 is 1/2, at rank 4 is 2/4; three relevant documents: (0.5 + 0.5) / 3
    assert irmetrics.average_precision_at_k(RANKING, BINARY, 100) == pytest.approx(1 / 3)


def test_average_precision_cut_at_k():
    # only rank 2 is within the top 3: 0.5 / 3
    assert irmetrics.average_precision_at_k(RANKING, BINARY, 3) == pytest.approx(1 / 6)


def test_reciprocal_rank_is_one_over_first_relevant_rank():
    assert irmetrics.reciprocal_rank_at_k(RANKING, BINARY, 10) == 0.5
    assert irmetrics.reciprocal_rank_at_k(RANKING, BINARY, 1) == 0.0  # rank 2 is past the cut


def test_recall_at_k():
    assert irmetrics.recall_at_k(RANKING, BINARY, 100) == pytest.approx(2 / 3)
    assert irmetrics.recall_at_k(RANKING, BINARY, 3) == pytest.approx(1 / 3)


def test_binary_ndcg():
    # DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677 = 1.061606
    # ideal (three relevant) = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5 = 2.130930
    assert irmetrics.ndcg_at_k(RANKING, BINARY, 10) == pytest.approx(0.498189, abs=1e-6)


def test_graded_ndcg_uses_linear_gains():
    graded = {"x": 1, "y": 0, "z": 3, "w": 2}
    # DCG@3 of x y z = 1/log2(2) + 0 + 3/log2(4) = 1 + 1.5 = 2.5
    # ideal: 3 2 1 -> 3 + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5 = 4.761860
    assert irmetrics.ndcg_at_k(["x", "y", "z"], graded, 3) == pytest.approx(0.525005, abs=1e-6)
    # at 1: DCG 1 over ideal 3
    assert irmetrics.ndcg_at_k(["x", "y", "z"], graded, 1) == pytest.approx(1 / 3)


def test_perfect_ranking_scores_one():
    assert irmetrics.ndcg_at_k(["b", "d", "e"], BINARY, 10) == pytest.approx(1.0)
    assert irmetrics.average_precision_at_k(["b", "d", "e"], BINARY, 100) == pytest.approx(1.0)


def test_repeated_document_counts_once():
    # b b d: the second b is dropped, so d is at rank 2 -> AP = (1/1 + 2/2) / 3
    assert irmetrics.average_precision_at_k(["b", "b", "d"], BINARY, 100) == pytest.approx(2 / 3)


def test_dcg_formula():
    assert irmetrics.dcg([3, 2]) == pytest.approx(3 + 2 / math.log2(3))


def test_evaluate_skips_queries_without_relevant_documents_and_scores_missing_runs_zero():
    qrels = {"1": {"b": 1}, "2": {"x": 1}, "3": {"y": 0}}
    run = {"1": ["a", "b"], "3": ["y"]}  # query 2 has no run, query 3 no relevant document
    means = irmetrics.evaluate(run, qrels)
    assert set(irmetrics.per_query(run, qrels)) == {"1", "2"}
    assert means["MRR@10"] == pytest.approx((0.5 + 0.0) / 2)
    assert means["R@100"] == pytest.approx(0.5)
    # query 1: DCG 1/log2(3) over ideal 1 = 0.630930; query 2: 0
    assert means["nDCG@10"] == pytest.approx(0.630930 / 2, abs=1e-6)
