"""Rendering alerts: the saved list, and each run's new and updated paragraphs."""

from __future__ import annotations

import json
import textwrap

from briefsearch.present.render import paragraph_record, records_csv, terminal_safe
from briefsearch.query.alerts import AlertNews

NEWS_KEYS = ("alert", "status", "id", "article_id", "title", "date", "outlet", "url", "paragraph", "speaker", "text")


def alert_records(alerts) -> list[dict]:
    return [{"name": a.name, "query": a.query, **{k: a.filters.get(k) for k in ("speaker", "topic", "source", "since", "until")},
             "last_run": a.last_run} for a in alerts]


def describe_alert(alert) -> str:
    filters = ", ".join(f"--{k} {v!r}" for k, v in alert.filters.items() if v)
    return f"{alert.name}: {alert.query!r}" + (f" {filters}" if filters else "")


def news_records(news: AlertNews) -> list[dict]:
    return [{"alert": news.alert.name, "status": status, **paragraph_record(p)} for p, status in news.paragraphs]


def render_news(news: AlertNews, fmt: str) -> str:
    """One alert's delivery; "" in text when there is nothing new (a cron job then mails nothing)."""
    records = news_records(news)
    if fmt == "json":
        return json.dumps({"alert": news.alert.name, "query": news.alert.query, "paragraphs": records}, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    if fmt == "csv":
        return records_csv(records, NEWS_KEYS)
    if not records:
        return ""
    count = len(records)
    lines = [f"alert {describe_alert(news.alert)} — {count} new or updated paragraph{'s' if count > 1 else ''}"]
    for number, (p, status) in enumerate(news.paragraphs, 1):
        lines.append(f"{number:>2}. [{status}] {p.title or '(untitled)'}")
        meta = [m for m in ((p.date or "")[:10] or None, p.outlet, p.speaker, p.id) if m]
        lines.append("    " + " · ".join(meta))
        lines.extend(textwrap.wrap(p.text, width=100, initial_indent="    ", subsequent_indent="      "))
    return terminal_safe("\n".join(lines)) + "\n"
