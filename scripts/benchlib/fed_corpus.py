"""Fed corpora (``bench.py --fed``): briefsearch's own paragraphs, extracted once, at any size.

Extraction and enrichment (about 1 ms of CPU a paragraph) cost most of a briefsearch build, so
a 1M-paragraph build end to end takes over an hour here. A fed corpus separates the two:

* the pool: briefsearch extracts and enriches the shared exports (or, for ``archive``, the
  Markdown White House archive and both exports) once, with its own ingest and its worker
  processes (``fed_index.py extract``), into ``paragraphs.jsonl`` of ``Paragraph`` records, timed;
* a corpus of ``size`` paragraphs is drawn from the pool as ``corpus.py`` draws HTML paragraphs:
  up to the pool's size, whole real articles in a seeded shuffled order (the last one cut short);
  beyond it, resampled articles (article n takes title, date, author, link, outlet from one random
  real article, its length from another's, its paragraphs uniformly from the pool with
  replacement, each keeping its enrichment; an answer's link to its question is dropped);
* ``enriched.jsonl`` holds the corpus's paragraphs for ``fed_index.py index``, 1,000 articles to a
  source file; ``paragraphs.jsonl`` the same paragraphs as plain text for the baselines (speaker:
  the canonical name in lower case; topic: the section label in lower case), and ``queries.json``
  queries drawn from them. Every engine indexes exactly the same paragraph texts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from pathlib import Path

from benchlib.corpus import ARCHIVE_SOURCES, SOURCES, Corpus, source_fingerprint, whole_articles

FED_VERSION = 1
ARTICLES_PER_SOURCE = 1000
HERE = Path(__file__).resolve().parent
ARTICLE_FIELDS = ("title", "date", "author", "url", "outlet")


def extract_pool(workdir: Path, archive: bool, env: dict, cwd: str, jobs: int, log) -> dict:
    """The pool's paragraphs (extracted once; reused while the sources are unchanged): its
    folder, paragraph count and the extraction's seconds and peak memory."""
    from benchlib.measure import run_child

    sources = ARCHIVE_SOURCES if archive else SOURCES
    root = Path(workdir) / ("fed-pool-archive" if archive else "fed-pool")
    params = {"version": FED_VERSION, "sources": source_fingerprint(SOURCES),
              "archive_files": sum(1 for _ in sources[0].rglob("*")) if archive else 0}
    manifest = root / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("params") == params:
        return {**json.loads(manifest.read_text()), "root": str(root), "reused": True}
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    log(f"fed pool: briefsearch extracts {', '.join(str(s) for s in sources)} ({jobs} worker processes)")
    run = run_child([sys.executable, str(HERE / "fed_index.py"), "extract", str(root / "paragraphs.jsonl"), str(jobs),
                     *map(str, sources)], cwd=cwd, env=env, sample_tree=True)
    if run.returncode != 0:
        raise RuntimeError(f"fed pool extraction failed:\n{run.stderr[-2000:]}")
    done = json.loads(run.stdout.strip().splitlines()[-1])
    stored = {"params": params, "paragraphs": done["paragraphs"], "files": done["files"], "seconds": run.seconds,
              "cpu_seconds": run.cpu_seconds,
              "peak_rss": run.peak_rss, "tree_rss": run.tree_rss, "jobs": jobs}
    manifest.write_text(json.dumps(stored, indent=1))
    log(f"fed pool: {done['paragraphs']:,} paragraphs of {done['files']:,} files in {run.seconds:.0f} s "
        f"({done['paragraphs'] / run.seconds:,.0f} paragraphs/s), peak {run.tree_rss / 2**20:.0f} MB")
    return {**stored, "root": str(root), "reused": False}


