"""Articles out of source text: HTML pages and fragments, plain text, JSON records, RSS and Atom.

Each article comes with its metadata and its body as blocks (paragraphs, list items, headings,
``<br><br>`` runs), boilerplate removed. The only module that imports bs4 (and lxml).
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import os
import re
from dataclasses import replace
from datetime import datetime, timezone

from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from briefsearch.errors import SkippedFile
from briefsearch.models import Article, Block
from briefsearch.textnorm import clean_line, clean_text

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
JSON_EXTENSIONS = frozenset({".jsonl", ".json"})
FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})


def extract_articles(source, text: str) -> list[Article]:
    """The articles in one decoded source file (``source`` is a sources.SourceFile).

    Raises SkippedFile when nothing readable is found ("no text found", "no readable JSON records").
    """
    kind = _format_of(source.path, text)
    # Ids come from the machine-independent key; ``source`` on each article is the real path.
    key = getattr(source, "key", "") or source.path
    if kind == "feed":
        articles = _feed_articles(key, text)
    elif kind == "json":
        articles = _json_articles(key, text)
    elif kind == "html":
        articles = [_html_page(key, text)]
    else:
        articles = [_text_article(key, text)]
    articles = [replace(article, source=source.path) for article in articles if article.blocks]
    if not articles:
        raise SkippedFile("no text found")
    return articles


def _format_of(path: str, text: str) -> str:
    """The format named by the extension, corrected by a look at the content."""
    extension = os.path.splitext(path)[1].lower()
    head = text[:4096].lstrip().lower()
    is_feed = bool(re.search(r"<(?:rss|feed|rdf:rdf)\b", head))
    is_html = head.startswith(("<!doctype html", "<html"))
    if extension in FEED_EXTENSIONS:
        return "html" if is_html and not is_feed else "feed"
    if extension in JSON_EXTENSIONS:
        return "json"
    if extension in HTML_EXTENSIONS:
        return "feed" if is_feed and head.startswith("<?xml") else "html"
    return "html" if is_html else "text"


def article_id(key: str) -> str:
    """12 hex characters naming an article: from its id/guid, its URL or its file path."""
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class _ArticleIds:
    """Article ids for the records of one file; a repeated key gets its position appended."""

    def __init__(self, path: str):
        self.path = path
        self.seen: set[str] = set()

    def __call__(self, key: str | None, position: int) -> str:
        identifier = article_id(key or f"{self.path}#{position}")
        if identifier in self.seen:
            identifier = article_id(f"{key}#{position}")
        self.seen.add(identifier)
        return identifier


# --------------------------------------------------------------------------------------------
# Dates


_US_ZONES = {"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600, "MST": -7 * 3600,
             "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "UT": 0, "UTC": 0, "GMT": 0, "Z": 0}
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value) -> str | None:
    """ISO 8601 for a date or datetime written any common way; None when it is not a date.

    A date alone stays "YYYY-MM-DD"; a datetime becomes UTC "YYYY-MM-DDTHH:MM:SS+00:00"
    (a datetime without a zone is taken as UTC).
    """
    if value is None:
        return None
    text = clean_line(str(value))
    if not text or len(text) > 80:
        return None
    if _DATE_ONLY.fullmatch(text):
        try:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        has_time = True
    except ValueError:
        moment, has_time = _parse_loose(text)
    if moment is None or not 1800 <= moment.year <= 2200:
        return None
    if not has_time:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _parse_loose(text: str) -> tuple[datetime | None, bool]:
    from dateutil import parser  # imported late: most dates are ISO and need no parsing help

    try:
        first = parser.parse(text, default=datetime(2000, 1, 1, 0, 0, 0), tzinfos=_US_ZONES)
        second = parser.parse(text, default=datetime(2000, 1, 1, 1, 1, 1), tzinfos=_US_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None, False
    # Two different defaults agree on the time only when the text gave one.
    return first, first.time() == second.time()


# --------------------------------------------------------------------------------------------
# HTML bodies → blocks

_DROP_TAGS = frozenset(
    "script style nav header footer aside form noscript template iframe svg canvas button select "
    "textarea input label head title meta link object embed video audio map dialog".split()
)
_BLOCK_KINDS = {"li": "li", "dt": "li", "dd": "li", **{f"h{n}": "heading" for n in range(1, 7)}}
_BLOCK_TAGS = frozenset(
    "p div section article main body html ul ol dl blockquote table thead tbody tfoot tr caption "
    "figure figcaption pre address hr center details summary fieldset".split()
) | frozenset(_BLOCK_KINDS)
_CELL_TAGS = frozenset({"td", "th"})
_BOLD_TAGS = frozenset({"strong", "b"})
_PROTECTED = frozenset({"html", "body", "main", "article"})
# Site furniture inside the content area, by class or id prefix (cookie banners, share bars,
# related links). Prefixes only: WordPress puts "category-sharing" on real articles.
_FURNITURE = re.compile(
    r"^(?:cookie|consent|gdpr|share|sharing|social|related|newsletter|subscribe|breadcrumb|sidebar|"
    r"skip-link|promo|advert|popup|modal|comment-respond|comments-area|page-header|meta(?:$|[-_])|"
    r"post-meta|entry-meta|byline)",
    re.IGNORECASE,
)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_SECTION_ANCHOR = re.compile(r"post-\d+-(\S+)")
# A transcript turn that opens right after a single <br>: "MS. PSAKI:", "Q   Thanks", "Q:".
_TURN_LABEL = re.compile(
    r"(?:Q(?::|[ \xa0]+(?=[A-Z(\"'\u201c\u2018])|$)"
    r"|[A-Z][A-Z.'\u2019\-]+(?:[ \xa0]+[A-Z][A-Z.'\u2019\-]*){0,7}[ \xa0]*:)"
)


def _html_spaces(text: str) -> str:
    """Line breaks in HTML source are plain spaces (only <br> breaks a line)."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    return text


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


