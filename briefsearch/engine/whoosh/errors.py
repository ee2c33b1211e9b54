"""Whoosh errors that only damaged index bytes produce, mapped to briefsearch's CorruptIndex.

Damage surfaces lazily, as whatever the damaged read raised (bad compression, short reads,
broken pickles, "Block tag error"): every reader method is wrapped so that the user gets the
one-sentence way out instead of an internal error.
"""

from __future__ import annotations

import functools

from briefsearch.errors import CorruptIndex


def damage_errors() -> tuple[type[BaseException], ...]:
    """The exception types a read of damaged bytes raises."""
    import pickle
    import struct
    import zlib

    from whoosh.reading import TermNotFound

    # TermNotFound: a term the lexicon just listed is missing from the same segment's terms.
    return (EOFError, zlib.error, struct.error, pickle.UnpicklingError, TermNotFound, UnicodeDecodeError)


def reading(method):
    """Errors that only damaged index bytes produce (bad compression, short reads, broken
    pickles) become CorruptIndex with the way out, instead of an internal error."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            # Whoosh reports a damaged postings block as a plain Exception("Block tag error ...").
            if not isinstance(error, damage_errors()) and not str(error).startswith("Block tag error"):
                raise
            raise CorruptIndex(
                f"The index is damaged ({type(error).__name__}: {error}) — run: briefsearch check, "
                "then briefsearch index --rebuild"
            ) from error

    return wrapper
