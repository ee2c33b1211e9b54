"""The Whoosh engine (Whoosh-Reloaded 2.7.5, pinned): the contract of ``engine.api`` over Whoosh.

The rooms: ``patches`` (fixes of Whoosh itself, installed here before anything else imports
Whoosh), ``analyzer`` and ``schema`` (what a document is), ``directory`` (the index files),
``writer`` and ``parallel`` (writing), ``compiler`` and ``reader`` (reading), ``errors``.
"""

from __future__ import annotations

from briefsearch.engine.whoosh import patches

patches.install()

from briefsearch.engine.api import FolderEngine  # noqa: E402
from briefsearch.engine.whoosh import directory  # noqa: E402
from briefsearch.engine.whoosh.reader import WhooshReader  # noqa: E402
from briefsearch.engine.whoosh.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT  # noqa: E402
from briefsearch.engine.whoosh.writer import WhooshWriter  # noqa: E402


ENGINE = FolderEngine("whoosh", FORMAT_VERSION, SCHEMA_FINGERPRINT, directory, WhooshWriter, WhooshReader)
