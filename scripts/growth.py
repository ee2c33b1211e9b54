"""How each ingest stage grows with its input: read, extract, chunk, enrich, analyze; and the engine's writer.

Builds growing inputs from real text (the State Department export's sentences) in a temporary
folder and times every stage of ``briefsearch index``'s per-file path on each, in this one
process (a large JSON Lines file the way ``index`` streams it: a batch of records at a time), then
prints the time per stage, the growth factor per doubling of the input (time at 2n / time at n)
and each stage's factor over the whole range (2 to the slope of a least-squares line through log
time against log size, over the timings above 20 ms: less sensitive to one noisy step). A linear
stage stays near 2x, a quadratic one shows 4x; the goal is no stage over 2x per doubling.

Times are CPU seconds of this process (``time.process_time``), not wall-clock time, so that other
work on a shared machine does not pass for growth; each input is timed ``--repeats`` times (5),
in rounds over all the sizes after one untimed warm-up run, and the median of each stage kept,
once only when a run takes more than ``--repeat-below`` seconds (20). The last column is the
process's peak resident memory so far: a streamed file's memory does not grow with its records.

Families:
- ``paragraph``: one plain-text paragraph of 5/64 MB up to 5 MB (one block, cut at sentences);
- ``records``: a JSON Lines export of tiny records (an id, a title and eight words of a real
  sentence), 15,625 up to 1,000,000 (``--min-records``, ``--max-records``), also written to a
  Whoosh index the way ``index`` writes a streamed file (one writer, in this process, committed
  once at its end), in two more columns kept apart from the ingest stages: ``write`` (the engine
  writer's ``replace_source``: its analysis of every field, its posting pool, and the segments it
  writes as it goes) and ``commit`` (the last segment and the commit); ``--no-write`` leaves them out;
- ``nested``: an HTML page of nested ``<div>`` elements, 1,562 up to 100,000 deep, and a JSON
  value nested as deep (refused at Python's nesting limit, so its cost stays flat).

    python scripts/growth.py [--families paragraph,records,nested] [--min-records 15625]
                             [--max-records 1000000] [--repeats 5] [--results FILE] [--quick]

``--results FILE`` keeps each measured row in FILE and shows the rows already there instead of
measuring them again, so that a family too long for one sitting (1M records) is measured in turns.

``--quick`` stops each family four doublings early (seconds, not minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.engine import engine_named  # noqa: E402
from briefsearch.errors import SkippedFile  # noqa: E402
from briefsearch.ingest.chunking import chunk_article  # noqa: E402
from briefsearch.ingest.enrich import Enricher  # noqa: E402
from briefsearch.ingest.extract import extract_articles, extract_json_lines  # noqa: E402
from briefsearch.ingest.pipeline import STREAM_BATCH  # noqa: E402
from briefsearch.ingest.sources import SourceFile, read_text, scan_lines, text_lines  # noqa: E402
from briefsearch.text.analysis import analyze  # noqa: E402

ITEMS = ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl"
STAGES = ("read", "extract", "chunk", "enrich", "analyze")
ENGINE_STAGES = ("write", "commit")  # the engine's, kept apart from the ingest stages (records family)
NOISE_SECONDS = 0.02  # below this, a ratio says more about the clock than about the stage
clock = time.process_time  # CPU seconds: other processes on the machine do not count


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
    """Tiny records, as in issue #18's case 13: an id, a title and eight words of real text."""
    path = folder / f"records-{count}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            words = " ".join(sentences[n % len(sentences)].split()[:8])
            handle.write(json.dumps({"id": f"r{n}", "title": f"Release {n}", "body": words}) + "\n")
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


