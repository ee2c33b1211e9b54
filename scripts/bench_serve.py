"""Speed of ``briefsearch serve`` over loopback while ``briefsearch index`` commits into the same index.

Starts the server on a free loopback port over ``--index``, collects paragraph ids from a first
round of searches and lets every worker thread open the index (untimed), then runs two phases:
one client asking in turn, then ``--clients`` clients at once (threads, each with its own keep-alive
connection). A ``briefsearch index`` run adds the White House COVID task force briefings (a fresh
copy) to the same index, committing every ``--batch-files`` files; the first phase is timed from
its first commit, and the second follows while it goes on committing (a new run starts, and is
waited for, if it has ended). Each phase lasts ``--seconds``, and longer (up to
``--extend`` seconds more) until at least one more commit has landed inside it. A thread watches
the index on disk (its live generation and that generation's checksums, rewritten by every commit)
and counts the commits that land while the phase is timed. Asks, in turn, for the search page
(HTML with facets and histogram), the paragraph page and the JSON API. Prints p50/p95 per page and
phase, errors (anything but 200, or no answer), the server's CPU time per request and the
machine's load (on a shared machine the wait for a core can outweigh the work), the commits during
the phase, the index run's summary, the slowest requests (with the time since the last commit),
and the server's peak memory (VmHWM). Loopback only; every loop is bounded in time.

    cp -r INDEX /tmp/web-idx   # the bench writes into the index it serves
    python scripts/bench_serve.py --index /tmp/web-idx
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT.parent / "shared" / "data" / "wh_covid_taskforce_2020_fullpages" / "raw_html"
QUERIES = [
    "sanctions", "president biden", "covid vaccine", "ukraine security assistance", "climate change",
    '"human rights"', "iran nuclear deal", "china trade", "afghanistan withdrawal", "press secretary",
    "north korea", "secretary blinken", "israel gaza ceasefire", "infrastructure bill", "russia",
    "refugees", "economy jobs", "cyber attack", "vaccine -covid", "taiwan OR china",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far (user + system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory of the process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str, retry: bool = False) -> tuple[int, bytes]:
        """(status, body); 0 when no answer came. ``retry``: once more on a fresh connection when
        the kept-alive one was closed while idle (uvicorn closes idle ones after 5 s)."""
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return self.get(path) if retry else (0, b"")


def requests(paragraph_ids: list[str]):
    """The endless round of (page kind, path) the clients ask for."""
    n = 0
    while True:
        query = quote(QUERIES[n % len(QUERIES)])
        yield "search page", f"/?q={query}"
        yield "paragraph page", "/p/" + quote(paragraph_ids[n % len(paragraph_ids)].replace("#p", "-p")) + f"?q={query}"
        yield "JSON API", f"/search.json?q={query}"
        n += 1


class CommitWatch:
    """Watches an index directory from outside (a thread polling every 50 ms): each change of its
    live generation or of that generation's ``checksums.json`` (which every commit rewrites) is a
    commit, kept with its time."""

    def __init__(self, index: str):
        self.root = Path(index)
        self.commits: list[float] = []  # time.monotonic() of each commit seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def mark(self):
        try:
            live = (self.root / "CURRENT").read_text().strip()
            info = os.stat(self.root / live / "checksums.json")
            return live, info.st_ino, info.st_mtime_ns, info.st_size
        except OSError:
            return None

    def _watch(self) -> None:
        last = self.mark()
        while not self._stop.wait(0.05):
            now = self.mark()
            if now is not None and now != last:
                self.commits.append(time.monotonic())
                last = now

    def between(self, start: float, end: float) -> list[float]:
        return [t for t in self.commits if start <= t < end]

    def last_before(self, moment: float) -> float | None:
        return max((t for t in self.commits if t <= moment), default=None)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


def run_phase(port: int, clients: int, seconds: float, paragraph_ids: list[str],
              watch: CommitWatch | None = None, extend: float = 0.0):
    """(timings by page kind, errors, [(ms, kind, path, start)], start, end): ``clients`` asking for
    ``seconds``, and with a ``watch`` on, longer (at most ``extend`` more) until a commit landed."""
    timings: dict[str, list[float]] = {}
    requests_made: list[tuple[float, str, str, float]] = []
    errors = [0]
    lock = threading.Lock()
    start = time.monotonic()

    def done() -> bool:
        elapsed = time.monotonic() - start
        if elapsed < seconds:
            return False
        if watch is None or elapsed >= seconds + extend:
            return True
        return bool(watch.between(start, time.monotonic()))

    def worker(offset: int) -> None:
        client = Client(port)
        round_ = requests(paragraph_ids)
        for _ in range(offset * 3):
            next(round_)
        while not done():
            kind, path = next(round_)
            began = time.monotonic()
            started = time.perf_counter()
            status, _ = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.setdefault(kind, []).append(elapsed)
                requests_made.append((elapsed, kind, path, began))
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + extend + 60)
    return timings, errors[0], requests_made, start, time.monotonic()


def start_indexer(index: str, phase: str, batch_files: int, workdir: Path):
    """A ``briefsearch index`` run adding a fresh copy of the extra briefings, or None without them."""
    if not EXTRA.is_dir():
        return None
    folder = workdir / f"extra-{phase}"
    shutil.copytree(EXTRA, folder)
    return subprocess.Popen([sys.executable, "-m", "briefsearch", "index", str(folder), "--index", index, "--jobs", "1",
                             "--batch-files", str(batch_files), "--wait", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_commit(watch: CommitWatch, process, seconds: float) -> float | None:
    """Seconds until the index run's first commit lands (None: none within ``seconds``, or the
    run ended first, or there is no index run)."""
    began = time.monotonic()
    while process is not None and process.poll() is None and time.monotonic() < began + seconds:
        if watch.between(began, time.monotonic()):
            return time.monotonic() - began
        time.sleep(0.1)
    return None


def finish_indexer(process) -> str:
    if process is None:
        return f"no index run: {EXTRA} not found"
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # stops like Ctrl-C: the index keeps its last commit
    output, _ = process.communicate(timeout=120)
    lines = [line for line in output.strip().splitlines() if line]
    return lines[-1] if lines else f"exit {process.returncode}"


def paragraphs_seen(client: Client) -> int | None:
    """The paragraphs the server's overview counts, or None when it does not answer."""
    status, body = client.get("/overview.json", retry=True)
    try:
        return json.loads(body)["paragraphs"] if status == 200 else None
    except (ValueError, KeyError):
        return None


