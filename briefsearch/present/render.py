"""Rendering results as text, JSON, JSON Lines or CSV. No engine, no Click: strings in, strings out."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap

from briefsearch.models import Hit, Paragraph, SearchResult
from briefsearch.query.snippets import MARK_END, MARK_START, plain

BOLD, RESET = "\x1b[1m", "\x1b[0m"
FORMATS = ("text", "json", "jsonl", "csv")
HIT_KEYS = ("rank", "score", "id", "article_id", "title", "date", "author", "source", "outlet", "url",
            "paragraph", "speaker", "topics", "text", "snippet")


# What a terminal would act on: C0 and C1 controls (ESC starts colour, title and clear-screen
# sequences; CR and BS overwrite), DEL, and the bidi overrides that reorder what is shown.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_CONTROLS_AND_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, newlines: bool = True) -> str:
    """``text`` with every control sequence shown as ``\\xNN`` instead of acted on, so a crafted
    file name or title cannot clear the screen or retitle the terminal. ``newlines=False`` also
    escapes tabs and line breaks (one-line messages: a name cannot forge a second line)."""
    pattern = _TERMINAL_CONTROLS if newlines else _TERMINAL_CONTROLS_AND_BREAKS
    return pattern.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 256 else "\\u%04x" % ord(m.group()), text)


def _safe_marked(snippet: str) -> str:
    """``terminal_safe`` for a snippet, keeping its match marks."""
    return MARK_START.join(MARK_END.join(terminal_safe(piece) for piece in part.split(MARK_END))
                           for part in snippet.split(MARK_START))


def hit_record(hit: Hit) -> dict:
    p = hit.paragraph
    record = {
        "rank": hit.rank, "score": hit.score, "id": p.id, "article_id": p.article_id, "title": p.title,
        "date": p.date, "author": p.author, "source": p.source, "outlet": p.outlet, "url": p.url, "paragraph": p.position,
        "speaker": p.speaker, "topics": list(p.topics), "text": p.text, "snippet": plain(hit.snippet),
        "is_quote": p.is_quote, "is_turn": p.is_turn, "is_question": p.is_question, **speech_record(p),
    }
    if hit.tier:
        record["tier"] = hit.tier
    if hit.copies:
        record["copies"] = list(hit.copies)
    if hit.context:
        record["context"] = [paragraph_record(c) for c in hit.context]
    return record


def paragraph_record(p: Paragraph) -> dict:
    return {
        "id": p.id, "article_id": p.article_id, "title": p.title, "date": p.date, "author": p.author,
        "source": p.source, "outlet": p.outlet, "url": p.url, "paragraph": p.position, "speaker": p.speaker,
        "topics": list(p.topics), "text": p.text, **speech_record(p),
    }


def speech_record(p: Paragraph) -> dict:
    """Who speaks and how: the kind of speech, the speaker's role, the question-answer links."""
    return {"speech": p.speech, "speaker_role": p.speaker_role, "answers_to": p.answers_to,
            "answered_by": p.answered_by}


def render_marks(snippet: str, color: bool) -> str:
    if color:
        return snippet.replace(MARK_START, BOLD).replace(MARK_END, RESET)
    return plain(snippet)


