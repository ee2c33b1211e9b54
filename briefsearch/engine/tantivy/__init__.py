"""The tantivy engine (the ``tantivy`` package, an optional extra): the contract of ``engine.api``
over tantivy, fed briefsearch's own index terms so that it matches what the Whoosh engine matches.

The rooms: ``schema`` (what a document is), ``directory`` (the index files), ``writer`` (writing),
``compiler`` and ``reader`` (reading).
"""

from __future__ import annotations

from briefsearch.engine.api import FolderEngine
from briefsearch.engine.tantivy import directory
from briefsearch.engine.tantivy.reader import TantivyReader
from briefsearch.engine.tantivy.schema import FORMAT_VERSION, SCHEMA_FINGERPRINT
from briefsearch.engine.tantivy.writer import TantivyWriter


ENGINE = FolderEngine("tantivy", FORMAT_VERSION, SCHEMA_FINGERPRINT, directory, TantivyWriter, TantivyReader)
