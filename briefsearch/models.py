"""Plain data shared by every layer: articles as extracted, paragraphs as indexed, hits as found.

All records are frozen dataclasses so stages pass values, never shared mutable state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Block:
    """One block of article text as extraction found it, before chunking.

    ``kind`` is "p" (paragraph, or one run of a ``<br><br>``-split paragraph), "heading", "li" or
    "caption" (a figure's).
    ``section`` is the editor's section label in force at this block (State Department anchors
    such as ``post-123-IRAN`` give "IRAN"), or None. ``bold_label`` is the text of a bold run that
    opens the block (``<strong>MR PRICE: </strong>``), which speaker attribution uses.
    """

    text: str
    kind: str = "p"
    section: str | None = None
    bold_label: str | None = None


@dataclass(frozen=True)
class Article:
    """One article (a page, a feed item, a JSON record) with its metadata and body blocks."""

    article_id: str
    source: str  # path of the file it came from, as given by the user's folder walk
    title: str
    blocks: tuple[Block, ...]
    # ISO 8601 date, or datetime with the source's own offset: "2021-06-09T21:30:00-04:00" is June 9
    # (its first ten characters are the source's calendar day, used for display and date filters).
    date: str | None = None
    author: str | None = None  # byline / dc:creator, e.g. "Ned Price, Department Spokesperson"
    url: str | None = None
    encoding: str | None = None  # encoding the source file was decoded with
    categories: tuple[str, ...] = ()
    outlet: str | None = None  # who published it: "The White House", "U.S. Department of State", ...


# Who speaks in a paragraph, and how: a transcript turn (opening remarks, a statement read out), an
# answer to a question, a question from the floor, a written statement in its author's voice, a
# direct quote in prose, reported speech (a readout: "Secretary Blinken emphasized ..."), or none
# (captions, schedules, lists, stage directions, timestamps).
SPEECH_KINDS = ("turn", "answer", "question", "statement", "quote", "reported", "none")


@dataclass(frozen=True)
class Paragraph:
    """The unit of search: one paragraph with its article's metadata and its enrichment."""

    id: str  # f"{article_id}#p{position}"
    article_id: str
    position: int  # 1-based position in the article
    text: str
    title: str = ""
    date: str | None = None
    author: str | None = None
    source: str = ""
    url: str | None = None
    outlet: str | None = None  # the article's publisher (``Article.outlet``)
    section: str | None = None
    speaker: str | None = None  # canonical full name, "Question", or None
    is_quote: bool = False  # holds a direct quote of the speaker
    is_turn: bool = False  # a transcript turn (labelled or continuing one)
    is_question: bool = False  # a question from the floor
    # The kind of speech (``SPEECH_KINDS``): "turn", "answer", "question", "statement", "quote",
    # "reported" or "none"; None when the paragraph was not enriched.
    speech: str | None = None
    speaker_role: str | None = None  # the speaker's office as the text gives it ("Department Spokesperson")
    answers_to: str | None = None  # an answer: the id of the (first paragraph of the) question it answers
    answered_by: str | None = None  # a question: the id of the first paragraph of the answer it got
    topics: tuple[str, ...] = ()
    acronyms: tuple[tuple[str, str], ...] = ()  # (short, long) definitions made in this paragraph

    def to_record(self) -> dict:
        """The paragraph as JSON-safe plain data (what an engine stores), default values left out."""
        # Not dataclasses.asdict: its deep copy of every value was a fifth of bulk indexing (the
        # values are strings, numbers and tuples, which need no copy).
        return {name: value for name in _FIELD_ORDER
                if (value := getattr(self, name)) != _DEFAULTS.get(name, _REQUIRED)}

    @classmethod
    def from_record(cls, record: dict) -> "Paragraph":
        """The paragraph ``to_record`` made, also from a JSON round trip (lists back to tuples);
        keys this version does not know are ignored."""
        return cls(**{name: _tupled(value) for name, value in record.items() if name in _FIELDS})


_REQUIRED = object()
_FIELD_ORDER = tuple(f.name for f in fields(Paragraph))
_FIELDS = frozenset(_FIELD_ORDER)
_DEFAULTS = {f.name: f.default for f in fields(Paragraph)}


def _tupled(value):
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Hit:
    """One ranked result of a search."""

    rank: int
    score: float
    paragraph: Paragraph
    snippet: str  # plain text with matches marked by \x02 ... \x03 (the output layer renders them)
    context: tuple[Paragraph, ...] = ()  # neighbouring paragraphs when asked for (-C N)
    # which group it was ranked in ("all the words", "some of the words"; None: the query has one):
    # hits are ordered by group, then by score within it
    tier: str | None = None
    copies: tuple[str, ...] = ()  # ids of the same statement in other articles (query.duplicates)


@dataclass(frozen=True)
class SearchResult:
    """Everything a search returns: the hits and what the user should be told about them."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    expansions: tuple[str, ...] = ()  # e.g. ('JTA → "joint threat assessment"',)
    warnings: tuple[str, ...] = ()
    suggestion: str | None = None  # did-you-mean
    explain: str = ""  # the engine query, for --explain
    all_words_total: int | None = None  # of ``total``, those holding all the words (queries ranked in groups)


@dataclass(frozen=True)
class IndexSummary:
    """What one ``briefsearch index`` run did."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    paragraphs: int = 0  # paragraphs written in this run
    total_paragraphs: int = 0  # paragraphs in the index afterwards
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    recovered: tuple[str, ...] = ()
    skipped_by: tuple[tuple[str, str, int], ...] = ()  # (reason, extension, files), most first
    notes: tuple[str, ...] = ()  # how the run was told to behave ("symlinks followed ...")


@dataclass(frozen=True)
class IndexStats:
    """Counts for ``briefsearch stats``."""

    articles: int
    paragraphs: int
    speakers: int
    topics: int
    first_date: str | None
    last_date: str | None
    bytes: int
    sources: int = 0
    generation: str = ""
    engine: str = ""  # the search engine the index was built with
    extra: dict = field(default_factory=dict)
