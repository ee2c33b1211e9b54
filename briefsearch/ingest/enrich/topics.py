"""Topics of a paragraph: the editor's section label where there is one, then themes, countries
and regions from the curated taxonomy (taxonomy.json) matched on normalised words; "not_topics"
there are names that hold a topic's words without being about it ("National Security Council").

Matching is one pass over the paragraph's words with a phrase dictionary (word n-grams), so it
costs a few microseconds per paragraph. Spoken turns carry the topics of the question their
exchange answers; written prose carries those of its thread, the run of paragraphs about one place.
Labels are human-readable ("Missile defense", "Iran").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
import operator
from itertools import accumulate, compress
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.json")
MAX_TOPICS = 5
_SHORT_PARAGRAPH_WORDS = 40
_TOKEN = re.compile(r"[^\W_]+")
_COMPACT = re.compile(r"[^A-Z]")


@dataclass(frozen=True, eq=False)  # hashed by identity: cached per loaded taxonomy
class Taxonomy:
    """The compiled taxonomy: phrase key ("missile defense") -> labels, and section labels."""

    version: str
    phrases: dict  # "joint threat assessment" -> ("Missile defense",)
    first_words: dict  # first word -> longest phrase length starting with it
    capitalised_only: frozenset  # phrase keys that only count when written with a capital
    upper_only: frozenset  # phrase keys that only count in capitals (WHO, UK)
    compact: dict  # "NORTHKOREA" -> ("North Korea",)
    ignored_sections: frozenset
    drop_suffixes: tuple
    labels: frozenset
    themes: frozenset  # subject labels: not countries, regions, organisations or conflicts


def _country_names(data: dict) -> dict[str, list[str]]:
    """Country label -> match phrases, from pycountry plus the curated aliases, demonyms, capitals."""
    import pycountry  # imported here: only indexing needs it, query start-up must stay fast

    renamed = data.get("country_names", {})
    excluded = set(data.get("excluded_countries", []))
    aliases = data.get("country_aliases", {})
    countries: dict[str, list[str]] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        if code in excluded:
            continue
        label = renamed.get(code) or getattr(country, "common_name", None) or country.name
        names = {label, country.name, getattr(country, "official_name", country.name)}
        names |= {n for n in (getattr(country, "common_name", None),) if n}
        phrases = [n for n in names if "," not in n] + list(aliases.get(code, []))
        countries[label] = phrases
    for code, extra in aliases.items():  # codes pycountry lacks (Kosovo "XK")
        if code not in {c.alpha_2 for c in pycountry.countries}:
            countries.setdefault(extra[0].title(), []).extend(extra)
    countries.setdefault("Hong Kong", []).append("hong kong")
    return countries


def phrase_key(phrase: str) -> str:
    """Lower-cased words; a leading "the" is dropped ("The Gambia" matches "Gambia") so that the
    commonest word never has to be looked at."""
    words = _TOKEN.findall(phrase.lower())
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def compile_taxonomy(data: dict) -> Taxonomy:
    """Build the matching tables from taxonomy JSON (the shipped file, maybe merged with the user's)."""
    by_label: dict[str, list[str]] = dict(data.get("themes", {}))
    for label, phrases in _country_names(data).items():
        by_label.setdefault(label, []).extend(phrases)
    phrases: dict[str, tuple[str, ...]] = {}
    for label, label_phrases in by_label.items():
        for phrase in list(label_phrases) + [label]:
            key = phrase_key(phrase)
            if key and label not in phrases.get(key, ()):
                phrases[key] = phrases.get(key, ()) + (label,)
    for phrase in data.get("not_topics", []):  # "National Security Council" is not the UN's
        phrases.setdefault(phrase_key(phrase), ())
    first_words: dict[str, int] = {}
    for key in phrases:
        words = key.split()
        first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
    sections = data.get("sections", {})
    compact = {k.upper(): tuple(v) for k, v in sections.get("compact", {}).items()}
    for label in by_label:
        compact.setdefault(_COMPACT.sub("", label.upper()), (label,))
        compact.setdefault(_COMPACT.sub("", phrase_key(label).upper()), (label,))  # "BAHAMAS": The Bahamas
    return Taxonomy(
        version=str(data.get("version", "0")),
        phrases=phrases,
        first_words=first_words,
        capitalised_only=frozenset(phrase_key(p) for p in data.get("capitalised_only", [])),
        upper_only=frozenset(phrase_key(p) for p in data.get("upper_only", [])),
        compact=compact,
        ignored_sections=frozenset(s.upper() for s in sections.get("ignore", [])),
        drop_suffixes=tuple(s.upper() for s in sections.get("drop_suffixes", [])),
        labels=frozenset(by_label),
        themes=frozenset(data.get("themes", {})) - set(data.get("places", [])),
    )


def merge_taxonomy(base: dict, override: dict) -> dict:
    """The user's file adds or replaces theme phrase lists and section labels; "remove" drops labels."""
    merged = json.loads(json.dumps(base))
    for label, phrases in override.get("themes", {}).items():
        merged.setdefault("themes", {})[label] = list(phrases)
    for code, phrases in override.get("country_aliases", {}).items():
        merged.setdefault("country_aliases", {}).setdefault(code, []).extend(phrases)
    for key in ("country_names",):
        merged.setdefault(key, {}).update(override.get(key, {}))
    for key in ("capitalised_only", "upper_only", "excluded_countries", "places", "not_topics"):
        merged[key] = list(merged.get(key, [])) + list(override.get(key, []))
    sections = override.get("sections", {})
    merged.setdefault("sections", {}).setdefault("compact", {}).update(sections.get("compact", {}))
    merged["sections"]["ignore"] = list(merged["sections"].get("ignore", [])) + list(sections.get("ignore", []))
    for label in override.get("remove", []):
        merged.get("themes", {}).pop(label, None)
        merged.setdefault("remove", []).append(label)
    if "version" in override:
        merged["version"] = f"{base.get('version', '0')}+{override['version']}"
    return merged


@lru_cache(maxsize=8)
def load_taxonomy(path: str | None = None, override_path: str | None = None) -> Taxonomy:
    """The shipped taxonomy (or ``path``), merged with the user's override file when given."""
    data = json.loads(Path(path or DEFAULT_TAXONOMY).read_text(encoding="utf-8"))
    if override_path:
        data = merge_taxonomy(data, json.loads(Path(override_path).read_text(encoding="utf-8")))
    taxonomy = compile_taxonomy(data)
    removed = set(data.get("remove", []))
    if removed:
        phrases = {k: tuple(l for l in v if l not in removed) for k, v in taxonomy.phrases.items()}
        kept = {k: v for k, v in phrases.items() if v or not taxonomy.phrases[k]}  # stop phrases stay
        taxonomy = Taxonomy(**{**taxonomy.__dict__, "phrases": kept})
    return taxonomy


def text_topics(taxonomy: Taxonomy, text: str) -> Counter:
    """Label -> number of matches in ``text``; insertion order is first appearance."""
    counts: Counter = Counter()
    lowered = text.lower()
    words = _TOKEN.findall(lowered)
    first_words, phrases = taxonomy.first_words, taxonomy.phrases
    # Only positions whose word can open a phrase are looked at (a few per paragraph).
    starts = list(compress(range(len(words)), map(first_words.__contains__, words)))
    if not starts:
        return counts
    originals = None
    n = len(words)
    skip_to = 0
    for i in starts:
        if i < skip_to:
            continue
        longest = min(first_words[words[i]], n - i)
        for size in range(longest, 0, -1):
            key = " ".join(words[i : i + size]) if size > 1 else words[i]
            labels = phrases.get(key)
            if labels is None:
                continue
            if key in taxonomy.upper_only or key in taxonomy.capitalised_only:
                if originals is None:
                    originals = _TOKEN.findall(text) if len(lowered) == len(text) else words
                if not _case_ok(taxonomy, key, originals[i]):
                    continue
            if size == 1 and key in _PERSON_OR_PLACE:
                if originals is None:
                    originals = _TOKEN.findall(text) if len(lowered) == len(text) else words
                if not _means_the_place(key, originals, i, text):
                    skip_to = i + 1
                    break
            for label in labels:
                counts[label] += 1
            skip_to = i + size
            break
    return counts


# Place names that are also people's names or parts of other places' names: "Lisa Monaco", "Jim
# Jordan", "New Jersey", "Clarkston, Georgia".
_PERSON_OR_PLACE = frozenset("monaco jordan chad jersey georgia israel lebanon kenya india chile cuba peru mexico".split())
_GIVEN_NAME = re.compile(r"^[A-Z][a-z]{2,}$")
_US_GEORGIA = re.compile(r"\b(?:[A-Z][a-z]+,\s+Georgia\b|Georgia[’']?s?\s+(?:voters|Senators?|Governor|legislature|law|election|"
                         r"runoff|Republicans|Democrats)|(?:state|State|Governor|Senators?|voters|Atlanta|Savannah|Augusta),?\s+"
                         r"(?:of\s+)?Georgia\b|Georgia\s+(?:State|voters|Senate|House|Republican|Democrat))")


def _means_the_place(key: str, originals: list[str], i: int, text: str) -> bool:
    """Whether a place word that is also a name means the place here: not after a given name
    ("Lisa Monaco") or "New" ("New Jersey"), not the US state of Georgia."""
    from briefsearch.ingest.enrich.names import NOT_NAME_WORDS

    before = originals[i - 1] if i > 0 else ""
    if before == "New" or (_GIVEN_NAME.match(before) and before.lower() not in NOT_NAME_WORDS
                           and before.lower() not in _PLACE_LEADS):
        return False
    if key == "georgia" and _US_GEORGIA.search(text):
        return False
    return True


_PLACE_LEADS = frozenset("in to of from with and for on at by visit visited visits travel travels welcome welcomes "
                         "about across between including via into through toward towards".split())


def _case_ok(taxonomy: Taxonomy, key: str, original: str) -> bool:
    if key in taxonomy.upper_only:
        return original.isupper()
    if key in taxonomy.capitalised_only:
        return original[:1].isupper()
    return True


@lru_cache(maxsize=2048)
def section_topics(taxonomy: Taxonomy, section: str | None) -> tuple[str, ...]:
    """Human labels for an editor's section anchor: "IRAN2" -> ("Iran",), "ISPAL" ->
    ("Israel and the Palestinians", "Israel"), "RUSSIAUKRAINE" -> ("Russia", "Ukraine"); a heading
    is matched like text ("Imposing Costs on Russia's Defense Sector" -> ("Russia",))."""
    if not section or section.startswith("_") or section.lower().startswith(("footnote", "endnote")):
        return ()
    compact = _COMPACT.sub("", section.upper())
    for suffix in taxonomy.drop_suffixes:
        if compact.endswith(suffix) and len(compact) > len(suffix):
            compact = compact[: -len(suffix)]
    if not compact or compact in taxonomy.ignored_sections:
        return ()
    parts = _segment(taxonomy.compact, compact)
    if parts is None and " " in section.strip():  # a heading: "Imposing Costs on Russia's Defense Sector"
        found = text_topics(taxonomy, section)
        if found:
            return tuple(sorted(found, key=lambda label: -found[label]))
    if parts is None:
        return (section.rstrip("0123456789").replace("_", " ").strip().title(),)
    labels: list[str] = []
    for part in parts:
        for label in taxonomy.compact[part]:
            if label not in labels:
                labels.append(label)
    return tuple(labels)


def _segment(compact: dict, word: str) -> list[str] | None:
    """Split "RUSSIAUKRAINE" into known compact labels, longest first; None if it does not split."""
    if not word:
        return []
    for end in range(len(word), 0, -1):
        head = word[:end]
        if head in compact:
            rest = _segment(compact, word[end:])
            if rest is not None:
                return [head] + rest
    return None


def assign_topics(taxonomy: Taxonomy, texts: list[str], sections: list[str | None],
                  questions: list[bool] | None = None,
                  spoken: list[bool] | None = None, own: list[Counter] | None = None) -> list[tuple[str, ...]]:
    """Topics for each paragraph of one article: section labels, the paragraph's own matches by
    frequency, then what the question or the thread it belongs to is about.

    ``questions`` marks transcript question paragraphs and ``spoken`` every spoken turn (both from
    speaker attribution; without ``spoken`` only questions count as spoken). A question opens an
    exchange that runs to the next question: its turns (the question, the answer, "Yes.") carry
    what the question asked about, and nothing else; a turn before any question (a speech) carries
    only what it names itself. A briefing runs over many subjects, and a reader judging a
    paragraph's topics reads that paragraph: "Russia" carried from an earlier exchange onto an
    answer about Title 42 is wrong. Written prose is cut into threads that run while paragraphs
    share places; it carries its thread's places and the theme that dominates it, so that a broad
    theme ("Health", "Trade") stays with the paragraphs about it. Turns that only run the briefing
    ("Thank you.", "Let's go to Laura Kelly.", "(Off-mike.)") and press logistics (accreditation,
    pool and livestream notices) get no topics from the text around them. ``own``: each text's
    ``text_topics``, when the caller has them.
    """
    own = own if own is not None else [text_topics(taxonomy, text) for text in texts]
    flags = list(questions) if questions is not None else [False] * len(texts)
    turns = list(spoken) if spoken is not None else flags
    threads = _threads(own, flags, sections, taxonomy.themes)
    main = {thread: _thread_topics(taxonomy, counts, threads.openings.get(thread))
            for thread, counts in threads.counts.items()}
    article_counts: Counter = Counter()
    for counts in own:
        article_counts.update(counts.keys())
    dominant = tuple(label for label, n in article_counts.most_common(2) if n >= 2)
    themes = taxonomy.themes
    subjects = {thread: _subject_themes(themes, counts) for thread, counts in threads.counts.items()}
    in_exchange = list(accumulate(flags, operator.or_)) if flags else []  # a question came before, or it is one
    result: list[tuple[str, ...]] = []
    for i, (text, counts, section, thread, lead) in enumerate(
            zip(texts, own, sections, threads.of_paragraph, threads.leads)):
        labels = list(section_topics(taxonomy, section))
        if _LOGISTICS.search(text):
            result.append(tuple(labels))
            continue
        ranked = sorted(counts, key=lambda label: -counts[label])  # stable: first mention breaks ties
        labels += [label for label in ranked if label not in labels]
        if is_procedural(text):  # "Thank you.", "Go ahead.", "Let's go to Laura Kelly.": about nothing
            result.append(())
            continue
        if turns[i]:
            # A spoken turn carries only what its own exchange's question asked about: a briefing's
            # thread runs on over many subjects, and a speech's paragraph that names nothing is about
            # what it says, not about the subject of the paragraphs around it.
            helpers = tuple(label for label, _ in lead.most_common(2)) if in_exchange[i] else ()
        else:
            # Written prose gets its thread's places and the theme that dominates it, so that a broad
            # theme stays with the paragraphs about it; a short one naming nothing, what its article is about.
            helpers = tuple(label for label in main[thread] if label not in themes or label in subjects[thread])
            if not ranked and not helpers and len(text.split()) < 2 * _SHORT_PARAGRAPH_WORDS:
                helpers = tuple(label for label in dominant if label not in themes)
        # Within MAX_TOPICS the thread's topics outrank a paragraph's fourth or fifth stray mention.
        extra = [label for label in dict.fromkeys(helpers) if label not in labels]
        extra = extra[: MAX_TOPICS - min(len(labels), 3)]
        result.append(tuple(labels[: MAX_TOPICS - len(extra)] + extra))
    return result


_TURN_LABEL = re.compile(r"^\s*(?:Q\b[.:]?|[A-Z][A-Z.'’\- ]{1,40}:|[A-Z][a-z]+\.? [A-Z][A-Z'’\-]+[.:])\s*")
_PROCEDURAL_WORDS = 25
_PROCEDURAL = re.compile(
    r"^(?:\(.{0,60}?\)\s*)*(?i:(?:okay|ok|all right|alright|so|well|and|yeah|great|sure|hi|hey|hello|right|yes|please)\b[,.!]*\s*)*(?:"
    r"(?i:thanks?\b|thank you\b|appreciate\b|good (?:morning|afternoon|evening|to see)\b|go ahead\b|(?:nice|great) to see\b|"
    r"(?:our |the |and (?:our|the) |for (?:our|the) )?(?:next|final|last|first|one more|another) (?:question|one)\b|"
    r"let[’']s (?:next |now |just )?(?:go|turn|move|take)\b|we[’']ll (?:next )?(?:go|take|move|turn)\b|"
    r"(?:and )?(?:so )?with that\b|over to you\b|(?:i[’']m |we[’']re |i[’']d be |i will )?(?:happy to |start )?tak(?:e|ing) (?:your |a few |some |a couple )?(?:final )?questions\b|"
    r"(?:any )?(?:other|more) questions\b|(?:sorry|excuse me|pardon)(?=[,.!)]|$)|(?:can|could) you hear me\b|"
    r"your line is open\b)|"
    r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3},? (?:from|with) (?:the )?[A-Z]|\(.{0,60}\)\.?$)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def is_procedural(text: str) -> bool:
    """A short turn that runs the briefing rather than says anything: every sentence thanks,
    greets, gives the floor ("Let's next go to Priscilla Alvarez from CNN."), names the reporter's
    outlet or is a stage note ("(Off-mike.)"), or is a word or two ("Matt.")."""
    if len(text.split()) > _PROCEDURAL_WORDS or "?" in text:  # "Thank you. What about sanctions?" asks
        return False
    sentences = _SENTENCE.split(_TURN_LABEL.sub("", text, count=1).strip())
    cues = [bool(_PROCEDURAL.match(sentence)) for sentence in sentences]
    return any(cues) and all(cue or len(sentence.split()) <= 2 for cue, sentence in zip(cues, sentences))  # "Yes." answers