_BR, _BOLD_ON, _BOLD_OFF = _Marker("br"), _Marker("bold-on"), _Marker("bold-off")


class _BlockBuilder:
    """Collects the text of a walk over an HTML tree and cuts it into blocks."""

    def __init__(self, title: str = ""):
        self.blocks: list[Block] = []
        self.pieces: list = []
        self.kinds = ["p"]
        self.section: str | None = None
        self.anchored = False  # once an editor anchor is seen, headings no longer set the section
        self.title_key = title.casefold()

    def anchor(self, label: str) -> None:
        if any(isinstance(piece, str) and piece.strip() for piece in self.pieces):
            self.flush()
        self.section = label
        self.anchored = True

    def flush(self) -> None:
        if not self.pieces:
            return
        kind = self.kinds[-1]
        for text, label in _segments(self.pieces):
            if kind == "heading":
                if text.casefold() == self.title_key:
                    continue  # the page's own title repeated as its <h1>
                if not self.anchored:
                    self.section = text
            self.blocks.append(Block(text, kind, self.section, label))
        self.pieces = []


def _segments(pieces: list) -> list[tuple[str, str | None]]:
    """(text, bold label) for each run of ``pieces`` between <br><br> runs or before a turn label."""
    segments: list[tuple[str, str | None]] = []
    parts: list[str] = []
    has_text = False
    pending_breaks = 0
    bold_depth = 0
    label_parts: list[str] | None = None
    label: str | None = None

    def close_label():
        nonlocal label_parts, label
        if label_parts is not None:
            label = clean_line("".join(label_parts)) or None
            label_parts = None

    for piece in pieces:
        if piece is _BR:
            pending_breaks += 1
            close_label()
        elif piece is _BOLD_ON:
            bold_depth += 1
        elif piece is _BOLD_OFF:
            bold_depth = max(0, bold_depth - 1)
            if bold_depth == 0:
                close_label()
        elif not piece.strip():
            if not pending_breaks:
                parts.append(piece)
        else:
            if pending_breaks and has_text:
                if pending_breaks >= 2 or _TURN_LABEL.match(piece.lstrip(" \xa0")):
                    close_label()
                    segments.append(("".join(parts), label))
                    parts, has_text, label = [], False, None
                else:
                    parts.append("\n")
            pending_breaks = 0
            if not has_text and bold_depth and label is None and label_parts is None:
                label_parts = []
            if label_parts is not None:
                label_parts.append(piece)
            parts.append(piece)
            has_text = True
    close_label()
    segments.append(("".join(parts), label))
    return [(text, label) for text, label in ((_tidy(text), label) for text, label in segments) if text]


def _tidy(text: str) -> str:
    """Clean text with its lines stripped and blank lines dropped (single <br>s stay newlines)."""
    text = clean_text(text)
    if "\n" not in text:
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _is_furniture(tag: Tag) -> bool:
    attrs = tag.attrs
    if not attrs or tag.name in _PROTECTED:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") in _FURNITURE_ROLES:
        return True
    classes = attrs.get("class") or ()
    if isinstance(classes, str):
        classes = classes.split()
    identifier = attrs.get("id")
    return any(_FURNITURE.match(name) for name in classes) or bool(identifier and _FURNITURE.match(identifier))


