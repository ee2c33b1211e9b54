"""Alerts: saved searches that deliver only the paragraphs indexed since their last delivery.

"Since" is ingest time, not publication date: the index's ledger (``indexing.ledger``) numbers
every paragraph as it is first indexed or its words change. An alert run takes the paragraphs
numbered after the alert's watermark, keeps those its search matches, hands them to the caller's
``deliver`` and only then advances the watermark, so output that failed to be written is
delivered again on the next run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from briefsearch.indexing.alerts import Alert, AlertStore
from briefsearch.indexing.ledger import sync_ledger
from briefsearch.models import Paragraph
from briefsearch.query.language import parse_date_range
from briefsearch.query.searcher import SearchOptions, Searcher

FILTERS = ("speaker", "topic", "source", "since", "until")


@dataclass(frozen=True)
class AlertNews:
    """One alert's delivery: its new and updated paragraphs, oldest first."""

    alert: Alert
    paragraphs: tuple[tuple[Paragraph, str], ...]  # (paragraph, "new" or "updated")
    watermark: int  # the ledger sequence this delivery reaches


def add_alert(index_dir: str | os.PathLike, name: str, query: str, options: SearchOptions | None = None) -> Alert:
    """Save a search; it will deliver what is indexed from now on. The query is checked first."""
    options = options or SearchOptions()
    with Searcher(index_dir) as searcher:
        searcher.first_tier(query, options)  # a bad query or an unknown source fails now, not at run time
        ledger = sync_ledger(index_dir, searcher.generation, searcher.reader)
        try:
            seen = ledger.last_seq()
        finally:
            ledger.close()
    filters = {name: getattr(options, name) for name in FILTERS}
    return AlertStore(index_dir).add(name, query, filters, seen)


def list_alerts(index_dir: str | os.PathLike) -> list[Alert]:
    return AlertStore(index_dir).all()


def remove_alert(index_dir: str | os.PathLike, name: str) -> None:
    AlertStore(index_dir).remove(name)


def run_alerts(index_dir: str | os.PathLike, deliver: Callable[[AlertNews], None], name: str | None = None,
               since: str | None = None) -> list[AlertNews]:
    """Run one alert (or all): each one's news goes to ``deliver``, then its watermark advances.
    ``since`` (a date, in ingest time) replaces the watermarks for this run."""
    store = AlertStore(index_dir)
    alerts = [store.get(name)] if name else store.all()
    indexed_after = time.mktime(time.strptime(parse_date_range(since).start, "%Y-%m-%d")) if since else None
    delivered = []
    with Searcher(index_dir) as searcher:
        for alert in alerts:
            news = _news(searcher, index_dir, alert, indexed_after)
            deliver(news)
            store.advance(alert.name, news.watermark, time.time())
            delivered.append(news)
    return delivered


def _news(searcher: Searcher, index_dir, alert: Alert, indexed_after: float | None) -> AlertNews:
    reader = searcher.reader
    ledger = sync_ledger(index_dir, searcher.generation, reader)
    try:
        watermark = ledger.last_seq()  # read before the search: whatever comes later is the next run's
        fresh = ledger.since(seq=alert.seen_seq) if indexed_after is None else ledger.since(indexed_after=indexed_after)
    finally:
        ledger.close()
    known = {f.name for f in fields(SearchOptions)}
    options = SearchOptions(**{k: v for k, v in alert.filters.items() if k in known})
    matching = searcher.first_tier(alert.query, options)
    matched = reader.score_paragraphs(matching, [pid for pid, row in fresh.items() if row[0] <= watermark])
    paragraphs = sorted((reader.get(pid) for pid in matched), key=lambda p: (p.date or "", p.article_id, p.position))
    return AlertNews(alert, tuple((p, "updated" if fresh[p.id][2] else "new") for p in paragraphs), watermark)
