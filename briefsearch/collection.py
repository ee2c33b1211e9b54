"""What the collection holds: counts for ``stats``, and the speaker, topic and acronym listings.

Counts come from the index itself (term document frequencies), so they always match what a
search can find.
"""

from __future__ import annotations

import os

from briefsearch.models import IndexStats
from briefsearch.search import Searcher


def index_stats(index_dir: str | os.PathLike) -> IndexStats:
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        paragraphs = reader.paragraph_count()
        first, last = reader.day_range()
        return IndexStats(
            articles=len(reader.lexicon("article_id")),
            paragraphs=paragraphs,
            speakers=len(reader.lexicon("speaker")),
            topics=len(reader.lexicon("topics")),
            first_date=first,
            last_date=last,
            bytes=reader.size_bytes(),
            sources=reader.doc_count() - paragraphs,
            generation=searcher.store.current().name,
        )


def check_index(index_dir) -> list[str]:
    """Problems found in the live generation: checksums, stored paragraphs, postings (sampled)."""
    from briefsearch.engine import FORMAT_VERSION, SCHEMA_FINGERPRINT, committed_file_test, open_reader
    from briefsearch.errors import CorruptIndex
    from briefsearch.storage import IndexDir, verify_checksums

    store = IndexDir(index_dir)
    generation = store.current()
    store.check_stamp(generation, SCHEMA_FINGERPRINT, FORMAT_VERSION)
    try:
        problems = verify_checksums(generation, committed_file_test(generation))
        reader = open_reader(generation)
    except CorruptIndex as error:
        return verify_checksums(generation) + [str(error)]
    try:
        problems += reader.check()
    except Exception as error:  # damaged files surface as zlib/EOF/struct errors while reading
        problems.append(f"reading the index failed: {type(error).__name__}: {error}")
    finally:
        reader.close()
    return problems


def _dates(reader, field: str, value: str, within=None) -> tuple[str | None, str | None]:
    first = reader.paragraphs_with(field, value, limit=1, within=within)
    last = reader.paragraphs_with(field, value, limit=1, latest_first=True, within=within)
    day = lambda ps: (ps[0].date or "")[:10] or None if ps else None  # noqa: E731
    return day(first), day(last)


def list_speakers(index_dir, topic: str | None = None) -> list[dict]:
    """Speakers with their aliases, paragraph counts and date range (optionally within a topic)."""
    from briefsearch import querylang as ql
    from briefsearch.indexer import load_enrichment_state

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        within = reader.compile(ql.Term(topic, "topic")) if topic else None
        aliases = _speaker_aliases(load_enrichment_state(searcher.store.current()))
        records = []
        for name, count in reader.term_counts("speaker"):
            if within is not None:
                count = reader.count_with("speaker", name, within)
                if not count:
                    continue
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
        for term, count in reader.term_counts("topics"):
            label = term
            for paragraph in reader.paragraphs_with("topics", term, limit=1):
                label = next((t for t in paragraph.topics if t.lower() == term), term)
            records.append({"topic": label, "paragraphs": count})
    return sorted(records, key=lambda r: (-r["paragraphs"], r["topic"].lower()))


def list_acronyms(index_dir) -> list[dict]:
    """Acronym definitions found in the text: short and long form, count, first source."""
    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        records = []
        for term, count in reader.term_counts("acronyms"):
            first = reader.paragraphs_with("acronyms", term, limit=1)
            short, long = term.split("=", 1)
            source = None
            if first:
                p = first[0]
                short, long = next(((s, l) for s, l in p.acronyms if s.lower() == short), (short.upper(), long))
                source = p.id
            records.append({"short": short, "long": long, "count": count, "first_source": source})
    return sorted(records, key=lambda r: (-r["count"], r["short"]))


def speaker_quotes(index_dir, speaker: str, query: str | None = None, limit: int = 50) -> list[dict]:
    """The direct quotes of a speaker: the quoted text, paragraph id, date and title."""
    from briefsearch.search import SearchOptions

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        if query:
            result = searcher.search(query, SearchOptions(limit=1000, speaker=speaker, expand=True))
            paragraphs = [h.paragraph for h in result.hits]
        else:
            from briefsearch import querylang as ql

            within = reader.compile(ql.Term(speaker, "speaker"))
            paragraphs = reader.paragraphs_with("flags", "quote", within=within)
    from briefsearch.enrich.speakers import quoted_spans

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

