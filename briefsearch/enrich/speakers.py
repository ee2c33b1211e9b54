"""Who said each paragraph: transcript labels ("MR PRICE:", "Q"), their continuations, and
quotes attributed in news prose ("..." -Ms. Tauscher; she added), resolved to one full name.

Rules that explain themselves, no model: a label must look like a person or a role, names are
resolved from the article's own creator, title and text, then from the collection registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from briefsearch.enrich.names import (
    HONORIFIC_GENDER,
    NAME_RUN,
    NOT_NAME_WORDS,
    ROLE_WORDS,
    full_names_in_run,
    people_in_creator,
    people_in_text,
    surname_keys,
    title_case_name,
)
from briefsearch.textnorm import fold_punctuation

QUESTION = "Question"

_UPPER = "A-ZÀ-ÖØ-Þ"
_LABEL = re.compile(rf"^\s*(?P<label>[{_UPPER}][{_UPPER}'’.\-]*(?:\s+[{_UPPER}][{_UPPER}'’.\-]*){{0,7}})\s*:")
_Q_LABEL = re.compile(r"^\s*Q(?:\s*:|\.?\s)\s*(?=\S)")
_END = re.compile(r"^\s*(?:END\b|#\s*#\s*#|###)")
_STAGE = re.compile(r"^\s*[(\[][^()\[\]]{0,80}[)\]]\s*$")

QUESTION_LABELS = frozenset({"QUESTION", "Q", "QUESTIONER", "QUESTIONS"})
# Labels that name a role, never a person: they stay as title-cased role names.
GENERIC_ROLE_WORDS = frozenset(
    "OFFICIAL OFFICIALS MODERATOR OPERATOR INTERPRETER PARTICIPANT PARTICIPANTS STAFF GUEST AUDIENCE "
    "ANNOUNCER NARRATOR PANELIST REPORTER VOICE VOICES CROWD STAFFER".split()
)
# All-caps field labels that are not speakers (sanctions lists, memos, schedules).
DENY_FIRST_WORDS = frozenset(
    """
    VESSEL VESSELS SUBJECT NOMINATIONS NOMINATION WITHDRAWALS WITHDRAWAL END NOTE NOTES DATE TIME
    LOCATION PLACE RE TO FROM CC PHONE TEL FAX EMAIL ATTENTION UPDATE UPDATED WHAT WHEN WHERE WHO
    WHY HOW BACKGROUND SOURCE ADDRESS TITLE NAME IMO AKA FKA DOB POB NATIONALITY GENDER PASSPORT
    ENTITY ENTITIES INDIVIDUAL INDIVIDUALS SECTION ARTICLE FACT MEDIA CONTACT READOUT TRANSCRIPT
    RELEASE AGENDA TOPIC TOPICS WASHINGTON EMBARGOED FOR IMMEDIATE PRESS OFFICE U S US WHEREAS
    PROCLAMATION SEC PART TABLE FIGURE ANNEX APPENDIX PHOTO PHOTOS VIDEO AUDIO LINK WEBSITE
    RELATED ALSO SEE NB PS EDITOR EDITORS CORRECTION ORIGINAL TEXT SUMMARY KEY HIGHLIGHTS
    """.split()
)

_VERBS = (
    r"said|says|add(?:s|ed)|stress(?:es|ed)|not(?:es|ed)|emphasi[sz](?:es|ed)|highlight(?:s|ed)|"
    r"hop(?:es|ed)|explain(?:s|ed)|told|tells|stated|underlin(?:es|ed)|underscor(?:es|ed)|"
    r"remark(?:s|ed)|observ(?:es|ed)|warn(?:s|ed)|insist(?:s|ed)|argu(?:es|ed)|announc(?:es|ed)|"
    r"declar(?:es|ed)|affirm(?:s|ed)|reaffirm(?:s|ed)|reiterat(?:es|ed)|point(?:s|ed) out|"
    r"acknowledg(?:es|ed)|urg(?:es|ed)|asked|recall(?:s|ed)|comment(?:s|ed)|replied|responded|"
    r"cautioned|vowed|promised|confirm(?:s|ed)|suggest(?:s|ed)|believ(?:es|ed)|welcom(?:es|ed)|"
    r"maintain(?:s|ed)|contend(?:s|ed)|conclud(?:es|ed)|predict(?:s|ed)|indicat(?:es|ed)"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_HON = r"(?:(?P<hon>Mr|Ms|Mrs|Dr|Miss|Mr\.|Ms\.|Mrs\.|Dr\.)\s*\.?\s+)"
_NAME = NAME_RUN.pattern
_PRONOUN_BEFORE = re.compile(r"\b(?P<pro>[Ss]he|[Hh]e)\s+(?:also\s+|further\s+|then\s+|later\s+)?$")
_NAME_BEFORE = re.compile(rf"{_HON}?(?P<name>{_NAME})\s*(?:also\s+|further\s+|then\s+|later\s+|has\s+|had\s+)?$")
_NAME_AFTER = re.compile(rf"^\s+{_HON}?(?P<name>{_NAME})")
_DASH_AFTER_QUOTE = re.compile(rf'"\s*-+\s*{_HON.replace("+", "*")}?(?P<name>{_NAME})\s*\.?\s*$')
_ACCORDING = re.compile(rf"\baccording to\s+{_HON}?(?P<name>{_NAME})")
_QUOTE = re.compile(r'"[^"]{12,}"')
_BIO_HINT = re.compile(
    r"\b(?:pen name|writes (?:for|about|stories)|follows the news|is a (?:freelance |staff )?(?:writer|reporter|journalist|"
    r"correspondent|editor|contributor)|production editor|is the author)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Label:
    """A transcript label read: "MR PRICE" -> kind "person", honorific "mr", name "Price"."""

    raw: str  # normalised: upper case, no periods ("MR PRICE")
    kind: str  # "question" | "person" | "role" | "title" (THE PRESIDENT: resolved from context)
    honorific: str | None = None
    role: str = ""  # title-cased role words ("Foreign Minister")
    name: str = ""  # title-cased name words ("Jean-Pierre")
    gender: str | None = None


@dataclass(frozen=True)
class Attribution:
    """The speaker fields of one paragraph."""

    speaker: str | None = None
    is_quote: bool = False
    is_turn: bool = False
    is_question: bool = False
    alias: str | None = None  # the surface form the speaker was found by ("MR PRICE", "Ms. Tauscher")
    gender: str | None = None


def normalise_alias(text: str) -> str:
    """The key aliases are compared by: upper case, no periods, single spaces."""
    return " ".join(fold_punctuation(text).replace(".", " ").upper().split())


@lru_cache(maxsize=4096)
def parse_label(raw: str) -> Label | None:
    """Read an all-caps label; None when it is a field label (VESSEL NAME) and not a speaker."""
    norm = normalise_alias(raw)
    words = norm.split()
    if not words or len(words) > 8 or any(ch.isdigit() for ch in norm):
        return None
    if norm in QUESTION_LABELS:
        return Label(norm, "question")
    if words[0] in DENY_FIRST_WORDS:
        return None
    if any(w in GENERIC_ROLE_WORDS for w in words):
        return Label(norm, "role", role=title_case_name(norm).replace(" Of ", " of ").replace(" The ", " the "))
    honorific = words[0].lower() if words[0].lower() in HONORIFIC_GENDER else None
    rest = words[1:] if honorific or words[0] == "THE" else words
    # Everything up to the last role word is the role: "EXTERNAL AFFAIRS MINISTER JAISHANKAR".
    last_role = max((i for i, w in enumerate(rest) if w.lower() in ROLE_WORDS), default=-1)
    role_words, rest = rest[: last_role + 1], rest[last_role + 1 :]
    role = title_case_name(" ".join(role_words))
    gender = HONORIFIC_GENDER.get(honorific) if honorific else None
    if not rest:
        return Label(norm, "title", role=role or title_case_name(norm)) if (role_words and words[0] == "THE") or role_words else None
    name = title_case_name(" ".join(rest))
    if honorific or role_words:
        return Label(norm, "person", honorific, role, name, gender)
    return Label(norm, "bare", None, "", name, None)


def read_label(text: str) -> tuple[str, Label] | None:
    """The label opening a paragraph's text, if any, as (surface text, parsed label)."""
    match = _LABEL.match(text)
    if match:
        label = parse_label(match.group("label"))
        return (match.group("label"), label) if label else None
    if _Q_LABEL.match(text):
        return ("Q", Label("Q", "question"))
    return None