def _section_anchor(tag: Tag) -> str | None:
    identifier = tag.attrs.get("id") or tag.attrs.get("name")
    if isinstance(identifier, str):
        match = _SECTION_ANCHOR.fullmatch(identifier)
        if match:
            return match.group(1)
    return None


_EXIT = object()


def html_blocks(root: Tag, title: str = "") -> tuple[Block, ...]:
    """The body blocks under ``root``, boilerplate skipped, in document order."""
    builder = _BlockBuilder(title)
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _EXIT:
            tag = stack.pop()
            _leave(builder, tag)
            continue
        if not isinstance(node, Tag):
            if node.__class__ is NavigableString:
                builder.pieces.append(_html_spaces(str(node)))
            continue
        name = node.name
        if name in _DROP_TAGS or (node is not root and _is_furniture(node)):
            continue
        if name == "br":
            builder.pieces.append(_BR)
            continue
        if name == "a":
            label = _section_anchor(node)
            if label:
                builder.anchor(label)
        _enter(builder, node)
        stack.append(node)
        stack.append(_EXIT)
        stack.extend(reversed(node.contents))
    builder.flush()
    return tuple(builder.blocks)


def _enter(builder: _BlockBuilder, tag: Tag) -> None:
    name = tag.name
    if name in _BLOCK_TAGS:
        builder.flush()
        builder.kinds.append(_BLOCK_KINDS.get(name, "p") if name in _BLOCK_KINDS else _inherit(builder, name))
    elif name in _BOLD_TAGS:
        builder.pieces.append(_BOLD_ON)
    elif name in _CELL_TAGS:
        builder.pieces.append(" ")


def _inherit(builder: _BlockBuilder, name: str) -> str:
    # A <p> or <div> inside a list item is still that list item.
    return builder.kinds[-1] if builder.kinds[-1] == "li" and name in ("p", "div") else "p"


def _leave(builder: _BlockBuilder, tag: Tag) -> None:
    name = tag.name
    if name in _BLOCK_TAGS:
        builder.flush()
        builder.kinds.pop()
    elif name in _BOLD_TAGS:
        builder.pieces.append(_BOLD_OFF)
    elif name in _CELL_TAGS:
        builder.pieces.append(" ")


def fragment_blocks(fragment: str) -> tuple[Block, ...]:
    """Blocks of an HTML body fragment (a feed item's or JSON record's content)."""
    soup = BeautifulSoup(fragment, "lxml")
    return html_blocks(soup.body or soup)


# --------------------------------------------------------------------------------------------
# Whole HTML pages


def _html_page(path: str, text: str) -> Article:
    soup = BeautifulSoup(text, "lxml")
    meta = _page_metadata(soup)
    title = meta.get("title") or _first_text(soup.find("h1")) or _file_title(path)
    blocks = html_blocks(_content_root(soup), title)
    return Article(
        article_id=article_id(path), source=path, title=title, blocks=blocks, date=meta.get("date"),
        author=meta.get("author"), url=meta.get("url"),
    )


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None:
        return main
    articles = soup.find_all("article", limit=2)
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


_META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title")
_META_DATE = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.issued", "dcterms.created", "pubdate", "publishdate", "publish-date",
    "publication_date", "parsely-pub-date", "sailthru.date", "article.published", "article:modified_time",
)
_META_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author", "sailthru.author")
_META_URL = ("og:url", "twitter:url")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


def _page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    values: dict[str, str] = {}
    canonical = None
    for tag in soup.find_all(["meta", "link"]):
        attrs = tag.attrs
        if tag.name == "link":
            rel = attrs.get("rel") or ()
            if "canonical" in rel and attrs.get("href") and canonical is None:
                canonical = attrs["href"]
            continue
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content)
    meta: dict[str, str] = {}
    site_name = clean_line(values.get("og:site_name") or values.get("application-name") or "")
    page_title = soup.head.title if soup.head else soup.title
    titles = [values.get(key) for key in _META_TITLE] + [_first_text(page_title)]
    title = next((clean_line(t) for t in titles if t and clean_line(t)), "")
    meta["title"] = strip_site_suffix(title, site_name)
    meta["date"] = next(filter(None, (iso_date(values.get(key)) for key in _META_DATE if values.get(key))), None)
    if meta["date"] is None:
        meta["date"] = _time_element_date(soup)
    author = next((values[key] for key in _META_AUTHOR if values.get(key) and not values[key].startswith("http")), None)
    meta["author"] = clean_line(_BY.sub("", author or _byline(soup) or "")) or None
    url = canonical or next((values[key] for key in _META_URL if values.get(key)), None)
    meta["url"] = clean_line(url) if url else None
    return meta


