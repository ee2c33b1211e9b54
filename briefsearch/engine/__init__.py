"""The engine interface: the only way the rest of briefsearch reaches the search library.

A writer adds, replaces and deletes the paragraphs of source files and commits; a reader compiles
briefsearch's query structure, searches, fetches paragraphs by id, and reports counts. Whoosh is
the one implementation (``whoosh_engine``); a second engine would be one more module here.
"""

from __future__ import annotations

from briefsearch.engine.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT
from briefsearch.engine.whoosh_engine import (
    EngineHits,
    WhooshReader as Reader,
    WhooshWriter as Writer,
    committed_file_test,
    create_index,
    create_writer,
    open_reader,
    recover_generation,
)

__all__ = ["FORMAT_VERSION", "SCHEMA_FINGERPRINT", "EngineHits", "Reader", "Writer", "committed_file_test", "create_index", "create_writer", "open_reader", "recover_generation"]
