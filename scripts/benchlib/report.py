"""Plain-text tables: one column per engine, each figure followed by its ratios to the baselines."""

from __future__ import annotations

from benchlib.queries import KINDS

MB = 2 ** 20


def fmt(value) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _rows(metric: str, values: dict, engines, baselines) -> list[list[str]]:
    rows = [[metric] + [fmt(values.get(e.key)) for e in engines]]
    for base in baselines:
        ref = values.get(base.key)
        if not ref:
            continue
        rows.append([f"  ÷ {base.label}"] + [
            fmt(values[e.key] / ref) if values.get(e.key) is not None else "-" for e in engines])
    return rows


def _table(title: str, rows: list[list[str]], engines) -> str:
    header = [""] + [e.label for e in engines]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])])
    rule = "-" * (sum(widths) + 2 * len(widths) - 2)
    return "\n".join([title, line(header), rule] + [line(r) for r in rows])


def indexing_table(results: dict, engines, baselines) -> str:
    pick = lambda field, scale=1: {e.key: results[e.key][field] / scale for e in engines}
    runs = max(results[e.key]["runs"] for e in engines)
    rows = []
    rows += _rows("paragraphs/s (higher is better)", pick("paragraphs_per_s"), engines, baselines)
    rows += _rows("seconds", pick("seconds"), engines, baselines)
    if all("cpu_seconds" in results[e.key] for e in engines):
        rows += _rows("CPU s (user + system, with workers)", pick("cpu_seconds"), engines, baselines)
    rows += _rows("index size MB", pick("index_bytes", MB), engines, baselines)
    rows += _rows("bytes/paragraph", pick("bytes_per_paragraph"), engines, baselines)
    rows += _rows("peak RSS MB (largest process)", pick("peak_rss", MB), engines, baselines)
    rows += _rows("peak RSS MB (process tree)", pick("tree_rss", MB), engines, baselines)
    rows.append(["paragraphs the engine reports"] + [fmt(results[e.key]["engine_paragraphs"]) for e in engines])
    rows.append(["index files"] + [str(results[e.key]["files"]) for e in engines])
    return _table(f"Indexing (median of {runs} runs)", rows, engines)


def warm_table(results: dict, engines, baselines) -> str:
    pick = lambda f: {e.key: results[e.key][f] for e in engines}
    first = results[engines[0].key]
    rows = []
    rows += _rows("p50 ms", pick("p50_ms"), engines, baselines)
    rows += _rows("p95 ms", pick("p95_ms"), engines, baselines)
    for kind in KINDS:
        for stat in ("p50_ms", "p95_ms"):
            values = {e.key: results[e.key]["by_kind"][kind][stat] for e in engines}
            rows += _rows(f"{kind} {stat.replace('_ms', '')} ms", values, engines, baselines)
    rows += _rows("opening the index ms", pick("open_ms"), engines, baselines)
    rows += _rows("peak RSS MB", {e.key: results[e.key]["peak_rss"] / MB for e in engines}, engines, baselines)
    rows.append(["mean hits per query"] + [fmt(results[e.key]["mean_hits"]) for e in engines])
    title = (f"Warm queries, top 10 with snippets ({first['queries']} queries, "
             f"per-query median of {first['passes']} passes)")
    return _table(title, rows, engines)


def cold_table(results: dict, engines, baselines) -> str:
    runs = max(results[e.key]["runs"] for e in engines)
    rows = []
    rows += _rows("wall s, median", {e.key: results[e.key]["median_s"] for e in engines}, engines, baselines)
    rows += _rows("wall s, p90", {e.key: results[e.key]["p90_s"] for e in engines}, engines, baselines)
    rows += _rows("peak RSS MB, median", {e.key: results[e.key]["peak_rss"] / MB for e in engines},
                  engines, baselines)
    bare = results["interpreter"]
    note = (f"\n(bare interpreter, `python -c pass`, in the same loop: median {fmt(bare['median_s'])} s, "
            f"{fmt(bare['peak_rss'] / MB)} MB)")
    return _table(f"Cold whole-process query ({runs} fresh processes each, in turn)", rows, engines) + note


GOALS = (  # (label, section, field, limit, lower_is_better)
    ("indexing >= 1,000 paragraphs/s", "indexing", "paragraphs_per_s", 1000, False),
    ("indexing peak RSS <= 1 GB (process tree)", "indexing", "tree_rss", 2 ** 30, True),
    ("warm p50 <= 10 ms", "warm", "p50_ms", 10, True),
    ("warm p95 <= 25 ms", "warm", "p95_ms", 25, True),
    ("cold query <= 0.20 s median", "cold", "median_s", 0.20, True),
    ("cold query peak <= 150 MB", "cold", "peak_rss", 150 * MB, True),
)


