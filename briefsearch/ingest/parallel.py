"""Extraction in worker processes: the stateless half of ingest (read, extract, chunk) for the
files of a run, handed back in file order.

Enrichment learns across the collection (who a surname is, a speaker's aliases), so it stays in
the indexing process, in file order, and results are the same as with one process. Extraction
(HTML parsing above all) is most of the rest of a bulk build, and each file's is independent: file
i goes to worker i mod n, and results are read back from worker i mod n, so the order never
depends on timing. At most ``AHEAD`` files per worker are in flight, which bounds the memory of
results not yet consumed. Workers ignore SIGINT (the parent handles Ctrl-C and stops them), end
themselves when the parent is gone (the kernel ends them on Linux, even mid-file; elsewhere they check
every half second), and send back any exception, which
is raised in the parent where the file is consumed, as if extraction had run there. A large JSON
Lines export, streamed a batch of records at a time (``pipeline.stream_file``), is read in order
by a worker of its own, a few batches ahead of the enrichment and writing (``streamed_ahead``).
With each file or batch, a worker sends what the indexing process would otherwise make of its
paragraph texts one by one (``MadeAhead``: the ledger's fingerprints and anchors, the vocabulary's
word counts, the engine's index terms, the topics each text names on its own, which enrichment
starts from), since enrichment never changes a paragraph's text.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from briefsearch.errors import WriterFailed
from briefsearch.ingest.pipeline import extract_file, stream_file
from briefsearch.text.analysis import terms_ahead, use_terms_ahead
from briefsearch.text.fingerprint import statement_print
from briefsearch.text.vocabulary import word_counts

AHEAD = 2
_POLL = 0.5


def _end_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (PR_SET_PDEATHSIG): a worker
    in the middle of a long file would otherwise outlive a killed indexer by that file's time,
    holding its output pipes open."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the half-second check below still ends the worker


@dataclass(frozen=True)
class MadeAhead:
    """What a worker made of the paragraph texts of one file or batch, for the indexing process."""

    prints: dict[str, tuple[str, list[int]]]  # text -> (fingerprint, anchors): ``text.fingerprint.statement_print``
    words: Counter  # the vocabulary's counts of the texts (``text.vocabulary.word_counts``)
    terms: dict  # (text, stem) -> joined index terms (``text.analysis.terms_ahead``), when the engine takes them
    topics: dict  # text -> the labels it names in the shipped taxonomy (``enrich.topics.text_topics``), if any

    def statement_print(self, text: str) -> tuple[str, list[int]]:
        made = self.prints.get(text)
        return made if made is not None else statement_print(text)

    def text_topics(self, enricher) -> dict | None:
        """``topics`` for ``enricher`` (``ingest.enrich.Enricher.enrich``): None unless its taxonomy
        is the shipped one."""
        return self.topics if enricher.taxonomy is _shipped_taxonomy() else None


def _shipped_taxonomy():
    """The taxonomy of an enricher given none of its own (``load_taxonomy`` keeps one object)."""
    from briefsearch.ingest.enrich.topics import DEFAULT_TAXONOMY, load_taxonomy

    return load_taxonomy(str(DEFAULT_TAXONOMY), None)


def _made_ahead(articles, with_terms: bool) -> MadeAhead:
    """``MadeAhead`` of (article, chunks) pairs; the terms also of the articles' titles."""
    from briefsearch.ingest.enrich.topics import text_topics

    texts = [chunk.text for _, chunks in articles for chunk in chunks]
    terms = terms_ahead([*texts, *{article.title for article, _ in articles}]) if with_terms else {}
    taxonomy = _shipped_taxonomy()
    topics = {text: dict(found) for text in texts if (found := text_topics(taxonomy, text))}
    return MadeAhead({text: statement_print(text) for text in texts}, word_counts(texts), terms, topics)


def _extracted_with_terms(task, with_terms: bool):
    """``extract_file(*task)`` and its ``MadeAhead`` (None when the file is unchanged)."""
    extracted = extract_file(*task)
    if extracted is None:
        return extracted, None
    return extracted, _made_ahead(extracted[0], with_terms)


def _work(tasks, results, parent: int, close_fds: tuple, with_terms: bool = False) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    for fd in close_fds:  # the parent's writer lock: a flock lives while any process holds it, and
        try:  # a worker that outlived a killed parent kept the next run out (exit 75)
            os.close(fd)
        except OSError:
            pass
    while True:
        if os.getppid() != parent:
            return
        try:
            task = tasks.get(timeout=_POLL)
        except queue.Empty:
            continue
        if task is None:
            return
        try:
            outcome = ("ok", *_extracted_with_terms(task, with_terms))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            try:
                pickle.dumps(error)
            except Exception:  # noqa: BLE001
                error = WriterFailed(f"Extracting {task[0].path} failed in a worker process ({type(error).__name__}: {error})")
            outcome = ("error", error, None)
        results.put(outcome)


