"""Who said each paragraph: transcript labels ("MR PRICE:", "Q"), their continuations, and
quotes attributed in news prose ("..." -Ms. Tauscher; she added), resolved to one full name.

Rules that explain themselves, no model: a label must look like a person or a role, names are
resolved from the article's own creator, title and text, then from the collection registry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from briefsearch.ingest.enrich.names import (
    HONORIFIC_GENDER,
    same_given_name,
    NAME_RUN,
    NOT_NAME_WORDS,
    ROLE_WORDS,
    full_names_in_run,
    people_in_creator,
    people_in_text,
    surname_keys,
    title_case_name,
)
from briefsearch.text.normalize import fold_punctuation

QUESTION = "Question"

_UPPER = "A-ZÀ-ÖØ-Þ"
_LABEL = re.compile(rf"^\s*(?P<label>[{_UPPER}][{_UPPER}'’.\-]*(?:\s+[{_UPPER}][{_UPPER}'’.\-]*){{0,7}})"
                    r"\s*(?:\((?P<aff>[^()]{1,60})\))?\s*:")
_Q_LABEL = re.compile(r"^\s*Q(?:\s*:|\.?\s)\s*(?=\S)")
_END = re.compile(r"^\s*(?:END\b|#\s*#\s*#|###)")
_STAGE = re.compile(r"^\s*[(\[][^()\[\]]{0,80}[)\]]\s*$")

QUESTION_LABELS = frozenset({"QUESTION", "Q", "QUESTIONER", "QUESTIONS"})
# Roles whose turns are the questions of an interview: linked to the answers like "Q".
ASKING_ROLES = frozenset({"Interviewer", "Host"})
# Abbreviated offices in labels ("SEN. ROB PORTMAN (R-OH)").
_LABEL_OFFICES = {"SEN": "SENATOR", "REP": "REPRESENTATIVE", "GOV": "GOVERNOR", "AMB": "AMBASSADOR"}
# Labels that name a role, never a person: they stay as title-cased role names.
GENERIC_ROLE_WORDS = frozenset(
    "OFFICIAL OFFICIALS MODERATOR OPERATOR INTERPRETER PARTICIPANT PARTICIPANTS STAFF GUEST AUDIENCE "
    "ANNOUNCER NARRATOR PANELIST REPORTER VOICE VOICES CROWD STAFFER AIDE AIDES OFFICER CLERK WITNESS "
    "INTERVIEWER HOST".split()
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
    EXAMINATION CROSS-EXAMINATION REDIRECT RECROSS DIRECT EXHIBIT RECESS
    """.split()
)

