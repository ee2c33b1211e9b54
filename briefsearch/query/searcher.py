"""Searching one index: query text → structure → rewrite → tiers → engine → hits, re-ranked.

The ``Searcher`` keeps the live generation's reader open and reopens it (never refreshes it)
when a writer commits. A search parses the text (``language``), drops common words and sets
exclusions apart (``rewrite``), plans its tiers under the ranking policy (``plan``, ``policy``),
expands acronyms, runs the tiers through the engine in turn until the limit is filled, re-ranks
a long query's first hits with the words they share (``feedback``), and makes the snippets.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from briefsearch.errors import QuerySyntaxError
from briefsearch.indexing.generation import VOCABULARY_NAME
from briefsearch.indexing.storage import IndexDir
from briefsearch.models import Hit, Paragraph, SearchResult
from briefsearch.query import feedback
from briefsearch.query.duplicates import group_copies, open_ledger
from briefsearch.query import tree as ql
from briefsearch.query.language import parse_date_range, parse_query
from briefsearch.query.plan import costly_words, plan, tiers, wants_feedback
from briefsearch.query.policy import DEFAULT_POLICY, RankingPolicy
from briefsearch.query.rewrite import (
    acronym_definitions,
    drop_stop_words,
    also_corrected,
    expand_acronyms,
    government_acronyms,
    phrase_test,
    merged_definitions,
    quoted_phrases,
    required_words,
    split_exclusions,
    stop_terms,
    unknown_words,
)
from briefsearch.query.snippets import make_snippet
from briefsearch.text.analysis import analyze

# What one search may spend in the engine, its tiers and its count together: whatever its text, a
# query answers within about this (issue #12: 2 s on the 121k-paragraph index), cut short with a
# warning when the paragraphs it matches are too many to rank in time.
TIME_LIMIT_SECONDS = 1.5
# What the paragraphs of each tier hold, by the number of tiers a query runs as (``plan.tiers``).
# Hits are ordered by tier, then by score within the tier.
NAME_SAMPLE = 8  # paragraphs read to tell whether a word is written as a name (spelling help)
NAME_SECONDS = 0.3  # for all of one query's words
TIER_NAMES = {
    2: ("all the words", "some of the words"),
    3: ("all the words", "at least two of the words", "some of the words"),
}


@dataclass(frozen=True)
class SearchOptions:
    limit: int = 10
    speaker: str | None = None
    topic: str | None = None
    since: str | None = None
    until: str | None = None
    per_article: bool = False
    context: int = 0
    expand: bool = True
    feedback: bool = True
    time_limit: float | None = TIME_LIMIT_SECONDS
    sort: str = "relevance"  # or "newest", "oldest" (``engine.api.ORDERS``)
    source: str | None = None  # the outlet: any part of its name, any case ("white house")
    all_copies: bool = False  # show every copy of a statement, not one per group (query.duplicates)


@dataclass
class _Ranking:
    """The paragraphs the tiers found, in the order they are shown, and what to say about them."""

    rows: list  # (Paragraph, score), best first
    total: int  # matches reported to the user
    terms: set  # the query's own index terms, for highlighting
    timed_out: bool
    all_words: bool  # the first tier (all the words) found something
    tiers: list  # the tier each row came from (0: all the words)
    queries: list  # what ran, described by the engine, for --explain
    notes: list  # what the engine said about the compiled queries (a capped expansion)
    first_total: int  # paragraphs the first tier matches (all the words)


class _Clock:
    """The time left of one search's ``time_limit`` (None: no limit), shared by its steps."""

    def __init__(self, seconds: float | None):
        self.ends = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        """Seconds left for the next step (at least a millisecond: an engine reads 0 as no limit)."""
        return None if self.ends is None else max(self.ends - time.monotonic(), 0.001)

    def over(self) -> bool:
        return self.ends is not None and time.monotonic() >= self.ends