def render_result(result: SearchResult, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        record = {"query": result.query, "total": result.total, "hits": [hit_record(h) for h in result.hits]}
        if result.all_words_total is not None:
            record["all_words_total"] = result.all_words_total
        if result.suggestion:
            record["suggestion"] = result.suggestion
        return json.dumps(record, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(hit_record(h), ensure_ascii=False) for h in result.hits)
    if fmt == "csv":
        return records_csv([{k: v for k, v in hit_record(h).items() if k in HIT_KEYS} for h in result.hits], HIT_KEYS)
    return render_text(result, color)


def render_text(result: SearchResult, color: bool) -> str:
    lines = []
    for note in result.expansions:
        lines.append(f"expanded: {note}")
    tier = result.hits[0].tier if result.hits else None
    for hit in result.hits:
        p = hit.paragraph
        if hit.tier != tier:  # scores rank hits within their group: say where a group starts
            lines.append(f"--- paragraphs holding {hit.tier} ---")
            tier = hit.tier
        head = [f"{hit.rank:>2}. [{hit.score:.2f}]", _b(terminal_safe(p.title or "(untitled)", newlines=False), color)]
        meta = [m for m in (p.date[:10] if p.date else None, p.outlet, p.speaker, f"{p.article_id}#p{p.position}") if m]
        lines.append(" ".join(head))
        if hit.copies:
            articles = len({c.split("#", 1)[0] for c in hit.copies})
            meta.append(f"also in {articles} other article{'s' if articles > 1 else ''}")
        lines.append("    " + terminal_safe(" · ".join(meta), newlines=False))
        snippet = _safe_marked(hit.snippet)
        if hit.context:
            for c in hit.context:
                marker = ">" if c.position == p.position else " "
                body = render_marks(snippet, color) if c.position == p.position else terminal_safe(c.text)
                lines.extend(_indent(f"{marker} p{c.position}: {body}"))
        else:
            lines.extend(_indent(render_marks(snippet, color)))
        lines.append("")
    shown = len(result.hits)
    if shown:
        n = result.all_words_total
        held = "" if n is None else f" ({n} {'holds' if n == 1 else 'hold'} all the words)"
        lines.append(f"{shown} of {result.total} paragraphs{held}")
    return "\n".join(lines).rstrip("\n")


def render_paragraphs(paragraphs, focus: Paragraph, fmt: str) -> str:
    if fmt in ("json", "jsonl"):
        records = [paragraph_record(p) for p in paragraphs]
        if fmt == "jsonl":
            return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
        return json.dumps({"id": focus.id, "paragraphs": records}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        keys = tuple(paragraph_record(focus))
        return records_csv([paragraph_record(p) for p in paragraphs], keys)
    lines = [focus.title or "(untitled)", " · ".join(m for m in (focus.date[:10] if focus.date else None, focus.source, focus.url) if m), ""]
    for p in paragraphs:
        marker = ">" if p.id == focus.id else " "
        speaker = f"[{p.speaker}] " if p.speaker else ""
        lines.extend(_indent(f"{marker} p{p.position}: {speaker}{p.text}", "  "))
    return "\n".join(terminal_safe(line, newlines=False) for line in lines)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value):
    """A value as a CSV cell a spreadsheet shows as text: lists joined with "; ", and a text that
    would start a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) led by ``'`` as OWASP
    recommends. Numbers stay numbers. Every CSV briefsearch writes goes through here."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def records_csv(records: list[dict], keys) -> str:
    buffer = io.StringIO()
    write_csv(records, keys, buffer)
    return buffer.getvalue().rstrip("\n")


def write_csv(records, keys, out) -> None:
    """Write ``records`` (any iterable, consumed as it goes) as CSV rows to the text stream ``out``."""
    writer = csv.DictWriter(out, fieldnames=list(keys), extrasaction="ignore", lineterminator="\n")
    writer.writerow({k: csv_cell(k) for k in keys})
    for record in records:
        writer.writerow({k: csv_cell(v) for k, v in record.items()})


def render_records(records: list[dict], fmt: str, keys, text_line) -> str:
    """Lists (speakers, topics, acronyms, stats): JSON list, CSV, or one text line per record."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    if fmt == "csv":
        return records_csv(records, keys)
    return "\n".join(terminal_safe(text_line(r)) for r in records)


def _b(text: str, color: bool) -> str:
    return f"{BOLD}{text}{RESET}" if color else text


def _indent(text: str, prefix: str = "    ") -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=prefix, subsequent_indent=prefix + "  ") or [prefix]


def render_coverage(covered: dict, fmt: str, width: int = 40) -> str:
    """Paragraphs per month (``listings.coverage``): text bars with the gaps named, or JSON, or one
    row per month in JSON Lines and CSV."""
    months = covered["months"]
    if fmt == "json":
        return json.dumps(covered, indent=2)
    if fmt in ("jsonl", "csv"):
        return render_records(months, fmt, ("month", "paragraphs"), str)
    most = max((m["paragraphs"] for m in months), default=0) or 1
    lines = ["paragraphs per month:"]
    for m in months:
        bar = "\u2588" * max(1 if m["paragraphs"] else 0, round(width * m["paragraphs"] / most))
        lines.append(f"{m['month']}  {bar:<{width}}  {m['paragraphs']:,}")
    for gap in covered["gaps"]:
        lines.append(f"gap: nothing from {gap['first_day']} to {gap['last_day']} ({gap['days']} days)")
    if covered.get("undated"):
        lines.append(f"{covered['undated']:,} paragraphs without a date")
    return "\n".join(lines)
