"""Citations of one paragraph, ready to paste: plain text, Markdown, BibTeX or CSL-JSON.

``citation`` gathers what a citation needs from the index as plain data (who spoke and in what
role, the quoted paragraph, the article's title, outlet, date and URL, the paragraph's id);
``render_citation`` writes it in one style. The web page and the CLI share both.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date as calendar_date

from briefsearch.present.render import terminal_safe
from briefsearch.query.searcher import Searcher

STYLES = ("plain", "markdown", "bibtex", "csl-json")


def citation(index_dir: str | os.PathLike, paragraph_id: str) -> dict:
    """The citation record of one paragraph; errors.NotFound when the id is not in the index."""
    with Searcher(index_dir) as searcher:
        return paragraph_citation(searcher.reader.get(paragraph_id.strip()))


def paragraph_citation(p) -> dict:
    """The citation record of a paragraph already read (a server's open index)."""
    speaker = p.speaker if p.speaker and p.speaker != "Question" else None
    return {
        "id": p.id, "speaker": speaker, "role": getattr(p, "speaker_role", None) if speaker else None,
        "question": p.is_question, "quote": p.text, "title": p.title or None, "outlet": p.outlet,
        "author": p.author, "date": (p.date or "")[:10] or None, "url": p.url, "paragraph": p.position,
    }


def render_citation(record: dict, style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}")
    text = {"plain": _plain, "markdown": _markdown, "bibtex": _bibtex, "csl-json": _csl_json}[style](record)
    return text if style == "csl-json" else terminal_safe(text)  # JSON escapes control characters itself


def _who(record: dict) -> str | None:
    if record["speaker"]:
        return f"{record['speaker']}, {record['role']}" if record["role"] else record["speaker"]
    if record["question"]:
        return "A reporter's question"
    return None


def _long_date(day: str | None) -> str | None:
    if not day:
        return None
    try:
        value = calendar_date.fromisoformat(day)
    except ValueError:
        return day
    return f"{value:%B} {value.day}, {value.year}"


def _plain(record: dict) -> str:
    who = _who(record)
    parts = [f"\u201c{record['quote']}\u201d"]
    source = ", ".join(x for x in (f"\u201c{record['title']}\u201d" if record["title"] else None, record["outlet"],
                                   _long_date(record["date"])) if x)
    parts.append(f"\u2014 {who}, {source}." if who else f"\u2014 {source}.")
    if record["url"]:
        parts.append(record["url"])
    parts.append(f"(briefsearch paragraph {record['id']})")
    return "\n".join(parts)


def _markdown(record: dict) -> str:
    who = _who(record)
    title = record["title"] or "(untitled)"
    title = f"[{title}]({record['url']})" if record["url"] else f"*{title}*"
    source = ", ".join(x for x in (f"**{who}**" if who else None, title, record["outlet"], _long_date(record["date"])) if x)
    return f"> {record['quote']}\n>\n> \u2014 {source} (`{record['id']}`)"


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("\u201c", "``").replace("\u201d", "''")


def _bibtex(record: dict) -> str:
    key = "briefsearch:" + record["id"].replace("#", "-")
    fields = [
        ("title", record["title"]),
        ("author", record["speaker"]),
        ("organization", record["outlet"]),
        ("date", record["date"]),
        ("year", record["date"][:4] if record["date"] else None),
        ("url", record["url"]),
        ("note", f"Paragraph {record['paragraph']} ({record['id']})" + (f"; speaker: {_who(record)}" if record["role"] else "")),
        ("abstract", record["quote"]),
    ]
    # The speaker's name in braces: BibTeX is not to split it into first and last names.
    body = ",\n".join(f"  {name} = {{{_bibtex_value(name, value)}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def _bibtex_value(name: str, value: str) -> str:
    if name == "url":
        return value
    return "{" + _bibtex_escape(value) + "}" if name == "author" else _bibtex_escape(value)


def _csl_json(record: dict) -> str:
    item = {"id": record["id"], "type": "speech" if record["speaker"] else "article", "title": record["title"]}
    if record["speaker"]:
        item["author"] = [{"literal": record["speaker"]}]
    if record["outlet"]:
        item["publisher"] = record["outlet"]
        item["container-title"] = record["outlet"]
    if record["date"]:
        item["issued"] = {"date-parts": [[int(x) for x in record["date"].split("-")]]}
    if record["url"]:
        item["URL"] = record["url"]
    item["note"] = f"Paragraph {record['paragraph']} ({record['id']})" + (f"; {record['role']}" if record["role"] else "")
    item["abstract"] = record["quote"]
    return json.dumps([{k: v for k, v in item.items() if v is not None}], ensure_ascii=False, indent=2)
