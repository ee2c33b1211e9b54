"""briefsearch's own paragraphs, extracted once and fed to an index: the engine side of a build.

Run by scripts/bench.py (``--fed``) as child processes, with briefsearch importable:

    python fed_index.py extract OUT.jsonl JOBS PATH...   # files -> enriched paragraphs, cached
    python fed_index.py index CACHE.jsonl ENGINE INDEX_DIR  # cached paragraphs -> a searchable index

``extract`` runs briefsearch's own ingest (read, extract, chunk in ``JOBS`` worker processes
through ``ingest.parallel``; enrichment in this process, in file order, as ``briefsearch index``
does) and writes every paragraph as one JSON line (``Paragraph.to_record``), the enrichment's
learnt state beside it (``OUT.state.json``). It prints one JSON line: paragraphs, seconds.

``index`` is ``briefsearch index`` without its ingest: an ``indexing.runs.Ingest`` whose
paragraphs come from the cache instead of from extraction and enrichment. Everything after that is
the real run's code: the engine's writer (with its analysis into index terms), the vocabulary,
the ledger (fingerprints and statement anchors), batched commits, the generation and its stamp.
The index answers ``briefsearch query`` like any other. A cached paragraph's ``source`` is its
source file; paragraphs are written a source file at a time, committed every BATCH_PARAGRAPHS.
"""

from __future__ import annotations

import json
import sys
import time
from itertools import groupby
from pathlib import Path


def extract(out: str, jobs: int, paths: list[str]) -> None:
    from briefsearch.ingest.enrich import Enricher
    from briefsearch.ingest.parallel import extracted_in_order
    from briefsearch.ingest.pipeline import enrich_extracted
    from briefsearch.ingest.sources import find_sources
    from briefsearch.errors import SkippedFile

    started = time.perf_counter()
    sources, _ = find_sources(paths)
    enricher = Enricher(None)
    count = skipped = 0
    tmp = Path(out + ".tmp")
    with open(tmp, "w", encoding="utf-8") as lines:
        # 20 MB x 25 for exports: the whole export is parsed a record at a time (not streamed here)
        for kind, value, _ in extracted_in_order(((s, 20_000_000, None) for s in sources), jobs):
            if kind == "error":
                if isinstance(value, SkippedFile):
                    skipped += 1
                    continue
                raise value
            ingested = enrich_extracted(value, enricher)
            if ingested is None:
                continue
            for paragraph in ingested[0]:
                lines.write(json.dumps(paragraph.to_record(), ensure_ascii=False) + "\n")
                count += 1
    Path(out + ".state.json").write_text(json.dumps(enricher.state.to_dict()))
    tmp.replace(out)
    print(json.dumps({"paragraphs": count, "files": len(sources), "skipped": skipped,
                      "seconds": time.perf_counter() - started}))


def index(cache: str, engine: str, index_dir: str) -> None:
    from briefsearch.indexing.runs import BATCH_PARAGRAPHS, Ingest
    from briefsearch.ingest.enrich import EnrichmentState, Enricher
    from briefsearch.models import Paragraph

    state_file = Path(cache + ".state.json")
    learnt = json.loads(state_file.read_text()) if state_file.exists() else None

    class FedIngest(Ingest):
        def _enricher(self, state):
            return Enricher(EnrichmentState.from_dict(learnt) if learnt else None)

        def _index_sources(self, sources, roots, manifest, writer, enricher, generation, gone=()):
            batch = 0
            with open(cache, encoding="utf-8") as lines:
                records = (Paragraph.from_record(json.loads(line)) for line in lines)
                for path, run in groupby(records, key=lambda p: p.source):
                    paragraphs = list(run)
                    self._count_words(paragraphs, None)
                    entry = {"size": 0, "mtime_ns": 0, "sha256": "", "encoding": "utf-8",
                             "articles": len({p.article_id for p in paragraphs}), "paragraphs": len(paragraphs)}
                    writer.replace_source(path, paragraphs, entry, existed=False)
                    self._ledger_entries(paragraphs, None)
                    self.counts.new += 1
                    self.counts.paragraphs += len(paragraphs)
                    batch += len(paragraphs)
                    if batch >= BATCH_PARAGRAPHS:
                        self._commit(writer, enricher, generation, merge=False)
                        batch = 0

    summary = FedIngest(index_dir, engine=engine).run([cache])
    print(json.dumps({"paragraphs": summary.total_paragraphs, "seconds": summary.seconds}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "extract":
        extract(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif command == "index":
        index(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown command {command!r}: extract or index")
