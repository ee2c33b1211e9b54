"""briefsearch's own query language: query text → a small query structure, validated and capped.

Syntax: words (all of them, ranked), ``"exact phrases"``, ``"phrase"~N`` (words within N moves),
``OR``, ``AND``, ``NOT x`` / ``-x``, ``+x`` (required), parentheses, trailing-``*`` prefixes,
``word~`` (fuzzy, one edit), and the fields ``speaker:``, ``topic:``, ``title:``, ``date:``,
``speech:`` (the kind of speech), ``answers:`` (answers by the words of their question) and
``questions:`` (questions by the words of their answer).
The structure is ``tree``'s; nothing here knows the engine, which compiles the structure itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefsearch.errors import QuerySyntaxError, QueryTooExpensive
from briefsearch.query.tree import And, Boost, DateRange, Node, Not, Or, Phrase, Prefix, Required, Term
from briefsearch.text.normalize import clean_line

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_PHRASE_WORDS = 32
MAX_DEPTH = 16
MAX_WILDCARDS = 4  # wildcard and fuzzy words of one query: each reads and unions many index words
MIN_PREFIX_CHARS = 3  # "pr* OR re*" read and ranked most of the 121k-paragraph index: 2.8 s
MAX_SLOP = 50
FIELDS = ("speaker", "topic", "title", "date", "speech", "answers", "questions")
_EXAMPLES = {"speaker": "speaker:price", "topic": "topic:iran", "title": "title:briefing", "date": "date:2021-06",
             "speech": "speech:answer", "answers": 'answers:(pelosi taiwan)', "questions": "questions:taiwan"}

# --- tokens ----------------------------------------------------------------------------------

_OPEN_QUOTES = "\"\u201c\u201e\u00ab"
_CLOSE_QUOTES = "\"\u201d\u201c\u00bb"
_WORD_STOP = set(" \t\n()" + _OPEN_QUOTES + _CLOSE_QUOTES)
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
_SLOP_RE = re.compile(r"~(\d+)")


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT", "-", "+"
    text: str = ""
    field: str | None = None
    slop: int = 0
    position: int = 0


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    pending_field: str | None = None
    while i < n:
        ch = query[i]
        if ch.isspace():
            if pending_field is not None:
                raise QuerySyntaxError(f'"{pending_field}:" needs a value right after the colon, e.g. {_EXAMPLES[pending_field]}')
            i += 1
            continue
        if ch in "()":
            if pending_field is not None and ch == ")":
                raise QuerySyntaxError(f'"{pending_field}:" needs a value right after the colon, e.g. {_EXAMPLES[pending_field]}')
            tokens.append(_Token(ch, position=i, field=pending_field if ch == "(" else None))
            pending_field = None
            i += 1
            continue
        if ch in _OPEN_QUOTES:
            end = i + 1
            while end < n and query[end] not in _CLOSE_QUOTES:
                end += 1
            if end >= n:
                raise QuerySyntaxError(f"Unbalanced quote at character {i + 1}: close the phrase with another \"")
            text = query[i + 1 : end]
            slop = 0
            i = end + 1
            match = _SLOP_RE.match(query, i)
            if match:
                slop = int(match.group(1))
                if slop > MAX_SLOP:
                    raise QueryTooExpensive(f"Proximity ~{slop} is too wide: use at most ~{MAX_SLOP}")
                i = match.end()
            tokens.append(_Token("phrase", text, pending_field, slop, position=i))
            pending_field = None
            continue
        start = i
        while i < n and query[i] not in _WORD_STOP:
            i += 1
        word = query[start:i]
        if not word:  # a closing quote with no opening one (” or »)
            raise QuerySyntaxError(f"Unbalanced quote at character {i + 1}: this closing quote has no opening one")
        if pending_field is None and word in ("AND", "OR", "NOT"):
            tokens.append(_Token(word, position=start))
            continue
        if pending_field is None and word[0] in "-+" and len(word) > 1 and not word[1].isdigit():
            tokens.append(_Token(word[0], position=start))
            word = word[1:]
        elif word in ("-", "+"):
            continue  # a lone dash is punctuation, not an operator
        field_match = _FIELD_RE.match(word)
        if pending_field is None and field_match and not field_match.group(2).startswith("/"):
            name, rest = field_match.group(1).lower(), field_match.group(2)
            if name not in FIELDS and not rest:
                tokens.append(_Token("word", field_match.group(1), position=start))  # prose: "nutrition: ..."
                continue
            if name not in FIELDS:
                listed = ", ".join(f + ":" for f in FIELDS)
                raise QuerySyntaxError(f'Unknown field "{field_match.group(1)}:" — use one of {listed}')
            if rest:
                tokens.append(_Token("word", rest, name, position=start))
            else:
                pending_field = name  # the value follows: a phrase or parentheses
            continue
        tokens.append(_Token("word", word, pending_field, position=start))
        pending_field = None
    if pending_field is not None:
        raise QuerySyntaxError(f'"{pending_field}:" needs a value right after the colon, e.g. {_EXAMPLES[pending_field]}')
    return tokens


# --- parser ----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.wildcards = 0
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("Empty query: type some words to search for")
        node = self.or_expr(field=None)
        token = self.peek()
        if token is not None:
            if token.kind == ")":
                raise QuerySyntaxError('Unbalanced parenthesis: a ")" has no matching "("')
            raise QuerySyntaxError(f'Unexpected "{token.text or token.kind}" at character {token.position + 1}')
        return node

    def or_expr(self, field: str | None) -> Node:
        parts = [self.and_expr(field)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if self.peek() is None or self.peek().kind in (")", "OR", "AND"):
                raise QuerySyntaxError('"OR" needs a word on both sides, e.g. iran OR iraq')
            parts.append(self.and_expr(field))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self, field: str | None) -> Node:
        parts: list[Node] = []
        explicit = False
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                if not parts or self.peek() is None or self.peek().kind in (")", "OR", "AND"):
                    raise QuerySyntaxError('"AND" needs a word on both sides, e.g. iran AND sanctions')
                explicit = True
                continue
            parts.append(self.unary(field))
        if not parts:
            token = self.peek()
            if token is not None and token.kind == "OR":
                raise QuerySyntaxError('"OR" needs a word on both sides, e.g. iran OR iraq')
            raise QuerySyntaxError("Empty group: put some words between the parentheses")
        if len(parts) == 1:
            return parts[0]
        return And(tuple(parts), implicit=not explicit)

    def unary(self, field: str | None) -> Node:
        token = self.take()
        if token.kind in ("NOT", "-"):
            if self.peek() is None or self.peek().kind in (")", "OR", "AND", "NOT", "-", "+"):
                raise QuerySyntaxError(f'"{token.kind}" must be followed by a word to exclude, e.g. NOT iraq')
            return Not(self.unary(field))
        if token.kind == "+":
            if self.peek() is None or self.peek().kind in (")", "OR", "AND"):
                raise QuerySyntaxError('"+" must be followed by a word to require')
            return Required(self.unary(field))
        if token.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryTooExpensive(f"Too many nested parentheses: use at most {MAX_DEPTH} levels")
            inner_field = token.field or field
            if self.peek() is None:
                raise QuerySyntaxError('Unbalanced parenthesis: add a ")" to close the "("')
            node = self.or_expr(inner_field)
            if self.peek() is None or self.peek().kind != ")":
                raise QuerySyntaxError('Unbalanced parenthesis: add a ")" to close the "("')
            self.take()
            self.depth -= 1
            return node
        if token.kind in ("AND", "OR"):
            raise QuerySyntaxError(f'"{token.kind}" needs a word on both sides')
        if token.kind == ")":
            raise QuerySyntaxError('Unbalanced parenthesis: a ")" has no matching "("')
        return self.leaf(token, token.field or field)

    def leaf(self, token: _Token, field: str | None) -> Node:
        if field == "date":
            return parse_date_range(token.text)
        if token.kind == "phrase":
            words = tuple(token.text.split())
            if not words:
                raise QuerySyntaxError('Empty phrase "": put words between the quotes')
            if len(words) > MAX_PHRASE_WORDS:
                raise QueryTooExpensive(f"Phrase too long ({len(words)} words): use at most {MAX_PHRASE_WORDS}")
            self.count_terms(len(words))
            if field in ("speaker", "topic", "speech"):
                return Term(" ".join(words), field)
            if len(words) == 1 and token.slop == 0:
                return Term(words[0], field)
            return Phrase(words, token.slop, field)
        text = token.text
        self.count_terms(1)
        if text.endswith("*"):
            stem = text.rstrip("*")
            if "*" in stem:
                raise QuerySyntaxError(f'Wildcards only work at the end of a word: "{text}" — try {stem.replace("*", "")}*')
            if not stem:
                raise QuerySyntaxError('A bare "*" matches everything: add at least three letters before it, e.g. sanction*')
            if len(stem) < MIN_PREFIX_CHARS:
                raise QuerySyntaxError(f'"{text}" is too short a prefix: type at least {MIN_PREFIX_CHARS} letters before the *')
            self.count_expansions()
            return Prefix(stem, field)
        if text.startswith("*"):
            raise QuerySyntaxError(f'Leading wildcards are not supported ("{text}"): put the * at the end of a word, e.g. {text.strip("*")}*')
        if text.endswith("~") and len(text) > 1:
            self.count_expansions()
            return Term(text[:-1], field, fuzzy=True)
        return Term(text, field)

    def count_expansions(self) -> None:
        self.wildcards += 1
        if self.wildcards > MAX_WILDCARDS:
            raise QueryTooExpensive(f"Too many wildcard or fuzzy words: use at most {MAX_WILDCARDS} (words ending in * or ~)")

    def count_terms(self, n: int) -> None:
        self.terms += n
        if self.terms > MAX_TERMS:
            raise QueryTooExpensive(f"Query too long: use at most {MAX_TERMS} words")


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _date_bounds(value: str) -> tuple[str, str]:
    import calendar

    match = _DATE_RE.match(value)
    if not match:
        raise QuerySyntaxError(f'Cannot read the date "{value}": use YYYY, YYYY-MM or YYYY-MM-DD')
    year, month, day = match.group(1), match.group(2), match.group(3)
    y = int(year)
    if month is None:
        return f"{y:04d}-01-01", f"{y:04d}-12-31"
    m = int(month)
    if not 1 <= m <= 12:
        raise QuerySyntaxError(f'Cannot read the date "{value}": month must be 01 to 12')
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}"
    d = int(day)
    if not 1 <= d <= last:
        raise QuerySyntaxError(f'Cannot read the date "{value}": that day does not exist')
    return f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m:02d}-{d:02d}"


def parse_date_range(value: str) -> DateRange:
    """``2021``, ``2021-06``, ``2021-06-09`` or a range ``2021-03..2021-05`` (either end optional)."""
    value = value.strip()
    if ".." in value:
        low, high = value.split("..", 1)
        start = _date_bounds(low)[0] if low else "0000-01-01"
        end = _date_bounds(high)[1] if high else "9999-12-31"
    else:
        start, end = _date_bounds(value)
    if start > end:
        raise QuerySyntaxError(f'The date range "{value}" ends before it starts')
    return DateRange(start, end)


MAX_PLAIN_CHARS = 20_000
LENIENT_WORDS = 16  # a query longer than this that fails to parse is read as plain words
_PROSE_WORD = re.compile(r"[^\s\"()\u201c\u201d\u201e\u00ab\u00bb*~:?+]+")
HEADLINE_WORDS = 3  # an all-capitals query longer than this is a headline, not operators
_OPERATOR_SYNTAX = re.compile(r"[\"()\u201c\u201d\u201e\u00ab\u00bb*~]|(?:^|\s)[-+]\S|\b(?:AND|OR|NOT)\b|\b[A-Za-z_]+:\S")


def is_plain_text(text: str) -> bool:
    """Words only: no quotes, parentheses, operators, wildcards or field values."""
    return not _OPERATOR_SYNTAX.search(text)


def parse_query(text: str, warnings: list[str] | None = None) -> Node:
    """Parse user query text into the query structure; raise QuerySyntaxError / QueryTooExpensive.

    Readings that keep natural-language queries working: a query of more than three words typed
    entirely in capitals is read in lower case (its AND, OR, NOT are words, as in a headline);
    plain text longer than the caps (a pasted paragraph) keeps its first MAX_TERMS distinct words;
    and a query of more than LENIENT_WORDS words that fails to parse is read as plain words; they
    each add a warning.
    """
    if len(text) > MAX_PLAIN_CHARS:
        raise QueryTooExpensive(f"Query too long ({len(text)} characters): use at most {MAX_PLAIN_CHARS}")
    if len(text) > MAX_QUERY_CHARS and not is_plain_text(text):
        too_long = QueryTooExpensive(f"Query too long ({len(text)} characters): use at most {MAX_QUERY_CHARS}")
        if len(text.split()) <= LENIENT_WORDS:
            raise too_long
        text = _as_words(text, too_long, warnings)
    text = clean_line(text)
    if not text:
        raise QuerySyntaxError("Empty query: type some words to search for")
    if text.isupper() and len(text.split()) > HEADLINE_WORDS:
        text = text.lower()
        if warnings is not None:
            warnings.append("Read the query typed in capitals as words, like a headline (its AND, OR, NOT are "
                            "words here): type it in lower case to use operators")
    if is_plain_text(text):
        text = _first_words(text, warnings)
    try:
        node = _Parser(_tokenize(text)).parse()
    except (QuerySyntaxError, QueryTooExpensive) as error:
        if len(text.split()) <= LENIENT_WORDS:
            raise
        node = _Parser(_tokenize(_as_words(text, error, warnings))).parse()
    if not has_positive(node):
        raise QuerySyntaxError("A query cannot only exclude words: add a word to search for, e.g. iran -iraq")
    return node


def _as_words(text: str, error: Exception, warnings: list[str] | None) -> str:
    """A long passage pasted as a query, with a stray quote, parenthesis or "?" in it: the user
    wants its words, not a syntax lesson."""
    if warnings is not None:
        warnings.append(f"Read the query as plain words ({error})")
    return _first_words(" ".join(_PROSE_WORD.findall(text)), warnings)


def _first_words(text: str, warnings: list[str] | None) -> str:
    words = text.split()
    if len(words) <= MAX_TERMS:
        return text
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(word.lower(), word)
    kept = list(seen.values())[:MAX_TERMS]
    if warnings is not None and len(seen) > MAX_TERMS:
        warnings.append(f"Long query: searched its first {MAX_TERMS} distinct words")
    return " ".join(kept)


def has_positive(node: Node) -> bool:
    """Whether the query can match anything by itself (it is not only exclusions)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, (And,)):
        return any(has_positive(c) for c in node.children)
    if isinstance(node, Or):
        return all(has_positive(c) for c in node.children)
    if isinstance(node, (Required, Boost)):
        return has_positive(node.child)
    return True