@dataclass
class ArticleContext:
    """What one article says about people: full names by surname key, and text to search roles in."""

    people: dict[str, str] = field(default_factory=dict)
    text: str = ""
    recent: list[tuple[str, str | None]] = field(default_factory=list)  # (speaker, gender), newest last


def article_context(title: str, author: str | None, texts: list[str]) -> ArticleContext:
    """People named by the creator field first, then the title, then the body."""
    people: dict[str, str] = {}
    for name in people_in_creator(author):
        for key in surname_keys(name):
            people.setdefault(key, name)
    body = "\n".join(texts)
    for source in (title, body):
        for key, name in people_in_text(source).items():
            people.setdefault(key, name)
    return ArticleContext(people=people, text=f"{title}\n{body}")


class Resolver:
    """Turns label and prose mentions into canonical names: article first, then the registry."""

    def __init__(self, registry_lookup, overrides: dict[str, str] | None = None):
        self._registry_lookup = registry_lookup  # surname key -> canonical full name or None
        self.overrides = {normalise_alias(k): v for k, v in (overrides or {}).items()}

    def person(self, ctx: ArticleContext, name: str, honorific: str | None, role: str) -> str:
        key = name.lower()
        last = key.split()[-1]
        full = ctx.people.get(key) or self._registry_lookup(key) or ctx.people.get(last) or self._registry_lookup(last)
        if full:
            return self.canonical(full)
        if honorific in ("mr", "ms", "mrs", "dr", "miss"):
            return f"{honorific.capitalize()}. {name}"
        return f"{role} {name}".strip()

    def canonical(self, full: str) -> str:
        """The registry's form of a name when it is the same person: "Antony Blinken" -> "Antony J. Blinken"."""
        keys = surname_keys(full)
        known = self._registry_lookup(keys[0]) if keys else None
        if known and known != full and known.split()[0] == full.split()[0]:
            return known
        return full

    def label(self, ctx: ArticleContext, label: Label) -> str | None:
        if label.kind == "question":
            return QUESTION
        if label.kind == "role":
            return label.role
        if label.kind == "title":
            return self._title(ctx, label.role) or f"The {label.role}"
        if label.kind == "bare":  # "SECRETAR BLINKEN" (a typo): only a known surname makes it a speaker
            surname = label.name.split()[-1].lower()
            return ctx.people.get(surname) or self._registry_lookup(surname)
        return self.person(ctx, label.name, label.honorific, label.role)

    def _title(self, ctx: ArticleContext, role: str) -> str | None:
        """THE PRESIDENT -> the person the article calls "President Biden"."""
        match = _role_pattern(role).search(ctx.text)
        if not match:
            return None
        tokens = match.group(1).split()
        if len(tokens) >= 2:
            pair = f"{tokens[0]} {tokens[1]}"
            full = ctx.people.get(tokens[1].lower())
            if full and full.startswith(tokens[0]):
                return full
            if tokens[0].lower() in ctx.people or self._registry_lookup(tokens[0].lower()):
                pass
            elif tokens[1].lower() not in NOT_NAME_WORDS and full_names_in_run(pair) == (pair,):
                surname = tokens[0]
                return ctx.people.get(surname.lower()) or self._registry_lookup(surname.lower()) or f"{role} {surname}"
        surname = tokens[0].removesuffix("'s").removesuffix("’s")
        return ctx.people.get(surname.lower()) or self._registry_lookup(surname.lower()) or f"{role} {surname}"

    def override(self, alias: str | None, speaker: str | None) -> str | None:
        """The user's corrections win over every rule."""
        if not self.overrides or speaker is None:
            return speaker
        for key in (alias, speaker):
            if key and normalise_alias(key) in self.overrides:
                return self.overrides[normalise_alias(key)]
        return speaker

    def mention(self, ctx: ArticleContext, honorific: str | None, run: str) -> str | None:
        """A name found next to a reporting verb, or None when it is not a person."""
        run = run.replace("’", "'")
        tokens = [t.removesuffix("'s") for t in run.split()]
        if not tokens:
            return None
        if honorific:
            surname = " ".join(tokens[-2:]) if len(tokens) >= 2 and tokens[-2].lower() in ("di", "de", "bin", "al") else tokens[-1]
            return self.person(ctx, surname, honorific.lower().rstrip("."), "")
        full = full_names_in_run(" ".join(tokens))
        if full:
            name = full[0]
            keys = surname_keys(name)
            known = ctx.people.get(keys[0]) if keys else None
            return self.canonical(known if known and len(known) > len(name) else name)
        surname = tokens[-1]
        if surname.lower() in NOT_NAME_WORDS:
            return None
        known = ctx.people.get(surname.lower()) or self._registry_lookup(surname.lower())
        if known:
            return self.canonical(known)
        if len(tokens) >= 2 and tokens[-2].lower() in ROLE_WORDS:
            return f"{' '.join(tokens[:-1])} {surname}"
        return None


