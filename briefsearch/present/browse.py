"""What a reader browsing the collection sees beside the hits: one page of a search with its facet
counts and date histogram, a paragraph in its article with the query's words marked, a speaker's
profile, the coverage of the index by month, and an export as CSV lines.

Every function takes an open ``query.searcher.Searcher`` (a server keeps one open, and it reopens
itself when a writer commits) and returns plain data; the web page and its JSON twin render it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from briefsearch.models import Paragraph, SearchResult
from briefsearch.query import tree as ql
from briefsearch.query.language import parse_query
from briefsearch.query.snippets import MARK_END, MARK_START
from briefsearch.text.analysis import analyze, analyze_spans

MAX_SHOWN = 1000  # the deepest hit a page of results reaches (the CLI's --limit cap)
FACETS_SHOWN = ("speaker", "topic", "outlet", "date")


@dataclass(frozen=True)
class Bar:
    """One bar of a date histogram: paragraphs dated ``since`` to ``until`` (inclusive)."""

    label: str  # "2021-06" or "2021"
    since: str  # "2021-06-01"
    until: str  # "2021-06-30"
    count: int


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its hits, the facet counts and histogram of everything it matches."""

    result: SearchResult  # hits of this page only (ranks kept), total of the whole search
    page: int
    per_page: int
    pages: int
    facets: dict = field(default_factory=dict)  # facet → [(value, count)], most first
    histogram: tuple[Bar, ...] = ()
    undated: int = 0  # matching paragraphs without a date (not in any bar)
    years: tuple[tuple[str, int], ...] = ()  # (year, matching paragraphs), oldest first


