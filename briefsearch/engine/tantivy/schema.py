"""The tantivy schema of a briefsearch index, its fingerprint, and paragraphs as tantivy documents.

tantivy's own tokenizers cannot reproduce briefsearch's analysis (``text.analysis``), and custom
tokenizers are not saved with an index, so the text and title fields are fed briefsearch's own
index terms, space-separated, through tantivy's built-in ``whitespace`` tokenizer: one token per
term, positions in order, nothing lowercased or stemmed again (index terms never hold a space).
Matching is therefore exactly the Whoosh engine's.

One document per paragraph (kind "paragraph", and also "article" on an article's first paragraph,
so that articles are counted without a terms aggregation) and one per source file (kind "source",
holding the manifest entry), so the manifest commits atomically with the paragraphs it describes.
The facets of ``engine.api`` are raw-tokenized fast fields (``FACET_FIELDS``), counted live by a
terms aggregation. ``day`` is an integer YYYYMMDD, indexed for date ranges and fast for sorting.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import tantivy

from briefsearch.engine.api import definition_value
from briefsearch.models import Paragraph
from briefsearch.text.analysis import ANALYZER_VERSION, TOKEN_PATTERN, joined_terms, joined_terms_both

FORMAT_VERSION = 4
TERMS_TOKENIZER = "whitespace"

FACET_FIELDS = {"speaker": "speaker", "topic": "topics", "acronym": "acronyms", "flag": "flags", "speech": "speech",
                "outlet": "outlet", "date": "day"}
INTEGER_FACETS = {"date": "day"}  # facets kept as integers (YYYYMMDD), shown as text (``day_text``)
ORDER_FIELDS = {"oldest": ("date_up", False), "newest": ("date_down", True)}  # order → (sort field, descending)
_POSITIONS = 1 << 20  # sort keys: seconds since 1970 times this, plus the position
UNDATED_UP, UNDATED_DOWN = (1 << 63) - 1, 0  # undated paragraphs sort last in both orders


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("key", indexed=True, fast=True)  # a hash of the id, read back without the document
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("paragraph", stored=True)  # the whole paragraph (``Paragraph.to_record``), JSON
    builder.add_text_field("text", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    # the text's words as written (unstemmed index terms): what prefixes and fuzzy words match
    builder.add_text_field("written", tokenizer_name=TERMS_TOKENIZER, index_option="basic")
    builder.add_text_field("title", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    builder.add_text_field("speaker", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("speaker_words", tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    builder.add_text_field("topics", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("acronyms", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("flags", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("speech", tokenizer_name="raw", index_option="basic", fast=True)
    # an answer's question and a question's answer (``engine.api.exchange_texts``), as index terms:
    # what the query fields ``answers:`` and ``questions:`` search
    builder.add_text_field("asked", tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    builder.add_text_field("answered", tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_text_field("article_id", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("outlet", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_unsigned_field("date_up", fast=True)  # the date orders' keys (``sort_keys``)
    builder.add_unsigned_field("date_down", fast=True)
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("meta", stored=True)  # a manifest record's path and entry, JSON
    return builder.build()


# A canonical text description of what the schema means; any change here needs FORMAT_VERSION + 1.
SCHEMA_DESCRIPTION = (
    f"tantivy;format={FORMAT_VERSION};analyzer={ANALYZER_VERSION};tokens={TOKEN_PATTERN};tokenizer={TERMS_TOKENIZER};"
    "fields=id:raw,key:u64,kind:raw,paragraph:bytes,text:terms,written:unstemmed,title:terms,speaker:raw,speaker_words:terms,"
    "topics:raw,acronyms:raw,flags:raw,speech:raw,asked:terms,answered:terms,day:i64,article_id:raw,outlet:raw,date_up:u64,date_down:u64,"
    "source:raw,meta:bytes"
)
SCHEMA_FINGERPRINT = hashlib.sha256(SCHEMA_DESCRIPTION.encode()).hexdigest()[:16]


def paragraph_key(paragraph_id: str) -> int:
    """The ``key`` of a paragraph id: 64 bits of its hash."""
    return int.from_bytes(hashlib.blake2b(paragraph_id.encode("utf-8"), digest_size=8).digest(), "little")


def day_number(day: str) -> int:
    """"2021-06-09" → 20210609."""
    return int(day[:10].replace("-", ""))


def day_text(number: int) -> str:
    text = f"{int(number):08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def topic_value(topic: str) -> str:
    """A ``topic`` facet value as the Whoosh engine keeps it: lower-cased, commas made spaces."""
    return topic.replace(",", " ").strip().lower()


def terms_text(text: str, stem: bool = True) -> str:
    """What the terms fields are fed: the index terms of ``text``, one space apart (made ahead by
    an extraction worker when it can, ``text.analysis.terms_ahead``)."""
    return joined_terms(text, stem)


def paragraph_document(paragraph: Paragraph, terms: str | None = None, title_terms: str | None = None,
                       exchange_terms: tuple[str | None, str | None] = (None, None)) -> tantivy.Document:
    """The tantivy document of one paragraph (``terms``: its text's ``terms_text``, if already made;
    ``exchange_terms``: the ``terms_text`` of its question's and its answer's text,
    ``engine.api.exchange_texts``, or None where it has none)."""
    doc = tantivy.Document()
    doc.add_text("id", paragraph.id)
    doc.add_unsigned("key", paragraph_key(paragraph.id))
    doc.add_text("kind", "paragraph")
    if paragraph.position == 1:
        doc.add_text("kind", "article")
    doc.add_bytes("paragraph", json.dumps(paragraph.to_record(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if terms is None:
        terms, written = joined_terms_both(paragraph.text)  # one pass over the words for both fields
    else:
        written = terms_text(paragraph.text, stem=False)
    doc.add_text("text", terms)
    doc.add_text("written", written)
    doc.add_text("title", title_terms if title_terms is not None else terms_text(paragraph.title))
    if paragraph.speaker:
        doc.add_text("speaker", paragraph.speaker)
        doc.add_text("speaker_words", terms_text(paragraph.speaker, stem=False))
    for topic in paragraph.topics:
        doc.add_text("topics", topic_value(topic))
    for short, long in paragraph.acronyms:
        doc.add_text("acronyms", definition_value(short, long))
    for name, on in (("quote", paragraph.is_quote), ("turn", paragraph.is_turn), ("question", paragraph.is_question)):
        if on:
            doc.add_text("flags", name)
    if paragraph.speech:
        doc.add_text("speech", paragraph.speech)
    asked, answered = exchange_terms
    if asked is not None:
        doc.add_text("asked", asked)
    if answered is not None:
        doc.add_text("answered", answered)
    if paragraph.date:
        try:
            doc.add_integer("day", day_number(paragraph.date))
        except ValueError:
            pass
    doc.add_text("article_id", paragraph.article_id)
    if paragraph.outlet:
        doc.add_text("outlet", paragraph.outlet)
    up, down = sort_keys(paragraph)
    doc.add_unsigned("date_up", up)
    doc.add_unsigned("date_down", down)
    doc.add_text("source", paragraph.source)
    return doc


def sort_keys(paragraph: Paragraph) -> tuple[int, int]:
    """The paragraph's keys for the oldest-first (ascending) and newest-first (descending) orders:
    publication time, then the position in reading order in both; undated paragraphs last in both."""
    seconds = _sort_seconds(paragraph.date)
    if seconds is None:
        return UNDATED_UP, UNDATED_DOWN
    position = min(paragraph.position, _POSITIONS - 1)
    return seconds * _POSITIONS + position, seconds * _POSITIONS + (_POSITIONS - 1 - position)


@lru_cache(maxsize=4096)  # an article's paragraphs share its date
def _sort_seconds(date: str | None) -> int | None:
    """Seconds since 1970 (plus an offset, so that dates before it stay positive) of ``date``."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(date) if date else None
    except ValueError:
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0, int(moment.timestamp()) + (1 << 35))


def source_document(path: str, entry: dict) -> tantivy.Document:
    """The manifest record of one source file."""
    doc = tantivy.Document()
    doc.add_text("id", "source:" + path)
    doc.add_text("kind", "source")
    doc.add_text("source", path)
    doc.add_bytes("meta", json.dumps({"source": path, "entry": entry}, sort_keys=True).encode("utf-8"))
    return doc


def paragraph_from_document(doc: tantivy.Document) -> Paragraph:
    return Paragraph.from_record(json.loads(bytes(doc["paragraph"][0])))
