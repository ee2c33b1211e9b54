"""Timelines: how many paragraphs a search matches per day, week, month or year, in total and for
its top speakers, topics or sources.

Counts come from the engine's facets over the search's matches (``Searcher.matching``): the
paragraphs counted are those ``briefsearch query`` counts in its total. Every interval from the
first match to the last is listed, empty ones as 0, so the counts add up to the dated total; the
undated matches are counted apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta

from briefsearch.errors import QuerySyntaxError
from briefsearch.query.searcher import SearchOptions, Searcher

INTERVALS = ("auto", "day", "week", "month", "year")
BY = {"speaker": "speaker", "topic": "topic", "source": "outlet"}  # --by → engine facet


@dataclass(frozen=True)
class Series:
    name: str
    counts: tuple[int, ...]  # per interval, in order
    total: int


@dataclass(frozen=True)
class Timeline:
    query: str | None
    interval: str  # day, week (labelled by its Monday), month or year
    labels: tuple[str, ...]  # one per interval, first match to last
    counts: tuple[int, ...]  # matching paragraphs per interval
    total: int  # every matching paragraph: sum(counts) + undated
    undated: int
    by: str | None = None
    series: tuple[Series, ...] = ()  # the top values of ``by``, most paragraphs first


def timeline(index_dir: str | os.PathLike, query: str | None, options: SearchOptions | None = None, *,
             by: str | None = None, interval: str = "auto", top: int = 5) -> Timeline:
    """The timeline of a search (of every paragraph within the filters when ``query`` is None)."""
    if interval not in INTERVALS:
        raise QuerySyntaxError(f"Unknown interval {interval!r}: use one of {', '.join(INTERVALS)}")
    if by is not None and by not in BY:
        raise QuerySyntaxError(f"Cannot break a timeline down by {by!r}: use one of {', '.join(BY)}")
    with Searcher(index_dir) as searcher:
        matching = searcher.matching(query, options)
        reader = searcher.reader
        days = reader.facet_counts("date", matching)
        total = reader.search(matching, limit=1).total if matching is not None else reader.totals().paragraphs
        table = reader.facet_table(BY[by], "date", matching) if by else {}
    dated = sum(days.values())
    if not days:
        return Timeline(query, interval if interval != "auto" else "day", (), (), total, total - dated, by)
    first, last = min(days), max(days)
    if interval == "auto":
        interval = auto_interval(first, last)
    labels = interval_labels(first, last, interval)
    position = {label: i for i, label in enumerate(labels)}
    counts = [0] * len(labels)
    for day, n in days.items():
        counts[position[interval_of(day, interval)]] += n
    series = []
    if by:
        per_value: dict[str, list[int]] = {}
        for (value, day), n in table.items():
            per_value.setdefault(value, [0] * len(labels))[position[interval_of(day, interval)]] += n
        ranked = sorted(per_value.items(), key=lambda item: (-sum(item[1]), item[0]))[:top]
        series = [Series(name, tuple(values), sum(values)) for name, values in ranked]
    return Timeline(query, interval, tuple(labels), tuple(counts), total, total - dated, by, tuple(series))


def auto_interval(first: str, last: str) -> str:
    """Day for up to two months, week up to a year, month up to eight years, else year."""
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days
    return "day" if span <= 62 else "week" if span <= 366 else "month" if span <= 8 * 366 else "year"


def interval_of(day: str, interval: str) -> str:
    if interval == "day":
        return day
    if interval == "week":
        value = date.fromisoformat(day)
        return (value - timedelta(days=value.weekday())).isoformat()
    return day[:7] if interval == "month" else day[:4]


def interval_labels(first: str, last: str, interval: str) -> list[str]:
    """Every interval from the one holding ``first`` to the one holding ``last``."""
    labels: list[str] = []
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    if interval in ("day", "week"):
        step = timedelta(days=1 if interval == "day" else 7)
        current = date.fromisoformat(interval_of(first, interval))
        while current <= end:
            labels.append(current.isoformat())
            current += step
        return labels
    if interval == "month":
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return labels
    return [f"{year:04d}" for year in range(start.year, end.year + 1)]