def time_stages(path: Path, write: bool = False) -> tuple[dict[str, float], str]:
    """Seconds of each stage on one file, and what came out (or why it was skipped)."""
    info = path.stat()
    source = SourceFile(str(path), info.st_size, info.st_mtime_ns, key=path.name)
    if source.path.endswith(".jsonl"):  # every size streamed, as index streams them from 4 MB up
        return time_streamed_stages(source, write)
    times = dict.fromkeys(STAGES, 0.0)
    enricher = Enricher(None)
    try:
        started = clock()
        text, _, _ = read_text(source, max_bytes=2_000_000_000)
        times["read"] = clock() - started
        started = clock()
        articles = extract_articles(source, text)
        times["extract"] = clock() - started
        paragraphs = []
        for article in articles:
            started = clock()
            chunks = chunk_article(article)
            times["chunk"] += clock() - started
            started = clock()
            paragraphs.extend(enricher.enrich(article, chunks))
            times["enrich"] += clock() - started
        started = clock()
        terms = sum(len(analyze(p.text)) for p in paragraphs)
        times["analyze"] = clock() - started
        return times, f"{len(articles):,} articles, {len(paragraphs):,} paragraphs, {terms:,} terms"
    except SkippedFile as skip:
        return times, f"skipped ({skip.reason})"
    except RecursionError:
        return times, "skipped (nested too deeply to read)"


