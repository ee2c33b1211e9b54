"""What the collection holds: counts for ``stats``, ``check``, and the speaker, topic, acronym and
quote listings.

Every count comes from the live index through the engine's facet counts, so a listing's count is
the number of paragraphs a search with that filter finds, also after re-indexing replaced files.
"""

from __future__ import annotations

import os

from briefsearch.engine.api import parse_definition_value
from briefsearch.models import IndexStats
from briefsearch.query import tree as ql
from briefsearch.query.searcher import SearchOptions, Searcher


def index_stats(index_dir: str | os.PathLike) -> IndexStats:
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        totals = reader.totals()
        return IndexStats(
            articles=totals.articles,
            paragraphs=totals.paragraphs,
            speakers=len(reader.facet_counts("speaker")),
            topics=len(reader.facet_counts("topic")),
            first_date=totals.first_day,
            last_date=totals.last_day,
            bytes=totals.bytes,
            sources=totals.sources,
            generation=searcher.generation.name,
            engine=searcher.generation.stamp().engine,
        )


def coverage(index_dir: str | os.PathLike, min_gap_days: int = 30) -> dict:
    """What the collection covers in time: paragraphs per month from the first dated month to the
    last (empty months included), the gaps of ``min_gap_days`` or more days without a paragraph
    inside that range, and the paragraphs without a date.

    ``{"months": [{"month": "2021-06", "paragraphs": 812}, ...], "gaps": [{"first_day": "2021-08-14",
    "last_day": "2022-01-31", "days": 171}, ...], "undated": 12}``
    """
    from datetime import date, timedelta

    with Searcher(index_dir) as searcher:
        days = searcher.reader.facet_counts("date")
        undated = searcher.reader.totals().paragraphs - sum(days.values())
    per_month: dict[str, int] = {}
    for day, count in days.items():
        per_month[day[:7]] = per_month.get(day[:7], 0) + count
    months = []
    if per_month:
        year, month = map(int, min(per_month).split("-"))
        last = max(per_month)
        while f"{year:04d}-{month:02d}" <= last:
            key = f"{year:04d}-{month:02d}"
            months.append({"month": key, "paragraphs": per_month.get(key, 0)})
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    gaps = []
    dated = sorted(date.fromisoformat(day) for day in days)
    for before, after in zip(dated, dated[1:]):
        missing = (after - before).days - 1
        if missing >= min_gap_days:
            gaps.append({"first_day": (before + timedelta(days=1)).isoformat(),
                         "last_day": (after - timedelta(days=1)).isoformat(), "days": missing})
    return {"months": months, "gaps": gaps, "undated": undated}


def check_index(index_dir, full: bool = False) -> list[str]:
    """Problems found in the live generation: every file against its checksum (side files too),
    then stored paragraphs and their postings, on a sample spread over the index (``full``: all)."""
    from briefsearch.errors import CorruptIndex
    from briefsearch.indexing.storage import IndexDir

    generation = IndexDir(index_dir).live()
    engine = generation.engine()
    try:
        problems = generation.verify_checksums(engine.committed_files(generation.path), engine.commit_point(generation.path).name)
        reader = engine.reader(generation.path)
    except CorruptIndex as error:
        return generation.verify_checksums() + [str(error)]
    try:
        problems += reader.check(full=full)
    except Exception as error:  # damaged files surface as zlib/EOF/struct errors while reading
        problems.append(f"reading the index failed: {type(error).__name__}: {error}")
    finally:
        reader.close()
    return problems


def _dates(reader, facet: str, value: str, within=None) -> tuple[str | None, str | None]:
    first = reader.paragraphs_with(facet, value, limit=1, within=within)
    last = reader.paragraphs_with(facet, value, limit=1, latest_first=True, within=within)
    day = lambda ps: (ps[0].date or "")[:10] or None if ps else None  # noqa: E731
    return day(first), day(last)