def search_page(searcher, text: str, options, page: int = 1, per_page: int = 20, facet_values: int = 12) -> SearchPage:
    """Hits ``(page-1)*per_page + 1`` to ``page*per_page`` of a search (as ``briefsearch query -n
    page*per_page`` ranks them), with the counts of each facet over the paragraphs the search
    matches and a date histogram (bars by month, by year over more than eight years)."""
    deepest = min(page * per_page, MAX_SHOWN)
    first = min((page - 1) * per_page, deepest)
    if text.strip():
        result, counts = searcher.search_with_facets(text, replace(options, limit=max(deepest, 1)), FACETS_SHOWN)
    else:
        result = _filtered(searcher, replace(options, limit=max(deepest, 1)))
        counts = searcher.facets(None, options, FACETS_SHOWN)
    shown = replace(result, hits=result.hits[first:deepest])
    days = counts.pop("date", {})
    facets = {name: sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:facet_values] for name, values in counts.items()}
    for name, chosen in (("speaker", options.speaker), ("topic", options.topic)):
        # a chosen value is shown with its count even when it is not among the most frequent
        if chosen and name in facets and all(value.casefold() != chosen.casefold() for value, _ in facets[name]):
            facets[name] += [(value, n) for value, n in counts[name].items() if value.casefold() == chosen.casefold()]
    bars, undated = histogram(days, result.total)
    pages = max(1, -(-min(result.total, MAX_SHOWN) // per_page))
    years: dict[str, int] = {}
    for day, count in days.items():
        years[day[:4]] = years.get(day[:4], 0) + count
    return SearchPage(shown, page, per_page, pages, facets, bars, undated, tuple(sorted(years.items())))


def _filtered(searcher, options) -> SearchResult:
    """The paragraphs the filters of ``options`` hold, without a query: newest first (or oldest
    first when asked), each with the start of its text as its snippet."""
    from briefsearch.errors import QuerySyntaxError
    from briefsearch.models import Hit
    from briefsearch.query.snippets import make_snippet

    within = searcher.matching(None, options)
    if within is None:
        raise QuerySyntaxError("Nothing to search — type a query, or choose a speaker, topic, source or dates")
    order = options.sort if options.sort != "relevance" else "newest"
    found = searcher.reader.search(within, limit=options.limit, per_article=options.per_article,
                                   deadline=options.time_limit, order=order)
    hits = tuple(Hit(rank, 0.0, paragraph, make_snippet(paragraph.text, set()))
                 for rank, (paragraph, _) in enumerate(found.hits, 1))
    return SearchResult(query="", total=found.total, hits=hits)


def histogram(days: dict[str, int], total: int) -> tuple[tuple[Bar, ...], int]:
    """Bars from counts per day (``YYYY-MM-DD``): every day, month or year (over two months, over
    eight years) between the first and the last, empty ones at 0; and the count of ``total`` that
    no bar holds (undated paragraphs)."""
    if not days:
        return (), total
    import datetime

    first, last = min(days), max(days)
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    if (end - start).days <= 62:  # two months or less: a bar per day
        bars = [Bar(d, d, d, days.get(d, 0)) for d in
                ((start + datetime.timedelta(n)).isoformat() for n in range((end - start).days + 1))]
        return tuple(bars), max(0, total - sum(days.values()))
    yearly = int(last[:4]) - int(first[:4]) >= 8
    buckets: dict[str, int] = {}
    for day, count in days.items():
        key = day[:4] if yearly else day[:7]
        buckets[key] = buckets.get(key, 0) + count
    bars = []
    for key in _keys(first, last, yearly):
        if yearly:
            since, until = f"{key}-01-01", f"{key}-12-31"
        else:
            since, until = f"{key}-01", f"{key}-{_month_days(key):02d}"
        bars.append(Bar(key, since, until, buckets.get(key, 0)))
    return tuple(bars), max(0, total - sum(buckets.values()))


def _keys(first: str, last: str, yearly: bool) -> list[str]:
    if yearly:
        return [str(year) for year in range(int(first[:4]), int(last[:4]) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    keys = []
    while (year, month) <= (int(last[:4]), int(last[5:7])):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _month_days(key: str) -> int:
    import calendar

    return calendar.monthrange(int(key[:4]), int(key[5:7]))[1]


def months(days: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per day summed by month, every month from the first to the last (empty ones at 0)."""
    if not days:
        return []
    buckets: dict[str, int] = {}
    for day, count in days.items():
        buckets[day[:7]] = buckets.get(day[:7], 0) + count
    return [(key, buckets.get(key, 0)) for key in _keys(min(days), max(days), False)]


# --- a paragraph in its article ------------------------------------------------------------


def highlight_terms(query: str | None) -> frozenset[str]:
    """The index terms of a query's own words (not of excluded ones nor of field filters): what a
    page marks in a paragraph opened from a search."""
    if not query or not query.strip():
        return frozenset()
    try:
        node = parse_query(query, [])
    except Exception:  # a query that does not parse marks nothing; the search page says why
        return frozenset()
    terms: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, ql.Not):
            return
        if isinstance(node, ql.Term) and node.field in (None, "text"):
            terms.update(analyze(node.text))
        elif isinstance(node, ql.Phrase) and node.field in (None, "text"):
            terms.update(analyze(" ".join(node.words)))
        for child in getattr(node, "children", ()) or ():
            walk(child)
        for name in ("child", "required"):
            if hasattr(node, name):
                walk(getattr(node, name))
        for child in getattr(node, "optional", ()) or ():
            walk(child)

    walk(node)
    return frozenset(terms)


def marked(text: str, terms: frozenset[str]) -> str:
    """``text`` with every word whose index term is in ``terms`` between the match marks."""
    if not terms:
        return text
    out, cursor = [], 0
    for term, start, end in analyze_spans(text):
        if term in terms:
            out.append(text[cursor:start] + MARK_START + text[start:end] + MARK_END)
            cursor = end
    out.append(text[cursor:])
    return "".join(out)


@dataclass(frozen=True)
class ParagraphView:
    """A paragraph with its neighbours (each text with the query's words marked)."""

    focus: Paragraph
    neighbours: tuple[tuple[Paragraph, str], ...]  # (paragraph, marked text), in reading order
    citation: dict = field(default_factory=dict)  # style → text (``present.citations``)
    question: Paragraph | None = None  # an answer: the question it answers
    answer: Paragraph | None = None  # a question: the answer it got


def paragraph_view(searcher, paragraph_id: str, query: str | None = None, context: int = 3) -> ParagraphView:
    """The paragraph with ``context`` neighbours each side, the query's words marked, the question
    it answers or the answer it got, and its citation in each style (``present.citations``)."""
    from briefsearch.errors import NotFound

    focus, paragraphs = searcher.show(paragraph_id, context)
    terms = highlight_terms(query)
    linked = {}
    for name, link_name in (("question", "answers_to"), ("answer", "answered_by")):
        target = getattr(focus, link_name, None)
        if target:
            try:
                linked[name] = searcher.reader.get(target)
            except NotFound:  # the other end was re-indexed away
                pass
    from briefsearch.present.citations import STYLES, paragraph_citation, render_citation

    record = paragraph_citation(focus)  # from the open index: opening another costs more than the page
    cited = {style: render_citation(record, style) for style in STYLES}
    return ParagraphView(focus, tuple((p, marked(p.text, terms)) for p in paragraphs), cited, **linked)


# --- an article, a speaker, the whole index ------------------------------------------------


@dataclass(frozen=True)
class SpeakerProfile:
    """Who a speaker is in the index: aliases, paragraphs over time, topics, latest paragraphs."""

    name: str
    aliases: tuple[str, ...]
    paragraphs: int
    histogram: tuple[Bar, ...]  # paragraphs per day, month or year (``histogram``)
    topics: tuple[tuple[str, int], ...]  # most first
    outlets: tuple[tuple[str, int], ...]
    latest: tuple[Paragraph, ...]


def speaker_profile(searcher, name: str, latest: int = 10, topics: int = 15) -> SpeakerProfile:
    """The profile of the speaker named ``name`` (the canonical name, as results show it)."""
    from briefsearch.errors import NotFound
    from briefsearch.query.searcher import SearchOptions

    counts = searcher.facets(None, SearchOptions(speaker=name), ("speaker", "topic", "outlet", "date"))
    reader = searcher.reader
    within = reader.compile(ql.Term(name, "speaker"))
    recent = tuple(reader.paragraphs_with("speaker", name, limit=latest, latest_first=True, within=within))
    if not recent and not counts["speaker"].get(name):
        raise NotFound(f"No speaker {name!r} in the index — see the speakers beside a search, or run: briefsearch speakers")
    registry = (searcher.generation.enrichment() or {}).get("speakers", [])
    aliases = next((tuple(sorted(entry.get("aliases") or ())) for entry in registry if entry.get("name") == name), ())
    by_count = lambda values: tuple(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
    paragraphs = counts["speaker"].get(name, 0)
    return SpeakerProfile(name, aliases, paragraphs, histogram(counts["date"], paragraphs)[0],
                          by_count(counts["topic"])[:topics], by_count(counts["outlet"]), recent)


@dataclass(frozen=True)
class Overview:
    """What the index holds, and its coverage per month and per outlet."""

    stats: object  # models.IndexStats
    months: tuple[tuple[str, int], ...]
    outlets: tuple[tuple[str, int], ...]


def overview(searcher) -> Overview:
    from briefsearch.models import IndexStats

    reader = searcher.reader
    totals = reader.totals()
    counts = searcher.facets(None, None, ("speaker", "topic", "outlet", "date"))
    stats = IndexStats(articles=totals.articles, paragraphs=totals.paragraphs, speakers=len(counts["speaker"]),
                       topics=len(counts["topic"]), first_date=totals.first_day, last_date=totals.last_day,
                       bytes=totals.bytes, sources=totals.sources, generation=searcher.generation.name)
    outlets = tuple(sorted(counts["outlet"].items(), key=lambda kv: (-kv[1], kv[0])))
    return Overview(stats, tuple(months(counts["date"])), outlets)


# --- export ----------------------------------------------------------------------------------

def csv_lines(records: Iterable[dict], keys) -> Iterator[str]:
    """CSV text, header first, one line per record; each cell made safe for spreadsheets."""
    import csv
    import io

    from briefsearch.present.render import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for record in records:
        writer.writerow([csv_cell(record.get(key)) for key in keys])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
