"""Domain errors raised by the library; the CLI turns each into one sentence and an exit code.

Every message is a full sentence that says what is wrong and what to do next.
"""

from __future__ import annotations


class BriefsearchError(Exception):
    """Base class of every error briefsearch raises on purpose."""


class QuerySyntaxError(BriefsearchError):
    """The query text cannot be understood (unbalanced parentheses, unknown field, ...)."""


class QueryTooExpensive(BriefsearchError):
    """The query is over a cap (length, terms, phrase length, nesting, wildcard expansion)."""


class NoIndex(BriefsearchError):
    """There is no index at the given directory."""


class IncompatibleIndex(BriefsearchError):
    """The index was written by an incompatible version of briefsearch."""


class CorruptIndex(BriefsearchError):
    """The index cannot be read, or its files do not match their recorded checksums."""


class IndexBusy(BriefsearchError):
    """Another process holds the writer lock."""


class DiskFull(BriefsearchError):
    """Writing ran out of space; the index is unchanged."""


class WriterFailed(BriefsearchError):
    """A worker process that was writing the index ended without finishing its part."""


class SourceError(BriefsearchError):
    """A source path cannot be used at all (missing path, not a folder or file)."""


class SkippedFile(BriefsearchError):
    """One source file cannot be indexed; the run warns and goes on.

    ``reason`` is a short phrase shown after the file name ("binary file", "empty file", ...).
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotFound(BriefsearchError):
    """A paragraph or article id is not in the index."""


class EngineUnavailable(BriefsearchError):
    """The engine an index was built with (or that was asked for) is an optional extra that is not installed."""


class UsageError(BriefsearchError):
    """Options that do not fit the index they are given for."""
