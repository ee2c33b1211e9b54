"""The engine contract: what briefsearch asks of a search engine, in briefsearch's own terms.

An engine stores paragraphs (``models.Paragraph``) and a manifest entry per source file in one
generation directory, and answers briefsearch's query structure (``query.language``). Everything
crosses this line as plain data: paragraphs in and out, hits as (paragraph, score), counts as
dicts keyed by facet values. No schema field name, query object or file name of an engine is
seen above ``engine/``; each engine lives in its own folder (``engine/whoosh/``) and is chosen by
the name recorded in the generation's version stamp (``engine.engine_named``).

Facets are the paragraph properties a reader can count and filter on:

- ``speaker``: the canonical speaker name;
- ``topic``: a topic label, lower-cased;
- ``acronym``: a definition the text makes, as ``definition_value(short, long)``;
- ``flag``: ``quote``, ``turn`` or ``question``;
- ``speech``: the kind of speech (``models.SPEECH_KINDS``: ``answer``, ``statement``, ...);
- ``outlet``: who published the paragraph's article ("The White House"), as extracted;
- ``date``: the paragraph's publication day, ``YYYY-MM-DD`` (undated paragraphs hold none).

Besides the paragraph text and title, the query structure names these fields (``query.tree``):
``speaker``, ``topic``, ``speech`` (the facet, one value), ``answers`` (answer
paragraphs whose question holds the words: ``exchange_texts`` gives each answer its question's
text) and ``questions`` (question paragraphs whose answer holds the words). Words in ``answers``
and ``questions`` are analysed like the paragraph text; a phrase there means all its words.

Searches are ranked by score (``order="relevance"``) or by publication date (``"newest"``,
``"oldest"``: undated paragraphs last either way, an article's paragraphs in reading order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefsearch.models import Paragraph

FACETS = ("speaker", "topic", "acronym", "flag", "speech", "outlet", "date")
ORDERS = ("relevance", "newest", "oldest")

# How much of a linked question or answer an engine indexes with each paragraph of the exchange.
EXCHANGE_CHARS = 4000


def exchange_texts(paragraphs: Iterable[Paragraph]) -> dict[str, tuple[str, str]]:
    """Paragraph id -> (text of the question it answers, text of the answer it got), for the
    paragraphs of one source that take part in a question-and-answer exchange.

    An answer paragraph's ``answers_to`` names the question's first paragraph; each paragraph of
    the question names the answer's first paragraph in ``answered_by``. The whole question (all
    its paragraphs) goes with every paragraph of the answer, and the whole answer with every
    paragraph of the question, each cut at ``EXCHANGE_CHARS``. Engines index the first under the
    ``answers`` field and the second under ``questions``.
    """
    return {paragraph_id: (exchange_text(asked), exchange_text(answer))
            for paragraph_id, (asked, answer) in exchange_parts(paragraphs).items()}


def exchange_parts(paragraphs: Iterable[Paragraph]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """``exchange_texts`` before the texts are joined: paragraph id -> (the question's paragraph
    texts, the answer's), each joined by ``exchange_text``."""
    paragraphs = list(paragraphs)
    by_id = {p.id: p for p in paragraphs}
    questions: dict[str, list[str]] = {}  # answer's first paragraph id -> question texts
    answers: dict[str, list[str]] = {}  # question's first paragraph id -> answer texts
    for p in paragraphs:
        if p.answered_by:
            questions.setdefault(p.answered_by, []).append(p.text)
        if p.answers_to:
            answers.setdefault(p.answers_to, []).append(p.text)
    found: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for p in paragraphs:
        asked: tuple[str, ...] = ()
        answer: tuple[str, ...] = ()
        if p.answers_to and p.answers_to in by_id:
            asked = tuple(questions.get(by_id[p.answers_to].answered_by, ()))
        if p.answered_by and p.answered_by in by_id:
            answer = tuple(answers.get(by_id[p.answered_by].answers_to or "", ()))
        if exchange_text(asked) or exchange_text(answer):
            found[p.id] = (asked, answer)
    return found


def exchange_text(parts: tuple[str, ...]) -> str:
    """The text of a question or an answer as engines index it: its paragraphs' texts, one space
    apart, cut at ``EXCHANGE_CHARS``."""
    return " ".join(parts)[:EXCHANGE_CHARS]


def article_runs(paragraphs: Iterable[Paragraph]) -> Iterator[list[Paragraph]]:
    """The paragraphs of one source an article at a time (they come grouped by article), so that
    a writer given them as a stream holds one article's, for ``exchange_texts``, not the source's."""
    run: list[Paragraph] = []
    for paragraph in paragraphs:
        if run and paragraph.article_id != run[-1].article_id:
            yield run
            run = []
        run.append(paragraph)
    if run:
        yield run


def definition_value(short: str, long: str) -> str:
    """The ``acronym`` facet value of one definition: both forms lower-cased, one space apart,
    joined by "=" ("jta=joint threat assessment")."""
    return " ".join(f"{short}={long}".replace(",", " ").lower().split())


def parse_definition_value(value: str) -> tuple[str, str]:
    """(short, long) of an ``acronym`` facet value, both lower-cased."""
    short, _, long = value.partition("=")
    return short.strip(), long.strip()


@dataclass(frozen=True)
class Scoring:
    """BM25F parameters: term-frequency saturation and length normalisation."""

    k1: float = 1.2
    b: float = 0.75


@dataclass(frozen=True)
class EngineHits:
    """One search's answer: how many paragraphs matched, the best ones, and the words that matched."""

    total: int
    hits: tuple[tuple[Paragraph, float], ...]  # best first
    terms: frozenset[str]  # index terms (text.analysis) of the paragraph text the query matched on
    timed_out: bool = False


@dataclass(frozen=True)
class Totals:
    """What one generation holds, counting only paragraphs a search can find."""

    paragraphs: int
    articles: int
    sources: int  # files in the manifest
    first_day: str | None  # YYYY-MM-DD
    last_day: str | None
    bytes: int


class CompiledQuery(Protocol):
    """A query structure compiled by one reader; only that reader can run it.

    Prefixes (``tree.Prefix``) and fuzzy words (``tree.Term(fuzzy=True)``) match the words of the
    paragraph text as written, not their stems: "cooperat*" matches a paragraph holding
    "cooperation" or "cooperative" and not one holding only "Cooper"; "missle~" matches the words
    one edit from "missle" with the same first letter. Matches are scored by the stems of the words
    they matched. One prefix or fuzzy word stands for at most a bounded number of words (the
    commonest); when it is capped, ``notes`` says so in a sentence for the reader.
    """

    notes: tuple[str, ...]  # what the reader should be told about this query

    def describe(self) -> str:
        """The engine's own reading of the query, for ``--explain``."""


class Writer(Protocol):
    """The one writer of a generation. Nothing it does is visible before ``commit``."""

    def replace_source(self, path: str, paragraphs: list[Paragraph], manifest_entry: dict, existed: bool) -> None:
        """Delete what ``path`` contributed (when ``existed``) and add its paragraphs and manifest entry."""

    def replace_articles(self, paragraphs: Iterable[Paragraph]) -> None:
        """Replace the indexed paragraphs of whole articles with these (every paragraph of each
        article, grouped by article); the manifest is untouched. Used when enrichment settles a
        speaker's name after the paragraphs were written (``EnrichmentState.settle_names``)."""

    def delete_source(self, path: str) -> None:
        """Delete the paragraphs and the manifest entry of ``path``."""

    def pending(self) -> bool:
        """Whether anything was written since the last commit."""

    def commit(self, merge: bool = True) -> None:
        """Make the pending changes durable and visible at once; ``merge=False`` leaves segment
        merging (if the engine has any) for a later commit."""

    def merge(self) -> None:
        """Merge what batch commits left unmerged (a no-op for engines that need none)."""

    def cancel(self) -> None:
        """Drop the pending changes and free the engine's lock, also after a failed commit."""

    def close(self) -> None:
        """Cancel what is pending and release the generation."""


class Reader(Protocol):
    """A snapshot of one committed generation; close it when done."""

    def compile(self, node) -> CompiledQuery:
        """Compile a ``query.language`` structure (prefixes expanded against this snapshot)."""

    def search(self, query: CompiledQuery, *, within: CompiledQuery | None = None, limit: int = 10,
               per_article: bool = False, deadline: float | None = None, order: str = "relevance") -> EngineHits:
        """The best ``limit`` paragraphs of ``query`` by BM25F (or the first ``limit`` by date, with
        their scores, for ``order`` "newest" or "oldest"). ``within`` restricts without scoring;
        ``per_article`` keeps each article's best (or first) paragraph only; ``deadline`` (seconds)
        cuts a long search short and says so in ``timed_out``."""

    def count(self, query: CompiledQuery, *, within: CompiledQuery | None = None, deadline: float | None = None) -> int:
        """How many live paragraphs ``query`` matches (within ``within``), without ranking them;
        ``deadline`` (seconds) stops counting there (the count so far is returned)."""

    def score_paragraphs(self, query: CompiledQuery, paragraph_ids: Iterable[str]) -> dict[str, float]:
        """The score ``query`` gives each of the paragraphs it matches among ``paragraph_ids``."""

    def get(self, paragraph_id: str) -> Paragraph:
        """One paragraph; errors.NotFound when it is not in the index."""

    def article_paragraphs(self, article_id: str, first: int, last: int) -> list[Paragraph]:
        """The paragraphs of one article at positions ``first`` to ``last``, in order."""

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every live paragraph, in the engine's order."""

    def matches(self, query: CompiledQuery | None, within: CompiledQuery | None = None) -> Iterator[Paragraph]:
        """Every live paragraph ``query`` matches (every one for None) within ``within``, in the
        engine's order, read as they are consumed (an export of the whole index is streamed)."""

    def article(self, article_id: str) -> list[Paragraph]:
        """All the paragraphs of one article in reading order ([] when it is not in the index)."""

    def facet_table(self, facet: str, by: str, within: CompiledQuery | None = None) -> dict[tuple[str, str], int]:
        """(value of ``facet``, value of ``by``) → live paragraphs holding both (within ``within``);
        a paragraph with several values of a facet counts once under each."""

    def facet_counts(self, facet: str, within: CompiledQuery | None = None) -> dict[str, int]:
        """Every value of ``facet`` with the number of live paragraphs holding it (within ``within``),
        in value order."""

    def values(self, facet: str) -> list[str]:
        """The values of ``facet`` in the index, sorted."""

    def paragraphs_with(self, facet: str, value: str, *, limit: int | None = None, latest_first: bool = False,
                        within: CompiledQuery | None = None) -> list[Paragraph]:
        """Paragraphs whose ``facet`` holds ``value``, by date (oldest first unless ``latest_first``)."""

    def manifest(self) -> dict[str, dict]:
        """Source path → its manifest entry, as the writer was given it."""

    def totals(self) -> Totals:
        """What the snapshot holds."""

    def is_current(self) -> bool:
        """Whether no commit happened since this snapshot was opened."""

    def check(self, sample: int = 2000, full: bool = False) -> list[str]:
        """Problems found reading ``sample`` stored paragraphs spread over the index (every one
        when ``full``, which also reads every posting list) and confirming, for some of them, that
        their first words are posted for them."""

    def close(self) -> None:
        """Release the snapshot."""


class Engine(Protocol):
    """One search engine: how it creates, writes, reads and recovers a generation directory."""

    name: str  # recorded in the version stamp
    format_version: int
    fingerprint: str  # of the schema and text analysis: a change means a rebuild

    def create(self, generation: Path) -> None:
        """An empty index in the new directory ``generation``."""

    def writer(self, generation: Path, jobs: int = 1) -> Writer:
        """The writer of ``generation`` (``jobs`` > 1: that many worker processes where supported)."""

    def reader(self, generation: Path, scoring: Scoring = Scoring()) -> Reader:
        """A reader of the last commit in ``generation``."""

    def recover(self, generation: Path) -> list[str]:
        """Remove what an interrupted writer left in ``generation``; the names removed."""

    def commit_point(self, generation: Path) -> Path:
        """The file whose atomic replacement is the last commit (fault tests damage it)."""

    def committed_files(self, generation: Path) -> Callable[[str], bool]:
        """A test ``file name → bool``: is this file part of the last commit?"""

    def is_engine_file(self, name: str) -> bool:
        """Whether a file in a generation is one of the engine's (checksummed once written)."""


class FolderEngine:
    """An ``Engine`` made of an engine folder's parts: its ``directory`` module (create, recover,
    commit point, committed and engine files) and its writer and reader classes. Each engine
    package builds its ``ENGINE`` from this, so the contract's plumbing is written once."""

    def __init__(self, name: str, format_version: int, fingerprint, directory, writer, reader):
        self.name, self.format_version, self.fingerprint = name, format_version, fingerprint
        self._directory, self._writer, self._reader = directory, writer, reader

    def create(self, generation: Path) -> None:
        self._directory.create_index(generation)

    def writer(self, generation: Path, jobs: int = 1):
        return self._writer(generation, jobs=jobs)

    def reader(self, generation: Path, scoring: Scoring = Scoring()):
        return self._reader(generation, scoring)

    def recover(self, generation: Path) -> list[str]:
        return self._directory.recover_generation(generation)

    def commit_point(self, generation: Path) -> Path:
        return self._directory.commit_point(generation)

    def committed_files(self, generation: Path):
        return self._directory.committed_file_test(generation)

    def is_engine_file(self, name: str) -> bool:
        return self._directory.is_engine_file(name)
