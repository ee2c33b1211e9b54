"""The state of a search page as its URL holds it (query, filters, sort, page), parsed once per
request and turned back into links: each facet value links to the same page with its filter added
or removed, each bar of the histogram to the same page with its dates set."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from urllib.parse import urlencode

SORTS = ("relevance", "newest", "oldest")
PAGE_SIZES = (10, 20, 50, 100)


class BadParameter(ValueError):
    """A URL parameter that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    speaker: str = ""
    topic: str = ""
    source: str = ""
    since: str = ""
    until: str = ""
    sort: str = "relevance"
    one: str = ""  # "1": one hit per article
    page: int = 1
    n: int = 20

    @classmethod
    def from_params(cls, params) -> "SearchState":
        values = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            raw = raw.strip()[:2000]
            if f.name in ("page", "n"):
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    raise BadParameter(f"{f.name}={raw!r} is not a number — use a whole number such as {f.name}=2") from None
            else:
                values[f.name] = raw
        state = cls(**values)
        if state.sort not in SORTS:
            raise BadParameter(f"sort={state.sort!r} is not a sort order — use one of: {', '.join(SORTS)}")
        if state.page < 1 or state.page > 1000:
            raise BadParameter(f"page={state.page} is out of range — pages run from 1 to 1000")
        if state.n not in PAGE_SIZES:
            raise BadParameter(f"n={state.n} is not a page size — use one of: {', '.join(map(str, PAGE_SIZES))}")
        return state

    def params(self, **changes) -> dict:
        """The URL parameters of this state with ``changes``, defaults left out; a change of
        anything but the page goes back to page 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        if not changes.keys() <= _DEFAULTS.keys():
            raise TypeError(f"not a parameter of a search: {', '.join(sorted(changes.keys() - _DEFAULTS.keys()))}")
        values = {**self._values, **changes}  # (a page makes some fifty links from one state)
        return {name: value for name, value in values.items() if value not in ("", None) and value != _DEFAULTS[name]}

    @functools.cached_property
    def _values(self) -> dict:
        return {name: getattr(self, name) for name in _DEFAULTS}

    def url(self, path: str = "/", **changes) -> str:
        query = "&".join(_pair(name, value) for name, value in self.params(**changes).items())
        return f"{path}?{query}" if query else path

    def toggle(self, name: str, value: str) -> str:
        """The URL with filter ``name`` set to ``value``, or without it when it is already set."""
        return self.url(**{name: "" if getattr(self, name).casefold() == value.casefold() else value})

    def dates(self, since: str, until: str) -> str:
        """The URL with the date filter set to ``since``..``until``, or without it when already set."""
        if (self.since, self.until) == (since, until):
            return self.url(since="", until="")
        return self.url(since=since, until=until)

    @property
    def filtered(self) -> bool:
        return any((self.speaker, self.topic, self.source, self.since, self.until))


_DEFAULTS = {f.name: getattr(SearchState(), f.name) for f in fields(SearchState)}


@functools.lru_cache(maxsize=4096)
def _pair(name: str, value) -> str:
    """One ``name=value`` of a URL, encoded as ``urlencode`` encodes it."""
    return urlencode({name: value})
