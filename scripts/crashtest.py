"""Crash test: kill `briefsearch index` with SIGKILL at random moments and check the index every time.

Builds a corpus of many small JSONL files from the shared State Department press releases (in a
temp folder, never in the repository), computes the paragraph count of every committed state with
one reference run, then repeatedly starts ``python -m briefsearch index CORPUS --index DIR
--batch-files B`` and kills it: after a random delay, or the moment a commit starts writing (a new
segment or temp TOC file appears). After each kill it requires that

* ``briefsearch check`` exits 0 (checksums, every stored paragraph, postings sample),
* the index opens and its paragraph count equals a committed state: the count before the run or
  after one of its batches (or the complete corpus), never anything else,
* the indexed files are exactly the first k files of the corpus, with k one of those states.

Meanwhile a second process runs queries against the same index in a loop and counts errors.

The delay before a kill is drawn up to ``--max-delay``, by default two and a half times what one
batch took in the reference run (at least 8 s), so that kills land after commits of the run on a
loaded machine too. A run in which no kill came after one of the run's commits tested only kills
before the first publish; it is reported as such and exits 1, whatever its count of bad states.

    python scripts/crashtest.py --trials 100
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TANTIVY_SEGMENT = re.compile(r"^[0-9a-f]{32}\.")
ITEMS = ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl"
QUERIES = ("iran", "sanctions", "Blinken", '"press availability"', "secretary OR minister", "ukrain*",
           "NATO allies", "human rights -china", "title:briefing", '"foreign minister"~3', "climate crisis",
           "speaker:blinken", "covid vaccines", "(russia OR ukraine) AND security")


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def build_corpus(folder: Path, files: int, records: int, items: Path = ITEMS) -> list[str]:
    lines = items.read_text(encoding="utf-8").splitlines()
    if files * records > len(lines):
        raise SystemExit(f"the data has {len(lines)} records; asked for {files * records}")
    folder.mkdir(parents=True)
    paths = []
    for number in range(files):
        path = folder / f"part-{number:04d}.jsonl"
        path.write_text("\n".join(lines[number * records:(number + 1) * records]) + "\n", encoding="utf-8")
        paths.append(str(path))
    return sorted(paths, key=os.fsencode)  # the indexer's order


ENGINE = "whoosh"  # --engine: the engine of the indexes built


def index_command(corpus: Path, index_dir: Path, batch: int, rebuild: bool = False) -> list[str]:
    command = [sys.executable, "-m", "briefsearch", "index", str(corpus), "--index", str(index_dir),
               "--batch-files", str(batch), "-q", "--engine", ENGINE]
    return command + (["--rebuild"] if rebuild else [])


def state_of(index_dir: Path) -> tuple[int, list[str]] | None:
    """(paragraph count, indexed files) of the live generation; None when there is no index yet."""
    from briefsearch.errors import NoIndex
    from briefsearch.query.searcher import Searcher

    try:
        with Searcher(index_dir) as searcher:
            manifest = searcher.reader.manifest()
            return searcher.reader.totals().paragraphs, sorted(manifest, key=os.fsencode)
    except NoIndex:
        return None


def committed_states(done: int, total: int, batch: int) -> set[int]:
    """Numbers of indexed files a run starting with ``done`` files can leave committed."""
    return set(range(done, total + 1, batch)) | {total}


def commit_files(index_dir: Path) -> set[str]:
    """Names that appear when a commit starts writing: segment files and temp TOCs (Whoosh), segment
    files (tantivy)."""
    names = set()
    try:
        generations = [p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("gen-")]
    except FileNotFoundError:
        return names
    for generation in generations:
        try:
            names.update(f"{generation.name}/{n}" for n in os.listdir(generation) if n.endswith(".seg") or ".toc" in n
                         or TANTIVY_SEGMENT.match(n))
        except FileNotFoundError:
            pass
    return names


def run_trial(command: list[str], index_dir: Path, mode: str, max_delay: float, rng: random.Random) -> str:
    """Start the indexer and kill it; return 'killed' or 'finished' (it completed first)."""
    before = commit_files(index_dir)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    deadline = time.monotonic() + rng.uniform(0.5, max_delay)
    extra = rng.uniform(0, 0.03)
    try:
        return _kill_when_due(process, index_dir, before, mode, deadline, extra)
    finally:
        if process.poll() is None:  # the harness itself was stopped: leave no indexer behind
            process.kill()
            process.wait()


def _kill_when_due(process, index_dir: Path, before: set[str], mode: str, deadline: float, extra: float) -> str:
    while process.poll() is None:
        if mode == "delay" and time.monotonic() >= deadline:
            break
        if mode == "commit" and commit_files(index_dir) - before:
            time.sleep(extra)  # somewhere inside the commit: assembly, TOC write, rename, cleanup
            break
        if mode == "commit" and time.monotonic() >= deadline + 30:
            break
        time.sleep(0.001)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        return "killed"
    error = process.stderr.read()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"the indexer failed on its own (exit {process.returncode}): {error}")
    return "finished"


def query_worker(target_file: str, stop_file: str) -> None:
    """Run queries on the index named in ``target_file`` until ``stop_file`` exists; print a JSON summary."""
    from briefsearch.errors import NoIndex, QuerySyntaxError
    from briefsearch.query.searcher import Searcher, search

    counts = {"queries": 0, "errors": 0, "no_index": 0}
    samples: list[str] = []
    rng = random.Random(7)
    long_lived = None
    index_dir = None
    while not os.path.exists(stop_file):
        query = rng.choice(QUERIES)
        target = Path(target_file).read_text(encoding="utf-8").strip()
        if target != index_dir:  # the harness started a new cycle in a new folder
            if long_lived is not None:
                long_lived.close()
            index_dir, long_lived = target, None
        try:
            if rng.random() < 0.5:
                search(index_dir, query)
            else:
                if long_lived is None:
                    long_lived = Searcher(index_dir)
                long_lived.search(query)
            counts["queries"] += 1
        except NoIndex:
            counts["no_index"] += 1  # between a reset and the first publish there is no index
            long_lived = None
            time.sleep(0.05)
        except QuerySyntaxError as error:
            counts["errors"] += 1
            samples.append(f"{query!r}: {error}")
        except Exception as error:  # noqa: BLE001 - every other failure is what we count
            counts["errors"] += 1
            samples.append(f"{query!r}: {type(error).__name__}: {error}")
            if long_lived is not None:
                try:
                    long_lived.close()
                except Exception:  # noqa: BLE001
                    pass
                long_lived = None
    counts["samples"] = samples[:10]
    print(json.dumps(counts))


def point(target_file: Path, index_dir: Path) -> None:
    """Tell the query process which index to query (atomically: it never reads half a name)."""
    temp = target_file.with_name(target_file.name + ".tmp")
    temp.write_text(str(index_dir), encoding="utf-8")
    os.replace(temp, target_file)


def check_exit(index_dir: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "briefsearch", "check", "--index", str(index_dir)],
                          capture_output=True, text=True, env=_env(), cwd=ROOT)
    return done.returncode, (done.stderr or done.stdout).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100, help="kill trials (runs that finish first do not count)")
    parser.add_argument("--files", type=int, default=120, help="corpus files")
    parser.add_argument("--records", type=int, default=10, help="records per corpus file")
    parser.add_argument("--batch-files", type=int, default=4, help="files per committed batch")
    parser.add_argument("--max-delay", type=float, default=None,
                        help="longest random delay before a kill (s; default: 2.5 times a batch of the reference "
                             "run, at least 8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", default="whoosh", help="the engine of the indexes built (whoosh, tantivy)")
    parser.add_argument("--items", type=Path, default=ITEMS, help="JSON Lines records to build the corpus from")
    parser.add_argument("--workdir", help="keep the corpus and index here (default: a temp folder, removed)")
    parser.add_argument("--query-worker", nargs=2, metavar=("TARGET_FILE", "STOP_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_worker:
        return query_worker(*args.query_worker)
    global ENGINE
    ENGINE = args.engine
    if not args.items.exists():
        raise SystemExit(f"shared data not found: {args.items}")
    sys.path.insert(0, str(ROOT))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup below
    rng = random.Random(args.seed)
    queries = None
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="briefsearch-crash-"))
    corpus, reference = work / "corpus", work / "reference"
    stop_file, target_file = work / "stop-queries", work / "query-target"
    cycle = 1
    index_dir = work / f"index-{cycle}"
    try:
        files = build_corpus(corpus, args.files, args.records, args.items)
        started = time.perf_counter()
        subprocess.run(index_command(corpus, reference, args.batch_files), check=True, env=_env(), cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # its warnings: duplicate records
        per_file = {}
        from briefsearch.query.searcher import Searcher

        with Searcher(reference) as searcher:
            per_file = {path: entry["paragraphs"] for path, entry in searcher.reader.manifest().items()}
        prefix = [0]
        for path in files:
            prefix.append(prefix[-1] + per_file[path])
        reference_seconds = time.perf_counter() - started
        if args.max_delay is None:  # kills must reach past a commit of the run however loaded the machine is
            batches = -(-len(files) // args.batch_files)
            args.max_delay = max(8.0, 2.5 * reference_seconds / batches)
        print(f"corpus: {len(files)} files, {prefix[-1]:,} paragraphs; reference build {reference_seconds:.0f} s; "
              f"batches of {args.batch_files} files; kills within {args.max_delay:.1f} s; engine {ENGINE}", flush=True)

        point(target_file, index_dir)
        queries = subprocess.Popen([sys.executable, __file__, "--query-worker", str(target_file), str(stop_file)],
                                   stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
        tally = {"killed": 0, "finished": 0, "bad": 0, "old": 0, "new": 0, "rebuild": 0, "commit_mode": 0, "resets": 0}
        problems: list[str] = []
        done = 0  # files committed before the current trial
        complete_once = False
        while tally["killed"] < args.trials:
            rebuild = done == len(files) and rng.random() < 0.4
            if done == len(files) and not rebuild:
                # Start over in a new folder (deleting the live one under the query process would be
                # the harness's fault, not the index's); the one before last is no longer queried.
                shutil.rmtree(work / f"index-{cycle - 1}", ignore_errors=True)
                cycle += 1
                index_dir = work / f"index-{cycle}"
                point(target_file, index_dir)
                tally["resets"] += 1
                done = 0
            mode = "commit" if rng.random() < 0.5 else "delay"
            pointer = index_dir / "CURRENT"
            generation_before = pointer.read_text().strip() if pointer.exists() else None
            outcome = run_trial(index_command(corpus, index_dir, args.batch_files, rebuild), index_dir, mode,
                                args.max_delay, rng)
            tally[outcome] += 1
            tally["rebuild"] += rebuild and outcome == "killed"
            tally["commit_mode"] += mode == "commit" and outcome == "killed"
            state = state_of(index_dir)
            allowed = {len(files)} if rebuild else committed_states(done, len(files), args.batch_files)
            label = f"trial {tally['killed'] + tally['finished']} ({mode}{', rebuild' if rebuild else ''}, {outcome})"
            if state is None:
                if done != 0:
                    problems.append(f"{label}: the index vanished")
                    tally["bad"] += 1
                tally["old"] += 1
                print(f"{label}: no index yet (killed before the first publish)", flush=True)
                continue  # killed before the first build was published: nothing committed yet
            count, indexed = state
            k = len(indexed)
            code, message = check_exit(index_dir)
            good = (k in allowed and indexed == files[:k] and count == prefix[k] and code == 0)
            if not good:
                tally["bad"] += 1
                problems.append(f"{label}: {k} files, {count} paragraphs (allowed file counts from {done}: "
                                f"{sorted(allowed)[:4]}...; expected {prefix[k] if k <= len(files) else '?'}); check exit {code}: {message}")
            elif outcome == "killed":
                generation_after = pointer.read_text().strip()
                unchanged = generation_after == generation_before if rebuild else k == done
                tally["old" if unchanged else "new"] += 1
            done = k
            complete_once = complete_once or k == len(files)
            print(f"{label}: {k}/{len(files)} files, {count:,} paragraphs, check exit {code}"
                  f"{'  BAD' if not good else ''}", flush=True)

        stop_file.touch()
        query_summary = json.loads(queries.communicate(timeout=120)[0].strip().splitlines()[-1])
        print()
        print(f"crashtest summary ({time.perf_counter() - started:.0f} s)")
        print(f"  kill trials:       {tally['killed']} (killed on a commit starting: {tally['commit_mode']}; "
              f"during --rebuild: {tally['rebuild']})")
        print(f"  runs that finished before the kill: {tally['finished']}; full resets of the index: {tally['resets']}")
        print(f"  after a kill: the committed state from before the run {tally['old']}, a later committed state {tally['new']}")
        print(f"  bad (count not a committed state, files not a committed prefix, or check failed): {tally['bad']}")
        print(f"  concurrent queries: {query_summary['queries']:,}, errors: {query_summary['errors']} "
              f"(no index yet after a reset: {query_summary['no_index']})")
        for problem in problems[:20]:
            print(f"  BAD {problem}")
        for sample in query_summary["samples"]:
            print(f"  query error {sample}")
        if not tally["new"]:
            print(f"  NOT TESTED: no kill came after a commit of its run (every kill was before the run's first "
                  f"publish); run again with a --max-delay above {args.max_delay:.0f} s")
        sys.exit(1 if tally["bad"] or query_summary["errors"] or not tally["new"] else 0)
    finally:
        if queries is not None and queries.poll() is None:
            queries.kill()
            queries.wait()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