def list_speakers(index_dir, topic: str | None = None) -> list[dict]:
    """Speakers with their aliases, paragraph counts and date range (optionally within a topic):
    people first, then roles that name no one ("Moderator", "Senior Administration Official"),
    then questions from the floor (``category``: "person", "role", "question")."""
    from briefsearch.ingest.enrich.speakers import speaker_kind

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        within = reader.compile(ql.Term(topic, "topic")) if topic else None
        aliases = _speaker_aliases(searcher.generation.enrichment())
        records = []
        for name, count in reader.facet_counts("speaker", within).items():
            first, last = _dates(reader, "speaker", name, within)
            records.append({"name": name, "category": speaker_kind(name), "aliases": sorted(aliases.get(name, ())),
                            "paragraphs": count, "first_date": first, "last_date": last})
    order = {"person": 0, "role": 1, "question": 2}
    return sorted(records, key=lambda r: (order[r["category"]], -r["paragraphs"], r["name"]))


def _speaker_aliases(state: dict | None) -> dict[str, list[str]]:
    """canonical name → aliases, from the enrichment state's speaker registry."""
    return {entry["name"]: list(entry.get("aliases") or ()) for entry in (state or {}).get("speakers", [])}


def list_topics(index_dir) -> list[dict]:
    """Topics with their paragraph counts, labels as the taxonomy writes them."""
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        records = []
        for value, count in reader.facet_counts("topic").items():
            label = value
            for paragraph in reader.paragraphs_with("topic", value, limit=1):
                label = next((t for t in paragraph.topics if t.lower() == value), value)
            records.append({"topic": label, "paragraphs": count})
    return sorted(records, key=lambda r: (-r["paragraphs"], r["topic"].lower()))


def list_acronyms(index_dir) -> list[dict]:
    """Acronym definitions found in the text: short and long form, count, first source."""
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        records = []
        for value, count in reader.facet_counts("acronym").items():
            first = reader.paragraphs_with("acronym", value, limit=1)
            short, long = parse_definition_value(value)
            source = None
            if first:
                p = first[0]
                short, long = next(((s, l) for s, l in p.acronyms if s.lower() == short), (short.upper(), long))
                source = p.id
            records.append({"short": short, "long": long, "count": count, "first_source": source})
    return sorted(records, key=lambda r: (-r["count"], r["short"]))


# The kinds of speech ``quotes`` lists: what a person said in their own words.
SAID = ("statement", "turn", "answer", "quote")


def speaker_quotes(index_dir, speaker: str, query: str | None = None, limit: int = 50) -> list[dict]:
    """What a speaker said in their own words (statements, transcript turns and answers, direct
    quotes), optionally only what matches a query: the words (a quote's quoted passages, otherwise
    the paragraph), the kind of speech, paragraph id, date and title. Best matches first with a
    query, otherwise in date order."""
    from briefsearch.ingest.enrich.speakers import quoted_spans

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        if query:
            result = searcher.search(query, SearchOptions(limit=max(limit * 4, 200), speaker=speaker, expand=True))
            paragraphs = [h.paragraph for h in result.hits]
        else:
            within = reader.compile(ql.Term(speaker, "speaker"))
            paragraphs = [p for kind in SAID for p in reader.paragraphs_with("speech", kind, within=within, limit=limit)]
            paragraphs.sort(key=lambda p: (p.date or "", p.article_id, p.position))
    records = []
    for p in paragraphs:
        if _kind(p) not in SAID:
            continue
        spans = quoted_spans(p.text) if _kind(p) == "quote" else []
        for words in spans or [p.text]:
            records.append({"quote": words, "speaker": p.speaker, "speech": _kind(p), "role": p.speaker_role, "id": p.id,
                            "date": (p.date or "")[:10] or None, "title": p.title})
            if len(records) >= limit:
                return records
    return records


def _kind(p) -> str | None:
    """The kind of speech, also for a paragraph indexed before kinds were recorded."""
    if p.speech:
        return p.speech
    return "quote" if p.is_quote else ("turn" if p.is_turn and not p.is_question else None)