def goals_table(size_result: dict, key: str, label_of_engine: str = "briefsearch") -> str:
    """Each goal of issue 6 (set for 100k paragraphs) as met or MISS, with the figure."""
    lines = [f"Goals (issue 6, set for 100k paragraphs) for {label_of_engine}:"]
    for label, section, field, limit, lower in GOALS:
        value = size_result.get(section, {}).get(key, {}).get(field)
        if value is None:
            continue
        ok = value <= limit if lower else value >= limit
        shown = fmt(value / MB) + " MB" if "rss" in field else fmt(value)
        lines.append(f"  {'met ' if ok else 'MISS'}  {label}: {shown}")
    whoosh = size_result.get("indexing", {}).get("whoosh", {}).get("paragraphs_per_s")
    mine = size_result.get("indexing", {}).get(key, {}).get("paragraphs_per_s")
    if whoosh and mine:
        lines.append(f"  {'met ' if mine >= 2 * whoosh else 'MISS'}  indexing >= 2x textbook Whoosh: "
                     f"{fmt(mine / whoosh)}x")
    return "\n".join(lines)


MB_LIMIT_INDEX = 2 ** 30


def tantivy_goals_table(size_result: dict, key: str, label_of_engine: str) -> str:
    """Each goal of issue 17 for briefsearch's tantivy engine as met or MISS, with the figure (the
    1M-only goals are shown at every size, marked as such)."""
    warm, indexing, cold = (size_result.get(s, {}) for s in ("warm", "indexing", "cold"))
    lines = [f"Goals (issue 17) for {label_of_engine}:"]

    def line(ok, text):
        lines.append(f"  {'met ' if ok else 'MISS'}  {text}")

    raw = warm.get("tantivy")
    mine = warm.get(key)
    if raw and mine:
        for stat in ("p50_ms", "p95_ms"):
            ratio = mine[stat] / raw[stat] if raw[stat] else float("inf")
            line(ratio <= 3, f"warm {stat[:3]} within 3x of raw tantivy: {fmt(mine[stat])} ms = {fmt(ratio)}x")
    if mine:
        line(mine["p95_ms"] <= 10, f"warm p95 <= 10 ms (set for 1M): {fmt(mine['p95_ms'])} ms")
    if cold.get(key):
        line(cold[key]["median_s"] <= 0.10, f"cold query <= 0.10 s median (set for 1M): {fmt(cold[key]['median_s'])} s")
    if indexing.get(key) and not indexing[key].get("reused"):
        figures = indexing[key]
        line(figures["paragraphs_per_s"] >= 5000, f"indexing >= 5,000 paragraphs/s (set for 1M): {fmt(figures['paragraphs_per_s'])}")
        line(figures["tree_rss"] <= MB_LIMIT_INDEX, f"indexing peak RSS <= 1 GB (process tree): {fmt(figures['tree_rss'] / MB)} MB")
    if indexing.get(key) and indexing.get("fts5"):
        mine_bytes, fts = indexing[key]["index_bytes"], indexing["fts5"]["index_bytes"]
        line(mine_bytes <= fts, f"index size <= FTS5's: {fmt(mine_bytes / MB)} MB = {fmt(mine_bytes / fts)}x")
    return "\n".join(lines)


def fed_note(extraction: dict, indexing: dict, engines) -> str:
    """What a fed corpus's briefsearch indexing leaves out: its pool's extraction and enrichment."""
    rate = extraction["paragraphs"] / extraction["seconds"]
    lines = [f"briefsearch's indexing above is without ingest (fed paragraphs). Its ingest, once, over the pool of "
             f"{extraction['paragraphs']:,} paragraphs with {extraction['jobs']} worker processes: "
             f"{extraction['seconds']:.1f} s = {fmt(rate)} paragraphs/s, "
             f"{fmt(extraction.get('cpu_seconds', 0) * 1000 / extraction['paragraphs'])} ms CPU a paragraph, peak {fmt(extraction['tree_rss'] / MB)} MB "
             "(process tree)."]
    for engine in engines:
        figures = indexing.get(engine.key, {})
        if engine.is_baseline or not figures.get("paragraphs_per_s"):
            continue
        both = 1 / (1 / rate + 1 / figures["paragraphs_per_s"])
        cpu = figures.get("cpu_seconds")
        lines.append(f"{engine.label}: ingest then writing, one after the other: {fmt(both)} paragraphs/s"
                     + (f"; writing used {fmt(cpu * 1000 / figures['engine_paragraphs'])} ms CPU a paragraph"
                        if cpu and figures.get("engine_paragraphs") else ""))
    return "\n".join(lines)