# Press logistics: accreditation, pool and livestream notices, media contacts.
_LOGISTICS = re.compile(r"^(?:Media representatives may attend|Media (?:wishing|interested) to|This event will be "
                        r"(?:pooled|open press|closed press|livestreamed)|We will form a press pool|"
                        r"For (?:further|more) information,? (?:media|members of the media|press)\b|"
                        r"FOR FURTHER INFORMATION MEDIA)", re.I)
_SUBJECT_MENTIONS = 5  # a theme named this often, and in this share of the thread's
_SUBJECT_SHARE = 0.3  # mentions, is what its prose is about
_QUESTION_WEIGHT = 2  # a question names what the exchange is about; answers wander
_THREAD_KEEP = 3  # a new question stays in the thread if it names one of the thread's top labels
_SECOND_SHARE = 0.6  # a thread's second label counts when nearly as frequent as the first
_OPENING_PLACES = 2  # places named by the question that opened a thread, kept for all of it
_PLACE_SHARE = 0.3  # the place a theme-led thread is about, if mentioned often enough


@dataclass
class _Threads:
    of_paragraph: list  # thread number of each paragraph
    leads: list  # label counts of the question run that opened each paragraph's exchange
    counts: dict  # thread -> label counts, questions weighted
    openings: dict  # thread -> label counts of the unit that first named its topics


