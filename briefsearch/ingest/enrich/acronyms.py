"""Acronym definitions made in a paragraph: "Joint Threat Assessment (JTA)", "JTA (Joint Threat
Assessment)", "Joint Threat Assessment, or JTA," and "... known as START".

Every candidate passes the Schwartz-Hearst letter alignment (Schwartz & Hearst, PSB 2003), so an
ordinary parenthesis such as "(Inaudible)" or "(2021)" is not taken for a definition.
"""

from __future__ import annotations

import re

from briefsearch.text.normalize import fold_punctuation

# A short form: starts with a letter, has two or more capitals, at most 10 characters ("JTA",
# "NGOs", "COVID-19", "U.S.", "P5+1").
_SHORT = r"[A-Za-z][A-Za-z0-9&.+\-/]{1,9}"
_LONG_THEN_SHORT = re.compile(rf"\(\s*(?:the\s+)?(?P<short>{_SHORT})\s*\)")
_SHORT_THEN_LONG = re.compile(rf"\b(?P<short>{_SHORT})\s+\((?P<long>[^()]{{4,120}})\)")
_OR_SHORT = re.compile(rf",?\s+or\s+(?:the\s+)?(?P<short>{_SHORT})\b(?=\s*(?:[,;:)]|\.\s|\.$|for short|$))")
_KNOWN_AS = re.compile(rf",?\s+(?:also\s+|better\s+|commonly\s+)?known as\s+(?:the\s+)?(?P<short>{_SHORT})\b")
_OR_CUE = re.compile(r"or\s")  # a literal start: found by a fast search, unlike _OR_SHORT's leading \s+
_WORD = re.compile(r"\S+")
_NOT_DEFINITION_START = frozenset("a an and as at by for from in is of on or that the to was which with".split())


def is_short_form(candidate: str) -> bool:
    """Two or more capital letters, starts with a letter, not a plain capitalised word."""
    stripped = candidate.rstrip("s") if candidate.endswith("s") and candidate[:-1].isupper() else candidate
    capitals = sum(1 for ch in stripped if ch.isupper())
    return capitals >= 2 and stripped[0].isalpha() and len(stripped) <= 10 and not stripped.isdigit()


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz-Hearst: the shortest end of ``long`` whose letters spell ``short`` in order.

    Each character of the short form, right to left, must be found in the long form; the first
    one must start a word. Returns None when the letters do not align.
    """
    s = len(short) - 1
    i = len(long) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while i >= 0 and (long[i].lower() != char or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = long.rfind(" ", 0, i + 1) + 1
    return long[start:].strip()


def _clean_short(short: str) -> str:
    return short.rstrip(".,;:")


def _accept(short: str, long: str | None) -> tuple[str, str] | None:
    """The Schwartz-Hearst length limits plus a check that words start with the short's letters."""
    if not long:
        return None
    words = long.split()
    letters = [ch for ch in short if ch.isalpha()]
    core = letters[:-1] if short.endswith("s") and len(letters) > 2 and short[:-1].isupper() else letters
    if len(words) > min(len(core) + 5, len(core) * 2):
        return None
    if len(words) == 1 and len(long) < 2 * len(short):  # "gigawatts (GW)" yes, "Quad (QUAD)" no
        return None
    if words[0].lower() in _NOT_DEFINITION_START or len(long) <= len(short):
        return None
    # Every major word of a real long form gives a letter to the short one ("Caribbean Community"
    # for CARICOM); an accidental alignment drags in words that do not.
    letters_lower = {ch.lower() for ch in core}
    major = [w for w in words if w.lower().strip(",") not in _MINOR_WORDS and w[0].isalnum()]
    if any(w[0].lower() not in letters_lower for w in major):
        return None
    return short, long.strip(" ,;:")


def _words_before(text: str, end: int, count: int) -> str:
    words = _WORD.findall(text[max(0, end - 200) : end])
    return " ".join(words[-count:])


def _long_before(text: str, end: int, short: str) -> tuple[str, str] | None:
    letters = sum(1 for ch in short if ch.isalnum())
    window = _words_before(text, end, min(letters + 5, letters * 2))
    window = re.split(r"[.;:!?()\"]", window)[-1].strip(" ,")  # a long form does not cross clauses
    found = _accept(short, initialism(short, window) or best_long_form(short, window))
    if found is None:
        found = _prefixed(short, window) or _trailing_and(short, window)
    return found


