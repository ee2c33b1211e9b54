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

FORMAT_VERSION = 7

FACET_FIELDS = {"speaker": "speaker", "topic": "topics", "acronym": "acronyms", "flag": "flags", "speech": "speech",
                "outlet": "outlet", "date": "pub_day"}
ORDER_FIELDS = {"oldest": ("date_up", False), "newest": ("date_down", True)}  # order → (sort field, descending)
# Sort keys for the date orders: publication time then position, undated paragraphs last either way
UNDATED_OLDEST, UNDATED_NEWEST = "~", ""


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),  # only on source records: paragraphs are found by their words
        # The whole paragraph (``Paragraph.to_record``): a new paragraph attribute needs no field here
        paragraph=STORED(),
        article_id=ID(),
        text=TEXT(analyzer=text_analyzer(), phrase=True),
        # The text's words as written (unstemmed index terms, no positions, never scored): what
        # prefixes and fuzzy words match, so that "cooperat*" finds "cooperation" and not "Cooper"
        written=KEYWORD(analyzer=text_analyzer(stem=False)),
        title=TEXT(analyzer=text_analyzer(), phrase=True),
        speaker=ID(),
        speaker_words=TEXT(analyzer=name_analyzer(), phrase=False),
        topics=KEYWORD(commas=True, lowercase=True, scorable=False),
        # ``definition_value`` terms, for counting and expansion (commas separate them)
        acronyms=KEYWORD(commas=True, lowercase=True, scorable=False),
        flags=KEYWORD(),
        speech=ID(),  # the kind of speech (models.SPEECH_KINDS)
        # an answer's question and a question's answer (``engine.api.exchange_texts``): what the
        # query fields ``answers:`` and ``questions:`` search
        asked=TEXT(analyzer=text_analyzer(), phrase=False),
        answered=TEXT(analyzer=text_analyzer(), phrase=False),
        pub_day=ID(sortable=True),  # YYYY-MM-DD
        outlet=ID(),
        date_up=ID(sortable=True),  # the date orders' keys (``sort_keys``)
        date_down=ID(sortable=True),
        source=ID(stored=True),  # the file: what a re-index replaces; stored on manifest records
        meta=STORED(),  # a manifest record's entry
    )


# A canonical text description of what the schema means; any change here needs FORMAT_VERSION + 1.
SCHEMA_DESCRIPTION = (
    f"format={FORMAT_VERSION};analyzer={ANALYZER_VERSION};tokens={TOKEN_PATTERN};"
    "fields=id:ID,kind:ID,paragraph,article_id:ID,text:TEXT,written:KEYWORD,title:TEXT,speaker:ID,speaker_words:TEXT,"
    "topics:KEYWORD,acronyms:KEYWORD,flags:KEYWORD,speech:ID,asked:TEXT,answered:TEXT,pub_day:ID,outlet:ID,date_up:ID,date_down:ID,source:ID,meta"
)
SCHEMA_FINGERPRINT = hashlib.sha256(SCHEMA_DESCRIPTION.encode()).hexdigest()[:16]


def paragraph_fields(paragraph: Paragraph, exchange: tuple[str, str] = ("", "")) -> dict:
    """The Whoosh document of one paragraph; ``exchange`` is (its question's text, its answer's
    text) when it takes part in one (``engine.api.exchange_texts``)."""
    flags = [name for name, on in (("quote", paragraph.is_quote), ("turn", paragraph.is_turn), ("question", paragraph.is_question)) if on]
    fields = {
        "id": paragraph.id,
        "paragraph": paragraph.to_record(),
        "article_id": paragraph.article_id,
        "text": paragraph.text,
        "written": paragraph.text,
        "title": paragraph.title,
        "topics": ",".join(t.replace(",", " ") for t in paragraph.topics),
        "acronyms": ",".join(definition_value(s, l) for s, l in paragraph.acronyms),
        "flags": " ".join(flags),
        "source": paragraph.source,
    }
    if paragraph.speaker:
        fields["speaker"] = paragraph.speaker
        fields["speaker_words"] = paragraph.speaker
    if paragraph.date:
        fields["pub_day"] = paragraph.date[:10]
    if paragraph.speech:
        fields["speech"] = paragraph.speech
    asked, answered = exchange
    if asked:
        fields["asked"] = asked
    if answered:
        fields["answered"] = answered
    if paragraph.outlet:
        fields["outlet"] = paragraph.outlet
    fields["date_up"], fields["date_down"] = sort_keys(paragraph)
    return fields


def sort_keys(paragraph: Paragraph) -> tuple[str, str]:
    """The paragraph's keys for the oldest-first (ascending) and newest-first (descending) orders:
    publication time, then the article, then the position in reading order in both; undated
    paragraphs sort last in both."""
    if not paragraph.date:
        return UNDATED_OLDEST, UNDATED_NEWEST
    oldest = f"{paragraph.date}|{paragraph.article_id}|{paragraph.position:06d}"
    newest = f"{paragraph.date}|{paragraph.article_id}|{999_999 - paragraph.position:06d}"
    return oldest, newest


def paragraph_from_fields(fields: dict) -> Paragraph:
    """The paragraph a stored Whoosh document holds."""
    return Paragraph.from_record(fields["paragraph"])


def is_paragraph(fields: dict) -> bool:
    """Whether stored fields are a paragraph's (not a manifest record's)."""
    return "paragraph" in fields