def count(value: int | None) -> str:
    return "(no answer)" if value is None else f"{value:,}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="the index to serve (State + White House)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=8, help="clients at once in the second phase")
    parser.add_argument("--batch-files", type=int, default=2, help="the index run commits after this many files")
    parser.add_argument("--commit-wait", type=float, default=300.0,
                        help="longest wait for an index run's first commit before its phase is timed")
    parser.add_argument("--extend", type=float, default=90.0,
                        help="longest time a phase runs past --seconds waiting for a commit inside it")
    parser.add_argument("--slowest", type=int, default=5, help="slowest requests listed per phase")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="web-bench-"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "briefsearch", "serve", "--index", args.index, "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)
    try:
        client = Client(port)
        deadline = time.monotonic() + 60
        while client.get("/help")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        paragraph_ids = []
        for query in QUERIES:
            status, body = client.get(f"/search.json?q={quote(query)}")
            if status == 200:
                paragraph_ids += [hit["id"] for hit in json.loads(body)["hits"][:3]]
        # every worker thread opens its index once, untimed (a server's start, not a request's)
        run_phase(port, args.clients, 5.0, paragraph_ids)
        before = paragraphs_seen(client)
        print(f"index {args.index}: {count(before)} paragraphs; server pid {server.pid} on 127.0.0.1:{port}")
        watch = CommitWatch(args.index)
        indexer, waited = None, None
        try:
            for phase, clients in (("sequential", 1), (f"{args.clients} clients", args.clients)):
                if indexer is None or indexer.poll() is not None:  # one run serves both phases while it lasts
                    if indexer is not None:
                        print(f"  (the index run ended: {finish_indexer(indexer)}; a new one starts)")
                    indexer = start_indexer(args.index, phase.replace(" ", "-"), args.batch_files, workdir)
                    # timed from the index run's first commit, so that it goes on committing meanwhile
                    waited = wait_for_commit(watch, indexer, args.commit_wait)
                    time.sleep(0.5)  # the server sees that commit at its next request
                committed = paragraphs_seen(client)
                cpu_before, load_before = cpu_seconds(server.pid), os.getloadavg()[0]
                timings, errors, made, start, end = run_phase(port, clients, args.seconds, paragraph_ids,
                                                              watch if indexer is not None else None, args.extend)
                cpu, load = cpu_seconds(server.pid) - cpu_before, os.getloadavg()[0]
                seen = paragraphs_seen(client)
                inside = watch.between(start, end)
                total = sum(len(v) for v in timings.values())
                length = end - start
                print(f"\n{phase}, {length:.1f} s: {total} requests ({total / length:.1f}/s), {errors} errors")
                print(f"  server CPU: {cpu:.1f} s, {1000 * cpu / max(total, 1):.1f} ms a request; machine load "
                      f"{load_before:.1f} when timing began, {load:.1f} when it ended ({os.cpu_count()} cores)")
                print("  index run meanwhile: " + ("still committing" if indexer is not None and indexer.poll() is None
                                                  else "none" if indexer is None else "ended")
                      + "; its first commit " + (f"landed {waited:.0f} s after it started" if waited is not None
                                                 else "did not land before timing began"))
                print(f"  commits during the timed phase: {len(inside)}"
                      + (f" (at {', '.join(f'+{t - start:.1f}' for t in inside)} s)" if inside else
                         " — the phase did NOT run while the index run committed"))
                print(f"  paragraphs the server saw: {count(committed)} when timing began, {count(seen)} when it ended")
                for kind, values in timings.items():
                    print(f"  {kind:<15} n={len(values):>5}  p50 {statistics.median(values):7.1f} ms  p95 {percentile(values, 0.95):7.1f} ms")
                for ms, kind, path, began in sorted(made, reverse=True)[:args.slowest]:
                    last = watch.last_before(began + ms / 1000)
                    after = f"{began - last:+.1f} s from the last commit" if last is not None else "no commit before"
                    print(f"    slow: {ms:7.1f} ms {kind:<15} {after:<28} {path[:60]}")
            print(f"\nindex run: {finish_indexer(indexer)}")
        finally:
            watch.close()
            if indexer is not None and indexer.poll() is None:  # stopped early: no run left behind
                indexer.kill()
        after = paragraphs_seen(client)
        picked = "picked up without a restart" if before is not None and after is not None and after > before else "no commit seen"
        print(f"\nparagraphs the server sees: {count(before)} before, {count(after)} after ({picked})")
        print(f"server peak memory (VmHWM): {peak_memory_mb(server.pid):.0f} MB")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
