"""The Whoosh schema of a briefsearch index, its fingerprint, and paragraphs as Whoosh documents.

One document per paragraph (kind "paragraph") and one per source file (kind "source", holding the
manifest entry: size, mtime, sha256, encoding), so the manifest commits atomically with the
paragraphs it describes. The facets of ``engine.api`` map to fields here (``FACET_FIELDS``).
"""

from __future__ import annotations

import hashlib

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from briefsearch.engine.api import definition_value
from briefsearch.engine.whoosh.analyzer import name_analyzer, text_analyzer
from briefsearch.models import Paragraph
from briefsearch.text.analysis import ANALYZER_VERSION, TOKEN_PATTERN

FORMAT_VERSION = 3


FACET_FIELDS = {"speaker": "speaker", "topic": "topics", "acronym": "acronyms", "flag": "flags"}


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


def paragraph_fields(paragraph: Paragraph) -> dict:
    """The Whoosh document of one paragraph."""
    flags = [name for name, on in (("quote", paragraph.is_quote), ("turn", paragraph.is_turn), ("question", paragraph.is_question)) if on]
    fields = {
        "id": paragraph.id,
        "article_id": paragraph.article_id,
        "position": paragraph.position,
        "text": paragraph.text,
        "title": paragraph.title,
        "topics": ",".join(t.replace(",", " ") for t in paragraph.topics),
        "acronyms": ",".join(definition_value(s, l) for s, l in paragraph.acronyms),
        "flags": " ".join(flags),
        "source": paragraph.source,
    }
    if paragraph.acronyms:
        fields["acronym_definitions"] = [list(pair) for pair in paragraph.acronyms]
    if paragraph.speaker:
        fields["speaker"] = paragraph.speaker
        fields["speaker_words"] = paragraph.speaker
    if paragraph.date:
        fields["day"] = paragraph.date[:10]
        fields["date"] = paragraph.date
    for name in ("author", "url", "section"):
        value = getattr(paragraph, name)
        if value:
            fields[name] = value
    return fields


def paragraph_from_fields(fields: dict) -> Paragraph:
    """The paragraph a stored Whoosh document holds."""
    flags = set((fields.get("flags") or "").split())
    acronyms = [tuple(pair) for pair in fields.get("acronym_definitions") or ()]
    return Paragraph(
        id=fields["id"],
        article_id=fields["article_id"],
        position=fields["position"],
        text=fields.get("text", ""),
        title=fields.get("title", ""),
        date=fields.get("date"),
        author=fields.get("author"),
        source=fields.get("source", ""),
        url=fields.get("url"),
        section=fields.get("section"),
        speaker=fields.get("speaker"),
        is_quote="quote" in flags,
        is_turn="turn" in flags,
        is_question="question" in flags,
        topics=tuple(filter(None, (fields.get("topics") or "").split(","))),
        acronyms=tuple(acronyms),
    )
