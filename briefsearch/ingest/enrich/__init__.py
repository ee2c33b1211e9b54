"""Enrichment: fills each paragraph's speaker, quote/turn/question flags, topics and acronyms.

``Enricher`` runs speakers -> topics -> acronyms over one article at a time and keeps the
collection-wide ``EnrichmentState`` (speaker registry, people) that the indexing run saves with
each generation. The acronyms a paragraph defines travel with the paragraph into the index, which
is where query time reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from briefsearch.ingest.collector import collector_paused
from briefsearch.models import Article, Paragraph

STATE_VERSION = 1


@dataclass
class EnrichmentState:
    """What enrichment learns across the collection; JSON-safe through to_dict / from_dict.

    ``speakers``: canonical name -> {"aliases": {alias: count}, "paragraphs": n, "gender": "f"|"m"|None}.
    ``people``: surname key -> full name, learnt from creator fields ("Ned Price, Department Spokesperson").
    """

    speakers: dict = field(default_factory=dict)
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
        state.people.update(data.get("people", {}))
        return state

    def add_speaker(self, name: str, alias: str | None, gender: str | None) -> None:
        entry = self.speakers.setdefault(name, {"aliases": {}, "paragraphs": 0, "gender": None})
        entry["paragraphs"] += 1
        if alias and alias != name:
            entry["aliases"][alias] = entry["aliases"].get(alias, 0) + 1
        if gender and not entry.get("gender"):
            entry["gender"] = gender

    def settle_names(self) -> dict[str, str]:
        """Merge the registry's short forms and spellings of one person (``enrich.registry``) and
        return which names became which, for the paragraphs already written under the old ones."""
        from briefsearch.ingest.enrich.registry import merge_speakers, settle_names

        renames = settle_names(self.speakers, self.people)
        if renames:
            merge_speakers(self.speakers, renames)
            for key, name in self.people.items():  # labels met from now on resolve to the settled name
                self.people[key] = renames.get(name, name)
        return renames

    def gender_of(self, name: str | None) -> str | None:
        entry = self.speakers.get(name) if name else None
        return entry.get("gender") if entry else None


def load_overrides(path: str | None) -> dict[str, str]:
    """The user's speaker corrections: {"aliases": {"MR PRICE": "Ned Price"}} (missing file: none)."""
    if not path or not Path(path).is_file():
        return {}
    from briefsearch.errors import SourceError

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        aliases = data.get("aliases", {}) if isinstance(data, dict) else None
        if not isinstance(aliases, dict):
            raise ValueError('expected {"aliases": {"MR PRICE": "Ned Price"}}')
        return {str(alias): str(name) for alias, name in aliases.items()}
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        detail = " ".join(str(error).split())[:80]
        raise SourceError(f"The speaker overrides file {path} is not valid JSON ({detail}) — "
                          "fix it, or leave out --speaker-overrides") from None


def _enriched_copy(paragraph: Paragraph, **fields) -> Paragraph:
    """``dataclasses.replace`` for the enrichment fields without re-running ``__init__``: a frozen
    dataclass's init sets its 21 fields one ``object.__setattr__`` at a time, a tenth of
    enrichment's cost. The fields are plain values, so sharing them is safe."""
    copy = object.__new__(type(paragraph))
    copy.__dict__.update(paragraph.__dict__)
    copy.__dict__.update(fields)
    return copy