@lru_cache(maxsize=256)
def _role_pattern(role: str) -> re.Pattern:
    guard = r"(?<!Vice )(?<!Vice-)" if role.lower() == "president" else ""
    return re.compile(rf"{guard}\b{re.escape(role)}\s+({_NAME})")


def _gender_of(honorific: str | None) -> str | None:
    return HONORIFIC_GENDER.get(honorific.lower().rstrip(".")) if honorific else None


def prose_attribution(ctx: ArticleContext, resolver: Resolver, text: str) -> Attribution:
    """Quotes and reported speech in news prose; pronouns go to the latest compatible speaker."""
    folded = fold_punctuation(text)
    found = _dash_or_according(ctx, resolver, folded)
    if found is None:
        found = _reporting_verb(ctx, resolver, folded)
    if found is None:
        return Attribution()
    speaker, alias, gender = found
    if speaker is None:
        return Attribution()
    return Attribution(speaker, is_quote=bool(_QUOTE.search(folded)), alias=alias, gender=gender)


def _dash_or_according(ctx, resolver, folded):
    for pattern in (_DASH_AFTER_QUOTE, _ACCORDING):
        match = pattern.search(folded)
        if match:
            speaker = resolver.mention(ctx, match.group("hon"), match.group("name"))
            if speaker:
                return speaker, _alias(match), _gender_of(match.group("hon"))
    return None


