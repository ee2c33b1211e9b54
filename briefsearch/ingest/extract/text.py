"""Plain text and markdown to blocks: paragraphs split at blank lines, markdown headings and list items."""

from __future__ import annotations

import re

from briefsearch.ingest.extract.common import _file_title, article_id
from briefsearch.models import Article, Block
from briefsearch.text.normalize import clean_line, clean_text

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