_US_PREFIX = re.compile(r"^(?:US|U\.S\.)(?=[A-Z]{2})")
_TRAILING_AND = re.compile(r"^(?P<head>.+?)\s+and\s+[A-Z][a-z]+$")


def _prefixed(short: str, window: str) -> tuple[str, str] | None:
    """"Department of Agriculture (USDA)", "Patent and Trademark Office (USPTO)": the country
    prefix of the short form is left unsaid in the long one."""
    prefix = _US_PREFIX.match(short)
    if not prefix:
        return None
    rest = short[prefix.end():]
    found = _accept(rest, initialism(rest, window) or best_long_form(rest, window))
    return (short, found[1]) if found else None


def _trailing_and(short: str, window: str) -> tuple[str, str] | None:
    """"Centers for Disease Control and Prevention (CDC)": the name runs on past its letters."""
    match = _TRAILING_AND.match(window)
    if not match:
        return None
    found = _accept(short, initialism(short, match.group("head")) or best_long_form(short, match.group("head")))
    if not found or not window.endswith(window.split()[-1]) or not found[1][:1].isupper():
        return None
    start = window.rfind(found[1])
    return (short, window[start:]) if start >= 0 else None


_MINOR_WORDS = frozenset("of and the for on in to with at by de du des la le".split())


def initialism(short: str, window: str) -> str | None:
    """The end of ``window`` whose major words' initials spell ``short`` exactly:
    "prevention, preparedness, and response" for PPR, where letter alignment alone stops at
    "preparedness, and response"."""
    letters = [ch.lower() for ch in short.rstrip("s") if ch.isalpha()] if short[:-1].isupper() else \
        [ch.lower() for ch in short if ch.isalpha()]
    words = window.split()
    for start in range(len(words) - 1, -1, -1):
        major = [w for w in words[start:] if w.lower().strip(",") not in _MINOR_WORDS]
        initials = [w.lstrip("\"'(")[:1].lower() for w in major]
        if len(initials) > len(letters):
            return None
        if initials == letters and words[start].lower() not in _MINOR_WORDS:
            return " ".join(words[start:])
    return None


def find_definitions(text: str) -> list[tuple[str, str]]:
    """(short, long) pairs defined in ``text``, in order of appearance, without repeats."""
    if "(" not in text and " or " not in text and "known as" not in text:
        return []
    folded = fold_punctuation(text)
    found: list[tuple[str, str]] = []
    # Each pattern runs only on text holding its literal cue: the patterns themselves are tried at
    # every word, which cost more than the rest of enrichment on the paragraphs that define nothing.
    parenthesis = "(" in folded
    for match in _LONG_THEN_SHORT.finditer(folded) if parenthesis else ():
        short = _clean_short(match.group("short"))
        if is_short_form(short):
            _add(found, _long_before(folded, match.start(), short))
    for match in _SHORT_THEN_LONG.finditer(folded) if parenthesis else ():
        short = _clean_short(match.group("short"))
        inner = match.group("long").strip()
        if is_short_form(short) and " " in inner and not is_short_form(inner.split()[0]):
            _add(found, _accept(short, best_long_form(short, inner)) if best_long_form(short, inner) == inner else None)
    patterns = [_OR_SHORT] if any(folded[m.start() - 1].isspace() for m in _OR_CUE.finditer(folded, 1)) else []
    if "known as" in folded:
        patterns.append(_KNOWN_AS)
    for pattern in patterns:
        for match in pattern.finditer(folded):
            short = _clean_short(match.group("short"))
            if is_short_form(short):
                _add(found, _long_before(folded, match.start(), short))
    return found


def _add(found: list[tuple[str, str]], pair: tuple[str, str] | None) -> None:
    if pair and all(pair[0] != short for short, _ in found):
        found.append(pair)


def normalise_long_form(long: str) -> str:
    """The key long forms are compared by: lower case, folded punctuation, single spaces."""
    return " ".join(re.findall(r"[^\W_]+", fold_punctuation(long).lower()))