def _read_pool(pool_root: Path) -> list[list[dict]]:
    """The pool's articles, each its paragraph records in order."""
    articles: dict[str, list[dict]] = {}
    with open(pool_root / "paragraphs.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles.setdefault(record["article_id"], []).append(record)
    return list(articles.values())


def build_fed_corpus(workdir: Path, size: int | None, seed: int, make_queries, pool: dict) -> Corpus:
    """``size`` paragraphs of the pool (None: the whole pool as it is, for the archive)."""
    pool_root = Path(pool["root"])
    name = f"fed-{size}-seed{seed}" if size else f"fed-archive-seed{seed}"
    root = Path(workdir) / name
    params = {"version": FED_VERSION, "size": size, "seed": seed, "pool": pool["params"],
              "pool_paragraphs": pool["paragraphs"], "queries_version": getattr(make_queries, "version", 0)}
    manifest = root / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("params") == params:
        return _corpus(root, json.loads(manifest.read_text()), reused=True)
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    tmp.mkdir(parents=True)
    articles = _read_pool(pool_root)
    total = sum(len(a) for a in articles)
    if size is None or size == total:
        chosen, resampled = articles, False
    elif size <= total:
        chosen, resampled = _real(articles, size, seed), False
    else:
        chosen, resampled = _resampled(articles, size, seed), True
    flat, count = _write(tmp, chosen, root)
    shutil.copyfile(pool_root / "paragraphs.jsonl.state.json", tmp / "enriched.jsonl.state.json")
    (tmp / "queries.json").write_text(json.dumps(make_queries(flat, seed), indent=1))
    stored = {"params": params, "articles": count, "paragraphs": len(flat),
              "resampled": resampled, "pool_extraction": {k: pool[k] for k in ("seconds", "cpu_seconds", "paragraphs", "tree_rss", "jobs")}}
    (tmp / "manifest.json").write_text(json.dumps(stored, indent=1))
    os.replace(tmp, root)
    return _corpus(root, stored, reused=False)


def _real(articles, size, seed):
    return whole_articles(articles, size, seed, lambda a: a, lambda a, taken: taken)


def _resampled(articles, size, seed):
    """A generator of resampled articles (never all in memory)."""
    rng = random.Random(seed)
    pool = [p for a in articles for p in a]
    left, n = size, 0
    while left > 0:
        template = rng.choice(articles)[0]
        k = min(left, len(rng.choice(articles)))
        article_id = f"bench-{seed}-{size}-{n}"
        meta = {f: template.get(f) for f in ARTICLE_FIELDS if template.get(f) is not None}
        if meta.get("url"):
            meta["url"] = f"{meta['url']}?bench={n}"
        out = []
        for position in range(1, k + 1):
            record = {key: value for key, value in rng.choice(pool).items()
                      if key not in ("answers_to", "answered_by", *ARTICLE_FIELDS)}
            record.update(meta, id=f"{article_id}#p{position}", article_id=article_id, position=position)
            out.append(record)
        yield out
        left -= k
        n += 1


def _write(tmp: Path, chosen, final_root: Path) -> tuple[list[dict], int]:
    """enriched.jsonl (sources of 1,000 articles) and the baselines' paragraphs.jsonl; the flat
    rows and the article count."""
    flat, n = [], -1
    with open(tmp / "enriched.jsonl", "w", encoding="utf-8") as fed, \
            open(tmp / "paragraphs.jsonl", "w", encoding="utf-8") as plain:
        for n, article in enumerate(chosen):
            source = str(final_root / "sources" / f"articles-{n // ARTICLES_PER_SOURCE + 1:04d}.jsonl")
            for record in article:
                record = {**record, "source": source}
                fed.write(json.dumps(record, ensure_ascii=False) + "\n")
                speaker = (record.get("speaker") or "").lower()
                row = {"id": record["id"], "article_id": record["article_id"], "title": record.get("title") or "",
                       "date": record.get("date"), "speaker": speaker,
                       "topic": (record.get("section") or "").lower(), "body": record["text"]}
                plain.write(json.dumps(row, ensure_ascii=False) + "\n")
                flat.append(row)
    return flat, n + 1


def _corpus(root: Path, stored: dict, reused: bool) -> Corpus:
    fed = root / "enriched.jsonl"
    return Corpus(root=root, size=stored["paragraphs"], articles=stored["articles"], files=(fed,), docs_dir=root,
                  paragraphs_file=root / "paragraphs.jsonl", queries_file=root / "queries.json",
                  resampled=stored["resampled"], reused=reused, fed=fed,
                  fed_extraction=stored.get("pool_extraction"))
