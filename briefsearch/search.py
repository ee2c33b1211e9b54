"""Search: query text → query structure → (stop words, acronym expansion, ranking policy) → hits.

Ranking policy for words side by side (plain words, quoted phrases, word groups in parentheses):
paragraphs holding all of them rank first, boosted when the words stand together as a phrase or
close by; if fewer than the limit hold all of them, paragraphs holding some of them follow (so a
sentence-long query still finds something), for three or four words those holding at least two
first; words excluded with NOT or -word are left out of every tier. OR, fields and wildcards are
taken as written. A query of four or more words is then re-ranked with the words its best hits
share (pseudo-relevance feedback, ``feedback``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from briefsearch import feedback
from briefsearch import querylang as ql
from briefsearch.errors import QuerySyntaxError
from briefsearch.models import Hit, SearchResult
from briefsearch.snippets import make_snippet
from briefsearch.storage import IndexDir

# Dropped from keyword queries (never from phrases, never when typed in capitals like "US", "IT").
STOP_WORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or
    our she that the their them there these they this those to was we were what when where which
    who will with would you your do does did not no so than then into about over say says said""".split()
)
TITLE_BOOST = 0.3
PHRASE_BOOST = 2.0
NEAR_BOOST = 1.0
NEAR_SLOP = 8
EXPANSION_WEIGHT = 0.8
TIME_LIMIT_SECONDS = 10.0
SUGGEST_BELOW = 3  # offer a corrected query when a search finds fewer paragraphs than this
FEEDBACK_MIN_WORDS = 4  # queries of at least this many distinct words get the feedback pass
FEEDBACK_DOCS = 10  # the first hits the feedback words are taken from
FEEDBACK_WORDS = feedback.WORDS
FEEDBACK_SHARPNESS = feedback.SHARPNESS
FEEDBACK_WEIGHT = 1.0  # the likeliest feedback word's boost; the others' in proportion
FEEDBACK_RERANK = 100  # the first hits the feedback words re-rank


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


@dataclass
class _Ranking:
    """The paragraphs the tiers found, in the order they are shown, and what to say about them."""

    rows: list  # (stored fields, score), best first
    total: int  # matches reported to the user
    terms: set  # the query's own index terms, for highlighting
    timed_out: bool
    all_words: bool  # the first tier (all the words) found something
    tiers: list  # the tier each row came from (0: all the words)
    queries: list  # the engine queries that ran, for --explain


