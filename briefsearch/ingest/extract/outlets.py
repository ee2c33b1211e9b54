"""Who published an article (its outlet), named from the host of its URL.

Government sites that publish under several hosts (whitehouse.gov and its archives, state.gov and
its archive sites) get one name each, so a filter or a facet on "The White House" finds them all;
any other site is named by its host without "www.".
"""

from __future__ import annotations

from urllib.parse import urlsplit

# host suffix → outlet (the longest matching suffix wins)
KNOWN_OUTLETS = {
    "whitehouse.gov": "The White House",
    "bidenwhitehouse.archives.gov": "The White House",
    "trumpwhitehouse.archives.gov": "The White House",
    "obamawhitehouse.archives.gov": "The White House",
    "state.gov": "U.S. Department of State",
    "defense.gov": "U.S. Department of Defense",
    "treasury.gov": "U.S. Department of the Treasury",
    "justice.gov": "U.S. Department of Justice",
    "dhs.gov": "U.S. Department of Homeland Security",
    "usaid.gov": "USAID",
    "usmission.gov": "U.S. Department of State",
    "usembassy.gov": "U.S. Department of State",
}


def outlet_of(url: str | None) -> str | None:
    """The outlet of an article at ``url`` ("https://www.state.gov/..." → "U.S. Department of
    State"), None without a web URL."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    for suffix in sorted(KNOWN_OUTLETS, key=len, reverse=True):
        if host == suffix or host.endswith("." + suffix):
            return KNOWN_OUTLETS[suffix]
    return host.removeprefix("www.")
