"""A Whoosh segment writer that indexes paragraphs in worker processes, new segments in each.

Whoosh spends most of a bulk build in pure Python per posting (analysis, position encoding, the
posting pool, flushing), so on a machine with more than one core the paragraphs of a batch are
handed to worker processes: the writer pickles them to job files in the index's temp folder, in
jobs of ``batch`` paragraphs dealt round-robin (job i to worker i mod n, so which paragraphs land in
which segment, and hence document order, is the same on every run), and each worker writes one
segment (more where its share of the posting pool's budget fills: ``segments``). ``commit`` waits
for the workers, adds their segments to the segment list and then commits like a plain writer:
the merge policy sees them with the rest, and the TOC that names them is written once,
atomically, by this process.

Whoosh's own ``MpWriter`` is not used: its ``cancel`` never reaches the workers (they block on the
job queue, and the interpreter waits for them at exit), a worker that dies loses its documents
without a word, workers share one queue (document order differs run to run), and Ctrl-C prints a
traceback per worker. Here workers ignore SIGINT (the parent handles it and terminates them), end
themselves when the parent is gone, and report any exception, which ``commit`` raises.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal

from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from briefsearch.engine.whoosh.segments import RollingSegmentWriter
from briefsearch.errors import WriterFailed

_POLL = 0.5  # seconds between checks that the other side is still alive


class _Worker(multiprocessing.Process):
    """Indexes the paragraphs of the job files it is sent into segments of its own (one, or more
    where its share of the posting pool's budget fills up)."""

    def __init__(self, storage, indexname: str, writer_args: dict):
        super().__init__(daemon=True)
        self.storage = storage
        self.indexname = indexname
        self.writer_args = writer_args
        self.parent_pid = os.getpid()
        self.jobs = multiprocessing.Queue()
        self.results = multiprocessing.Queue()

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent handles it and terminates us
        try:
            self.results.put(("segments", self._index()))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            try:
                pickle.dumps(error)
            except Exception:  # noqa: BLE001
                error = WriterFailed(f"An indexing worker process failed ({type(error).__name__}: {error}) — "
                                     "the index is as of its last commit; run briefsearch index again")
            self.results.put(("error", error))

    def _index(self):
        ix = self.storage.open_index(self.indexname)
        writer = RollingSegmentWriter(ix, _lk=False, **self.writer_args)  # the parent holds the lock
        temp = writer.temp_storage()
        while True:
            if os.getppid() != self.parent_pid:  # the parent was killed: nobody will commit
                raise SystemExit(1)
            try:
                job = self.jobs.get(timeout=_POLL)
            except queue.Empty:
                continue
            if job is None:
                break
            filename, count = job
            with temp.open_file(filename).raw_file() as jobfile:
                for _ in range(count):
                    writer.add_document(**pickle.load(jobfile))
            temp.delete_file(filename)
        # The segments' files are written but named by no TOC until the parent commits; if it
        # never does, the next run's recovery deletes them. The shared temp folder is the parent's
        # to remove, so the writer is not finished here.
        return writer.finished_segments()


class ParallelSegmentWriter(SegmentWriter):
    """``SegmentWriter`` whose added documents are indexed by ``procs`` worker processes."""

    def __init__(self, ix, procs: int, batch: int = 100, **writer_args):
        super().__init__(ix, **writer_args)
        self.procs = procs
        self.batch = batch
        self.writer_args = writer_args
        self.workers: list[_Worker] = []
        self._buffer: list[dict] = []
        self._jobs = 0

    def add_document(self, **fields) -> None:
        self._buffer.append(fields)
        if len(self._buffer) >= self.batch:
            self._send()

    def _send(self) -> None:
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as jobfile:
            for fields in self._buffer:
                pickle.dump(fields, jobfile, pickle.HIGHEST_PROTOCOL)
        if len(self.workers) < self.procs:
            worker = _Worker(self.storage, self.indexname, self.writer_args)
            worker.start()
            self.workers.append(worker)
        self.workers[self._jobs % self.procs].jobs.put((filename, len(self._buffer)))
        self._jobs += 1
        self._buffer = []

    def commit(self, mergetype=None, optimize=False, merge=True) -> None:
        self._check_state()
        if self._buffer:
            self._send()
        for worker in self.workers:
            worker.jobs.put(None)
        segments = [segment for worker in self.workers for segment in self._result(worker)]
        self._stop_workers()
        self.segments = self.segments + segments  # the merge policy and the TOC see them as committed ones
        super().commit(mergetype=mergetype, optimize=optimize, merge=merge)

    def _result(self, worker: _Worker):
        while True:
            alive = worker.is_alive()  # checked first: a result sent just before exiting is still read
            try:
                kind, value = worker.results.get(timeout=_POLL)
                break
            except queue.Empty:
                if not alive:
                    raise WriterFailed(
                        f"An indexing worker process ended (exit code {worker.exitcode}) without writing its "
                        "part — the index is as of its last commit; run briefsearch index again") from None
        if kind == "error":
            raise value
        return value

    def _stop_workers(self) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join()
            worker.jobs.close()
            worker.results.close()

    def cancel(self) -> None:
        self._stop_workers()
        super().cancel()
