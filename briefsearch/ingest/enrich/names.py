"""Person names in briefing text: full-name mentions, role words kept apart, surname look-up.

Speaker attribution uses this to turn "MR PRICE", "Ms. Tauscher" or "Special Envoy ... Ellen
Tauscher" into one canonical full name from what the article itself says (creator, title, text).
"""

from __future__ import annotations

import re
from functools import lru_cache

HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "sir": "m",
                    "dr": None, "prof": None, "professor": None}

# Words that are titles, roles or parts of office names: never a given name.
ROLE_WORDS = frozenset(
    """
    secretary ambassador minister president vice prime chancellor senator representative
    congressman congresswoman governor mayor general admiral colonel captain commander major
    lieutenant sergeant king queen prince princess crown emir sheikh sultan envoy coordinator
    administrator director commissioner spokesperson spokesman spokeswoman speaker leader deputy
    under assistant acting principal senior high foreign chief chair chairman chairwoman surgeon
    attorney justice judge counselor counsellor adviser advisor special first lady gentleman
    pope cardinal bishop reverend rabbi imam premier excellency majesty highness honorable
    chargé charge consul mr ms mrs dr miss madam sir prof professor the official officials
    moderator operator interpreter participant staff guest host panelist press
    """.split()
)

# Capitalised words that open office, place and organisation names rather than a person's.
NOT_NAME_WORDS = ROLE_WORDS | frozenset(
    """
    department state states united nations national security defense defence affairs policy
    stability strategic missile office bureau ministry house white council agency embassy
    government republic kingdom federation union european global international public affairs
    new north south east west northern southern eastern western central middle great
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tonight
    and or of for on in at by with to from a an this that these those we i it he she they our
    but so as if when while after before however also thank thanks good hello okay yes no
    american americans russian russians chinese question answer remarks statement briefing
    readout joint media note fact sheet release press conference call
    industry trade economy finance commerce health energy interior education agriculture
    environment transport labor labour culture development cooperation external internal
    india china russia ukraine japan germany france italy spain israel iran iraq egypt mexico canada
    brazil turkey qatar kuwait jordan saudi korea pakistan afghanistan poland greece norway sweden
    finland denmark estonia latvia lithuania moldova georgia armenia azerbaijan kenya nigeria
    indonesia philippines thailand vietnam australia britain kingdom european africa asia europe
    administration administrations foundation services service transportation agency fund program
    programme initiative act law institute association center centre university college school
    commission committee corporation company bank organization organisation group network coalition
    forces army navy court congress senate parliament assembly police tribal tribes county city
    harris-biden biden-harris partnership alliance summit plan strategy report center
    during announcing celebrating highlighting providing laying honoring honouring commemorating
    marking delivering discussing signing meeting hosting welcoming visiting touring launching
    unveiling urging calling addressing recognizing upon via ahead following regarding amid
    doctors doctor was were is are has have had will would blame
    announces calls encouraging hosts signs delivers highlights visits meets travels launches urges
    discusses celebrates honors honours welcomes joins tours speaks participates hosting
    people peoples rights human crises crisis against budget request veterans benefits measuring
    instruments details underway commitments challenge preparedness infrastructure framework
    campaign dialogue financial quality communication communications research parliamentary
    bipartisan additional wildfire shipping consumer environmental federal privacy schools
    presidents ministers secretaries leaders officials governments both all every each
    """.split()
)

PARTICLES = frozenset("de di da du le la del der den van von bin al el ibn dos das".split())

# A capitalised name word ("Tauscher", "McKeon", "Jean-Pierre", "O'Brien") or an initial ("J.").
_WORD = r"(?:[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*[a-zà-öø-ÿ]|[A-Z]\.)"
_PARTICLE = r"(?:de|di|da|du|le|la|del|der|den|van|von|bin|al|el|ibn|De|Di|Da|Du|Le|La|Del|Van|Von|Bin|Al|El)"
NAME_RUN = re.compile(rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD})*")


def is_initial(token: str) -> bool:
    return len(token) == 2 and token[1] == "." and token[0].isupper()


def title_case_name(words: str) -> str:
    """'JEAN-PIERRE' -> 'Jean-Pierre', 'BIN ZAYED' -> 'bin Zayed', 'DI MAIO' -> 'Di Maio'."""
    parts = []
    for word in words.split():
        lower = word.lower()
        if lower in ("bin", "ibn", "van", "von", "der", "den"):
            parts.append(lower)
            continue
        parts.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(parts)


