"""The Whoosh schema of a briefsearch index, and its fingerprint for the version stamp.

One document per paragraph (kind "paragraph") and one per source file (kind "source", holding the
manifest entry: size, mtime, sha256, encoding), so the manifest commits atomically with the
paragraphs it describes.
"""

from __future__ import annotations

import hashlib

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from briefsearch.engine.analysis import ANALYZER_VERSION, TOKEN_PATTERN, name_analyzer, text_analyzer

FORMAT_VERSION = 3


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),  # only on source records: paragraphs are found by their words
        article_id=ID(stored=True, sortable=True),
        position=STORED(),  # neighbours are looked up by id (article#pN), so no index terms
        text=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
        title=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
        speaker=ID(stored=True),
        speaker_words=TEXT(analyzer=name_analyzer(), phrase=False),
        topics=KEYWORD(stored=True, commas=True, lowercase=True, scorable=False),
        # "short=long form" terms for counting and expansion (commas are the separator, so a long
        # form's own commas become spaces there); the definitions as written are stored beside.
        acronyms=KEYWORD(commas=True, lowercase=True, scorable=False),
        acronym_definitions=STORED(),
        flags=KEYWORD(stored=True),
        day=ID(stored=False, sortable=True),
        date=STORED(),
        author=STORED(),
        source=ID(stored=True),
        url=STORED(),
        section=STORED(),
        meta=STORED(),
    )


# A canonical text description of what the schema means; any change here needs FORMAT_VERSION + 1.
SCHEMA_DESCRIPTION = (
    f"format={FORMAT_VERSION};analyzer={ANALYZER_VERSION};tokens={TOKEN_PATTERN};"
    "fields=id:ID,kind:ID,article_id:ID,position,text:TEXT,title:TEXT,speaker:ID,"
    "speaker_words:TEXT,topics:KEYWORD,acronyms:KEYWORD,acronym_definitions,flags:KEYWORD,day:ID,date,author,source:ID,"
    "url,section,meta"
)
SCHEMA_FINGERPRINT = hashlib.sha256(SCHEMA_DESCRIPTION.encode()).hexdigest()[:16]
