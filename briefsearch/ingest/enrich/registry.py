"""Settling the speaker registry once the whole collection has been read: one name per person.

A label that gives only a surname ("MR ZIENTS:", "DR FAUCI:") in a briefing that never spells the
name out is recorded as "Mr. Zients" when it is met before any full name with that surname; and
one person can be learnt under two spellings ("Antony Blinken", "Antony J. Blinken"). At the end
of an indexing run the registry knows the collection, and ``settle_names`` says which names
become which: the indexing run rewrites the paragraphs concerned, the registry merges the entries.

The rules, each needing evidence from the collection:

- spellings of one full name (same surname, same or short given name, no clashing middle
  initials) become the most used one;
- an honorific or office with a surname becomes the full name that the same label (or the same
  office and surname) was resolved to elsewhere in the collection ("MR ZIENTS" -> Jeff Zients);
- failing that, an honorific with a surname ("Mr. White") becomes the one speaker with that
  surname and a full name in the collection, if there is exactly one whose gender does not clash
  (a full name only mentioned is not enough: "Ms. Morgan" of the soccer team is not Bob Morgan) ("Mr. Friedlander"
  stays apart from Margot Friedlander). An office with a surname and no such evidence stays as it
  is: "Chairman Chung" of Hyundai is not Julie J. Chung, "Prime Minister Martin" not Michel Martin.
"""

from __future__ import annotations

from briefsearch.ingest.enrich.names import HONORIFIC_GENDER, ROLE_WORDS, PARTICLES, is_initial, same_given_name

_HONORIFIC_FORMS = {f"{h.capitalize()}.": h for h in ("mr", "ms", "mrs", "dr", "miss")} | {"Miss": "miss"}


def _key(text: str) -> str:
    """Aliases compared as labels are: upper case, no periods, single spaces."""
    return " ".join(text.replace("’", "'").replace(".", " ").upper().split())


def _split(name: str) -> tuple[list[str], list[str]]:
    """(leading honorific/office words, the rest): "Prime Minister Holness" -> (["Prime", "Minister"], ["Holness"])."""
    words = name.split()
    lead = 0
    while lead < len(words) - 1 and words[lead].lower().rstrip(".") in ROLE_WORDS:
        lead += 1
    return words[:lead], words[lead:]


def _surname(words: list[str]) -> str:
    if len(words) >= 2 and words[-2].lower() in PARTICLES:
        return f"{words[-2]} {words[-1]}".lower()
    return words[-1].lower()


def _full(name: str) -> bool:
    """A given name and a surname, no office or honorific in front: "Jeff Zients", "Antony J. Blinken"."""
    lead, rest = _split(name)
    return not lead and len(rest) >= 2 and not is_initial(rest[0]) and rest[0].lower() not in PARTICLES


def _initials(words: list[str]) -> set[str]:
    return {w for w in words[1:-1] if is_initial(w)}


def _same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if _surname(wa) != _surname(wb) or not same_given_name(wa[0], wb[0]):
        return False
    ia, ib = _initials(wa), _initials(wb)
    return not ia or not ib or ia == ib


def settle_names(speakers: dict, people: dict) -> dict[str, str]:
    """Registry names that are another name's short form or spelling -> that name.

    ``speakers`` and ``people`` are ``EnrichmentState``'s: canonical name -> {"aliases",
    "paragraphs", "gender"}, and surname or office key -> full name.
    """
    counts = {name: entry.get("paragraphs", 0) for name, entry in speakers.items()}
    full_names = {name for name in speakers if _full(name)} | {name for name in people.values() if _full(name)}
    by_surname: dict[str, list[str]] = {}
    for name in sorted(full_names, key=lambda n: (-counts.get(n, 0), -len(n), n)):
        by_surname.setdefault(_surname(name.split()), []).append(name)
    renames: dict[str, str] = {}
    persons: dict[str, list[str]] = {}  # surname -> the canonical spelling of each person
    for surname, names in by_surname.items():
        for name in names:  # most used first: it is the canonical spelling
            canonical = next((p for p in persons.get(surname, ()) if _same_person(p, name)), None)
            if canonical is None:
                persons.setdefault(surname, []).append(name)
            elif name in speakers:
                renames[name] = canonical
    settled = lambda name: renames.get(name, name)  # noqa: E731
    resolved_as: dict[str, set[str]] = {}  # alias key -> the full names it was resolved to
    for name, entry in speakers.items():
        if _full(name):
            given = {_key(w) for w in name.split()[:-1]}  # "Speaker Nancy Pelosi" also says "Speaker Pelosi"
            for alias in entry.get("aliases", {}):
                resolved_as.setdefault(_key(alias), set()).add(settled(name))
                short = " ".join(w for w in _key(alias).split() if w not in given)
                if short != _key(alias):
                    resolved_as.setdefault(short, set()).add(settled(name))
    for name in speakers:
        if name in renames or _full(name):
            continue
        lead, rest = _split(name)
        if not lead or not rest:
            continue
        target = _evidenced(name, lead, rest, resolved_as, people, settled)
        if target is None and len(lead) == 1 and lead[0] in _HONORIFIC_FORMS:
            speaking = [p for p in persons.get(_surname(rest), ()) if p in speakers]
            target = _only_one(speaking, HONORIFIC_GENDER[_HONORIFIC_FORMS[lead[0]]], speakers)
        if target and target != name:
            renames[name] = target
    return renames


def _evidenced(name, lead, rest, resolved_as, people, settled) -> str | None:
    """The full name this label was resolved to elsewhere: the same label, or the office learnt."""
    found = {settled(n) for n in resolved_as.get(_key(name), ())}
    office = " ".join(w for w in lead if w not in _HONORIFIC_FORMS)
    if office:
        learnt = people.get(f"{office} {' '.join(rest)}".lower())
        if learnt and _full(learnt):
            found.add(settled(learnt))
    return found.pop() if len(found) == 1 else None


def _only_one(candidates, gender: str | None, speakers: dict) -> str | None:
    fitting = [c for c in candidates if not gender or (speakers.get(c) or {}).get("gender") in (None, gender)]
    return fitting[0] if len(fitting) == 1 else None


def merge_speakers(speakers: dict, renames: dict[str, str]) -> None:
    """Fold each renamed entry (aliases, paragraphs, gender) into the entry of its new name."""
    for old, new in renames.items():
        entry = speakers.pop(old, None)
        if entry is None:
            continue
        target = speakers.setdefault(new, {"aliases": {}, "paragraphs": 0, "gender": None})
        target["paragraphs"] += entry.get("paragraphs", 0)
        for alias, n in entry.get("aliases", {}).items():
            if alias != new:
                target["aliases"][alias] = target["aliases"].get(alias, 0) + n
        if old not in target["aliases"]:
            target["aliases"][old] = entry.get("paragraphs", 0)
        if not target.get("gender"):
            target["gender"] = entry.get("gender")
