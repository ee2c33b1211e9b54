"""Articles out of source text: HTML pages and fragments, plain text, JSON records, RSS and Atom.

Each article comes with its metadata and its body as blocks (paragraphs, list items, headings,
``<br><br>`` runs), boilerplate removed. This package is the only importer of bs4 (and lxml):
``html`` (pages, fragments), ``text`` (plain text, markdown), ``records`` (JSON, feeds), ``common``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from briefsearch.errors import SkippedFile
from briefsearch.ingest.extract.common import article_id, iso_date
from briefsearch.ingest.extract.html import _html_page, fragment_blocks, html_blocks, strip_site_suffix
from briefsearch.ingest.extract.outlets import local_clock, outlet_of
from briefsearch.ingest.extract.records import _feed_articles, _json_articles, _json_lines_articles, json_lines_record
from briefsearch.ingest.extract.text import _text_article, text_blocks
from briefsearch.models import Article

__all__ = [
    "FEED_EXTENSIONS", "HTML_EXTENSIONS", "JSON_EXTENSIONS", "TEXT_EXTENSIONS", "article_id", "extract_articles",
    "extract_json_lines", "fragment_blocks", "json_lines_record", "html_blocks", "iso_date", "strip_site_suffix", "text_blocks",
]

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
JSON_EXTENSIONS = frozenset({".jsonl", ".json"})
FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})


# A DOCTYPE with an internal subset (entity declarations): the HTML parser ends the declaration
# at the first ">" and would keep the rest, down to "]>", as page text. Nothing in it is content.
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[[^\]]*\]\s*>", re.IGNORECASE)


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
        articles = [_html_page(key, _DOCTYPE_SUBSET.sub("", text, count=1))]
    else:
        articles = [_text_article(key, text)]
    articles = [_placed(article, source) for article in articles if article.blocks]
    if not articles:
        raise SkippedFile("no text found")
    return articles


def extract_json_lines(source, lines: Iterable[str]) -> Iterator[Article]:
    """The articles of a JSON Lines file given as its (clean) lines, one at a time, as
    ``extract_articles`` makes them from its whole text; nothing raised for a file without any."""
    key = getattr(source, "key", "") or source.path
    for article in _json_lines_articles(key, lines):
        if article.blocks:
            yield _placed(article, source)


def _placed(article: Article, source) -> Article:
    """The article with its real path, its outlet and its date on the outlet's clock."""
    return replace(article, source=source.path, outlet=article.outlet or outlet_of(article.url),
                   date=local_clock(article.date, article.url))


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
    if extension in TEXT_EXTENSIONS:
        return "html" if is_html else "text"
    return _sniffed_format(head, is_feed, is_html)


def _sniffed_format(head: str, is_feed: bool, is_html: bool) -> str:
    """The format of a file saved with a server's extension (.php, .aspx, ...) or none, by content."""
    if is_feed and head.startswith(("<?xml", "<rss", "<feed", "<rdf")):
        return "feed"
    if is_html or _HTML_START.search(head[:2048]):
        return "html"
    if head.startswith(("{", "[")) and _JSON_START.match(head):
        return "json"
    return "text"


_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|title|meta|div|p|article|main)[\s>/]")
_JSON_START = re.compile(r'[{\[]\s*(?:"|\{|\[|\]|\})')
