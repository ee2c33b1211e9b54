"""Plain text and markdown to blocks: paragraphs split at blank lines, markdown headings and list
items; YAML front matter (title, date, URL, author, tags) read with PyYAML. Markdown is read as its
reader sees it: link text without its target, no image references, emphasis or quote markers, no
raw HTML tags, no thematic breaks."""

from __future__ import annotations

import html
import re

from briefsearch.ingest.extract.common import _file_title, article_id, iso_date
from briefsearch.models import Article, Block
from briefsearch.text.normalize import clean_line, clean_text

_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
# A backslash before ASCII punctuation is a Markdown escape: "Karine\_Jean-Pierre", "\[sic\]".
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Inline Markdown a reader does not see. A link or image target: no spaces, balanced parentheses,
# an optional "title". Escaped brackets and stars (\\[, \\*) are text, never syntax.
_MD_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
_MD_IMAGE = re.compile(r"(?<!\\)!\[(?:[^\[\]]|\\[\[\]])*\]" + _MD_TARGET)
_MD_LINK = re.compile(r"(?<![\\!])\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]" + _MD_TARGET)
_MD_STRONG = re.compile(r"(?<![\\\w])(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1(?!\w)")
_MD_EMPHASIS = re.compile(r"(?<![\\\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s\\*_])\1(?![\w*])")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")
_MD_BREAK = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
# Raw HTML inside Markdown (figures, tables, underlined words): its tags and comments, not its text
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_HTML_TAG = re.compile(r"</?([A-Za-z][\w:-]*)(?:\s[^<>]*)?/?>")
_INLINE_TAGS = frozenset("a abbr b cite code em i mark q s small span strong sub sup u".split())
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_DATE_KEYS = ("published_time", "date", "published", "pubdate", "publishdate", "date_published", "created")
_FRONT_URL_KEYS = ("source_url", "url", "canonical_url", "canonical", "link", "permalink")


def _text_article(path: str, text: str) -> Article:
    is_markdown = path.lower().endswith((".md", ".markdown"))
    front, text = front_matter(text)
    if front:
        return _front_matter_article(path, front, text, is_markdown)
    chunks = [chunk for chunk in _BLANK_LINE.split(text) if chunk.strip()]
    title = ""
    if chunks:
        lines = [line for line in chunks[0].split("\n") if line.strip()]
        first = lines[0]
        title = clean_line(markdown_inline(_MD_HEADING.sub("", first)) if is_markdown else first)
        if len(lines) == 1 and len(title) <= 200 and len(chunks) > 1:
            chunks = chunks[1:]  # the title line is not a paragraph of the body (unless it is all there is)
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
        if markdown:
            lines = [line for line in (_MD_QUOTE.sub("", line).strip() for line in lines) if line]
            if not lines or (len(lines) == 1 and _MD_BREAK.match(lines[0])):
                continue
            if _MD_HEADING.match(lines[0]):
                section = clean_line(markdown_inline(_MD_HEADING.sub("", lines[0]).rstrip("#")))
                if section:
                    blocks.append(Block(section, "heading", section))
                lines = lines[1:]
            if lines and _MD_ITEM.match(lines[0]):
                blocks.extend(Block(item, "li", section) for item in _markdown_items(lines))
                continue
        text = clean_line(markdown_inline(" ".join(lines)) if markdown else " ".join(lines))
        if markdown and not any(character.isalnum() for character in text):
            continue  # a separator ("\\*\\*\\*"), an image alone: nothing a reader reads
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
    return [text for text in (clean_line(markdown_inline(" ".join(item))) for item in items) if text]


def markdown_inline(text: str) -> str:
    """One Markdown paragraph's text as a reader sees it: ``[link text](target)`` is its text, an
    image reference is nothing (its caption, if any, is text of its own), ``**strong**`` and
    ``*emphasis*`` lose their markers, raw HTML its tags, and escapes (``\\_``) their backslash."""
    if "<" in text:
        without_tags = _HTML_TAG.sub(_tag_space, _HTML_COMMENT.sub(" ", _AUTOLINK.sub(r"\1", text)))
        if without_tags != text:
            text = html.unescape(without_tags)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", text))
    if "*" in text or "_" in text:
        text = _MD_EMPHASIS.sub(r"\2", _MD_STRONG.sub(r"\2", text))
        text = _MD_EMPHASIS.sub(r"\2", text)  # emphasis that held strong text: ***both***, *a **b** c*
        # what is left of strong markers closed after a space ("**Senator: **") or inside a word:
        # two stars are never prose
        text = text.replace("**", "")
    return _MD_ESCAPE.sub(r"\1", text)


def _tag_space(tag: re.Match) -> str:
    """An inline tag (``<u>``, ``<span>``) goes without a trace, a block tag leaves a space."""
    return "" if tag.group(1).lower() in _INLINE_TAGS else " "


def _plain_blocks(body: str) -> tuple[Block, ...]:
    return text_blocks(_BLANK_LINE.split(clean_text(body)))


def front_matter(text: str) -> tuple[dict, str]:
    """(fields, body): the YAML mapping between ``---`` lines at the top, keys lowercased, and the
    text after it; ({}, text) when there is none or it is not a YAML mapping."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml  # imported late: only files that open with front matter need it

    # libyaml's safe loader where PyYAML was built with it: the pure-Python one was 40% of the time
    # extraction took on the White House Markdown archive (5.9 of 14.9 s profiled on 496 pages)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        fields = yaml.load(match.group(1), Loader=loader)
    except yaml.YAMLError:
        return {}, text
    if not isinstance(fields, dict):
        return {}, text
    return {str(key).strip().lower(): value for key, value in fields.items()}, text[match.end():]


def _front_matter_article(path: str, front: dict, body: str, is_markdown: bool) -> Article:
    from briefsearch.ingest.extract.records import _author, _categories, _text_value

    title = clean_line(_MD_ESCAPE.sub(r"\1", _text_value(front.get("title") or front.get("headline") or "")))
    chunks = [chunk for chunk in _BLANK_LINE.split(body) if chunk.strip()]
    if chunks and title:
        first = clean_line(markdown_inline(_MD_HEADING.sub("", chunks[0].strip())) if is_markdown else chunks[0])
        if first.casefold() == title.casefold():
            chunks = chunks[1:]  # the title repeated as the body's first heading
    date = next(filter(None, (iso_date(_moment(front[key])) for key in _FRONT_DATE_KEYS if front.get(key))), None)
    url = next((clean_line(_text_value(front[key])) for key in _FRONT_URL_KEYS if front.get(key)), None) or None
    return Article(
        article_id=article_id(path), source=path, title=title or _file_title(path),
        blocks=text_blocks(chunks, markdown=is_markdown), date=date, author=_author(front), url=url,
        categories=_categories(front),
    )


def _moment(value) -> str:
    """A front-matter date as text: YAML reads unquoted timestamps as date/datetime objects."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
