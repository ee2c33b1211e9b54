"""Ranking-quality metrics for the evaluation script: nDCG@k, AP@k, RR@k and recall@k over qrels.

Pure functions over plain data, no I/O. A ranking is a list of document ids, best first; judgments
map a document id to its relevance grade (> 0 is relevant, 0 or absent is not). The definitions
follow trec_eval (``ndcg_cut``, ``map_cut``, ``recip_rank``, ``recall``) with linear gains.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Judgments = Mapping[str, int]  # document id -> relevance grade
Qrels = Mapping[str, Judgments]  # query id -> judgments
Run = Mapping[str, Sequence[str]]  # query id -> ranked document ids


def _relevant(judgments: Judgments) -> set[str]:
    return {doc_id for doc_id, grade in judgments.items() if grade > 0}


def _dedupe(ranking: Sequence[str]) -> list[str]:
    # A document retrieved twice counts once, at its first rank (a ranking is a set in order).
    seen: set[str] = set()
    return [d for d in ranking if not (d in seen or seen.add(d))]


def dcg(grades: Sequence[int]) -> float:
    """Discounted cumulative gain of grades in rank order: sum of grade / log2(rank + 1)."""
    return sum(grade / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def ndcg_at_k(ranking: Sequence[str], judgments: Judgments, k: int = 10) -> float:
    """DCG of the top k over the DCG of the ideal top k; graded if the judgments are graded."""
    ideal = sorted((g for g in judgments.values() if g > 0), reverse=True)[:k]
    if not ideal:
        return 0.0
    gains = [max(judgments.get(d, 0), 0) for d in _dedupe(ranking)[:k]]
    return dcg(gains) / dcg(ideal)


def average_precision_at_k(ranking: Sequence[str], judgments: Judgments, k: int = 100) -> float:
    """Sum of precision at each relevant rank within the top k, over all relevant documents."""
    relevant = _relevant(judgments)
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for rank, doc_id in enumerate(_dedupe(ranking)[:k], start=1):
        if doc_id in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def reciprocal_rank_at_k(ranking: Sequence[str], judgments: Judgments, k: int = 10) -> float:
    """1 / rank of the first relevant document within the top k, else 0."""
    relevant = _relevant(judgments)
    for rank, doc_id in enumerate(_dedupe(ranking)[:k], start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def recall_at_k(ranking: Sequence[str], judgments: Judgments, k: int = 100) -> float:
    """Share of the relevant documents found within the top k."""
    relevant = _relevant(judgments)
    if not relevant:
        return 0.0
    return len(relevant.intersection(_dedupe(ranking)[:k])) / len(relevant)


METRICS = {
    "nDCG@10": lambda r, j: ndcg_at_k(r, j, 10),
    "MAP@100": lambda r, j: average_precision_at_k(r, j, 100),
    "MRR@10": lambda r, j: reciprocal_rank_at_k(r, j, 10),
    "R@100": lambda r, j: recall_at_k(r, j, 100),
}


def per_query(run: Run, qrels: Qrels) -> dict[str, dict[str, float]]:
    """Each metric for each judged query (at least one relevant document); a missing run is empty."""
    scores: dict[str, dict[str, float]] = {}
    for qid, judgments in qrels.items():
        if not _relevant(judgments):
            continue  # trec_eval skips queries without relevant documents
        ranking = run.get(qid, ())
        scores[qid] = {name: metric(ranking, judgments) for name, metric in METRICS.items()}
    return scores


def evaluate(run: Run, qrels: Qrels) -> dict[str, float]:
    """Mean of each metric over the judged queries."""
    scores = per_query(run, qrels)
    if not scores:
        return {name: 0.0 for name in METRICS}
    return {name: sum(s[name] for s in scores.values()) / len(scores) for name in METRICS}
