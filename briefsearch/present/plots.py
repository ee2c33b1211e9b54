"""A timeline drawn as a picture (SVG, PNG or PDF, by the file's extension) with matplotlib.

matplotlib is an optional extra (``pip install 'briefsearch[plot]'``): only ``timeline --plot``
needs it, and it is imported here only.
"""

from __future__ import annotations

import os

from briefsearch.errors import BriefsearchError
from briefsearch.query.timeline import Timeline

PLOT_FORMATS = (".svg", ".png", ".pdf")


class PlotUnavailable(BriefsearchError):
    """Plotting was asked for without matplotlib installed, or for a file type it cannot write."""


def plot_timeline(tl: Timeline, path: str | os.PathLike) -> str:
    """Draw the timeline into ``path``: the total as bars, each series as a line; returns the path."""
    extension = os.path.splitext(str(path))[1].lower()
    if extension not in PLOT_FORMATS:
        raise PlotUnavailable(f"Cannot draw {path}: name a file ending in {', '.join(PLOT_FORMATS)}")
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotUnavailable("Plotting needs matplotlib — install it: pip install 'briefsearch[plot]'") from None
    figure, axes = plt.subplots(figsize=(max(8.0, min(20.0, len(tl.labels) * 0.18)), 4.8), layout="constrained")
    positions = range(len(tl.labels))
    axes.bar(positions, tl.counts, color="#c8d3e0", label="all matching paragraphs")
    for series in tl.series:
        axes.plot(positions, series.counts, marker=".", linewidth=1.4, label=series.name)
    step = max(1, len(tl.labels) // 24)
    axes.set_xticks(list(positions)[::step], list(tl.labels)[::step], rotation=60, ha="right", fontsize=8)
    axes.set_xlabel({"day": "day", "week": "week (starting Monday)", "month": "month", "year": "year"}[tl.interval])
    axes.set_ylabel("matching paragraphs")
    undated = f", {tl.undated} undated" if tl.undated else ""
    axes.set_title(f"{tl.query or 'all paragraphs'} — {tl.total:,} paragraphs{undated}", fontsize=11)
    axes.legend(fontsize=8, loc="upper left")
    figure.savefig(path)
    plt.close(figure)
    return str(path)
