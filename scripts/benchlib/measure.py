"""Running one child process and measuring it: wall time from outside, peak memory, medians.

Peak RSS is the kernel's high-water mark (``ru_maxrss``) of the measured process and the children
it waited for: the largest single process, not a sum. A child started straight from this process
would inherit this process's own high-water mark (Linux carries it across vfork + exec), so when
``/usr/bin/time`` exists the command is started through it and its ``%M`` is read instead; it adds
about a millisecond to the wall time. When asked, a sampler also sums the RSS of the whole process
tree every 50 ms, which is what matters when a tool runs workers side by side.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


TIME_COMMAND = shutil.which("time", path="/usr/bin:/bin")


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss: int  # bytes, largest single process (ru_maxrss)
    tree_rss: int  # bytes, largest sampled sum over the process tree (0 if not sampled)
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system time of the child and the children it waited for


def run_child(cmd: list[str], *, cwd=None, env=None, sample_tree=False, timeout=None) -> ChildRun:
    """Run ``cmd`` to completion; time it with perf_counter around start and reap."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss_file:
        if TIME_COMMAND:
            cmd = [TIME_COMMAND, "-f", "%M", "-o", rss_file.name, *cmd]
        sampler = None
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        if sample_tree:
            sampler = _TreeSampler(proc.pid)
            sampler.start()
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        tree = sampler.stop() if sampler else 0
        out.seek(0)
        err.seek(0)
        peak = _time_peak(rss_file) if TIME_COMMAND else usage.ru_maxrss * 1024
        return ChildRun(seconds, peak, tree, proc.returncode,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        usage.ru_utime + usage.ru_stime)


def _time_peak(rss_file) -> int:
    """%M (KB) is the last line; a failing command adds a status line before it."""
    lines = rss_file.read().split()
    return int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else 0


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def run(self):
        while not self._done.wait(0.05):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return pids


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a list of numbers."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def dir_bytes(path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
