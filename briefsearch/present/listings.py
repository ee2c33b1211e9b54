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
    """Speakers with their aliases, paragraph counts and date range (optionally within a topic)."""
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        within = reader.compile(ql.Term(topic, "topic")) if topic else None
        aliases = _speaker_aliases(searcher.generation.enrichment())
        records = []
        for name, count in reader.facet_counts("speaker", within).items():
            first, last = _dates(reader, "speaker", name, within)
            records.append({"name": name, "aliases": sorted(aliases.get(name, ())), "paragraphs": count,
                            "first_date": first, "last_date": last})
    return sorted(records, key=lambda r: (-r["paragraphs"], r["name"]))


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


def speaker_quotes(index_dir, speaker: str, query: str | None = None, limit: int = 50) -> list[dict]:
    """The direct quotes of a speaker: the quoted text, paragraph id, date and title."""
    from briefsearch.ingest.enrich.speakers import quoted_spans

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        if query:
            result = searcher.search(query, SearchOptions(limit=1000, speaker=speaker, expand=True))
            paragraphs = [h.paragraph for h in result.hits]
        else:
            within = reader.compile(ql.Term(speaker, "speaker"))
            paragraphs = reader.paragraphs_with("flag", "quote", within=within)
    records = []
    for p in paragraphs:
        if not p.is_quote:
            continue
        for quote in quoted_spans(p.text) or [p.text]:
            records.append({"quote": quote, "speaker": p.speaker, "id": p.id, "date": (p.date or "")[:10] or None,
                            "title": p.title})
            if len(records) >= limit:
                return records
    return records