def time_streamed_stages(source: SourceFile, write: bool = False) -> tuple[dict[str, float], str]:
    """``time_stages`` for a file ``index`` streams: the stages run on a batch of records at a time
    and nothing of a batch is kept once it is counted, as in ``ingest.pipeline.stream_file``.

    With ``write``, the paragraphs also go to a new Whoosh index, as ``index`` writes a streamed
    file: one ``replace_source`` taking them as they come, then one commit (``write`` is the time
    of ``replace_source`` less the ingest stages it drew its paragraphs through)."""
    times = dict.fromkeys(STAGES + (ENGINE_STAGES if write else ()), 0.0)
    enricher = Enricher(None)
    counts = {"articles": 0, "paragraphs": 0, "terms": 0}

    def paragraphs():
        started = clock()
        lines = text_lines(source, scan_lines(source, 2_000_000_000))
        times["read"] += clock() - started
        while True:
            started = clock()
            batch = list(islice(lines, STREAM_BATCH))
            times["read"] += clock() - started
            if not batch:
                break
            started = clock()
            extracted = list(extract_json_lines(source, batch))
            times["extract"] += clock() - started
            for article in extracted:
                started = clock()
                chunks = chunk_article(article)
                times["chunk"] += clock() - started
                started = clock()
                enriched = enricher.enrich(article, chunks)
                times["enrich"] += clock() - started
                started = clock()
                counts["terms"] += sum(len(analyze(p.text)) for p in enriched)
                times["analyze"] += clock() - started
                counts["paragraphs"] += len(enriched)
                yield from enriched
            counts["articles"] += len(extracted)

    written = ""
    if not write:
        for _ in paragraphs():
            pass
    else:
        with tempfile.TemporaryDirectory(prefix="hostile-growth-index-") as folder:
            engine = engine_named("whoosh")
            engine.create(Path(folder))
            writer = engine.writer(Path(folder), jobs=1)
            try:
                started = clock()
                writer.replace_source(source.path, paragraphs(), {"size": source.size}, existed=False)
                times["write"] = clock() - started - sum(times[stage] for stage in STAGES)
                started = clock()
                writer.commit(merge=False)
                times["commit"] = clock() - started
            finally:
                writer.close()
            segments = len(list(Path(folder).glob("*.seg")))
            written = f", written to {segments} segment{'s' if segments != 1 else ''}"
    return times, (f"{counts['articles']:,} articles, {counts['paragraphs']:,} paragraphs, {counts['terms']:,} terms "
                   f"(streamed{written})")


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def growth_over_range(points: list[tuple[float, float]]) -> float | None:
    """2 to the slope of a least-squares line through log time against log size, over the
    timings above the noise (None with fewer than two)."""
    points = [(scale, seconds) for scale, seconds in points if seconds >= NOISE_SECONDS]
    if len(points) < 2:
        return None
    xs = [math.log2(scale) for scale, _ in points]
    ys = [math.log2(seconds) for _, seconds in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    return 2 ** slope


def row_done(saved: dict, results: Path | None, key: str, runs: list, stages: tuple, peak: float) -> None:
    """Keep one input's row (the median of each stage over its runs), in ``results`` too if given."""
    times = {stage: statistics.median(run[stage] for run, _ in runs) for stage in stages}
    outcome = runs[0][1] + (f"; median of {len(runs)}" if len(runs) > 1 else "; one run")
    saved[key] = {"times": times, "peak_mb": peak, "outcome": outcome}
    if results:
        results.write_text(json.dumps(saved, indent=1))


def run_family(name: str, sizes: list, make, label, repeats: int = 5, repeat_below: float = 20.0,
               results: Path | None = None, write: bool = False) -> dict[str, float]:
    """Print one family's table; return the largest per-doubling factor over the range of the
    ingest stages (key "ingest") and, with ``write``, of the engine's writer ("engine").

    Before any timing, the smallest input is run once untimed: the caches every run fills (the
    stemmer's, compiled patterns, imports) are then full for all sizes alike, not only for the
    repeats. Each run starts from a collected heap (``gc.collect``), so no run pays for the garbage
    of the one before. Repeats go in rounds over all the sizes (every size once per round, the
    median of each stage kept), so a change in the machine's load meets every size alike.

    With ``results``, rows measured by an earlier run (saved there) are shown, not measured again,
    and each new row is added to it: a long family can be measured in several shorter runs."""
    import gc

    saved = json.loads(results.read_text()) if results and results.exists() else {}
    stages = STAGES + (ENGINE_STAGES if write else ())
    keys = [f"{name} | {label(size)}" + (" | written" if write else "") for size in sizes]
    print(f"\n{name}", flush=True)

    def timed_run(path: Path):
        gc.collect()
        return time_stages(path, write)

    with tempfile.TemporaryDirectory(prefix="hostile-growth-") as folder:
        runs: dict[int, list] = {}
        peaks: dict[int, float] = {}
        kept: dict[int, Path] = {}  # inputs quick enough to be run again in the next rounds
        if any(key not in saved for key in keys):
            warm = make(Path(folder), sizes[0])
            time_stages(warm, write)
            os.unlink(warm)
        for n, size in enumerate(sizes):
            if keys[n] in saved:
                continue
            path = make(Path(folder), size)
            runs[n] = [timed_run(path)]
            peaks[n] = peak_megabytes()
            if sum(runs[n][0][0].values()) < repeat_below:
                kept[n] = path
            else:
                os.unlink(path)
                row_done(saved, results, keys[n], runs[n], stages, peaks[n])
        for _round in range(1, repeats):
            for n, path in kept.items():
                runs[n].append(timed_run(path))
        for n in kept:
            row_done(saved, results, keys[n], runs[n], stages, peaks[n])

    print(f"{'input':>14} " + " ".join(f"{stage:>9}" for stage in stages) + f" {'peak MB':>8}   what came out")
    previous: dict[str, float] | None = None
    timed: list[tuple[float, dict[str, float]]] = []
    for n, size in enumerate(sizes):
        row = saved[keys[n]]
        times = row["times"]
        timed.append((2.0 ** n, times))
        print(f"{label(size):>14} " + " ".join(f"{times[s]:>8.3f}s" for s in stages)
              + f" {row['peak_mb']:>8.0f}   {row['outcome']}" + (" (saved)" if n not in runs else ""), flush=True)
        if previous is not None:
            factors = []
            for stage in stages:
                if max(times[stage], previous[stage]) < NOISE_SECONDS:
                    factors.append(f"{'~':>9}")
                else:
                    factors.append(f"{times[stage] / max(previous[stage], 1e-6):>8.2f}x")
            print(f"{'per doubling':>14} " + " ".join(factors))
        previous = times
    overall = [(stage, growth_over_range([(scale, times[stage]) for scale, times in timed])) for stage in stages]
    print(f"{'over the range':>14} " + " ".join(f"{f:>8.2f}x" if f else f"{'~':>9}" for _, f in overall))
    worst = {"ingest": max((f for stage, f in overall if f and stage in STAGES), default=0.0)}
    print(f"largest per-doubling factor of an ingest stage in {name}: {worst['ingest']:.2f}x (goal: at most 2x) — "
          f"{'met' if worst['ingest'] <= 2.0 else 'missed'}")
    if write:
        worst["engine"] = max((f for stage, f in overall if f and stage in ENGINE_STAGES), default=0.0)
        print(f"largest per-doubling factor of the engine's writer (write, commit) in {name}: {worst['engine']:.2f}x "
              f"(goal: at most 2x) — {'met' if worst['engine'] <= 2.0 else 'missed'}")
        # A segment the writer finishes before the commit moves its time from `commit` to `write`:
        # the writer's whole time shows its growth without that shift.
        totals = [(scale, sum(times[stage] for stage in ENGINE_STAGES)) for scale, times in timed]
        steps = " ".join(f"{b / a:.2f}x" for (_, a), (_, b) in zip(totals, totals[1:]))
        worst["engine total"] = growth_over_range(totals) or 0.0
        print(f"the engine's writer, write + commit: per doubling {steps}; over the range {worst['engine total']:.2f}x "
              f"(goal: at most 2x) — {'met' if worst['engine total'] <= 2.0 else 'missed'}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", default="paragraph,records,nested")
    parser.add_argument("--min-records", type=int, default=15_625)
    parser.add_argument("--max-records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs per input; the median of each stage is kept")
    parser.add_argument("--repeat-below", type=float, default=20.0,
                        help="inputs whose first run takes more CPU seconds than this are run once")
    parser.add_argument("--results", type=Path, help="a JSON file of rows measured before: shown, not measured "
                        "again; new rows are added (to measure a long family in several runs)")
    parser.add_argument("--quick", action="store_true", help="four doublings fewer in each family")
    parser.add_argument("--no-write", action="store_true", help="records: time the ingest stages only, not the engine's writer")
    args = parser.parse_args()
    if not ITEMS.exists():
        sys.exit(f"shared data not found: {ITEMS}")
    sentences = real_sentences()
    cut = 4 if args.quick else 0
    timing = (args.repeats, args.repeat_below, args.results)
    families = set(args.families.split(","))
    worst = {}
    if "paragraph" in families:
        sizes = [5 / 64 * 2 ** k for k in range(7)][: 7 - cut]
        worst["paragraph"] = run_family("paragraph: one plain-text paragraph", sizes,
                                        lambda folder, mb: paragraph_file(folder, mb, sentences), lambda mb: f"{mb:.3g} MB",
                                        *timing)["ingest"]
    if "records" in families:
        sizes = [n for n in (args.min_records * 2 ** k for k in range(12)) if n <= args.max_records]
        sizes = sizes[: max(1, len(sizes) - cut)]
        found = run_family("records: a JSON Lines export of tiny records" + ("" if args.no_write else ", written to Whoosh"),
                           sizes, lambda folder, n: records_file(folder, n, sentences), lambda n: f"{n:,} rec", *timing,
                           write=not args.no_write)
        worst["records"] = found["ingest"]
        if "engine" in found:
            worst["records, Whoosh's writer (write, commit)"] = found["engine"]
            worst["records, Whoosh's writer (write + commit)"] = found["engine total"]
    if "nested" in families:
        sizes = [100_000 * 2 ** k // 64 for k in range(7)][: 7 - cut]
        worst["nested html"] = run_family("nested: an HTML page of nested <div> elements", sizes, nested_html_file,
                                          lambda n: f"{n:,} deep", *timing)["ingest"]
        worst["nested json"] = run_family("nested: a JSON value nested as deep", sizes, nested_json_file,
                                          lambda n: f"{n:,} deep", *timing)["ingest"]
    print("\nsummary: " + ", ".join(f"{name} {factor:.2f}x" for name, factor in worst.items())
          + " largest per-doubling factor over the range (goal: at most 2x)")


if __name__ == "__main__":
    main()
