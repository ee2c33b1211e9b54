"""Rendering whole articles: the article list and one article read through, speaker turns marked."""

from __future__ import annotations

import json
import textwrap

from briefsearch.models import Paragraph
from briefsearch.present.render import paragraph_record, records_csv, render_records, terminal_safe

ARTICLE_KEYS = ("id", "title", "date", "outlet", "paragraphs", "speakers", "url")


def render_article_list(total: int, records: list[dict], fmt: str) -> str:
    def line(r: dict) -> str:
        speakers = ", ".join(r["speakers"][:3]) + (f" +{len(r['speakers']) - 3}" if len(r["speakers"]) > 3 else "")
        meta = " · ".join(x for x in ((r["date"] or "")[:10] or "undated", r["outlet"], f"{r['paragraphs']} paragraphs", speakers) if x)
        return f"{r['id']}  {r['title'] or '(untitled)'}\n              {meta}"

    if fmt == "text":
        shown = render_records(records, fmt, ARTICLE_KEYS, line)
        return terminal_safe(shown) + f"\n{len(records)} of {total} articles" if records else ""
    return render_records(records, fmt, ARTICLE_KEYS, line)


def render_article(paragraphs: list[Paragraph], fmt: str) -> str:
    """The article in full; in text, a speaker's name heads each turn (where the speaker changes)."""
    records = [paragraph_record(p) | {"is_question": p.is_question} for p in paragraphs]
    if fmt == "json":
        first = paragraphs[0]
        head = {"id": first.article_id, "title": first.title, "date": first.date, "outlet": first.outlet, "url": first.url}
        return json.dumps({**head, "paragraphs": records}, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    if fmt == "csv":
        return records_csv(records, tuple(records[0]))
    first = paragraphs[0]
    lines = [first.title or "(untitled)",
             " · ".join(x for x in ((first.date or "")[:10] or None, first.outlet, first.url, first.article_id) if x), ""]
    speaker = None
    for p in paragraphs:
        if p.speaker != speaker and p.speaker:
            lines.append(f"  {p.speaker.upper()}:")
        speaker = p.speaker
        indent = "      " if p.speaker else "  "
        lines.extend(textwrap.wrap(f"p{p.position}  {p.text}", width=100, initial_indent=indent,
                                   subsequent_indent=indent + "    ") or [indent])
    return terminal_safe("\n".join(lines))