_VERBS = (
    r"said|says|add(?:s|ed)|stress(?:es|ed)|not(?:es|ed)|emphasi[sz](?:es|ed)|highlight(?:s|ed)|"
    r"hop(?:es|ed)|explain(?:s|ed)|told|tells|stated|underlin(?:es|ed)|underscor(?:es|ed)|"
    r"remark(?:s|ed)|observ(?:es|ed)|warn(?:s|ed)|insist(?:s|ed)|argu(?:es|ed)|announc(?:es|ed)|"
    r"declar(?:es|ed)|affirm(?:s|ed)|reaffirm(?:s|ed)|reiterat(?:es|ed)|point(?:s|ed) out|"
    r"acknowledg(?:es|ed)|urg(?:es|ed)|recall(?:s|ed)|comment(?:s|ed)|replied|responded|"
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
    kind: str  # "question" | "person" | "role" | "title" (THE PRESIDENT) | "bare" (a name, no title)
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
    speech: str = "none"  # models.SPEECH_KINDS; turns after a question become "answer" in link_exchanges
    role: str | None = None  # the speaker's office as the label or text gives it


def normalise_alias(text: str) -> str:
    """The key aliases are compared by: upper case, no periods, single spaces."""
    return " ".join(fold_punctuation(text).replace(".", " ").upper().split())


@lru_cache(maxsize=4096)
def parse_label(raw: str) -> Label | None:
    """Read an all-caps label; None when it is a field label (VESSEL NAME) and not a speaker."""
    norm = normalise_alias(raw)
    words = [_LABEL_OFFICES.get(w, w) for w in norm.split()]
    norm = " ".join(words)
    if not words or len(words) > 8 or any(ch.isdigit() for ch in norm):
        return None
    if norm in QUESTION_LABELS:
        return Label(norm, "question")
    if words[0] in DENY_FIRST_WORDS:
        return None
    if any(w in GENERIC_ROLE_WORDS for w in words):
        role = title_case_name(norm).replace(" Of ", " of ").replace(" The ", " the ")
        return Label(norm, "role", role=role.removeprefix("The "))
    honorific = words[0].lower() if words[0].lower() in HONORIFIC_GENDER else None
    rest = words[1:] if honorific or words[0] == "THE" else words
    # Everything up to the last role word is the role: "EXTERNAL AFFAIRS MINISTER JAISHANKAR".
    last_role = max((i for i, w in enumerate(rest) if w.lower() in ROLE_WORDS), default=-1)
    role_words, rest = rest[: last_role + 1], rest[last_role + 1 :]
    role = title_case_name(" ".join(role_words))
    gender = HONORIFIC_GENDER.get(honorific) if honorific else None
    if not rest:
        # "THE PRESIDENT", "PRESIDENT": a role whose holder the article names elsewhere.
        return Label(norm, "title", role=role) if role_words else None
    name = title_case_name(" ".join(rest))
    if honorific or role_words:
        return Label(norm, "person", honorific, role, name, gender)
    if len(rest) >= 2 and full_names_in_run(name) == (name,):
        return Label(norm, "name", None, "", name, None)  # "SEN. ROB PORTMAN", "Jennifer Granholm:"
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


# Labels of other institutions' records, read only in an article where at least two paragraphs
# open with one: "Mr. LEWIS. We will ...", "Chairman INOUYE." alone in its paragraph, "The
# CHAIRMAN.", "Mr. Nebenzia (Russian Federation):", "Jennifer Granholm:", "[00:00:12] Host:".
_TIME_PREFIX = r"(?:\[\d{1,2}:\d{2}(?::\d{2})?\]|\(\d{1,2}:\d{2}(?::\d{2})?\)|\d{1,2}:\d{2}:\d{2})?\s*"
_HONORIFICS = r"Mr|Mrs|Ms|Dr|Miss|Mme|Sir|Dame|Prof"
_OFFICES = (r"Chairman|Chairwoman|Chair|Senator|Sen|Representative|Rep|Congressman|Congresswoman|Judge|Chief Justice|"
            r"Justice|Commissioner|Secretary|Ambassador|General|Admiral|Lieutenant Colonel|Colonel|Major|Captain|Governor|"
            r"Mayor|Speaker|Prime Minister|Minister|Vice President|President|Delegate|Lord|Lady|Baroness|Professor")
_SURNAME = r"[A-Z][A-Za-z'’\-]*[A-Za-z]"
_AFFILIATION = r"(?:\s*\((?P<aff>[^()]{1,60})\))?"
_MIXED_PERSON = re.compile(
    rf"^\s*{_TIME_PREFIX}(?P<label>(?:(?:{_HONORIFICS})\.?|{_OFFICES})\s+{_SURNAME}(?:\s+{_SURNAME}){{0,2}})"
    rf"{_AFFILIATION}\s*(?P<sep>[.:])(?=\s|$)")
_MIXED_ROLE = re.compile(rf"^\s*{_TIME_PREFIX}(?P<label>The\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?){_AFFILIATION}\s*(?P<sep>[.:])(?=\s|$)")
_MIXED_NAME = re.compile(
    rf"^\s*{_TIME_PREFIX}(?P<label>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+{_SURNAME}){{1,2}}){_AFFILIATION}\s*(?P<sep>:)\s")
_MIXED_GENERIC = re.compile(
    rf"^\s*{_TIME_PREFIX}(?P<label>Interviewer|Host|Moderator|Reporter|Audience Member|Questioner|Question|Announcer|"
    rf"Narrator|Guest|Operator){_AFFILIATION}\s*(?P<sep>:)")
_ANSWER_LABEL = re.compile(r"^\s*A\.\s+(?=\S)")
_WITNESS = re.compile(rf"^(?P<name>[A-Z][A-Za-z.'’\- ]{{3,60}}?),\s+(?:having been|was|being)\s+(?:first\s+)?duly sworn")
_LABEL_ALONE = re.compile(r"^\s*\S.{0,80}?[.:]\s*$")


def read_other_label(text: str) -> tuple[str, Label] | None:
    """A label in the forms other institutions' transcripts use (see ``_MIXED_PERSON``)."""
    for pattern in (_MIXED_PERSON, _MIXED_ROLE, _MIXED_GENERIC, _MIXED_NAME):
        match = pattern.match(text)
        if match is None:
            continue
        surface = match.group("label")
        if pattern is _MIXED_ROLE and match.group("sep") == "." and not surface.split()[1].isupper():
            continue  # "The President." in prose; "The CHAIRMAN." is a label
        if pattern is _MIXED_NAME and full_names_in_run(surface) != (" ".join(surface.split()),):
            continue
        label = parse_label(surface)
        if label is not None and label.kind != "bare":
            return surface, label
    return None


def _witness(texts: list[str]) -> str | None:
    """The deponent a deposition's "A." lines belong to: "MARGARET ELLIS, having been first duly sworn"."""
    for text in texts[:20]:
        match = _WITNESS.match(text.strip())
        if match:
            return title_case_name(match.group("name")) if match.group("name").isupper() else match.group("name")
    return None


def transcript_labels(texts: list[str]) -> list[tuple[str, Label] | None]:
    """Each paragraph's label: the State/White House forms, and the other institutions' forms
    when at least two paragraphs of the article open with one of those."""
    labels = [read_label(text) for text in texts]
    other = [None if label else read_other_label(text) for text, label in zip(texts, labels)]
    # A bare name ("Jennifer Granholm:") is a speaker only when it speaks twice: a list of what
    # organisations said ("Lambda Legal: ...") names each once.
    names = Counter(found[1].raw for found in other if found and found[1].kind == "name")
    other = [None if found and found[1].kind == "name" and names[found[1].raw] < 2 else found for found in other]
    # One such label is enough in an article that is a transcript already ("The PRESIDING OFFICER:").
    if sum(1 for found in other if found) >= (1 if any(labels) else 2):
        labels = [label or found for label, found in zip(labels, other)]
    if any(label and label[0] == "Q" for label in labels):  # a deposition: "A." answers the "Q."
        witness = _witness(texts)
        for i, text in enumerate(texts):
            if labels[i] is None and _ANSWER_LABEL.match(text):
                labels[i] = ("A", Label("A", "witness", name=witness or "Witness"))
    return labels


class ArticleContext:
    """What one article says about people: full names by surname key (creator field first, then
    body, then title; read only when a name must be resolved), and the text to search roles in."""

    def __init__(self, title: str, author: str | None, texts: list[str]):
        self.title = title
        self.author = author
        self.texts = texts
        self.recent: list[tuple[str, str | None]] = []  # (speaker, gender), newest last
        self._people: dict[str, str] | None = None
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.title + "\n" + "\n".join(self.texts)
        return self._text

    @property
    def people(self) -> dict[str, str]:
        if self._people is None:
            people: dict[str, str] = {}
            for name in people_in_creator(self.author):
                for key in surname_keys(name):
                    people.setdefault(key, name)
            for source in ("\n".join(self.texts), self.title):  # the text spells names out; titles abridge
                for key, name in people_in_text(source).items():
                    people.setdefault(key, name)
            self._people = people
        return self._people


def article_context(title: str, author: str | None, texts: list[str]) -> ArticleContext:
    return ArticleContext(title, author, texts)


class Resolver:
    """Turns label and prose mentions into canonical names: article first, then the registry.

    ``people`` is the collection registry of surname keys ("price") and role keys
    ("president biden") -> full name; resolving learns role keys into it.
    """

    def __init__(self, people: dict[str, str], overrides: dict[str, str] | None = None):
        self.people = people
        self.overrides = {normalise_alias(k): v for k, v in (overrides or {}).items()}

    def _known(self, ctx: ArticleContext, key: str) -> str | None:
        return ctx.people.get(key) or self.people.get(key)

    def canonical(self, full: str) -> str:
        """The registry's form of a name when it is the same person: "Antony Blinken" -> "Antony J. Blinken"."""
        keys = surname_keys(full)
        known = self.people.get(keys[0]) if keys else None
        if known and known != full and same_given_name(known.split()[0], full.split()[0]):
            return known
        return full

    def person(self, ctx: ArticleContext, name: str, honorific: str | None, role: str) -> str:
        """"MR PRICE" -> "Ned Price"; "PRESIDENT BIDEN" -> the article's "President Joe Biden"."""
        if role:
            full = self.role_person(ctx, role, name)
            if full:
                return full
        key = name.lower()
        last = key.split()[-1]
        full = self._known(ctx, key) or self._known(ctx, last)
        if full:
            return self.canonical(full)
        if len(name.split()) >= 2 and full_names_in_run(name) == (name,):
            return self.canonical(name)  # "SEN. ROB PORTMAN": the label gives the full name
        if honorific in ("mr", "ms", "mrs", "dr", "miss"):
            if honorific != "dr" and re.search(rf"\bDr\.?\s+{re.escape(name)}\b", ctx.text):
                honorific = "dr"  # one person: "Mr. HILL." in a record that calls him Dr. Hill
            return f"{honorific.capitalize()}. {name}"
        return f"{role} {name}".strip()

    def role_person(self, ctx: ArticleContext, role: str, surname: str) -> str | None:
        """A role holder's full name: "President Joseph R. Biden" in the text, or learnt before."""
        role_key = f"{role} {surname}".lower()
        if role_key in self.people:  # the first full name learnt for a role holder stays theirs
            return self.people[role_key]
        match = _explicit_pattern(role, surname).search(ctx.text)
        if match:
            full = self.canonical(" ".join(match.group(1).split()))
            self.people[role_key] = full
            return full
        match = _surname_first_pattern(role, surname).search(ctx.text)
        if match:  # "Foreign Minister Chung Eui-yong": the family name first, not Julie J. Chung
            full = f"{surname} {match.group(1)}"
            self.people[role_key] = full
            return full
        return None

    def label(self, ctx: ArticleContext, label: Label) -> str | None:
        if label.kind == "question":
            return QUESTION
        if label.kind == "role":
            return label.role
        if label.kind == "title":
            return self.title_holder(ctx, label.role) or f"The {label.role}"
        if label.kind == "witness":
            return self.canonical(label.name) if label.name != "Witness" else label.name
        if label.kind == "name":
            return self.canonical(label.name)
        if label.kind == "bare":  # "SECRETAR BLINKEN" (a typo): only a known surname makes it a speaker
            found = self._known(ctx, label.name.split()[-1].lower())
            return self.canonical(found) if found else None
        return self.person(ctx, label.name, label.honorific, label.role)

    def title_holder(self, ctx: ArticleContext, role: str) -> str | None:
        """THE PRESIDENT -> whom the article calls "President Biden" (most often), by full name;
        when the article names no holder, the one the collection met last."""
        holder = self._title_holder(ctx, role)
        if holder and " " in holder and not holder.startswith(role):
            self.people[f"the {role}".lower()] = holder
        return holder or self.people.get(f"the {role}".lower())

    def _title_holder(self, ctx: ArticleContext, role: str) -> str | None:
        pattern = _role_pattern(role)
        match = pattern.search(ctx.title)  # the title names the host ("Remarks by President Biden")
        if match is None:
            runs: dict[str, int] = {}
            for found in pattern.finditer(ctx.text):
                runs[found.group(1)] = runs.get(found.group(1), 0) + 1
            if not runs:
                return None
            run = max(runs, key=runs.__getitem__)
        else:
            run = match.group(1)
        tokens = run.replace("’", "'").split()
        possessive = next((i for i, t in enumerate(tokens) if t.endswith("'s")), None)
        if possessive is not None:
            tokens = tokens[:possessive] + [tokens[possessive][:-2]]
        full = full_names_in_run(" ".join(tokens[:4]))
        if full and full[0].split()[0] == tokens[0]:  # "First Lady Jill Biden"
            return self.canonical(full[0])
        surname = tokens[0].removesuffix("'s")
        return self.role_person(ctx, role, surname) or self._resolved(ctx, surname) or f"{role} {surname}"

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
        if len(tokens) >= 2 and tokens[-2].lower() in ROLE_WORDS:
            start = len(tokens) - 1
            while start > 0 and tokens[start - 1].lower() in ROLE_WORDS:
                start -= 1
            role = " ".join(tokens[start:-1])  # "As President Biden" -> role "President"
            return self.role_person(ctx, role, surname) or self._resolved(ctx, surname) or f"{role} {surname}"
        return self._resolved(ctx, surname)

    def _resolved(self, ctx: ArticleContext, surname: str) -> str | None:
        known = self._known(ctx, surname.lower())
        return self.canonical(known) if known else None


@lru_cache(maxsize=1024)
def _explicit_pattern(role: str, surname: str) -> re.Pattern:
    guard = r"(?<!Vice )(?<!Vice-)" if role.lower() == "president" else ""
    given = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
    return re.compile(rf"{guard}\b{re.escape(role)}\s+({given}(?:\s+[A-Z]\.)*\s+{re.escape(surname)})\b")


@lru_cache(maxsize=1024)
def _surname_first_pattern(role: str, surname: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(role)}\s+{re.escape(surname)}\s+([A-Z][a-z]+-[a-z]+)\b")


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
        if match is not None:
            speaker = _the_role(ctx, resolver, before, match)
            if speaker:
                return speaker, None, None
        elif before.rstrip().endswith('"'):
            match = _NAME_AFTER.match(folded[verb.end() : verb.end() + 90])
        if match:
            speaker = resolver.mention(ctx, match.group("hon"), match.group("name"))
            if speaker:
                return speaker, _alias(match), _gender_of(match.group("hon"))
    return None


def _the_role(ctx, resolver, before, match):
    """"As the President said" -> whom the article calls "President Biden"."""
    words = match.group("name").split()
    if match.group("hon") or not all(w.lower() in ROLE_WORDS for w in words):
        return None
    if not before[: match.start("name")].rstrip().lower().endswith("the"):
        return None
    return resolver.title_holder(ctx, " ".join(words))


def _pronoun_speaker(ctx, pronoun):
    wanted = "f" if pronoun.lower() == "she" else "m"
    for speaker, gender in reversed(ctx.recent):
        if gender in (wanted, None):
            return speaker, None, gender  # a pronoun is not an alias
    return (None, None, None)


_QUOTED_SPAN = re.compile(r'["\u201c]([^"\u201c\u201d]{12,}?)["\u201d]')


def quoted_spans(text: str) -> list[str]:
    """The directly quoted passages of a paragraph, for ``briefsearch quotes``:
    '"We cannot agree to any limitations." -Ms. Tauscher' -> ['We cannot agree to any limitations.']."""
    return [m.group(1).strip() for m in _QUOTED_SPAN.finditer(text) if len(m.group(1).split()) >= 3]


def looks_like_bio(text: str) -> bool:
    """An author's note such as "Mina Fabulous follows the news ... is the pen name of ..."."""
    return bool(_BIO_HINT.search(text))


def attribute_article(ctx: ArticleContext, resolver: Resolver, texts: list[str], gender_of) -> list[Attribution]:
    """Speaker fields for each paragraph text of one article, in order.

    ``gender_of(name)`` gives a known speaker's gender from the registry (or None).
    """
    labels = transcript_labels(texts)
    transcript = any(label is not None for label in labels)
    if not transcript:
        voiced = voiced_article(ctx, resolver, texts)
        if voiced is not None:
            return voiced
    results: list[Attribution] = []
    current: Attribution | None = None
    resolved: dict[str, str | None] = {}  # label -> speaker, once per article
    holders: dict[str, str] = {}  # role -> who holds it, from the labels read so far ("chairman")
    for position, (text, label) in enumerate(zip(texts, labels)):
        if label is not None:
            surface, parsed = label
            if parsed.raw not in resolved:
                if parsed.kind == "title" and parsed.role.lower() in holders:  # "The CHAIRMAN." after "Chairman INOUYE."
                    resolved[parsed.raw] = holders[parsed.role.lower()]
                else:
                    resolved[parsed.raw] = resolver.override(surface, resolver.label(ctx, parsed))
            speaker = resolved[parsed.raw]
            if parsed.kind == "name" and not text[len(surface):].strip(" .:\u00a0"):
                speaker = None  # a heading of a fact sheet ("ADDITIONAL DETAILS:"), not a name that speaks
            if parsed.kind == "person" and parsed.role and speaker:
                holders.setdefault(parsed.role.lower(), speaker)
            question = parsed.kind == "question" or speaker in ASKING_ROLES
            if speaker is None:  # an all-caps lead-in we cannot tie to anyone: not a turn
                current = None
                results.append(Attribution())
                continue
            speech = "question" if question else ("chair" if _GIVES_FLOOR.match(text[len(surface):].lstrip(" .:)")) else "turn")
            current = Attribution(speaker, is_turn=True, is_question=question, alias=None if question else surface,
                                  gender=parsed.gender, speech=speech, role=parsed.role or None)
            results.append(current)
            continue
        if transcript and (_END.match(text) or looks_like_timestamp(text)):
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
            found = Attribution(speaker, is_quote=found.is_quote, alias=found.alias, gender=gender,
                                speech="quote" if found.is_quote else "reported")
            ctx.recent.append((speaker, gender))
        results.append(found)
    return results


# Turns that run a briefing rather than answer: they neither answer a question nor end the answer.
_CHAIR_ROLES = frozenset({"Moderator", "Operator"})
# A labelled turn that only gives the floor ("MR PRICE: Our final question goes to ..."): a chair's
# turn, whoever speaks it (recorded as a "turn").
_GIVES_FLOOR = re.compile(r"^(?:\(?[A-Za-z ]+\)\s*)?(?:(?:Our|The|And (?:our|the)|For (?:our|the))\s+(?:next|final|last)\s+question\b|"
                          r"(?:Next|Final|Last) question\b|Let[’']s (?:go|turn) to\b|We[’']ll go to\b)", re.IGNORECASE)


def link_exchanges(attributions: list[Attribution]) -> list[tuple[int | None, int | None]]:
    """Questions linked to their answers, by paragraph position: for each paragraph
    (position of the question it answers, position of the answer it got), either or both None.

    A turn is a labelled paragraph and its continuations (one ``Attribution`` object). After a
    question turn, the turns of other speakers up to the next question are its answer: each of
    their paragraphs answers the question's first paragraph, and each paragraph of the question
    points to the answer's first paragraph. A moderator's or operator's turn in between answers
    nothing. Turns are relabelled "answer" (``Attribution.speech``) by the caller from this.
    """
    links: list[tuple[int | None, int | None]] = [(None, None)] * len(attributions)
    # In a deposition only the witness ("A.") answers; the examining counsel's remarks do not.
    witnesses = {who.speaker for who in attributions if who.alias == "A"}
    question: list[int] = []  # positions of the open question's paragraphs
    answer_start: int | None = None
    previous = None
    chaired = False  # a chair's turn came after the open question (the floor was given again)
    for position, who in enumerate(attributions):
        same_turn = who is previous
        previous = who
        if not who.is_turn:
            continue
        if who.is_question:
            if not same_turn and (answer_start is not None or not question or chaired):
                question, answer_start = [], None  # a new question (a follow-up after an answer)
            question.append(position)
            chaired = False
            continue
        if who.speaker in _CHAIR_ROLES or who.speech == "chair":
            chaired = chaired or bool(question)
            continue
        if not question or (witnesses and who.speaker not in witnesses):
            continue
        if answer_start is None:
            answer_start = position
            for asked in question:
                links[asked] = (None, answer_start)
        links[position] = (question[0], None)
    return links


def _resolve_run(ctx: ArticleContext, resolver: Resolver, run: str) -> tuple[str | None, str | None]:
    """(canonical name, role) of a name or role phrase from a title: "Press Secretary Jen Psaki"
    -> ("Jen Psaki", "Press Secretary"); "the President" -> whom the article calls President."""
    run = " ".join(run.replace("’", "'").split())
    run = re.sub(r"^(?:U\.S\.|US|the|The)\s+", "", run)
    words = run.split()
    if words and all(w.lower().rstrip(".,") in ROLE_WORDS for w in words):
        return resolver.title_holder(ctx, " ".join(words)), " ".join(words)
    in_text = ctx.people.get(words[-1].lower()) if words else None  # "... Robinson": the text's "Todd D. Robinson"
    full = full_names_in_run(run)
    if full and full[0].split()[0] in words:
        role_words = words[: words.index(full[0].split()[0])]
    else:
        role_words = []
        for word in words:
            if word.lower().rstrip(".,") not in ROLE_WORDS:
                break
            role_words.append(word)
    role = " ".join(w for w in role_words if w.lower().rstrip(".") not in HONORIFIC_GENDER).strip(" ,") or None
    body = "\n".join(ctx.texts)
    if in_text and (not full or in_text.split()[0] == full[0].split()[0] or full[0] not in body):
        # the text's own full name, unless the run names someone else the text names too
        # ("Law Enforcement Robinson" in a title is the text's Todd D. Robinson)
        same = full and in_text.split()[0] == full[0].split()[0]
        return resolver.canonical(in_text), (role if same or not full else None) or _role_before(run, words[-1])
    return resolver.mention(ctx, None, run), role


def _role_before(run: str, surname: str) -> str | None:
    """"Assistant Secretary for International Narcotics Robinson" -> "Assistant Secretary"."""
    role = []
    for word in run.split():
        if word == surname or word.lower().rstrip(".,") not in ROLE_WORDS:
            break
        role.append(word)
    return " ".join(role) or None


_STATE_LEADS = re.compile(r"^(?:The|the)\s+((?:Deputy\s+|Vice\s+|Under\s+|Assistant\s+)?(?:Secretary|President|Ambassador|"
                          r"Prime Minister|Special Envoy|Envoy|Administrator|Counselor|Coordinator|Advisor|Adviser))\b")
_TOGETHER = re.compile(r"\b(?:[Tt]he two (?:leaders|sides|officials|ministers|men|women)|[Bb]oth (?:leaders|sides)|"
                       r"[Tt]he leaders|[Tt]hey (?:discussed|agreed|reaffirmed|affirmed|welcomed|committed|expressed|"
                       r"noted|underscored|emphasized|pledged|reviewed|exchanged|also))\b")


def voiced_article(ctx: ArticleContext, resolver: Resolver, texts: list[str]) -> list[Attribution] | None:
    """Attributions of an unlabelled article that speaks in one voice: a readout's principal on
    the paragraphs that report them (others' reported words go to them), a statement's author on
    every paragraph but the frame. None when the article is neither."""
    from briefsearch.ingest.enrich.voices import is_frame, readout_principal, signature_name, statement_voice

    principal = readout_principal(ctx.title)
    if principal:
        # "Secretary Blinken and Secretary Austin's Call": the first named; but "Assistant Secretary
        # for International Narcotics and Law Enforcement Robinson" is one person.
        first = re.split(r"\s+and\s+", principal)[0]
        speaker, role = _resolve_run(ctx, resolver, first) if first != principal else (None, None)
        if not speaker:
            speaker, role = _resolve_run(ctx, resolver, principal)
        if speaker:
            return _readout(ctx, resolver, texts, speaker, role or None)
    voice = statement_voice(ctx.title, ctx.author, texts)
    if voice is None:
        return None
    speaker, role = _resolve_run(ctx, resolver, voice.who)
    if not speaker:
        return None
    role = voice.role or role
    speech = "statement" if voice.kind == "statement" else "turn"
    signature = signature_name(texts)
    results = []
    for text in texts:
        if is_frame(text, ctx.author, signature) or _STAGE.match(text) or looks_like_timestamp(text):
            results.append(Attribution())
        else:
            results.append(Attribution(speaker, speech=speech, role=role, is_quote=False))
    return results


def _readout(ctx, resolver, texts, speaker: str, role: str | None) -> list[Attribution]:
    from briefsearch.ingest.enrich.voices import is_frame

    keys = {k for k in surname_keys(speaker)}
    surname = speaker.split()[-1]
    results = []
    for text in texts:
        if is_frame(text, ctx.author, None) or _STAGE.match(text) or _TRIP_AHEAD.search(text) or (
                _FUTURE.search(text) and not _DONE.search(text)):
            results.append(Attribution())  # frame lines, and a trip announced ("will travel"): no one speaks
            continue
        lead = _STATE_LEADS.match(text.strip())
        mentions = surname in text or any(k in text.lower().split() for k in keys)
        if mentions or (lead and (role is None or lead.group(1).split()[-1] in role)) or _TOGETHER.search(text) or (
                _PRONOUN_LEAD.match(text)):
            results.append(Attribution(speaker, speech="reported", role=role))
            continue
        found = prose_attribution(ctx, resolver, text)
        if found.speaker:
            results.append(Attribution(found.speaker, speech="reported", alias=found.alias, gender=found.gender))
        else:
            results.append(Attribution())
    return results


_FUTURE = re.compile(r"\bwill\b")
_TRIP_AHEAD = re.compile(r"\bwill (?:travel|visit|lead the|head the|attend)\b")
_PRONOUN_LEAD = re.compile(r"^\s*(?:He|She|They)\s+(?:also\s+)?[a-z]+ed\b")
_DONE = re.compile(r"\b(?:said|spoke|met|discussed|noted|emphasi[sz]ed|underscored|reiterated|reaffirmed|expressed|"
                   r"thanked|welcomed|highlighted|stressed|affirmed|agreed|conveyed|congratulated|condemned|urged|"
                   r"visited|traveled|travelled|called|announced|shared|commended|pledged|raised|outlined)\b")
_TIMESTAMP = re.compile(r"^\s*[(\[]?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s*[Mm]\.?)?\s*(?:[A-Z]{2,4})?\s*\)?\.?\s*$")


def looks_like_timestamp(text: str) -> bool:
    """A time line such as "4:22 P.M. EDT" or "(12:03 p.m.)": no one says it."""
    return bool(_TIMESTAMP.match(text))


_ROLE_NAME = re.compile(r"^(?:The |Senior |Moderator|Operator|Interpreter|Participant|Audience|Staff|Host|Interviewer|"
                        r"Presiding|Announcer|Narrator|Reporter|Questioner|Witness|Crowd|Voice|Aide|Military Aide)|\bOfficials?\b|"
                        r"\bAides?$")


def speaker_kind(name: str) -> str:
    """"person", "role" (a role that names no one: "Moderator", "Senior Administration Official",
    "The Vice President" left unresolved) or "question" (the floor)."""
    if name == QUESTION:
        return "question"
    return "role" if _ROLE_NAME.search(name) else "person"