class Searcher:
    """A long-lived searcher over one index directory; reopens itself when the index changes."""

    def __init__(self, index_dir: str | os.PathLike, **scoring):
        self.store = IndexDir(index_dir)
        self.scoring = scoring
        self._generation: Path | None = None
        self._reader = None
        self._acronyms_of = None  # the reader _acronym_cache was read from
        self._acronym_cache: dict[str, set[str]] = {}
        self._open()

    def _open(self) -> None:
        from briefsearch.engine import FORMAT_VERSION, SCHEMA_FINGERPRINT, open_reader

        generation = self.store.current()
        self.store.check_stamp(generation, SCHEMA_FINGERPRINT, FORMAT_VERSION)
        if self._reader is not None:
            self._reader.close()
        self._reader = open_reader(generation, **self.scoring)
        self._generation = generation

    @property
    def reader(self):
        """The engine reader, reopened (never refreshed) if a writer committed since."""
        if self._generation != self.store.current() or not self._reader.searcher.up_to_date():
            self._open()
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, options: SearchOptions | None = None) -> SearchResult:
        options = options or SearchOptions()
        warnings: list[str] = []
        node = ql.parse_query(text, warnings)
        reader = self.reader
        node, exclusions = split_exclusions(drop_stop_words(node))
        expansions: list[str] = []
        filter_query = self._filter(reader, options)
        primary, fallback = plan(node)
        if options.expand:
            definitions = self._acronyms(reader)
            primary = expand_acronyms(primary, definitions, expansions)
            if fallback is not None:
                fallback = expand_acronyms(fallback, definitions, [])
        tiers = [primary, *(tier for tier in (most_words(fallback), fallback) if tier is not None)]
        phrases = quoted_phrases(primary)
        if exclusions:
            tiers = [ql.And((tier, *exclusions)) for tier in tiers]
        rerank = options.feedback and wants_feedback(node)
        ranking = self._rank(reader, tiers, phrases, filter_query, options,
                             max(options.limit, FEEDBACK_RERANK) if rerank else options.limit)
        if rerank and ranking.rows and not ranking.timed_out:
            self._rerank(reader, ranking)
        rows = ranking.rows[: options.limit]
        if not ranking.all_words and rows:
            warnings.append("No paragraph holds all the words; showing paragraphs that hold some of them")
        if ranking.timed_out:
            warnings.append(f"The search took over {options.time_limit:g} s and was cut short: results may be incomplete")
        hits = tuple(self._hit(rank, fields, score, ranking.terms, options.context, reader)
                     for rank, (fields, score) in enumerate(rows, 1))
        suggestion = self._suggest(text) if ranking.total < SUGGEST_BELOW else None
        return SearchResult(query=text, total=ranking.total, hits=hits, expansions=tuple(expansions),
                            warnings=tuple(warnings), suggestion=suggestion,
                            explain="  then: ".join(str(query) for query in ranking.queries))

    def _rank(self, reader, tiers, phrases, filter_query, options: SearchOptions, limit: int) -> "_Ranking":
        """The first ``limit`` paragraphs of the tiers in turn: all of the first tier's matches in
        rank order, then the next tier's matches not yet shown, until ``limit`` are found. The
        total and the queries reported are those of the first ``options.limit`` (the feedback
        pass ranks more than it shows)."""
        compiled = [reader.compile(tier) for tier in tiers]
        fetch = limit * 3 + 10 if phrases else limit
        while True:
            found = reader.search(compiled[0], filter_query=filter_query, limit=fetch,
                                  per_article=options.per_article, time_limit=options.time_limit)
            rows, total, terms = list(found.rows), found.total, set(found.terms)
            if not phrases:
                break
            # The index holds stems, so "human rights" also matched "a human right": keep the
            # paragraphs that hold each quoted phrase as written (case and punctuation aside),
            # fetching more until ``limit`` are kept or none are left, so that any limit keeps the
            # same best ones.
            kept = [row for row in rows if all(holds_phrase(row[0].get("text", ""), p) for p in phrases)]
            if len(kept) >= limit or len(rows) < fetch or found.timed_out:
                total -= len(rows) - len(kept)
                rows = kept[:limit]
                break
            fetch *= 4
        all_words = bool(rows)
        tiers_of = [0] * len(rows)
        timed_out = found.timed_out
        ran = [compiled[0]]
        reported = None  # (total, queries) once options.limit rows are found
        for number, tier in enumerate(compiled[1:], 1):
            if len(rows) >= options.limit and reported is None:
                reported = (total, list(ran))
            if len(rows) >= limit:
                break
            ran.append(tier)
            more = reader.search(tier, filter_query=filter_query, limit=limit + len(rows),
                                 per_article=options.per_article, time_limit=options.time_limit)
            seen = {fields["id"] for fields, _ in rows}
            seen_articles = {fields["article_id"] for fields, _ in rows}
            for fields, score in more.rows:
                if fields["id"] in seen or (options.per_article and fields["article_id"] in seen_articles):
                    continue
                if len(rows) >= limit:
                    break
                rows.append((fields, score))
                tiers_of.append(number)
            total = max(total, more.total)
            terms |= more.terms
            timed_out = timed_out or more.timed_out
        total, ran = reported or (total, ran)
        return _Ranking(rows, total, terms, timed_out, all_words, tiers_of, ran)

    def _rerank(self, reader, ranking: "_Ranking") -> None:
        """Pseudo-relevance feedback: the words the first FEEDBACK_DOCS hits share (``feedback``)
        add their scores to the first FEEDBACK_RERANK hits, which are re-ranked within their tier
        (all the words, at least two, any). The matches stay the query's own, hits below
        FEEDBACK_RERANK keep their place, and so a short list is always the head of a longer one."""
        rows = ranking.rows
        hits, articles = [], set()
        for (fields, _), score in zip(rows, _shown_order_scores(rows[:FEEDBACK_DOCS], ranking.tiers)):
            # An article's title is one observation, not one per paragraph of it among the hits
            # ("Department Press Briefing – June 3, 2021" on eight of them would outweigh their text).
            title = "" if fields.get("article_id") in articles else fields.get("title", "")
            articles.add(fields.get("article_id"))
            hits.append((title, fields.get("text", ""), score))
        words = feedback.feedback_words(hits, _stop_terms(), FEEDBACK_WORDS, FEEDBACK_SHARPNESS)
        boosts = [(word, round(FEEDBACK_WEIGHT * weight, 3)) for word, weight in words]
        clause = tuple(ql.Boost(ql.Term(word), boost) for word, boost in boosts if boost > 0)
        if not clause:
            return
        query = reader.compile(ql.Or(clause))
        head = rows[:FEEDBACK_RERANK]
        feedback_scores = reader.score_paragraphs(query, [fields["id"] for fields, _ in head])
        scores = [score + feedback_scores.get(fields["id"], 0.0) for fields, score in head]
        order = sorted(range(len(head)), key=lambda i: (ranking.tiers[i], -scores[i]))  # stable: ties keep their order
        ranking.rows[: len(head)] = [(head[i][0], scores[i]) for i in order]
        ranking.tiers[: len(head)] = [ranking.tiers[i] for i in order]
        ranking.queries.append(f"re-ranked with {query}")

    def _suggest(self, text: str) -> str | None:
        """A corrected query from the collection's vocabulary, when the query found little."""
        import json

        from briefsearch.spelling import VOCABULARY_FILE, Vocabulary, suggest

        try:
            data = json.loads((self._generation / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return suggest(text, Vocabulary.from_dict(data))

    def _acronyms(self, reader) -> dict[str, set[str]]:
        """The acronym definitions of the open generation, read once per reader."""
        if self._acronyms_of is not reader:
            self._acronym_cache = acronym_definitions(reader)
            self._acronyms_of = reader
        return self._acronym_cache

    def _filter(self, reader, options: SearchOptions):
        parts = []
        if options.speaker:
            parts.append(ql.Term(options.speaker, "speaker"))
        if options.topic:
            parts.append(ql.Term(options.topic, "topic"))
        if options.since or options.until:
            start = ql.parse_date_range(options.since).start if options.since else "0000-01-01"
            end = ql.parse_date_range(options.until).end if options.until else "9999-12-31"
            if start > end:
                raise QuerySyntaxError(f"--since {options.since} is after --until {options.until}")
            parts.append(ql.DateRange(start, end))
        if not parts:
            return None
        return reader.compile(parts[0] if len(parts) == 1 else ql.And(tuple(parts)))

    def _hit(self, rank, fields, score, terms, context, reader) -> Hit:
        from briefsearch.engine import paragraph_from_fields

        paragraph = paragraph_from_fields(fields)
        neighbours = _neighbours(reader, paragraph, context) if context > 0 else ()
        return Hit(rank=rank, score=round(float(score), 4), paragraph=paragraph,
                   snippet=make_snippet(paragraph.text, terms), context=neighbours)

    def show(self, paragraph_id: str, context: int = 0):
        """One paragraph and its neighbours (context paragraphs on each side)."""
        reader = self.reader
        paragraph = reader.get(paragraph_id)
        return paragraph, _neighbours(reader, paragraph, context) if context > 0 else (paragraph,)


def _neighbours(reader, paragraph, context: int) -> tuple:
    """The paragraph with up to ``context`` paragraphs of its article on each side, in order."""
    first = max(1, paragraph.position - context)
    return tuple(reader.article_paragraphs(paragraph.article_id, first, paragraph.position + context))


def search(index_dir: str | os.PathLike, query: str, options: SearchOptions | None = None) -> SearchResult:
    """One search over ``index_dir`` (opens and closes the index)."""
    with Searcher(index_dir) as searcher:
        return searcher.search(query, options)


# --- query rewriting -------------------------------------------------------------------------


def _plain_words(node) -> list[str] | None:
    """The words of an implicit AND of plain text terms (no fields, wildcards or operators)."""
    if isinstance(node, ql.And) and node.implicit and all(
        isinstance(c, ql.Term) and c.field is None and not c.fuzzy for c in node.children
    ):
        return [c.text for c in node.children]
    return None


def split_exclusions(node):
    """(the rest, the exclusions) of words side by side with some excluded ("iran sanctions
    -iraq"): the rest is ranked like any words side by side, and every tier leaves out what the
    exclusions match. Other queries: (node, ())."""
    if not (isinstance(node, ql.And) and node.implicit):
        return node, ()
    exclusions = tuple(c for c in node.children if isinstance(c, ql.Not))
    rest = tuple(c for c in node.children if not isinstance(c, ql.Not))
    if not exclusions or not rest:
        return node, ()
    return (rest[0] if len(rest) == 1 else ql.And(rest, implicit=True)), exclusions


def drop_stop_words(node):
    """Remove common words from implicit word groups (keeping capitals such as US and IT)."""
    if isinstance(node, ql.And) and node.implicit:
        kept = tuple(c for c in node.children if not _is_stop(c))
        if not kept:
            return ql.Phrase(tuple(c.text for c in node.children))  # "to be or not to be"
        if len(kept) < len(node.children):
            node = kept[0] if len(kept) == 1 else ql.And(kept, implicit=True)
        if isinstance(node, ql.And):
            return ql.And(tuple(drop_stop_words(c) for c in node.children), implicit=node.implicit)
        return node
    if isinstance(node, ql.And):
        return ql.And(tuple(drop_stop_words(c) for c in node.children), implicit=False)
    if isinstance(node, ql.Or):
        return ql.Or(tuple(drop_stop_words(c) for c in node.children))
    return node


def _is_stop(node) -> bool:
    return (isinstance(node, ql.Term) and node.field is None and not node.fuzzy
            and node.text.lower() in STOP_WORDS and not node.text.isupper())


def quoted_phrases(node) -> list[tuple[str, ...]]:
    """The exact quoted phrases every hit of ``node`` must hold (not those inside OR or NOT, and
    not one that acronym expansion widened into an OR)."""
    if isinstance(node, ql.Phrase) and node.field is None and node.slop == 0:
        return [node.words]
    if isinstance(node, ql.And):
        return [p for child in node.children if not isinstance(child, ql.Not) for p in quoted_phrases(child)]
    if isinstance(node, (ql.Required, ql.Boost)):
        return quoted_phrases(node.child)
    if isinstance(node, ql.AndMaybe):
        return quoted_phrases(node.required)
    return []


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


def wants_feedback(node) -> bool:
    """Whether a query gets the feedback pass: words side by side (no OR, NOT, fields or
    wildcards), at least FEEDBACK_MIN_WORDS distinct ones once stop words are dropped. A query
    of a few words names what the reader wants to see; a sentence-long one describes it, and that
    is where the feedback words help (the test collections' queries: 3 to 60 words)."""
    from briefsearch.engine.analysis import analyze

    parts = _loose_parts(node)
    if parts is None:
        return False
    return len(set(analyze(" ".join(part_words(parts)))) - _stop_terms()) >= FEEDBACK_MIN_WORDS


def _stop_terms() -> frozenset[str]:
    """The index terms of the stop words (left out of the feedback words)."""
    from briefsearch.engine.analysis import index_term

    return frozenset(index_term(word) for word in STOP_WORDS)


def holds_phrase(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` has the words of the phrase in a row, unstemmed."""
    from briefsearch.engine.analysis import analyze

    wanted = analyze(" ".join(words), stem=False)
    if not wanted:
        return True
    have = analyze(text, stem=False)
    first, n = wanted[0], len(wanted)
    return any(have[i : i + n] == wanted for i, term in enumerate(have) if term == first)


def _normal(words) -> str:
    from briefsearch.engine.analysis import analyze

    return " ".join(analyze(" ".join(words), stem=False))


def expand_acronyms(node, definitions: dict[str, set[str]], expansions: list[str]):
    """Let an acronym find its long form and a long form find its acronym, ranked a little lower."""
    if not definitions:
        return node
    by_long: dict[str, set[str]] = {}
    for short, longs in definitions.items():
        for long in longs:
            by_long.setdefault(long, set()).add(short)

    def visit(n):
        if isinstance(n, ql.Term) and n.field is None and not n.fuzzy:
            longs = definitions.get(n.text.lower())
            if longs and (n.text.isupper() or len(n.text) <= 6):
                alternatives = [ql.Boost(ql.Phrase(tuple(l.split())), EXPANSION_WEIGHT) for l in sorted(longs)]
                expansions.extend(f'{n.text} → "{l}"' for l in sorted(longs))
                return ql.Or((n, *alternatives))
            return n
        words = n.words if isinstance(n, ql.Phrase) and n.field is None else _plain_words(n)
        if words:
            shorts = by_long.get(_normal(words))
            if shorts:
                expansions.extend(f'"{" ".join(words)}" → {s.upper()}' for s in sorted(shorts))
                return ql.Or((n, *(ql.Boost(ql.Term(s.upper()), EXPANSION_WEIGHT) for s in sorted(shorts))))
        if isinstance(n, ql.And):
            return ql.And(tuple(visit(c) for c in n.children), implicit=n.implicit)
        if isinstance(n, ql.Or):
            return ql.Or(tuple(visit(c) for c in n.children))
        if isinstance(n, (ql.Required, ql.Boost)):
            return replace(n, child=visit(n.child))
        if isinstance(n, ql.AndMaybe):
            return replace(n, required=visit(n.required))
        return n

    return visit(node)


def acronym_definitions(reader) -> dict[str, set[str]]:
    """short form (lowercase) → long forms (normalised words), from the index's acronym field."""
    out: dict[str, set[str]] = {}
    for term in reader.lexicon("acronyms"):
        short, _, long = term.partition("=")
        if short and long:
            out.setdefault(short.strip(), set()).add(_normal([long]))
    return out


def _loose_parts(node) -> list | None:
    """The parts of words side by side: plain words, phrases, and word groups in parentheses
    (flattened: "palliation (temporary improvement) of cancer" is five words side by side)."""
    if not (isinstance(node, ql.And) and node.implicit):
        return None
    parts: list = []
    for child in node.children:
        if isinstance(child, (ql.Term, ql.Phrase)) and child.field is None and not getattr(child, "fuzzy", False):
            parts.append(child)
        elif (inner := _loose_parts(child)) is not None:
            parts.extend(inner)
        else:
            return None
    return parts


def part_words(parts) -> list[str]:
    """The words of ``_loose_parts``, a phrase's words in turn."""
    return [w for part in parts for w in (part.words if isinstance(part, ql.Phrase) else (part.text,))]


MOST_WORDS_PARTS = (3, 4)  # queries of this many parts get the at-least-two tier


def most_words(fallback):
    """The tier between all words and any word for a query of three or four parts: paragraphs
    holding at least two of them. A paragraph holding two scores as in the any-word fallback (a
    pair's And adds the same per-word scores); of four words, one holding three matches three pairs
    and scores double. The tier is an intersection of postings where the fallback is their union,
    so a three-word query that fills its page here never walks the union (100k paragraphs: the
    union alone took 25 ms at the median). None for other queries."""
    if not (isinstance(fallback, ql.AndMaybe) and isinstance(fallback.required, ql.Or)):
        return None
    parts = fallback.required.children
    if not MOST_WORDS_PARTS[0] <= len(parts) <= MOST_WORDS_PARTS[1]:
        return None
    pairs = tuple(ql.And((a, b), implicit=True) for i, a in enumerate(parts) for b in parts[i + 1:])
    return ql.AndMaybe(ql.Or(pairs), fallback.optional)


def plan(node):
    """(primary, fallback) queries.

    Words side by side (plain words, quoted phrases, word groups in parentheses): all of them,
    boosted when they stand together (phrase) or near each other, and when the article title
    holds them; then, as a fallback, any of them with the same boosts. Anything else (OR, NOT,
    fields, wildcards) runs as written, with the title boost for its words.
    """
    if isinstance(node, ql.Term) and node.field is None and not node.fuzzy:
        title = ql.Boost(ql.Term(node.text, "title"), TITLE_BOOST)
        return ql.AndMaybe(node, (title,)), None
    parts = _loose_parts(node)
    if parts is None:
        return node, None
    node = ql.And(tuple(parts), implicit=True)
    words = part_words(parts)
    title = ql.Boost(ql.Or(tuple(ql.Term(w, "title") for w in words)), TITLE_BOOST)
    phrase = ql.Boost(ql.Phrase(tuple(words)), PHRASE_BOOST)
    near = ql.Boost(ql.Phrase(tuple(words), slop=NEAR_SLOP), NEAR_BOOST)
    # The fallback keeps only the title boost: the phrase and proximity boosts need every word,
    # and the paragraphs holding every word are all in the primary results already.
    return ql.AndMaybe(node, (phrase, near, title)), ql.AndMaybe(ql.Or(tuple(parts)), (title,))
