"""How each ingest stage grows with its input: read, extract, chunk, enrich, analyze.

Builds growing inputs from real text (the State Department export's sentences and records) in a
temporary folder and times every stage of ``briefsearch index``'s per-file path on each, in this
one process, then prints the time per stage and the growth factor per doubling of the input
(time at 2n / time at n), and each stage's factor over the whole range (2 to the slope of a
least-squares line through log time against log size, over the timings above 20 ms: less
sensitive to one noisy step). Inputs that take under two seconds are timed twice, keeping the
faster time of each stage. A linear stage stays near 2x, a quadratic one shows 4x; the goal is no stage over 2x per
doubling.

Families:
- ``paragraph``: one plain-text paragraph of 5/64 MB up to 5 MB (one block, cut at sentences);
- ``records``: a JSON Lines export of tiny records, 15,625 up to 1,000,000 (``--max-records``);
- ``nested``: an HTML page of nested ``<div>`` elements, 1,562 up to 100,000 deep, and a JSON
  value nested as deep (refused at Python's nesting limit, so its cost stays flat).

    python scripts/growth.py [--families paragraph,records,nested] [--max-records 1000000] [--quick]

``--quick`` stops each family four doublings early (seconds, not minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.errors import SkippedFile  # noqa: E402
from briefsearch.ingest.chunking import chunk_article  # noqa: E402
from briefsearch.ingest.enrich import Enricher  # noqa: E402
from briefsearch.ingest.extract import extract_articles  # noqa: E402
from briefsearch.ingest.sources import SourceFile, read_text  # noqa: E402
from briefsearch.text.analysis import analyze  # noqa: E402

ITEMS = ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl"
STAGES = ("read", "extract", "chunk", "enrich", "analyze")
NOISE_SECONDS = 0.02  # below this, a ratio says more about the clock than about the stage


def real_sentences() -> list[str]:
    """Sentences of the real export's bodies, tags dropped."""
    sentences = []
    for line in ITEMS.read_text(encoding="utf-8").splitlines()[:400]:
        record = json.loads(line)
        body = re.sub(r"<[^>]+>", " ", str(record.get("content_html") or record.get("content") or ""))
        sentences.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(body.split())) if len(s.strip()) > 30)
    return sentences


def paragraph_file(folder: Path, megabytes: float, sentences: list[str]) -> Path:
    target, parts, size, n = int(megabytes * 1_000_000), [], 0, 0
    while size < target:
        sentence = sentences[n % len(sentences)]
        parts.append(sentence)
        size += len(sentence) + 1
        n += 1
    path = folder / f"paragraph-{megabytes:g}MB.txt"
    path.write_text("One long paragraph\n\n" + " ".join(parts) + "\n", encoding="utf-8")
    return path


def records_file(folder: Path, count: int, sentences: list[str]) -> Path:
    path = folder / f"records-{count}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps({"id": f"r{n}", "title": f"Release {n}",
                                     "body": sentences[n % len(sentences)]}) + "\n")
    return path


def nested_html_file(folder: Path, depth: int) -> Path:
    path = folder / f"nested-{depth}.html"
    words = "Officials discussed the sanctions plan."
    path.write_text("<html><body>" + f"<div><p>{words}</p>" * depth + "</div>" * depth + "</body></html>",
                    encoding="utf-8")
    return path


def nested_json_file(folder: Path, depth: int) -> Path:
    path = folder / f"nested-{depth}.json"
    path.write_text('{"title": "Deep", "body": ' + "[" * depth + '"text"' + "]" * depth + "}", encoding="utf-8")
    return path


def time_stages(path: Path) -> tuple[dict[str, float], str]:
    """Seconds of each stage on one file, and what came out (or why it was skipped)."""
    info = path.stat()
    source = SourceFile(str(path), info.st_size, info.st_mtime_ns, key=path.name)
    times = dict.fromkeys(STAGES, 0.0)
    enricher = Enricher(None)
    try:
        started = time.perf_counter()
        text, _, _ = read_text(source, max_bytes=2_000_000_000)
        times["read"] = time.perf_counter() - started
        started = time.perf_counter()
        articles = extract_articles(source, text)
        times["extract"] = time.perf_counter() - started
        paragraphs = []
        for article in articles:
            started = time.perf_counter()
            chunks = chunk_article(article)
            times["chunk"] += time.perf_counter() - started
            started = time.perf_counter()
            paragraphs.extend(enricher.enrich(article, chunks))
            times["enrich"] += time.perf_counter() - started
        started = time.perf_counter()
        terms = sum(len(analyze(p.text)) for p in paragraphs)
        times["analyze"] = time.perf_counter() - started
        return times, f"{len(articles):,} articles, {len(paragraphs):,} paragraphs, {terms:,} terms"
    except SkippedFile as skip:
        return times, f"skipped ({skip.reason})"
    except RecursionError:
        return times, "skipped (nested too deeply to read)"