def _time_element_date(soup: BeautifulSoup) -> str | None:
    moment = soup.find("time")
    if moment is None:
        return None
    return iso_date(moment.get("datetime") or moment.get_text(" "))


def _byline(soup: BeautifulSoup) -> str | None:
    for query in ({"attrs": {"rel": "author"}}, {"class_": "byline"}, {"attrs": {"itemprop": "author"}}):
        found = soup.find(**query)
        if found is not None:
            text = _first_text(found)
            if text and len(text) < 200:
                return text
    return None


def _first_text(tag) -> str:
    return clean_line(tag.get_text(" ")) if tag is not None else ""


_SUFFIX = re.compile(r"^(?P<title>.{8,}?)\s+(?:\||\u2013|\u2014|-|::|\u00b7)\s+(?P<site>[^|]{2,60})$")


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """'Remarks by ... | The White House' -> 'Remarks by ...'.

    Only when the suffix is the page's own site name, or follows a '|' and is at most four words:
    a dash alone is too often part of the title ("Department Press Briefing – June 9, 2021").
    """
    match = _SUFFIX.match(title)
    if not match:
        return title
    site = match.group("site").strip()
    separator = title[len(match.group("title")):len(title) - len(site)].strip()
    if site_name and site.casefold() == site_name.casefold():
        return match.group("title").strip()
    if separator == "|" and len(site.split()) <= 4:
        return match.group("title").strip()
    return title


def _file_title(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return clean_line(stem.replace("_", " "))


# --------------------------------------------------------------------------------------------
# Plain text

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


def _text_article(path: str, text: str) -> Article:
    is_markdown = path.lower().endswith(".md")
    chunks = [chunk for chunk in _BLANK_LINE.split(text) if chunk.strip()]
    title = ""
    if chunks:
        lines = [line for line in chunks[0].split("\n") if line.strip()]
        first = lines[0]
        title = clean_line(_MD_HEADING.sub("", first) if is_markdown else first)
        if len(lines) == 1 and len(title) <= 200:
            chunks = chunks[1:]  # the title line is not a paragraph of the body
        elif len(title) > 150:
            title = title[:150].rsplit(" ", 1)[0] + "\u2026"
    blocks = text_blocks(chunks, markdown=is_markdown)
    return Article(article_id=article_id(path), source=path, title=title or _file_title(path), blocks=blocks)


def text_blocks(chunks: list[str], markdown: bool = False) -> tuple[Block, ...]:
    """Blocks of plain-text paragraphs: single newlines inside a paragraph become spaces."""
    blocks: list[Block] = []
    section = None
    for chunk in chunks:
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if markdown and _MD_HEADING.match(lines[0]):
            section = clean_line(_MD_HEADING.sub("", lines[0]).rstrip("#"))
            blocks.append(Block(section, "heading", section))
            lines = lines[1:]
        if markdown and lines and _MD_ITEM.match(lines[0]):
            blocks.extend(Block(item, "li", section) for item in _markdown_items(lines))
            continue
        text = clean_line(" ".join(lines))
        if text:
            blocks.append(Block(text, "p", section))
    return tuple(blocks)


def _markdown_items(lines: list[str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if _MD_ITEM.match(line) or not items:
            items.append([_MD_ITEM.sub("", line)])
        else:
            items[-1].append(line)
    return [text for text in (clean_line(" ".join(item)) for item in items) if text]


def _plain_blocks(body: str) -> tuple[Block, ...]:
    return text_blocks(_BLANK_LINE.split(clean_text(body)))


# --------------------------------------------------------------------------------------------
# Records (JSON, feeds) → articles

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
        items = value if isinstance(value, list) else [value]
        names = [name for name in (_one_line(_text_value(item)) for item in items) if name]
        if names:
            return ", ".join(names)
    return None


def _categories(fields: dict) -> tuple[str, ...]:
    for key in _CATEGORY_KEYS:
        value = fields.get(key)
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
        except ValueError:
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
        except ValueError:
            continue
    return records, False


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