def extracted_in_order(tasks: Iterable[tuple], workers: int, close_fds: tuple = (),
                       with_terms: bool = False) -> Iterator[tuple[str, object, MadeAhead | None]]:
    """("ok", ``extract_file(*task)``, its ``MadeAhead``) or ("error", the exception it raised,
    None) for each task, in order, computed by ``workers`` processes (in this process when
    ``workers`` < 2, with no ``MadeAhead``), which close the inherited descriptors ``close_fds``
    (the writer lock) first. With ``with_terms`` the workers also make the index terms of each
    file's texts, handed to ``text.analysis`` as the file is yielded (``use_terms_ahead``): valid
    until the next one is."""
    tasks = list(tasks)
    if workers < 2 or len(tasks) < 2:
        for task in tasks:
            try:
                outcome = ("ok", extract_file(*task), None)
            except Exception as error:  # noqa: BLE001 - raised by the consumer, in its turn
                outcome = ("error", error, None)
            yield outcome
        return
    workers = min(workers, len(tasks))
    context = multiprocessing.get_context("fork")
    pool = []
    for _ in range(workers):
        inbox, outbox = context.Queue(), context.Queue()
        process = context.Process(target=_work, args=(inbox, outbox, os.getpid(), tuple(fd for fd in close_fds if fd is not None),
                                                      with_terms), daemon=True)
        process.start()
        pool.append((process, inbox, outbox))
    try:
        sent = 0
        for number in range(len(tasks)):
            while sent < len(tasks) and sent < number + AHEAD * workers:
                pool[sent % workers][1].put(tasks[sent])
                sent += 1
            kind, value, made = _result(*pool[number % workers][::2])
            use_terms_ahead(made.terms if made else {})
            yield kind, value, made
    finally:
        use_terms_ahead({})
        for process, inbox, outbox in pool:
            if process.is_alive():
                process.terminate()
        for process, inbox, outbox in pool:
            process.join()
            inbox.close()
            outbox.close()


def _result(process, outbox):
    while True:
        alive = process.is_alive()  # checked first: a result sent just before exiting is still read
        try:
            return outbox.get(timeout=_POLL)
        except queue.Empty:
            if not alive:
                raise WriterFailed(f"An extraction worker process ended (exit code {process.exitcode}) — the index is "
                                   "as of its last commit; run briefsearch index again") from None


STREAM_AHEAD = 2  # batches a stream worker may have read beyond the one being written


def _sendable(error: BaseException, path: str) -> BaseException:
    try:
        pickle.dumps(error)
        return error
    except Exception:  # noqa: BLE001
        return WriterFailed(f"Extracting {path} failed in a worker process ({type(error).__name__}: {error})")


def _stream_work(task, results, parent: int, close_fds: tuple, with_terms: bool) -> None:
    """One streamed file, read in order here: ("entry", entry) or ("none",), then ("batch", batch,
    entry as it stands, its ``MadeAhead``) per batch, then ("end", entry); ("error", exception)
    where ``stream_file`` raised it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        streamed = stream_file(*task)
        if streamed is None:
            results.put(("none",))
            return
        batches, entry = streamed
        results.put(("entry", dict(entry)))
        for batch in batches:
            if os.getppid() != parent:
                return
            results.put(("batch", batch, dict(entry), _made_ahead(batch, with_terms)))
        results.put(("end", dict(entry)))
    except BaseException as error:  # noqa: BLE001 - raised in the parent where it would have been
        results.put(("error", _sendable(error, task[0].path)))


def streamed_ahead(task: tuple, workers: int, close_fds: tuple = (), with_terms: bool = False):
    """``stream_file(*task)`` with its reading, parsing and chunking done by a worker process (in
    this process when ``workers`` < 2), at most ``STREAM_AHEAD`` batches ahead of the consumer:
    the same None or (batches, entry), the same exceptions at the same points, ``entry`` kept as
    the worker's stands after each batch taken, but each batch comes as (batch, its ``MadeAhead``,
    None in this process). With ``with_terms`` the worker also makes the index terms of each
    batch (``text.analysis.terms_ahead``), valid until the next batch but one is taken (a writer
    may hold an article across two batches)."""
    if workers < 2:
        streamed = stream_file(*task)
        return None if streamed is None else (((batch, None) for batch in streamed[0]), streamed[1])
    context = multiprocessing.get_context("fork")
    results = context.Queue(maxsize=STREAM_AHEAD)
    process = context.Process(target=_stream_work, args=(task, results, os.getpid(),
                                                         tuple(fd for fd in close_fds if fd is not None), with_terms),
                              daemon=True)
    process.start()

    def finish() -> None:
        if process.is_alive():
            process.terminate()
        process.join()
        results.close()

    try:
        first = _result(process, results)
    except BaseException:
        finish()
        raise
    if first[0] != "entry":
        finish()
        if first[0] == "error":
            raise first[1]
        return None
    entry = first[1]

    def batches():
        previous: dict = {}
        try:
            while True:
                message = _result(process, results)
                if message[0] == "error":
                    raise message[1]
                entry.update(message[-1] if message[0] == "end" else message[2])
                if message[0] == "end":
                    return
                made = message[3]
                use_terms_ahead({**previous, **made.terms})
                previous = made.terms
                yield message[1], made
        finally:
            use_terms_ahead({})
            finish()

    return batches(), entry