class Searcher:
    """A long-lived searcher over one index directory; reopens itself when the index changes."""

    def __init__(self, index_dir: str | os.PathLike, policy: RankingPolicy = DEFAULT_POLICY):
        self.store = IndexDir(index_dir)
        self.policy = policy
        self.generation = None
        self._reader = None
        self._acronyms_of = None  # the reader _acronym_cache was read from
        self._acronym_cache: dict[str, set[str]] = {}
        self._vocabulary_of = None  # the reader _vocabulary was read with
        self._vocabulary = None
        self._ledger = None  # the index's ledger (copies of a statement), opened at the first search
        self._open()

    def _open(self) -> None:
        generation = self.store.live()
        engine = generation.engine()
        generation.verify_on_open(engine)  # damage is exit 5, never a silent wrong answer
        if self._reader is not None:
            self._reader.close()
        self._reader = engine.reader(generation.path, self.policy.scoring)
        self.generation = generation

    @property
    def reader(self):
        """The engine reader, reopened (never refreshed) if a writer committed since."""
        if self.generation.path != self.store.current() or not self._reader.is_current():
            self._open()
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, options: SearchOptions | None = None) -> SearchResult:
        return self._search(text, options or SearchOptions(), ())[0]

    def search_with_facets(self, text: str, options: SearchOptions | None = None,
                           names: tuple[str, ...] = ("outlet",)) -> tuple[SearchResult, dict[str, dict[str, int]]]:
        """A search, and facet name → value → paragraphs holding it among every paragraph the
        search matches (``matching``), whose number is the result's total: what a search page
        shows beside its hits, planned once and its matches gathered once for the total, the
        facets and a date histogram (so that they add up to the total)."""
        return self._search(text, options or SearchOptions(), names)

    def _search(self, text: str, options: SearchOptions, facet_names: tuple[str, ...]):
        clock = _Clock(options.time_limit)
        policy = self.policy
        warnings: list[str] = []
        expansions: list[str] = []
        reader = self.reader
        node, run, phrases = self._plan(reader, text, options, warnings, expansions)
        within = self._filter(reader, options)
        rerank = options.feedback and options.sort == "relevance" and wants_feedback(node, policy)
        spare = options.limit if options.all_copies else options.limit * 2  # room for copies left out
        ranking = self._rank(reader, run, phrases, within, options,
                             max(spare, policy.feedback_rerank) if rerank else spare,
                             clock, count_widest=not facet_names)
        counts = {}
        if facet_names:  # the widest tier's matches, gathered once: the total and every facet count
            restriction = self._filter_node(options)
            matches = reader.compile(run[-1] if restriction is None else ql.And((run[-1], restriction)))
            counted = reader.count(matches)
            if not ranking.timed_out:
                ranking.total = counted
            counts = {name: reader.facet_counts(name, matches) for name in facet_names}
        if rerank and ranking.rows and not ranking.timed_out and not clock.over():
            self._rerank(reader, ranking)
        if self._ledger is None:
            self._ledger = open_ledger(self.store.root)
        shown = group_copies(self._ledger, reader, [paragraph for paragraph, _ in ranking.rows],
                             options.limit, options.all_copies)
        warnings.extend(ranking.notes)
        if not ranking.all_words and shown:
            warnings.append("No paragraph holds all the words; showing paragraphs that hold some of them")
        if ranking.timed_out:
            warnings.append(f"The search took over {options.time_limit:g} s and was cut short: the results and their "
                            "count may be incomplete (add a rarer word or a phrase to narrow it)")
        names = TIER_NAMES.get(len(run), (None,))
        hits = tuple(self._hit(rank, *ranking.rows[row], ranking.terms, options.context, reader,
                               names[ranking.tiers[row]], copies)
                     for rank, (row, copies) in enumerate(shown, 1))
        # spelling help only when it can help: few paragraphs hold all the words
        suggestion = self._suggest(text, reader, options) if ranking.first_total < policy.suggest_below else None
        explain = "  then: ".join(ranking.queries)
        if within is not None:
            explain += f"  within (restricts, never scores): {within.describe()}"
        return SearchResult(query=text, total=ranking.total, hits=hits, expansions=tuple(expansions),
                            warnings=tuple(warnings), suggestion=suggestion, explain=explain,
                            all_words_total=ranking.first_total if len(run) > 1 else None), counts

    def _plan(self, reader, text: str, options: SearchOptions, warnings: list, expansions: list):
        """(the query's structure, its tiers in the order they run, its quoted phrases)."""
        policy = self.policy
        node = parse_query(text, warnings)
        node, exclusions = split_exclusions(drop_stop_words(node, policy))
        node = required_words(node)
        vocabulary = self._vocabulary_for(reader)
        common = costly_words(node, vocabulary.count, policy) if vocabulary is not None else []
        if common:
            warnings.append(f"Words this common ({', '.join(common[:6])}{', ...' if len(common) > 6 else ''}) are ranked "
                            "without the boost for standing together: quote a phrase to ask for one")
        primary, fallback = plan(node, policy, proximity=not common)
        if options.expand:
            definitions = self._acronyms(reader)
            capitals = government_acronyms()[1] if policy.curated_acronyms else frozenset()
            primary = expand_acronyms(primary, definitions, expansions, policy.expansion_weight, capitals)
            if fallback is not None:
                fallback = expand_acronyms(fallback, definitions, [], policy.expansion_weight, capitals)
        corrections = self._corrections(node, reader) if policy.correction_weight else {}
        if corrections:
            primary = also_corrected(primary, corrections, policy.correction_weight)
            fallback = also_corrected(fallback, corrections, policy.correction_weight) if fallback is not None else None
            warnings.append("Not in the collection, so also searched: "
                            + ", ".join(f"{word} → {better}" for word, better in corrections.items()))
        run = tiers(primary, fallback, policy)
        if exclusions:
            run = [ql.And((tier, *exclusions)) for tier in run]
        return node, run, quoted_phrases(primary)

    def matching(self, text: str | None, options: SearchOptions | None = None):
        """The paragraphs a search matches, as one query compiled against the open reader (None:
        every paragraph): the one definition of a search's matches, which its total counts and an
        export, a timeline, the facets, a batch row and an article list cover. That is its widest
        tier (any of the words; a paragraph shown for some of the words is a match) within the
        filters; without ``text``, every paragraph within the filters. A quoted phrase matches its
        stems here: ``paragraphs_matching`` keeps those that hold it as written, as the total does."""
        options = options or SearchOptions()
        reader = self.reader
        restriction = self._filter_node(options)
        if text is None or not text.strip():
            return None if restriction is None else reader.compile(restriction)
        widest = self._plan(reader, text, options, [], [])[1][-1]
        return reader.compile(widest if restriction is None else ql.And((widest, restriction)))

    def first_tier(self, text: str | None, options: SearchOptions | None = None):
        """The paragraphs of the first tier that matches anything (all the words, else at least
        two, else any), within the filters: what an alert watches for, so that an alert on "pelosi
        taiwan" reports new paragraphs about both while any paragraph holds both."""
        options = options or SearchOptions()
        reader = self.reader
        restriction = self._filter_node(options)
        if text is None or not text.strip():
            return None if restriction is None else reader.compile(restriction)
        _, run, _ = self._plan(reader, text, options, [], [])
        run = [tier if restriction is None else ql.And((tier, restriction)) for tier in run]
        compiled = [reader.compile(tier) for tier in run]
        return next((query for query in compiled if reader.search(query, limit=1).total), compiled[0])

    def paragraphs_matching(self, text: str | None, options: SearchOptions | None = None):
        """The paragraphs of ``matching`` in the engine's order, read as they are consumed, less
        those that hold a quoted phrase of ``text`` only by its stems (as the total counts)."""
        options = options or SearchOptions()
        reader = self.reader
        phrases = self._plan(reader, text, options, [], [])[2] if text and text.strip() else []
        holds = phrase_test(phrases) if phrases else None
        for paragraph in reader.matches(self.matching(text, options)):
            if holds is None or holds(paragraph.text):
                yield paragraph

    def facets(self, text: str | None, options: SearchOptions | None = None,
               names: tuple[str, ...] = ("outlet",)) -> dict[str, dict[str, int]]:
        """Facet name → value → paragraphs holding it among every paragraph the search matches
        (``matching``; a live facet beside the results: "The White House 12, U.S. Department
        of State 3")."""
        query = self.matching(text, options)
        return {name: self.reader.facet_counts(name, query) for name in names}

    def _rank(self, reader, tiers, phrases, within, options: SearchOptions, limit: int,
              clock: _Clock | None = None, count_widest: bool = True) -> _Ranking:
        """The first ``limit`` paragraphs of the tiers in turn: all of the first tier's matches in
        rank order, then the next tier's matches not yet shown, until ``limit`` are found. The
        total is every paragraph the query matches (the last, widest tier), whatever the limit
        (unless ``count_widest`` is false: the caller counts them, and a quoted phrase's matches
        are not read to check the phrase as written). The tiers and the count share
        ``clock``: when it runs out, what was found is kept and ``timed_out`` says so."""
        clock = clock or _Clock(options.time_limit)
        compiled = [reader.compile(tier) for tier in tiers]
        fetch = limit * 3 + 10 if phrases else limit
        counting_notes: list[str] = []
        while True:
            found = reader.search(compiled[0], within=within, limit=fetch, per_article=options.per_article,
                                  deadline=clock.left(), order=options.sort)
            rows, total, terms = list(found.hits), found.total, set(found.terms)
            if not phrases:
                break
            # The index holds stems, so "human rights" also matched "a human right": keep the
            # paragraphs that hold each quoted phrase as written (case and punctuation aside),
            # fetching more until ``limit`` are kept or none are left, so that any limit keeps the
            # same best ones.
            holds = phrase_test(phrases)
            kept = [row for row in rows if holds(row[0].text)]
            if len(kept) >= limit or len(rows) < fetch or found.timed_out:
                if len(rows) < fetch or found.timed_out:  # every match was looked at (or none more can be)
                    total -= len(rows) - len(kept)
                elif count_widest:  # (a search page counts its matches itself, with its facets)
                    total, note = _phrase_total(reader, compiled[0], within, phrases, total, clock)
                    counting_notes.extend([note] if note else [])
                rows = kept[:limit]
                break
            fetch *= 4
        all_words = bool(rows)
        first_total = total
        tiers_of = [0] * len(rows)
        timed_out = found.timed_out
        ran = [compiled[0]]
        shown = None  # the queries that found the first options.limit rows (--explain shows those)
        for number, tier in enumerate(compiled[1:], 1):
            if rows and options.sort != "relevance":
                break  # by date: the matches of the first tier that has any, not a mix of tiers
            if len(rows) >= options.limit and shown is None:
                shown = list(ran)
            if len(rows) >= limit:
                break
            if timed_out or clock.over():
                timed_out = True
                break
            ran.append(tier)
            more = reader.search(tier, within=within, limit=limit + len(rows), per_article=options.per_article,
                                 deadline=clock.left(), order=options.sort)
            seen = {paragraph.id for paragraph, _ in rows}
            seen_articles = {paragraph.article_id for paragraph, _ in rows}
            for paragraph, score in more.hits:
                if paragraph.id in seen or (options.per_article and paragraph.article_id in seen_articles):
                    continue
                if len(rows) >= limit:
                    break
                rows.append((paragraph, score))
                tiers_of.append(number)
            total = max(total, more.total)
            terms |= more.terms
            timed_out = timed_out or more.timed_out
        if len(ran) < len(compiled) and not timed_out and count_widest:
            # the page filled early: the widest tier is counted, not ranked
            total = max(total, reader.count(compiled[-1], within=within, deadline=clock.left()))
            timed_out = clock.over()  # a phrase's positions stop at the deadline: the count so far
        notes = list(dict.fromkeys([*(note for query in compiled for note in query.notes), *counting_notes]))
        return _Ranking(rows, total, terms, timed_out, all_words, tiers_of,
                        [query.describe() for query in shown or ran], notes, first_total)

    def _rerank(self, reader, ranking: _Ranking) -> None:
        """Pseudo-relevance feedback: the words the first ``feedback_docs`` hits share
        (``feedback``) add their scores to the first ``feedback_rerank`` hits, which are re-ranked
        within their tier (all the words, at least two, any). The matches stay the query's own,
        hits below ``feedback_rerank`` keep their place, and so a short list is always the head of
        a longer one."""
        policy = self.policy
        rows = ranking.rows
        hits, articles = [], set()
        for (paragraph, _), score in zip(rows, _shown_order_scores(rows[:policy.feedback_docs], ranking.tiers)):
            # An article's title is one observation, not one per paragraph of it among the hits
            # ("Department Press Briefing – June 3, 2021" on eight of them would outweigh their text).
            title = "" if paragraph.article_id in articles else paragraph.title
            articles.add(paragraph.article_id)
            hits.append((title, paragraph.text, score))
        words = feedback.feedback_words(hits, stop_terms(policy), policy.feedback_words, policy.feedback_sharpness)
        boosts = [(word, round(policy.feedback_weight * weight, 3)) for word, weight in words]
        clause = tuple(ql.Boost(ql.Term(word), boost) for word, boost in boosts if boost > 0)
        if not clause:
            return
        query = reader.compile(ql.Or(clause))
        head = rows[:policy.feedback_rerank]
        feedback_scores = reader.score_paragraphs(query, [paragraph.id for paragraph, _ in head])
        scores = [score + feedback_scores.get(paragraph.id, 0.0) for paragraph, score in head]
        order = sorted(range(len(head)), key=lambda i: (ranking.tiers[i], -scores[i]))  # stable: ties keep their order
        ranking.rows[: len(head)] = [(head[i][0], scores[i]) for i in order]
        ranking.tiers[: len(head)] = [ranking.tiers[i] for i in order]
        ranking.queries.append(f"re-ranked with {query.describe()}")

    def _vocabulary_for(self, reader):
        """The collection's vocabulary (``text.vocabulary``), read once per reader, or None."""
        from briefsearch.text.vocabulary import Vocabulary

        if self._vocabulary_of is not reader:  # read once per reader: it changes only with a commit
            key = _side_identity(self.generation.path / VOCABULARY_NAME)
            known = _VOCABULARIES.get(key) if key is not None else None
            if known is None:
                saved = self.generation.vocabulary_text()
                known = (Vocabulary.from_json(saved) if saved is not None else None,)
                if key is not None:
                    if len(_VOCABULARIES) >= 4:
                        _VOCABULARIES.clear()
                    _VOCABULARIES[key] = known
            self._vocabulary = known[0]
            self._vocabulary_of = reader
        return self._vocabulary

    def _corrections(self, node, reader) -> dict[str, str]:
        """The query's plain words the collection does not have → the word each likely meant.

        A word not written so in the collection that still finds paragraphs by its index term
        ("interested" finds "interest", "resting" finds "rest") is not corrected, and a word is
        never corrected to a common word the query would drop ("wish" to "with"): either
        correction only adds another word's score to the query (on the NPL collection 7 of 8
        corrections were these)."""
        from briefsearch.query.spelling import MAX_CORRECTED, correct_word

        vocabulary = self._vocabulary_for(reader)
        if vocabulary is None:
            return {}
        common = stop_terms(self.policy)
        corrections = {}
        for word in [w for w in dict.fromkeys(unknown_words(node)) if not w.isupper()][:MAX_CORRECTED]:
            if word.lower() in vocabulary or reader.count(reader.compile(ql.Term(word)), deadline=NAME_SECONDS):
                continue
            better = correct_word(word, vocabulary)
            if better and not set(analyze(better)) <= common:
                corrections[word] = better
        return corrections

    def _suggest(self, text: str, reader, options: SearchOptions) -> str | None:
        """A corrected query from the collection's vocabulary, speakers and topics, when the query
        found little; a misspelt ``--speaker`` or ``--topic`` value is corrected beside it."""
        from briefsearch.query.spelling import correct_speaker, correct_topic, suggest

        self._vocabulary_for(reader)
        lowered = text.lower()
        speakers = reader.facet_counts("speaker") if options.speaker or "speaker:" in lowered else None
        topics = reader.facet_counts("topic") if options.topic or "topic:" in lowered else None
        corrected = (suggest(text, self._vocabulary, speakers, topics, self._name_test(reader))
                     if self._vocabulary is not None else None)
        extra = []
        if options.speaker and (name := correct_speaker(options.speaker, speakers)):
            extra.append(f'--speaker "{name}"')
        if options.topic and (topic := correct_topic(options.topic, topics)):
            extra.append(f'--topic "{topic}"')
        if corrected is None and not extra:
            return None
        return " ".join([corrected or text, *extra])

    def _name_test(self, reader):
        """word → whether the collection writes it as a name (``spelling.reads_as_name``), read
        from the paragraphs that hold it most (a few): asked only of a word about to be corrected."""
        from briefsearch.query.spelling import reads_as_name

        known: dict[str, bool | None] = {}
        clock = _Clock(NAME_SECONDS)

        def is_name(word: str) -> bool | None:
            if word not in known:
                if clock.over():
                    return None  # no time left to read: cannot tell
                found = reader.search(reader.compile(ql.Term(word)), limit=NAME_SAMPLE, deadline=clock.left())
                known[word] = reads_as_name(word, [paragraph.text for paragraph, _ in found.hits])
            return known[word]

        return is_name

    def _acronyms(self, reader) -> dict[str, set[str]]:
        """The acronym definitions of the open generation, read once per reader, and made once
        per process for the same values (a server's threads each reopen after every commit)."""
        if self._acronyms_of is not reader:
            values = tuple(reader.values("acronym"))
            key = (values, self.policy.curated_acronyms)
            known = _DEFINITIONS.get(key)
            if known is None:
                known = acronym_definitions(values)
                if self.policy.curated_acronyms:
                    known = merged_definitions(known, government_acronyms()[0])
                if len(_DEFINITIONS) >= 4:
                    _DEFINITIONS.clear()
                _DEFINITIONS[key] = known
            self._acronym_cache = known
            self._acronyms_of = reader
        return self._acronym_cache

    def _filter(self, reader, options: SearchOptions):
        node = self._filter_node(options)
        return None if node is None else reader.compile(node)

    def _filter_node(self, options: SearchOptions):
        """The filters of ``options`` as one query node (None without filters)."""
        parts = []
        if options.speaker:
            parts.append(ql.Term(options.speaker, "speaker"))
        if options.topic:
            parts.append(ql.Term(options.topic, "topic"))
        if options.source:
            parts.append(self.outlet_filter(options.source))
        if options.since or options.until:
            start = parse_date_range(options.since).start if options.since else "0000-01-01"
            end = parse_date_range(options.until).end if options.until else "9999-12-31"
            if start > end:
                raise QuerySyntaxError(f"--since {options.since} is after --until {options.until}")
            parts.append(ql.DateRange(start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else ql.And(tuple(parts))

    def outlet_filter(self, name: str):
        """The outlets whose name is ``name`` or holds it (any case), as one query node."""
        outlets = self.reader.values("outlet")
        wanted = name.strip().casefold()
        chosen = [o for o in outlets if o.casefold() == wanted] or [o for o in outlets if wanted in o.casefold()]
        if not chosen:
            known = ", ".join(outlets[:10]) or "none: the index holds no article with a web address"
            raise QuerySyntaxError(f"No source matches {name!r} — sources in the index: {known}")
        terms = tuple(ql.Term(outlet, "outlet") for outlet in chosen)
        return terms[0] if len(terms) == 1 else ql.Or(terms)

    def _hit(self, rank: int, paragraph: Paragraph, score: float, terms, context: int, reader,
             tier: str | None = None, copies: tuple = ()) -> Hit:
        neighbours = _neighbours(reader, paragraph, context) if context > 0 else ()
        return Hit(rank=rank, score=round(float(score), 4), paragraph=paragraph,
                   snippet=make_snippet(paragraph.text, terms), context=neighbours, tier=tier,
                   copies=copies)

    def show(self, paragraph_id: str, context: int = 0):
        """One paragraph and its neighbours (context paragraphs on each side)."""
        reader = self.reader
        paragraph = reader.get(paragraph_id)
        return paragraph, _neighbours(reader, paragraph, context) if context > 0 else (paragraph,)


# The vocabulary of a generation's last commit by its file's identity, read once for all the
# searchers of a process (a server's threads each reopen theirs after every commit).
_VOCABULARIES: dict = {}
# The acronym definitions made from a generation's acronym values (and the curated list), shared
# the same way: the same object for every searcher, so that its long-form index is made once too.
_DEFINITIONS: dict = {}


def _side_identity(path) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return str(path), info.st_ino, info.st_mtime_ns, info.st_size


def _neighbours(reader, paragraph: Paragraph, context: int) -> tuple:
    """The paragraph with up to ``context`` paragraphs of its article on each side, in order."""
    first = max(1, paragraph.position - context)
    return tuple(reader.article_paragraphs(paragraph.article_id, first, paragraph.position + context))


def _phrase_total(reader, query, within, phrases, matched: int, clock: _Clock) -> tuple[int, str | None]:
    """How many of the ``matched`` paragraphs of ``query`` hold each quoted phrase as written (the
    engine matched the phrases' stems), and a note when ``clock`` ran out before every match was
    read: then the matches not read are counted as holding them."""
    held = looked = 0
    holds = phrase_test(phrases)
    for looked, paragraph in enumerate(reader.matches(query, within), 1):
        held += holds(paragraph.text)
        if not looked % 64 and clock.over():
            unread = max(matched - looked, 0)
            return held + unread, (f"Checked the phrase as written in the first {looked:,} paragraphs matching its "
                                   f"words; {unread:,} more are counted unchecked")
    return held, None


def _shown_order_scores(rows, tiers) -> list[float]:
    """The rows' scores made to fall in the order they are shown: each later tier's scores are
    scaled so that its best equals the previous tier's last (a paragraph holding some of the words
    can score above one holding all of them, but it is shown below it, and the feedback model
    weighs hits by their standing in that order)."""
    scores: list[float] = []
    factor, previous_tier, last = 1.0, None, None
    for (_, score), tier in zip(rows, tiers):
        if previous_tier is not None and tier != previous_tier:
            factor = min(1.0, last / score) if score > 0 else 1.0
        scores.append(score * factor)
        previous_tier, last = tier, scores[-1]
    return scores


def search(index_dir: str | os.PathLike, query: str, options: SearchOptions | None = None) -> SearchResult:
    """One search over ``index_dir`` (opens and closes the index)."""
    with Searcher(index_dir) as searcher:
        return searcher.search(query, options)


def show(index_dir: str | os.PathLike, paragraph_id: str, context: int = 0):
    """One paragraph of ``index_dir`` and its neighbours (opens and closes the index)."""
    with Searcher(index_dir) as searcher:
        return searcher.show(paragraph_id, context)


def facets(index_dir: str | os.PathLike, query: str | None, options: SearchOptions | None = None,
           names: tuple[str, ...] = ("outlet",)) -> dict[str, dict[str, int]]:
    """Facet name → value → paragraphs of ``index_dir`` the search matches (opens and closes the index)."""
    with Searcher(index_dir) as searcher:
        return searcher.facets(query, options, names)
