"""The query structure: what ``language`` parses query text into, what ``rewrite`` and ``plan``
transform, and what each engine compiles (``engine.api.Reader.compile``).

Plain frozen dataclasses, so that a query can be compared, hashed and printed (``describe``).
This module sits below the engines in the layering: it imports nothing of briefsearch.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None  # None: paragraph text (and title)
    fuzzy: bool = False


@dataclass(frozen=True)
class Prefix:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    slop: int = 0  # how many word moves are allowed (0: exact)
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    start: str  # inclusive, "YYYY-MM-DD"
    end: str  # inclusive, "YYYY-MM-DD"


@dataclass(frozen=True)
class And:
    children: tuple
    implicit: bool = False  # words side by side, no operator: the search policy decides


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class Required:
    child: object


@dataclass(frozen=True)
class Boost:
    child: object
    factor: float


@dataclass(frozen=True)
class AndMaybe:
    """``required`` must match; each of ``optional`` only adds to the score when it matches too."""

    required: object
    optional: tuple


Node = Term | Prefix | Phrase | DateRange | And | Or | Not | Required | Boost | AndMaybe


def describe(node: Node) -> str:
    """A readable rendering of the structure, for --explain and for tests."""
    if isinstance(node, Term):
        prefix = f"{node.field}:" if node.field else ""
        return f"{prefix}{node.text}{'~' if node.fuzzy else ''}"
    if isinstance(node, Prefix):
        return f"{node.field + ':' if node.field else ''}{node.text}*"
    if isinstance(node, Phrase):
        slop = f"~{node.slop}" if node.slop else ""
        return f'{node.field + ":" if node.field else ""}"{" ".join(node.words)}"{slop}'
    if isinstance(node, DateRange):
        return f"date:{node.start}..{node.end}"
    if isinstance(node, And):
        return "(" + (" " if node.implicit else " AND ").join(describe(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(describe(c) for c in node.children) + ")"
    if isinstance(node, Not):
        return f"NOT {describe(node.child)}"
    if isinstance(node, Required):
        return f"+{describe(node.child)}"
    if isinstance(node, Boost):
        return f"{describe(node.child)}^{node.factor:g}"
    if isinstance(node, AndMaybe):
        return f"{describe(node.required)} ANDMAYBE ({' '.join(describe(o) for o in node.optional)})"
    raise TypeError(node)
