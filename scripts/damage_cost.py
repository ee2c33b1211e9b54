"""What damage detection costs: verifying a generation on open, hashing it, and ``check``.

Builds (or reuses) the benchmark corpus of ``--size`` real paragraphs (``benchlib/corpus.py``)
and its briefsearch index under ``--workdir``, then measures in this one process:

- opening a searcher (what every query, listing and ``show`` does first) with the verification
  on open and with it switched off, median of ``--repeat`` opens each, and their ratio;
- the verification on its own: one stat per recorded file when the files are as they were hashed;
- hashing every file, which is what verification falls back to for a file whose identity changed
  (an index copied elsewhere) and what ``check`` does;
- ``briefsearch check`` (a sample of 2,000 paragraphs) and ``check --full`` (every paragraph).

    python scripts/damage_cost.py [--size 100000] [--repeat 30] [--workdir /tmp/briefsearch-damage]
    python scripts/damage_cost.py --index PATH [--repeat 30]

``--index`` measures an index built already (read only), e.g. one of a million paragraphs; the
figure at 1M paragraphs is extrapolated only when the index is smaller.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchlib.corpus import build_corpus  # noqa: E402

from briefsearch.indexing import generation as generation_module  # noqa: E402
from briefsearch.indexing.runs import index_paths  # noqa: E402
from briefsearch.indexing.storage import IndexDir  # noqa: E402
from briefsearch.present.listings import check_index  # noqa: E402
from briefsearch.query.searcher import Searcher  # noqa: E402


def no_queries(paragraphs, seed):
    return []


def timed(action, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def open_searcher(index_dir: Path) -> None:
    with Searcher(index_dir) as searcher:
        searcher.reader.totals()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", default="/tmp/briefsearch-damage")
    parser.add_argument("--index", type=Path, help="an index built already, measured read only (no corpus is built)")
    args = parser.parse_args()

    if args.index:
        index_dir = args.index
    else:
        workdir = Path(args.workdir)
        corpus = build_corpus(workdir, args.size, 1, no_queries)
        index_dir = workdir / f"index-{args.size}"
    if not args.index and not (index_dir / "CURRENT").exists():
        started = time.perf_counter()
        summary = index_paths([str(corpus.root / "docs")], str(index_dir))
        print(f"indexed {summary.total_paragraphs:,} paragraphs in {time.perf_counter() - started:.1f} s")
    generation = IndexDir(index_dir).live()
    engine = generation.engine()
    recorded = generation._recorded()
    files = [generation.path / name for name, entry in recorded.items() if not entry.get("side")]
    size_mb = sum(f.stat().st_size for f in generation.path.iterdir() if f.is_file()) / 1e6
    with Searcher(index_dir) as searcher:
        paragraphs = searcher.reader.totals().paragraphs
    print(f"index: {paragraphs:,} paragraphs, {size_mb:.1f} MB in {len(files)} checksummed files ({generation.path})")

    verify = timed(lambda: generation.verify_on_open(engine), args.repeat)
    hashing = timed(lambda: [generation_module._sha256(f) for f in files], 3)
    real_verify = generation_module.Generation.verify_on_open
    with_check = timed(lambda: open_searcher(index_dir), args.repeat)
    generation_module.Generation.verify_on_open = lambda self, engine: None
    try:
        without = timed(lambda: open_searcher(index_dir), args.repeat)
    finally:
        generation_module.Generation.verify_on_open = real_verify
    with_check_again = timed(lambda: open_searcher(index_dir), args.repeat)
    with_check = min(with_check, with_check_again)  # both sides of the ratio get the same chances
    print(f"verification on open (stat of each file): {verify * 1000:.2f} ms median of {args.repeat}")
    print(f"searcher open + totals: {with_check * 1000:.1f} ms with verification, {without * 1000:.1f} ms without "
          f"(ratio {with_check / without:.3f}; median of {args.repeat})")
    print(f"hashing every file (fallback for copied files, and check): {hashing:.2f} s "
          f"({size_mb / hashing:.0f} MB/s; median of 3)")

    started = time.perf_counter()
    problems = check_index(index_dir)
    sampled = time.perf_counter() - started
    started = time.perf_counter()
    problems_full = check_index(index_dir, full=True)
    full = time.perf_counter() - started
    print(f"check (sampled): {sampled:.1f} s, {len(problems)} problems; check --full: {full:.1f} s, "
          f"{len(problems_full)} problems")
    if paragraphs >= 1_000_000:
        print(f"check (sampled) at {paragraphs:,} paragraphs, measured: {sampled:.1f} s (goal: under 60 s) — "
              f"{'met' if sampled < 60 else 'missed'}")
        return
    scale = 1_000_000 / paragraphs
    # The sample is 2,000 paragraphs at any size; what grows with the index is the hashing.
    estimate = max(0.0, sampled - hashing) + hashing * scale
    print(f"check (sampled) at 1M paragraphs, EXTRAPOLATED (not measured) from {paragraphs:,}: about "
          f"{estimate:.0f} s = the sample's {max(0.0, sampled - hashing):.1f} s + hashing {hashing * scale:.0f} s "
          f"for {size_mb * scale / 1000:.1f} GB (goal: under 60 s); a linear upper bound: {sampled * scale:.0f} s")


if __name__ == "__main__":
    main()
