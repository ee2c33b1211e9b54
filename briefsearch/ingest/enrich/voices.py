"""Whose voice an article without transcript labels speaks in: a written statement speaks in its
author's (named by the title, the creator field or the signature), a readout reports its principal
("Secretary Blinken's Call with ..."), and prepared remarks are their speaker's one long turn.

Plain rules over the title, the creator and the first and last paragraphs; the speakers module
turns what is found here into per-paragraph attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefsearch.ingest.enrich.names import NAME_RUN, ROLE_WORDS, full_names_in_run, people_in_creator

_APOS = "['’]"
_EVENT = r"(?:Phone\s+|Video\s+|Virtual\s+|Bilateral\s+|Trilateral\s+)?(?:Call|Meeting|Trip|Travel|Visit|Conversation|Discussion|Engagement|Dinner|Lunch|Roundtable|Participation)s?"
# "Readout of President Biden’s Meeting with ...", "Readout of President Joseph R. Biden, Jr. Call with ...",
# "Secretary Blinken’s Call with ...", "Statement by ... on National Security Advisor Jake Sullivan’s Meeting with ...".
_READOUT = re.compile(
    rf"^(?:Readout\s+(?:of|from)\s+(?:[^’']+?\s+on\s+)?)?(?:the\s+)?(?P<who>[A-Z][\w.,\-’' ]+?)(?:{_APOS}s?)?\s+{_EVENT}\b",
)
_READOUT_ON = re.compile(rf"\b(?:on|of)\s+(?:the\s+)?(?P<who>[A-Z][\w.,\-’' ]+?){_APOS}s?\s+{_EVENT}\b")
_STATEMENT = re.compile(
    r"^(?P<kind>Statement|Statements|Message|Letter|Op-Ed|Remarks|Prepared\s+Remarks|Remarks\s+as\s+Prepared(?:\s+for\s+Delivery)?)"
    r"\s+(?:by|from|of)\s+(?P<who>.+?)(?=\s+(?:on|at|to|regarding|in|for|before|upon|after|about|marking|"
    r"celebrating|following|during|with|and\s+the)\b|\s*[:–—-]\s|$)",
    re.IGNORECASE,
)
_JOINT = re.compile(r"^Joint\b|\bJoint Statement\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"^[A-Z][A-Za-z.\-’' ]{3,60}$")
_OFFICE = re.compile(r"\b(?:Office|Department|Bureau|White House|Embassy|Mission|Council|Press Secretary)\b")


@dataclass(frozen=True)
class Voice:
    """An article's voice: ``kind`` "statement", "remarks" or "readout", and who (a name or a role
    phrase as the text writes it, to be resolved), with their role when the text gives one."""

    kind: str
    who: str
    role: str | None = None


def readout_principal(title: str) -> str | None:
    """The person a readout reports, as its title names them; None for other titles."""
    title = " ".join(title.split())
    match = _READOUT_ON.search(title) if re.match(r"^(?:Statement|Readout)s?\s+(?:by|from)\b", title, re.I) else None
    if match is None:
        if not (title.lower().startswith("readout") or re.search(rf"{_APOS}s\s+{_EVENT}\s+(?:with|to|in)\b", title)):
            return None
        match = _READOUT.search(title)
    if match is None:
        return None
    who = re.sub(r",?\s+Jr\.?$", "", match.group("who").strip(" ,"))
    if not _names_someone(who):
        return None
    return who


def _names_someone(run: str) -> bool:
    """A principal is named with their office: "President Biden", "Deputy Secretary Sherman"."""
    words = run.replace("’", "'").split()
    if not words or words[0].lower() in ("white", "meeting", "readout", "the", "a", "an"):
        return False
    return any(w.lower().rstrip(".,") in _OFFICE_WORDS for w in words)


_OFFICE_WORDS = ROLE_WORDS - {"the", "press", "host", "guest", "staff", "official", "officials", "high", "senior", "first",
                              "special", "acting", "principal", "chief", "under", "assistant", "deputy", "vice"}


def statement_voice(title: str, author: str | None, texts: list[str]) -> Voice | None:
    """The author of a written statement (or the speaker of prepared remarks): from the title
    ("Statement by Press Secretary Jen Psaki on ..."), else from a creator field that names one
    person ("Antony J. Blinken, Secretary of State"), else from a signature closing the text."""
    title = " ".join(title.split())
    if _JOINT.search(title):
        return None
    match = _STATEMENT.match(title)
    if match:
        who = match.group("who").strip(" ,")
        if _OFFICE.search(who) and not full_names_in_run(who) and not re.search(r"\b(?:President|Secretary)\b", who):
            return None  # "Statement by the White House Press Office"
        kind = "statement" if match.group("kind").lower() in ("statement", "statements", "message", "letter", "op-ed") else "remarks"
        who = _name_part(who)
        return Voice(kind, re.sub(r",?\s+Jr\.?$", "", who)) if who else None
    people = people_in_creator(author)
    if len(people) == 1 and author:
        role = author.split(",", 1)[1].strip() if "," in author else None
        return Voice("statement", people[0], " ".join(role.split()) if role else None)
    signature = signature_name(texts)
    if signature:
        return Voice("statement", signature)
    return None


_NOT_IN_NAME = frozenset("one two three four five six seven eight nine ten year years day days month months week weeks "
                         "after before since ahead following".split())


def _name_part(who: str) -> str:
    """The author in a title's "by ..." phrase: the first of joint authors, up to where the
    subject begins ("President Joe Biden Extending the Pause" -> "President Joe Biden")."""
    from briefsearch.ingest.enrich.names import NOT_NAME_WORDS

    words = []
    for word in re.split(r"\s+and\s+", who)[0].split():
        bare = word.lower().rstrip(".,")
        if words and (bare.endswith("ing") or bare in _NOT_IN_NAME or (bare in NOT_NAME_WORDS and bare not in ROLE_WORDS)):
            break
        words.append(word)
    return " ".join(words).strip(" ,")


def signature_name(texts: list[str]) -> str | None:
    """A name signing the text in one of its last paragraphs ("JOSEPH R. BIDEN JR.")."""
    for text in reversed(texts[-3:]):
        line = text.strip().rstrip(".").replace("Sincerely,", "").strip()
        if line in ("###", "# # #", "") or line.lower().startswith("end text"):
            continue
        if _SIGNATURE.match(line) and line.isupper():
            line = re.sub(r"\s+JR$", "", line)
            return " ".join(w.capitalize() if len(w) > 2 else w for w in line.split())
        return None
    return None


# Paragraphs of a statement that are its frame, not its words: creator and office lines, datelines,
# end marks, contacts, a signature, salutations.
_FRAME = re.compile(
    r"^(?:#\s*#\s*#|###|End [Tt]ext\.?|Office of the Spokesperson|Press Statement|Media Note|Sincerely,?|"
    r"The below is attributable to\b.*|For (?:media|press) inquiries\b.*|For more information\b.*|"
    r"Dear [^.]{1,60}:.*|\(?Dear Madam [^)]*\)?|Related (?:content|Articles?)|Tags?:.*|"
    r"(?:THE WHITE HOUSE|WASHINGTON)[,.].{0,40})$",
)
_DATELINE = re.compile(r"^(?:[A-Z][\w.\- ]+,\s*)?(?:January|February|March|April|May|June|July|August|September|October|"
                       r"November|December)\s+\d{1,2},\s+\d{4}\.?$")


def is_frame(text: str, author: str | None, signature: str | None) -> bool:
    """Whether a statement's paragraph is its frame (not the author speaking)."""
    line = " ".join(text.split())
    if not line:
        return True
    if _FRAME.match(line) or _DATELINE.match(line):
        return True
    if author and line == " ".join(author.split()):
        return True
    if author and len(line) < 160 and line.count(",") >= 1 and people_in_creator(line) and line.split(",")[0] in author:
        return True  # "Antony J. Blinken, Secretary of State"
    return bool(signature) and line.rstrip(".").replace("Sincerely,", "").strip().upper().startswith(signature.upper()[:12])


def first_name_run(text: str) -> str | None:
    match = NAME_RUN.search(text)
    return match.group(0) if match else None