@lru_cache(maxsize=8192)
def full_names_in_run(run: str) -> tuple[str, ...]:
    """Full names (given name + initials/particles + surname) found in one capitalised run.

    "Missile Defense Ellen Tauscher" -> ("Ellen Tauscher",); "Antony J. Blinken" -> itself;
    "Secretary Blinken" -> () because a role word is not a given name.
    """
    tokens = run.replace("\u2019", "'").split()
    for cut, token in enumerate(tokens):
        if token.endswith("'s"):  # "Biden's Bipartisan Infrastructure Law": the name ends here
            tokens = tokens[:cut] + [token[:-2]]
            break
    names = []
    i = 0
    while i < len(tokens):
        first = tokens[i]
        if is_initial(first) or first.lower().rstrip(".") in NOT_NAME_WORDS or first.lower() in PARTICLES:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (is_initial(tokens[j]) or tokens[j].lower() in PARTICLES):
            j += 1
        if j < len(tokens) and tokens[j].lower() not in NOT_NAME_WORDS and not is_initial(tokens[j]):
            surname = tokens[j].rstrip("'s") if tokens[j].endswith("'s") else tokens[j]
            # "Ellen Tauscher" is a name, but so would be "Missile Defense": keep the pair whose
            # surname closes the run or is followed by a non-name word.
            names.append(" ".join(tokens[i:j] + [surname]))
            i = j + 1
        else:
            i = j
    # In "Missile Defense Ellen Tauscher" the pairs are ("Missile Defense", "Ellen Tauscher"):
    # a run names one person, so only the last full name of a run counts; and that name ends the
    # run when it can ("Cyber Anne Neuberger" is Anne Neuberger, not "Cyber Anne").
    if names and not names[-1].endswith(tokens[-1]) and len(tokens) >= 3:
        given = len(tokens) - 2
        while given > 0 and (is_initial(tokens[given]) or tokens[given].lower() in PARTICLES):
            given -= 1
        last, first = tokens[-1], tokens[given]
        if (last.lower() not in NOT_NAME_WORDS and not is_initial(last) and first.lower() not in NOT_NAME_WORDS
                and not is_initial(first) and first.lower() not in PARTICLES and given > 0):
            return (" ".join(tokens[given:]),)
    return tuple(names[-1:])


@lru_cache(maxsize=8192)
def surname_keys(full_name: str) -> tuple[str, ...]:
    """Lower-cased keys a full name is found by: its surname, and particle + surname."""
    tokens = [t for t in full_name.split() if not is_initial(t)]
    if not tokens:
        return ()
    keys = [tokens[-1].lower()]
    if len(tokens) >= 3 and tokens[-2].lower() in PARTICLES:
        keys.append(f"{tokens[-2]} {tokens[-1]}".lower())
    return tuple(keys)


def people_in_text(text: str) -> dict[str, str]:
    """Map surname key -> full name for the full-name mentions in ``text``: the most frequent
    full name per surname wins ("Joe Biden" over a headline's "Blame Biden"), then the first."""
    counts: dict[str, dict[str, int]] = {}
    for match in NAME_RUN.finditer(text):
        run = match.group(0)
        if len(run.split(None, 1)) < 2:  # one word ("The", "Ukraine") is never a full name
            continue
        for name in full_names_in_run(run):
            for key in surname_keys(name):
                names = counts.setdefault(key, {})
                names[name] = names.get(name, 0) + 1
    return {key: max(names, key=names.__getitem__) for key, names in counts.items()}


_CREATOR_SPLIT = re.compile(r",\s*|\s+and\s+")


def people_in_creator(creator: str | None) -> list[str]:
    """Full names in a byline such as "Antony J. Blinken, Secretary of State, Mute Egede, ..."."""
    if not creator:
        return []
    names = []
    for segment in _CREATOR_SPLIT.split(creator.replace("\u00a0", " ")):
        for match in NAME_RUN.finditer(segment.strip()):
            names.extend(full_names_in_run(match.group(0)))
    return names


# Short forms of given names, so "Joe Biden" and "Joseph R. Biden" are one person.
_NICKNAMES = {
    "joe": "joseph", "tony": "anthony", "bill": "william", "bob": "robert", "rob": "robert",
    "mike": "michael", "jim": "james", "tom": "thomas", "dick": "richard", "jen": "jennifer",
    "andy": "andrew", "liz": "elizabeth", "kate": "katherine", "chris": "christopher",
    "dan": "daniel", "dave": "david", "steve": "steven", "tim": "timothy", "nick": "nicholas",
    "ned": "edward", "ted": "edward", "sam": "samuel", "ben": "benjamin", "matt": "matthew",
    "pat": "patrick", "jeff": "jeffrey", "greg": "gregory", "ken": "kenneth", "larry": "lawrence",
    "jake": "jacob", "gina": "regina", "alex": "alexander", "tony.": "anthony", "antony": "anthony",
}


def same_given_name(a: str, b: str) -> bool:
    """Whether two given names are the same person's: equal, or one the short form of the other."""
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    return a == b or _NICKNAMES.get(a, a) == _NICKNAMES.get(b, b)


# A full name the text introduces with an office or honorific: "Dr. Anthony Fauci", "Press
# Secretary Jen Psaki", "COVID-19 Response Coordinator Jeff Zients".
_INTRODUCED = re.compile(
    r"\b(?:Dr\.|Mr\.|Ms\.|Mrs\.|Coordinator|Director|Advisor|Adviser|Secretary|Administrator|Spokesperson|"
    r"Senator|Representative|Governor|Mayor|Ambassador|Envoy|Counselor|Commissioner|Surgeon General|Chief of Staff)"
    r"\s+([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+(?:(?:de|van|von|al)\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z][a-z])"
)


# One search for any of _INTRODUCED's offices and honorifics before the costlier pattern runs.
_INTRODUCED_CUE = re.compile(r"Dr\.|Mr\.|Ms\.|Coordinator|Director|Advis|Secretary|Administrator|Spokesperson|Senator|"
                            r"Representative|Governor|Mayor|Ambassador|Envoy|Counselor|Commissioner|Surgeon|Chief")


def mentioned_people(title: str, texts: list[str]) -> list[str]:
    """Full names introduced with an office or honorific in an article (``_INTRODUCED``)."""
    found = []
    for text in (title, *texts):
        if not _INTRODUCED_CUE.search(text):
            continue
        for match in _INTRODUCED.finditer(text):
            name = match.group(1)
            if full_names_in_run(name) == (name,):
                found.append(name)
    return found
