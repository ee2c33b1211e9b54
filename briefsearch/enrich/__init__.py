"""Enrichment: fills each paragraph's speaker, quote/turn/question flags, topics and acronyms.

``Enricher`` runs speakers -> topics -> acronyms over one article at a time and keeps the
collection-wide ``EnrichmentState`` (speaker registry, acronym dictionary) that the pipeline
persists beside the index. ``acronym_expansions`` and ``acronym_for_phrase`` serve query time and
import nothing heavy.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefsearch.models import Article, Paragraph

STATE_VERSION = 1
_WORDS = re.compile(r"[^\W_]+")


def _long_key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("\u2019", "'")))


@dataclass
class EnrichmentState:
    """What enrichment learns across the collection; JSON-safe through to_dict / from_dict.

    ``speakers``: canonical name -> {"aliases": {alias: count}, "paragraphs": n, "gender": "f"|"m"|None}.
    ``acronyms``: short form -> {long-form key: {"long", "count", "first_source"}}.
    ``people``: surname key -> full name, learnt from creator fields ("Ned Price, Department Spokesperson").
    """

    speakers: dict = field(default_factory=dict)
    acronyms: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    taxonomy_version: str = ""

    def to_dict(self) -> dict:
        return {
            "version": STATE_VERSION,
            "taxonomy_version": self.taxonomy_version,
            "speakers": [
                {"name": name, "aliases": dict(entry["aliases"]), "paragraphs": entry["paragraphs"],
                 "gender": entry.get("gender")}
                for name, entry in sorted(self.speakers.items())
            ],
            "acronyms": [
                {"short": short, "long": entry["long"], "count": entry["count"], "first_source": entry["first_source"]}
                for short, forms in sorted(self.acronyms.items())
                for entry in sorted(forms.values(), key=lambda e: -e["count"])
            ],
            "people": dict(sorted(self.people.items())),
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "EnrichmentState":
        state = cls()
        if not data:
            return state
        state.taxonomy_version = data.get("taxonomy_version", "")
        for entry in data.get("speakers", []):
            state.speakers[entry["name"]] = {"aliases": dict(entry.get("aliases", {})),
                                             "paragraphs": int(entry.get("paragraphs", 0)),
                                             "gender": entry.get("gender")}
        for entry in data.get("acronyms", []):
            state.add_acronym(entry["short"], entry["long"], entry.get("first_source", ""), int(entry.get("count", 1)))
        state.people.update(data.get("people", {}))
        return state

    def add_acronym(self, short: str, long: str, source: str, count: int = 1) -> None:
        forms = self.acronyms.setdefault(short, {})
        entry = forms.setdefault(_long_key(long), {"long": long, "count": 0, "first_source": source})
        entry["count"] += count

    def add_speaker(self, name: str, alias: str | None, gender: str | None) -> None:
        entry = self.speakers.setdefault(name, {"aliases": {}, "paragraphs": 0, "gender": None})
        entry["paragraphs"] += 1
        if alias and alias != name:
            entry["aliases"][alias] = entry["aliases"].get(alias, 0) + 1
        if gender and not entry.get("gender"):
            entry["gender"] = gender

    def gender_of(self, name: str | None) -> str | None:
        entry = self.speakers.get(name) if name else None
        return entry.get("gender") if entry else None


def acronym_expansions(state: "EnrichmentState | dict", short: str) -> list[str]:
    """Long forms known for ``short`` (exact case, then case-insensitive), most frequent first."""
    if isinstance(state, EnrichmentState):
        forms = state.acronyms.get(short)
        if forms is None:
            forms = next((f for s, f in state.acronyms.items() if s.lower() == short.lower()), {})
        return [e["long"] for e in sorted(forms.values(), key=lambda e: -e["count"])]
    entries = [e for e in state.get("acronyms", []) if e["short"] == short]
    if not entries:
        entries = [e for e in state.get("acronyms", []) if e["short"].lower() == short.lower()]
    return [e["long"] for e in sorted(entries, key=lambda e: -e["count"])]


def acronym_for_phrase(state: "EnrichmentState | dict", phrase_words) -> list[str]:
    """Short forms whose long form is ``phrase_words`` (a string or list of words), compared
    lower-cased with punctuation folded: ["joint", "threat", "assessment"] -> ["JTA"]."""
    words = phrase_words if isinstance(phrase_words, str) else " ".join(phrase_words)
    key = _long_key(words)
    if isinstance(state, EnrichmentState):
        return sorted(short for short, forms in state.acronyms.items() if key in forms)
    return sorted({e["short"] for e in state.get("acronyms", []) if _long_key(e["long"]) == key})


def load_overrides(path: str | None) -> dict[str, str]:
    """The user's speaker corrections: {"aliases": {"MR PRICE": "Ned Price"}} (missing file: none)."""
    if not path or not Path(path).is_file():
        return {}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return dict(data.get("aliases", {}))


class Enricher:
    """Enriches the paragraphs of one article at a time, learning into ``state`` as it goes."""

    def __init__(self, state: EnrichmentState | None = None, taxonomy_path: str | None = None,
                 overrides_path: str | None = None):
        from briefsearch.enrich.speakers import Resolver
        from briefsearch.enrich.topics import DEFAULT_TAXONOMY, load_taxonomy

        self.state = state if state is not None else EnrichmentState()
        # A user taxonomy given as taxonomy_path is merged over the shipped one.
        self.taxonomy = load_taxonomy(str(DEFAULT_TAXONOMY), taxonomy_path)
        self.state.taxonomy_version = self.taxonomy.version
        self.resolver = Resolver(self.state.people, load_overrides(overrides_path))

    def enrich(self, article: Article, paragraphs: list[Paragraph]) -> list[Paragraph]:
        """New paragraphs (same order) with speaker, flags, topics and acronyms filled."""
        from briefsearch.enrich.acronyms import find_definitions
        from briefsearch.enrich.names import people_in_creator, surname_keys
        from briefsearch.enrich.speakers import QUESTION, article_context, attribute_article
        from briefsearch.enrich.topics import assign_topics

        texts = [p.text for p in paragraphs]
        for name in people_in_creator(article.author):
            for key in surname_keys(name):  # a byline spells the name best ("Wendy R. Sherman")
                known = self.state.people.get(key)
                if known is None or known.split()[0] == name.split()[0]:
                    self.state.people[key] = name
        ctx = article_context(article.title, article.author, texts)
        attributions = attribute_article(ctx, self.resolver, texts, self.state.gender_of)
        topics = assign_topics(self.taxonomy, texts, [p.section for p in paragraphs],
                               [who.is_question for who in attributions])
        enriched = []
        for paragraph, who, labels in zip(paragraphs, attributions, topics):
            definitions = tuple(find_definitions(paragraph.text))
            for short, long in definitions:
                self.state.add_acronym(short, long, paragraph.id)
            if who.speaker and who.speaker != QUESTION:
                self.state.add_speaker(who.speaker, who.alias, who.gender)
                self._learn_person(who.speaker)
            enriched.append(dataclasses.replace(
                paragraph, speaker=who.speaker, is_quote=who.is_quote, is_turn=who.is_turn,
                is_question=who.is_question, topics=labels, acronyms=definitions))
        return enriched

    def _learn_person(self, name: str) -> None:
        from briefsearch.enrich.names import full_names_in_run, surname_keys

        if full_names_in_run(name) == (name,):
            for key in surname_keys(name):
                self.state.people.setdefault(key, name)
