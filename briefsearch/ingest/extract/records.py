"""Records to articles: JSON arrays, JSON Lines and RSS/Atom feeds, each record's fields
(title, date, author, URL, categories, body) found under their common names. Uses lxml for feeds.
"""

from __future__ import annotations

import ast
import html
import json
import re
from collections.abc import Iterator

from lxml import etree

from briefsearch.errors import SkippedFile
from briefsearch.ingest.extract.common import _ArticleIds, article_id, iso_date
from briefsearch.ingest.extract.html import fragment_blocks
from briefsearch.ingest.extract.text import _plain_blocks
from briefsearch.models import Article, Block
from briefsearch.text.normalize import clean_line

_HTML_MARKUP = re.compile(
    r"</?(?:p|br|div|span|a|b|i|em|strong|u|ul|ol|li|h[1-6]|blockquote|table|tr|td|img|figure|section|article)\b[^>]*>"
    r"|&(?:nbsp|amp|quot|lt|gt|#\d{2,5}|#x[0-9a-fA-F]{2,4}|[lr]dquo|[lr]squo|mdash|ndash|hellip);",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]{1,200}>")


def _body_blocks(body: str) -> tuple[Block, ...]:
    if _HTML_MARKUP.search(body):
        return fragment_blocks(body)
    return _plain_blocks(body)


def _one_line(value) -> str:
    """A title or name from a record: entities decoded, tags dropped, on one line."""
    text = str(value)
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return clean_line(text)


def _record_article(record: dict, path: str, identifier: str) -> Article:
    fields = {str(key).lower(): value for key, value in record.items()}
    body = _first_text_value(fields, _BODY_KEYS)
    return Article(
        article_id=identifier,
        source=path,
        title=_one_line(_first_text_value(fields, _TITLE_KEYS)),
        blocks=_body_blocks(body) if body else (),
        date=next(filter(None, (iso_date(_text_value(fields[key])) for key in _DATE_KEYS if fields.get(key))), None),
        author=_author(fields),
        url=_one_line(_first_text_value(fields, _URL_KEYS)) or None,
        categories=_categories(fields),
    )


_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = (
    "date", "published", "pubdate", "pub_date", "datepublished", "date_published", "published_at", "publishedat",
    "publication_date", "created_at", "createdat", "created", "issued", "updated", "date_modified", "modified",
)
_AUTHOR_KEYS = ("author", "creator", "byline", "dc:creator", "authors", "speaker")
_URL_KEYS = ("url", "link", "canonical_url", "canonical", "permalink")
_ID_KEYS = ("id", "guid", "_id", "uuid")
_BODY_KEYS = (
    "content_html", "html", "content", "body", "text", "content_text", "body_html", "body_text", "article",
    "description_html", "description", "summary", "abstract",
)
_CATEGORY_KEYS = ("categories", "category", "tags", "keywords", "topics")
_NESTED_TEXT = ("rendered", "value", "html", "text", "name", "#text", "href", "url", "term", "label")


def _text_value(value) -> str:
    """The text in a record value: strings and numbers as they are, {"rendered": ...} opened."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return next((_text_value(value[key]) for key in _NESTED_TEXT if value.get(key)), "")
    if isinstance(value, list):
        return next((text for text in map(_text_value, value) if text.strip()), "")
    return ""


def _first_text_value(fields: dict, keys: tuple[str, ...]) -> str:
    return next((text for text in (_text_value(fields.get(key)) for key in keys) if text.strip()), "")


def _author(fields: dict) -> str | None:
    for key in _AUTHOR_KEYS:
        value = fields.get(key)
        if not value:
            continue  # most records name no author under most of these keys
        items = value if isinstance(value, list) else [value]
        names = [name for name in (_one_line(_text_value(item)) for item in items) if name]
        if names:
            return ", ".join(names)
    return None


def _categories(fields: dict) -> tuple[str, ...]:
    for key in _CATEGORY_KEYS:
        value = fields.get(key)
        if not value:
            continue
        if isinstance(value, str) and value.strip().startswith("["):
            try:
                value = ast.literal_eval(value.strip())  # "['Statements and Releases']" in some exports
            except (ValueError, SyntaxError):
                value = value.strip().strip("[]")
        items = value if isinstance(value, (list, tuple)) else [value]
        names = tuple(name for name in (_one_line(_text_value(item)) for item in items) if name)
        if names:
            return names
    return ()


def _record_key(fields: dict) -> str | None:
    """The record's own identity: its id/guid, else its URL."""
    lowered = {str(key).lower(): value for key, value in fields.items()}
    values = (_text_value(lowered.get(key)) for key in _ID_KEYS + _URL_KEYS)
    return next((text.strip() for text in values if text.strip()), None)