def _threads(own: list[Counter], flags: list[bool], sections: list[str | None], themes: frozenset) -> _Threads:
    """Cut the article into threads. Units (exchanges in transcripts, paragraphs elsewhere) join
    the current thread unless they lead with places outside the thread's top labels; an editor's
    section change always starts a thread."""
    result = _Threads([], [], {}, {})
    thread, so_far, lead = 0, Counter(), Counter()
    seen_question = False
    for i, counts in enumerate(own):
        question = flags[i]
        opens_exchange = question and (i == 0 or not flags[i - 1])
        seen_question = seen_question or question
        if i and sections[i] != sections[i - 1]:
            thread, so_far = thread + 1, Counter()
        if i == 0 or opens_exchange or not seen_question:
            lead = _lead(own, flags, i) if seen_question else counts
            if i and so_far and _leaves_thread(themes, lead, so_far):
                thread, so_far = thread + 1, Counter()
            if lead and not so_far:
                result.openings[thread] = lead
        for label, n in counts.items():
            so_far[label] += n * (_QUESTION_WEIGHT if question else 1)
        result.counts[thread] = so_far
        result.of_paragraph.append(thread)
        result.leads.append(lead if seen_question else Counter())
    return result


def _subject_themes(themes: frozenset, counts: Counter) -> frozenset:
    """The theme a thread of prose is about, if one dominates it (the seed's missile defense: 18 of
    its 45 mentions), not one that a long communique touches among many."""
    total = sum(counts.values())
    return frozenset(label for label, n in counts.items()
                     if label in themes and n >= _SUBJECT_MENTIONS and n >= _SUBJECT_SHARE * total)


