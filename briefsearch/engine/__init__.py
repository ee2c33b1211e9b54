"""The engines behind the contract in ``engine.api``, found by the name a generation's stamp records.

Importing this package loads no engine: ``engine_named`` imports the one asked for, so a query
pays only for the engine its index was built with.
"""

from __future__ import annotations

from importlib import import_module

from briefsearch.engine.api import Engine
from briefsearch.errors import EngineUnavailable, IncompatibleIndex

DEFAULT_ENGINE = "whoosh"
ENGINES = {"whoosh": "briefsearch.engine.whoosh", "tantivy": "briefsearch.engine.tantivy"}
EXTRAS = {"tantivy": "tantivy"}  # engines whose library is an optional extra of the package


def engine_named(name: str) -> Engine:
    """The engine called ``name`` (each engine package exposes it as ``ENGINE``)."""
    try:
        module = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise IncompatibleIndex(f"The index was built with the engine {name!r}, which this briefsearch does not have "
                                f"(it has: {known}) — run: briefsearch index --rebuild") from None
    try:
        return import_module(module).ENGINE
    except ModuleNotFoundError as error:
        if name not in EXTRAS or error.name != EXTRAS[name]:
            raise
        raise EngineUnavailable(f"The {name} engine needs the {EXTRAS[name]} package — run: pip install 'briefsearch[{name}]'") from None