# JSON -----------------------------------------------------------------------------------------

_RECORD_LISTS = ("items", "articles", "entries", "posts", "documents", "records", "results", "data")


def _json_articles(path: str, text: str) -> list[Article]:
    records, single = _json_records(text)
    if not any(isinstance(record, dict) for _, record in records):
        raise SkippedFile("no readable JSON records")
    ids = _ArticleIds(path)
    articles = []
    for position, record in records:
        if not isinstance(record, dict):
            continue
        key = _record_key(record)
        identifier = article_id(key or path) if single else ids(key, position)
        try:
            articles.append(_record_article(record, path, identifier))
        except (TypeError, ValueError, AttributeError, RecursionError):
            continue  # one malformed record does not cost the others
    return articles


def _json_records(text: str) -> tuple[list[tuple[int, object]], bool]:
    """(position, value) of each record, and whether the file is one single article."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            data = None  # JSON Lines, or broken: read line by line below
        else:
            if isinstance(data, list):
                return list(enumerate(data)), False
            if isinstance(data, dict):
                for key in _RECORD_LISTS:
                    if isinstance(data.get(key), list):
                        return list(enumerate(data[key])), False
                return [(0, data)], True
    records = []
    for position, line in enumerate(line for line in text.split("\n") if line.strip()):
        try:
            records.append((position, json.loads(line)))
        except (ValueError, RecursionError):
            continue  # a broken or absurdly nested line costs that record only
    return records, False


def json_lines_record(line: str) -> bool:
    """Whether ``line`` is one JSON object: the mark of a JSON Lines file that can be read a line
    at a time."""
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _json_lines_articles(path: str, lines) -> Iterator[Article]:
    """The articles of JSON Lines ``lines``, made one line at a time, as ``_json_articles`` makes
    them from the whole text (same ids, same records dropped)."""
    ids = _ArticleIds(path)
    for position, line in enumerate(line for line in lines if line.strip()):
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(record, dict):
            continue
        try:
            yield _record_article(record, path, ids(_record_key(record), position))
        except (TypeError, ValueError, AttributeError, RecursionError):
            continue


# Feeds ----------------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _feed_articles(path: str, text: str) -> list[Article]:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True, encoding="utf-8")
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise SkippedFile("unreadable XML")
    items = [element for element in root.iter() if _local(element.tag) in ("item", "entry")]
    if not items:
        raise SkippedFile("no RSS items or Atom entries")
    ids = _ArticleIds(path)
    articles = []
    for position, item in enumerate(items):
        fields = _feed_fields(item)
        articles.append(_record_article(fields, path, ids(_record_key(fields), position)))
    return articles


_FEED_BODY = ("encoded", "content", "description", "summary")
_FEED_FIELDS = frozenset(
    {"title", "guid", "id", "pubdate", "published", "updated", "date", "creator", "issued", "modified"}
)


def _feed_fields(item) -> dict:
    """A feed item's children as a record with the JSON field names."""
    fields: dict = {"categories": []}
    for child in item:
        name = _local(child.tag)
        if name == "link":
            if child.get("href") and child.get("rel", "alternate") == "alternate":
                fields.setdefault("link", child.get("href"))
            elif child.text and child.text.strip():
                fields.setdefault("link", child.text.strip())
        elif name == "category":
            fields["categories"].append(child.get("term") or child.text or "")
        elif name == "author":
            names = [_element_text(part) for part in child if _local(part.tag) == "name"]
            fields.setdefault("author", names[0] if names else _element_text(child))
        elif name in _FEED_BODY:
            fields.setdefault("body:" + name, _element_markup(child))
        elif name in _FEED_FIELDS:
            fields.setdefault(name, _element_text(child))
    body = next((fields[key] for key in ("body:" + name for name in _FEED_BODY) if fields.get(key, "").strip()), "")
    fields["content"] = body
    return {key: value for key, value in fields.items() if not key.startswith("body:")}


def _element_text(element) -> str:
    return "".join(element.itertext())


def _element_markup(element) -> str:
    """The HTML in a feed element: escaped or CDATA text, or inline XHTML children."""
    if len(element) and element.get("type", "").lower() in ("xhtml", "html", ""):
        inner = "".join(etree.tostring(child, encoding="unicode") for child in element)
        return (element.text or "") + inner
    return element.text or ""
