"""Who published an article (its outlet), named from the host of its URL.

Government sites that publish under several hosts (whitehouse.gov and its archives, state.gov and
its archive sites) get one name each, so a filter or a facet on "The White House" finds them all;
any other site is named by its host without "www.".

A timestamp a feed wrote in UTC is put back on its outlet's own clock when the outlet's home time
zone is known (``local_clock``): the State Department's February 7 evening briefing, stamped
"2022-02-08T00:18:43+00:00" by the feed, is "2022-02-07T19:18:43-05:00", the same instant on the
day it was given in Washington.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


# host suffix → the site's home time zone (where its calendar day is the one its speakers use).
# Embassies and missions (usembassy.gov, usmission.gov) publish on their own clocks: not listed.
HOME_ZONES = {suffix: "America/New_York" for suffix in (
    "whitehouse.gov", "bidenwhitehouse.archives.gov", "trumpwhitehouse.archives.gov", "obamawhitehouse.archives.gov",
    "state.gov", "defense.gov", "treasury.gov", "justice.gov", "dhs.gov", "usaid.gov",
)}


def local_clock(date: str | None, url: str | None) -> str | None:
    """``date`` on its site's own clock when it is a UTC timestamp ("+00:00", as feeds write
    them) from a site whose home time zone is known (``HOME_ZONES``); otherwise as it is. A date
    without a time or with another offset is the source's own and is kept."""
    if not date or not url or "T" not in date or not date.endswith("+00:00"):
        return date
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
        zone = next((z for suffix, z in HOME_ZONES.items() if host == suffix or host.endswith("." + suffix)), None)
        return datetime.fromisoformat(date).astimezone(ZoneInfo(zone)).isoformat() if zone else date
    except (ValueError, ZoneInfoNotFoundError):
        return date
