"""Topics of a paragraph: the editor's section label where there is one, then themes, countries
and regions from the curated taxonomy (taxonomy.json) matched on normalised words.

Matching is one pass over the paragraph's words with a phrase dictionary (word n-grams), so it
costs a few microseconds per paragraph. Labels are human-readable ("Missile defense", "Iran").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
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
    return " ".join(_TOKEN.findall(phrase.lower()))


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
    first_words: dict[str, int] = {}
    for key in phrases:
        words = key.split()
        first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
    sections = data.get("sections", {})
    compact = {k.upper(): tuple(v) for k, v in sections.get("compact", {}).items()}
    for label in by_label:
        compact.setdefault(_COMPACT.sub("", label.upper()), (label,))
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
    for key in ("capitalised_only", "upper_only", "excluded_countries"):
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
        taxonomy = Taxonomy(**{**taxonomy.__dict__, "phrases": {k: v for k, v in phrases.items() if v}})
    return taxonomy


def text_topics(taxonomy: Taxonomy, text: str) -> Counter:
    """Label -> number of matches in ``text``; insertion order is first appearance."""
    counts: Counter = Counter()
    originals = _TOKEN.findall(text)
    words = [w.lower() for w in originals]
    first_words, phrases = taxonomy.first_words, taxonomy.phrases
    i, n = 0, len(words)
    while i < n:
        longest = first_words.get(words[i])
        if longest:
            for size in range(min(longest, n - i), 0, -1):
                key = " ".join(words[i : i + size]) if size > 1 else words[i]
                labels = phrases.get(key)
                if labels and _case_ok(taxonomy, key, originals[i]):
                    for label in labels:
                        counts[label] += 1
                    i += size - 1
                    break
        i += 1
    return counts


def _case_ok(taxonomy: Taxonomy, key: str, original: str) -> bool:
    if key in taxonomy.upper_only:
        return original.isupper()
    if key in taxonomy.capitalised_only:
        return original[:1].isupper()
    return True


@lru_cache(maxsize=2048)
def section_topics(taxonomy: Taxonomy, section: str | None) -> tuple[str, ...]:
    """Human labels for an editor's section anchor: "IRAN2" -> ("Iran",), "ISPAL" ->
    ("Israel", "Israeli-Palestinian conflict"), "RUSSIAUKRAINE" -> ("Russia", "Ukraine")."""
    if not section or section.startswith("_") or section.lower().startswith(("footnote", "endnote")):
        return ()
    compact = _COMPACT.sub("", section.upper())
    for suffix in taxonomy.drop_suffixes:
        if compact.endswith(suffix) and len(compact) > len(suffix):
            compact = compact[: -len(suffix)]
    if not compact or compact in taxonomy.ignored_sections:
        return ()
    parts = _segment(taxonomy.compact, compact)
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


def assign_topics(taxonomy: Taxonomy, texts: list[str], sections: list[str | None]) -> list[tuple[str, ...]]:
    """Topics for each paragraph of one article: section labels, the paragraph's own matches by
    frequency, and for short paragraphs the topics of the thread they are in (or of the article)."""
    own = [text_topics(taxonomy, text) for text in texts]
    article_counts: Counter = Counter()
    for counts in own:
        article_counts.update(counts.keys())
    dominant = [label for label, n in article_counts.most_common(2) if n >= 2]
    result: list[tuple[str, ...]] = []
    previous: tuple[str, ...] = ()
    previous_section: str | None = None
    for text, counts, section in zip(texts, own, sections):
        labels = list(section_topics(taxonomy, section))
        ranked = sorted(counts, key=lambda label: -counts[label])  # stable: first mention breaks ties
        labels += [label for label in ranked if label not in labels]
        if section != previous_section:
            previous = ()
        words = len(text.split())
        if (not ranked and words < 2 * _SHORT_PARAGRAPH_WORDS) or (len(ranked) < 2 and words < _SHORT_PARAGRAPH_WORDS):
            helpers = previous[:3] if previous else tuple(dominant)
            labels += [label for label in helpers if label not in labels]
        if ranked:
            previous = tuple(ranked)
        previous_section = section
        result.append(tuple(labels[:MAX_TOPICS]))
    return result