def _alias(match: re.Match) -> str:
    """The surface form a prose speaker was named by, honorific written with its period."""
    honorific = match.group("hon")
    name = match.group("name").replace("’", "'").removesuffix("'s")
    if honorific:
        return f"{honorific.rstrip('.')}. {name}"
    return (full_names_in_run(name) or (name,))[0]


def _reporting_verb(ctx, resolver, folded):
    for verb in _VERB.finditer(folded):
        before = folded[max(0, verb.start() - 90) : verb.start()]
        pronoun = _PRONOUN_BEFORE.search(before)
        if pronoun:
            return _pronoun_speaker(ctx, pronoun.group("pro"))
        match = _NAME_BEFORE.search(before)
        if match is None and before.rstrip().endswith('"'):
            match = _NAME_AFTER.match(folded[verb.end() : verb.end() + 90])
        if match:
            speaker = resolver.mention(ctx, match.group("hon"), match.group("name"))
            if speaker:
                return speaker, _alias(match), _gender_of(match.group("hon"))
    return None


def _pronoun_speaker(ctx, pronoun):
    wanted = "f" if pronoun.lower() == "she" else "m"
    for speaker, gender in reversed(ctx.recent):
        if gender in (wanted, None):
            return speaker, None, gender  # a pronoun is not an alias
    return (None, None, None)


def looks_like_bio(text: str) -> bool:
    """An author's note such as "Mina Fabulous follows the news ... is the pen name of ..."."""
    return bool(_BIO_HINT.search(text))


def attribute_article(ctx: ArticleContext, resolver: Resolver, texts: list[str], gender_of) -> list[Attribution]:
    """Speaker fields for each paragraph text of one article, in order.

    ``gender_of(name)`` gives a known speaker's gender from the registry (or None).
    """
    labels = [read_label(text) for text in texts]
    transcript = any(label is not None for label in labels)
    results: list[Attribution] = []
    current: Attribution | None = None
    for position, (text, label) in enumerate(zip(texts, labels)):
        if label is not None:
            surface, parsed = label
            speaker = resolver.override(surface, resolver.label(ctx, parsed))
            question = parsed.kind == "question"
            current = Attribution(speaker, is_turn=True, is_question=question, alias=None if question else surface,
                                  gender=parsed.gender)
            results.append(current)
            continue
        if transcript and _END.match(text):
            current = None
            results.append(Attribution())
            continue
        if current is not None:
            results.append(Attribution() if _STAGE.match(text) else current)
            continue
        is_last = position == len(texts) - 1
        if is_last and looks_like_bio(text):
            results.append(Attribution())
            continue
        found = prose_attribution(ctx, resolver, text)
        if found.speaker:
            speaker = resolver.override(found.alias, found.speaker)
            gender = found.gender or gender_of(speaker)
            found = Attribution(speaker, is_quote=found.is_quote, alias=found.alias, gender=gender)
            ctx.recent.append((speaker, gender))
        results.append(found)
    return results
