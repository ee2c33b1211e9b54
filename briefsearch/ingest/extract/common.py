"""What every extractor shares: article ids, dates in ISO 8601 and file-name titles.

No third-party imports here (dateutil only, late, for dates that are not ISO).
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime

from briefsearch.text.normalize import clean_line


def article_id(key: str) -> str:
    """12 hex characters naming an article: from its id/guid, its URL or its file path."""
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class _ArticleIds:
    """Article ids for the records of one file; a repeated key gets its position appended."""

    def __init__(self, path: str):
        self.path = path
        self.seen: set[str] = set()

    def __call__(self, key: str | None, position: int) -> str:
        identifier = article_id(key or f"{self.path}#{position}")
        if identifier in self.seen:
            identifier = article_id(f"{key}#{position}")
        self.seen.add(identifier)
        return identifier


# --------------------------------------------------------------------------------------------
# Dates


_US_ZONES = {"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600, "MST": -7 * 3600,
             "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "UT": 0, "UTC": 0, "GMT": 0, "Z": 0}
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value) -> str | None:
    """ISO 8601 for a date or datetime written any common way; None when it is not a date.

    A date alone stays "YYYY-MM-DD". A datetime keeps the source's own clock and offset
    ("2021-06-09T21:30:00-04:00", "Z" written "+00:00"; no offset when the source gave none), so
    its first ten characters are the calendar day the source meant, never shifted to UTC.
    """
    if value is None:
        return None
    text = clean_line(str(value))
    if not text or len(text) > 80:
        return None
    if _DATE_ONLY.fullmatch(text):
        try:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(_ISO_Z.sub("+00:00", text))
        has_time = "T" in text or " " in text.strip()
    except ValueError:
        moment, has_time = _parse_loose(text)
    if moment is None or not 1800 <= moment.year <= 2200:
        return None
    if not has_time:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


_ISO_Z = re.compile(r"(?<=\d)Z$")


def _parse_loose(text: str) -> tuple[datetime | None, bool]:
    from dateutil import parser  # imported late: most dates are ISO and need no parsing help

    try:
        first = parser.parse(text, default=datetime(2000, 1, 1, 0, 0, 0), tzinfos=_US_ZONES)
        second = parser.parse(text, default=datetime(2000, 1, 1, 1, 1, 1), tzinfos=_US_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None, False
    # Two different defaults agree on the time only when the text gave one.
    return first, first.time() == second.time()


def _file_title(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return clean_line(stem.replace("_", " "))