def _leaves_thread(themes: frozenset, lead: Counter, so_far: Counter) -> bool:
    """A unit leaves the thread when it names places and none is among the thread's top labels."""
    places = lead.keys() - themes
    if not places:  # "What about sanctions?" follows up on the thread's country
        return False
    return not places & {label for label, _ in so_far.most_common(_THREAD_KEEP)}


def _lead(own: list[Counter], flags: list[bool], i: int) -> Counter:
    """Label counts of the run of question paragraphs starting at ``i``."""
    labels: Counter = Counter()
    while i < len(own) and flags[i]:
        labels.update(own[i])
        i += 1
    return labels


def _thread_topics(taxonomy: Taxonomy, counts: Counter, opening: Counter | None) -> tuple[str, ...]:
    """A thread's main labels: the most frequent, a close second, the most frequent place when
    those are themes ("Burma" beside "Health"), and the places its opening question names
    ("Can I start with Ukraine?" in a thread that then mostly says "Russia")."""
    ranked = counts.most_common()
    if not ranked:
        return ()
    first = ranked[0][1]
    main = [label for label, n in ranked[:2] if n >= first * _SECOND_SHARE]
    if all(label in taxonomy.themes for label in main):
        place = next((label for label, n in ranked if label not in taxonomy.themes and n >= first * _PLACE_SHARE), None)
        if place:
            main.append(place)
    if opening:
        places = [label for label, _ in opening.most_common() if label not in taxonomy.themes]
        main += [label for label in places[:_OPENING_PLACES] if label not in main]
    return tuple(main)
