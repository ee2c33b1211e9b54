"""Listing counts are search counts: ``speakers`` and ``topics`` count the paragraphs a
``speaker:`` / ``topic:`` search finds, also after re-indexing replaced files (deleted paragraphs
are not counted)."""

from __future__ import annotations

import json

from tests.helpers import invoke, state_dept_corpus


def _listing(index_dir, command: str) -> list[dict]:
    result = invoke(command, "--index", index_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _found(index_dir, query: str) -> int:
    result = invoke("query", query, "--index", index_dir, "--format", "json", "-n", "1", "--no-expand")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["total"]


def test_speaker_and_topic_counts_are_what_a_search_finds_after_a_reindex(tmp_path):
    files = state_dept_corpus(tmp_path / "corpus", 4, 50)
    index_dir = tmp_path / "index"
    assert invoke("index", tmp_path / "corpus", "--index", index_dir).exit_code == 0
    before = {r["name"]: r["paragraphs"] for r in _listing(index_dir, "speakers")}
    # Re-index half of the files with fewer records: their old paragraphs are deleted, not merged away.
    for path in files[:2]:
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    result = invoke("index", tmp_path / "corpus", "--index", index_dir, "--jobs", "1")
    assert result.stdout.startswith("0 new, 2 changed, 2 unchanged"), result.output

    speakers = _listing(index_dir, "speakers")
    assert sum(r["paragraphs"] for r in speakers) < sum(before.values())
    checked = [r for r in speakers[:8] if r["name"] in before]
    assert any(r["paragraphs"] < before[r["name"]] for r in checked)
    for record in checked:
        assert _found(index_dir, f'speaker:"{record["name"]}"') == record["paragraphs"], record
    for record in _listing(index_dir, "topics")[:8]:
        assert _found(index_dir, f'topic:"{record["topic"]}"') == record["paragraphs"], record
    stats = json.loads(invoke("stats", "--index", index_dir, "--format", "json").stdout)
    assert stats["speakers"] == len(speakers)