class Enricher:
    """Enriches the paragraphs of one article at a time, learning into ``state`` as it goes."""

    def __init__(self, state: EnrichmentState | None = None, taxonomy_path: str | None = None,
                 overrides_path: str | None = None):
        from briefsearch.ingest.enrich.speakers import Resolver
        from briefsearch.ingest.enrich.topics import DEFAULT_TAXONOMY, load_taxonomy

        self.state = state if state is not None else EnrichmentState()
        # A user taxonomy given as taxonomy_path is merged over the shipped one.
        self.taxonomy = load_taxonomy(str(DEFAULT_TAXONOMY), taxonomy_path)
        self.state.taxonomy_version = self.taxonomy.version
        self.resolver = Resolver(self.state.people, load_overrides(overrides_path))
        self._learnt: set[str] = set()  # speakers whose names _learn_person has registered

    def enrich(self, article: Article, paragraphs: list[Paragraph], text_topics: dict | None = None) -> list[Paragraph]:
        """New paragraphs (same order) with speaker, flags, topics and acronyms filled.
        ``text_topics``: text -> its ``topics.text_topics`` under this enricher's taxonomy (those
        with none left out), made ahead by whoever has them (``ingest.parallel``)."""
        with collector_paused():  # its objects all live until it returns (``ingest.collector``)
            return self._enrich(article, paragraphs, text_topics)

    def _enrich(self, article: Article, paragraphs: list[Paragraph], text_topics: dict | None) -> list[Paragraph]:
        from collections import Counter

        from briefsearch.ingest.enrich.acronyms import find_definitions
        from briefsearch.ingest.enrich.names import people_in_creator, surname_keys
        from briefsearch.ingest.enrich.speakers import QUESTION, article_context, attribute_article, link_exchanges
        from briefsearch.ingest.enrich.topics import assign_topics, text_topics as topics_of

        texts = [p.text for p in paragraphs]
        own = ([topics_of(self.taxonomy, text) for text in texts] if text_topics is None
               else [Counter(text_topics.get(text, ())) for text in texts])
        for name in people_in_creator(article.author):
            for key in surname_keys(name):  # a byline spells the name best ("Wendy R. Sherman")
                known = self.state.people.get(key)
                if known is None or known.split()[0] == name.split()[0]:
                    self.state.people[key] = name
        self._learn_mentions(article.title, texts)
        ctx = article_context(article.title, article.author, texts)
        attributions = attribute_article(ctx, self.resolver, texts, self.state.gender_of)
        links = link_exchanges(attributions)
        topics = assign_topics(self.taxonomy, texts, [p.section for p in paragraphs],
                               [who.is_question for who in attributions],
                               [who.is_turn or who.is_question for who in attributions], own)
        topics = [labels if asked is not None else self._own_topics(p, who, labels, counts)  # answers keep their question's
                  for p, who, labels, (asked, _), counts in zip(paragraphs, attributions, topics, links, own)]
        enriched = []
        for paragraph, who, labels, (asked, answer) in zip(paragraphs, attributions, topics, links):
            definitions = tuple(find_definitions(paragraph.text))
            if who.speaker and who.speaker != QUESTION:
                self.state.add_speaker(who.speaker, who.alias, who.gender)
                self._learn_person(who.speaker)
            enriched.append(_enriched_copy(
                paragraph, speaker=who.speaker, is_quote=who.is_quote, is_turn=who.is_turn,
                is_question=who.is_question, topics=labels, acronyms=definitions,
                speech="answer" if asked is not None else ("turn" if who.speech == "chair" else who.speech),
                speaker_role=who.role,
                answers_to=paragraphs[asked].id if asked is not None else None,
                answered_by=paragraphs[answer].id if answer is not None else None))
        return enriched

    def _own_topics(self, paragraph: Paragraph, who, labels: tuple[str, ...], own) -> tuple[str, ...]:
        """A short line no one speaks (a byline, a caption, a salutation) or a short procedural turn
        ("So, over to you.") keeps only the topics its own words name (``own``), not its thread's."""
        if not labels or paragraph.section or who.is_question or (who.speech not in ("none", "turn", "chair")):
            return labels
        if len(paragraph.text.split()) >= (20 if who.speech == "none" else 25):  # prose runs on its thread
            return labels
        return tuple(label for label in labels if label in own)

    def _learn_mentions(self, title: str, texts: list[str]) -> None:
        """Full names the text gives with an office or honorific ("Dr. Anthony Fauci", "COVID-19
        Response Coordinator Jeff Zients"), kept for labels that give only a surname ("MR ZIENTS:")
        in articles that never spell the name out. The first spelling learnt stays."""
        from briefsearch.ingest.enrich.names import mentioned_people

        for name in mentioned_people(title, texts):
            key = name.split()[-1].lower()
            if key not in self.state.people:
                self.state.people[key] = name

    def _learn_person(self, name: str) -> None:
        from briefsearch.ingest.enrich.names import full_names_in_run, surname_keys

        if name in self._learnt:  # setdefault below: once a name's keys are set, it changes nothing
            return
        self._learnt.add(name)
        if full_names_in_run(name) == (name,):
            for key in surname_keys(name):
                self.state.people.setdefault(key, name)
