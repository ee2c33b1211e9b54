"""Rendering a timeline: a text chart for the terminal, JSON, JSON Lines or CSV (one row per interval)."""

from __future__ import annotations

import json

from briefsearch.present.render import records_csv, terminal_safe
from briefsearch.query.timeline import Timeline

BAR_WIDTH = 50


def timeline_records(tl: Timeline) -> list[dict]:
    """One record per interval: its label, the total and each series' count."""
    return [{"interval": label, "paragraphs": count, **{s.name: s.counts[i] for s in tl.series}}
            for i, (label, count) in enumerate(zip(tl.labels, tl.counts))]


def render_timeline(tl: Timeline, fmt: str) -> str:
    if fmt == "json":
        record = {"query": tl.query, "interval": tl.interval, "total": tl.total, "undated": tl.undated, "by": tl.by,
                  "labels": list(tl.labels), "counts": list(tl.counts),
                  "series": [{"name": s.name, "total": s.total, "counts": list(s.counts)} for s in tl.series]}
        return json.dumps(record, ensure_ascii=False, indent=2)
    records = timeline_records(tl)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    if fmt == "csv":
        return records_csv(records, ("interval", "paragraphs", *(s.name for s in tl.series)))
    return _text_chart(tl)


def _text_chart(tl: Timeline) -> str:
    peak = max(tl.counts, default=0) or 1
    width = max((len(label) for label in tl.labels), default=4)
    lines = []
    if tl.series:
        lines.append(f"{'':{width}}  {'all':>6}  " + "  ".join(f"{_short(s.name):>16}" for s in tl.series))
    for i, (label, count) in enumerate(zip(tl.labels, tl.counts)):
        bar = "\u2588" * round(BAR_WIDTH * count / peak) if count else ""
        if count and not bar:
            bar = "\u258f"
        columns = "  ".join(f"{s.counts[i]:>16,}" for s in tl.series)
        lines.append(f"{label:{width}}  {count:>6,}  " + (columns + "  " if columns else "") + bar)
    undated = f", {tl.undated:,} undated" if tl.undated else ""
    lines.append(f"{sum(tl.counts):,} paragraphs by {tl.interval}{undated}; {tl.total:,} in all")
    return terminal_safe("\n".join(lines))


def _short(name: str) -> str:
    return name if len(name) <= 16 else name[:15] + "\u2026"
