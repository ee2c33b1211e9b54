"""The engine interface: the only way the rest of briefsearch reaches the search library.

A writer adds, replaces and deletes the paragraphs of source files and commits; a reader compiles
briefsearch's query structure, searches, fetches paragraphs by id, and reports counts. Whoosh is
the one implementation (``whoosh_engine``); a second engine would be one more module here.
"""

from __future__ import annotations

import functools
import sys
import types

# Whoosh-Reloaded takes one decorator from the ``cached_property`` package, which imports all of
# asyncio (tens of ms on every ``briefsearch query``); the standard library's does the same job.
if "cached_property" not in sys.modules:
    _shim = types.ModuleType("cached_property")
    _shim.cached_property = functools.cached_property
    sys.modules["cached_property"] = _shim

# whoosh.compat binds urllib.request.urlretrieve (never called by briefsearch), and importing
# urllib.request loads ssl, email and http.client. Lend it a stand-in for that one import.
if "urllib.request" not in sys.modules and "whoosh.compat" not in sys.modules:

    def _urlretrieve(*args, **kwargs):
        from urllib.request import urlretrieve

        return urlretrieve(*args, **kwargs)

    _stand_in = types.ModuleType("urllib.request")
    _stand_in.urlretrieve = _urlretrieve
    sys.modules["urllib.request"] = _stand_in
    try:
        import whoosh.compat  # noqa: E402,F401
    finally:
        del sys.modules["urllib.request"]

from briefsearch.engine.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT  # noqa: E402
from briefsearch.engine.whoosh_engine import (  # noqa: E402
    EngineHits,
    WhooshReader as Reader,
    WhooshWriter as Writer,
    committed_file_test,
    create_index,
    create_writer,
    open_reader,
    paragraph_from_fields,
    recover_generation,
)

__all__ = ["FORMAT_VERSION", "SCHEMA_FINGERPRINT", "EngineHits", "Reader", "Writer", "committed_file_test", "create_index", "create_writer", "open_reader", "paragraph_from_fields", "recover_generation"]