def run_family(name: str, sizes: list, make, label) -> float:
    """Print one family's table; return the largest per-doubling factor of a stage over the range."""
    import math

    print(f"\n{name}")
    print(f"{'input':>14} " + " ".join(f"{stage:>9}" for stage in STAGES) + "   what came out")
    previous: dict[str, float] | None = None
    timed: list[tuple[float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="hostile-growth-") as folder:
        for n, size in enumerate(sizes):
            path = make(Path(folder), size)
            times, outcome = time_stages(path)
            if sum(times.values()) < 2.0:
                again, _ = time_stages(path)
                times = {stage: min(times[stage], again[stage]) for stage in STAGES}
            os.unlink(path)
            timed.append((2.0 ** n, times))
            print(f"{label(size):>14} " + " ".join(f"{times[s]:>8.3f}s" for s in STAGES) + f"   {outcome}")
            if previous is not None:
                factors = []
                for stage in STAGES:
                    if max(times[stage], previous[stage]) < NOISE_SECONDS:
                        factors.append(f"{'~':>9}")
                    else:
                        factors.append(f"{times[stage] / max(previous[stage], 1e-6):>8.2f}x")
                print(f"{'per doubling':>14} " + " ".join(factors))
            previous = times
    overall = []
    for stage in STAGES:
        points = [(scale, times[stage]) for scale, times in timed if times[stage] >= NOISE_SECONDS]
        if len(points) < 2:
            overall.append((stage, None))
            continue
        xs = [math.log2(scale) for scale, _ in points]
        ys = [math.log2(seconds) for _, seconds in points]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
                 / sum((x - mean_x) ** 2 for x in xs))
        overall.append((stage, 2 ** slope))
    print(f"{'over the range':>14} " + " ".join(f"{f:>8.2f}x" if f else f"{'~':>9}" for _, f in overall))
    worst = max((f for _, f in overall if f), default=0.0)
    print(f"largest per-doubling factor in {name}: {worst:.2f}x (goal: at most 2x) — {'met' if worst <= 2.0 else 'missed'}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", default="paragraph,records,nested")
    parser.add_argument("--max-records", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="four doublings fewer in each family")
    args = parser.parse_args()
    if not ITEMS.exists():
        sys.exit(f"shared data not found: {ITEMS}")
    sentences = real_sentences()
    cut = 4 if args.quick else 0
    families = set(args.families.split(","))
    worst = {}
    if "paragraph" in families:
        sizes = [5 / 64 * 2 ** k for k in range(7)][: 7 - cut]
        worst["paragraph"] = run_family("paragraph: one plain-text paragraph", sizes,
                                        lambda folder, mb: paragraph_file(folder, mb, sentences), lambda mb: f"{mb:.3g} MB")
    if "records" in families:
        sizes = [n for n in (15_625 * 2 ** k for k in range(7)) if n <= args.max_records][: 7 - cut]
        worst["records"] = run_family("records: a JSON Lines export of tiny records", sizes,
                                      lambda folder, n: records_file(folder, n, sentences), lambda n: f"{n:,} rec")
    if "nested" in families:
        sizes = [100_000 * 2 ** k // 64 for k in range(7)][: 7 - cut]
        worst["nested html"] = run_family("nested: an HTML page of nested <div> elements", sizes, nested_html_file,
                                          lambda n: f"{n:,} deep")
        worst["nested json"] = run_family("nested: a JSON value nested as deep", sizes, nested_json_file,
                                          lambda n: f"{n:,} deep")
    print("\nsummary: " + ", ".join(f"{name} {factor:.2f}x" for name, factor in worst.items())
          + " largest per-doubling factor over the range (goal: at most 2x)")


if __name__ == "__main__":
    main()
