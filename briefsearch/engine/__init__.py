"""The engines behind the contract in ``engine.api``, found by the name a generation's stamp records.

Importing this package loads no engine: ``engine_named`` imports the one asked for, so a query
pays only for the engine its index was built with.
"""

from __future__ import annotations

from importlib import import_module

from briefsearch.engine.api import Engine
from briefsearch.errors import IncompatibleIndex

DEFAULT_ENGINE = "whoosh"
ENGINES = {"whoosh": "briefsearch.engine.whoosh"}


def engine_named(name: str) -> Engine:
    """The engine called ``name`` (each engine package exposes it as ``ENGINE``)."""
    try:
        module = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise IncompatibleIndex(f"The index was built with the engine {name!r}, which this briefsearch does not have "
                                f"(it has: {known}) — run: briefsearch index --rebuild") from None
    return import_module(module).ENGINE
