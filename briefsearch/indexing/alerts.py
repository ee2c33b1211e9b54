"""Saved searches (alerts) and their watermarks, kept in ``alerts.json`` in the index directory.

An alert is a name, a query and its filters, and the ledger sequence number (``indexing.ledger``)
up to which its paragraphs were last delivered. The file sits beside the generations, so alerts
survive ``--rebuild``; it is replaced atomically on every change.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from briefsearch.durable import write_atomic
from briefsearch.errors import BriefsearchError, NotFound

ALERTS_FILE = "alerts.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class AlertExists(BriefsearchError):
    """An alert of that name is already saved."""


@dataclass(frozen=True)
class Alert:
    name: str
    query: str
    filters: dict  # SearchOptions fields: speaker, topic, source, since, until
    created: float
    seen_seq: int  # ledger sequence delivered up to
    last_run: float | None = None


class AlertStore:
    def __init__(self, index_root: str | os.PathLike):
        self.root = Path(index_root)
        self.path = self.root / ALERTS_FILE

    def all(self) -> list[Alert]:
        if not self.path.exists():
            return []
        try:
            records = json.loads(self.path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise BriefsearchError(f"{self.path} is not readable JSON ({error}) — fix or remove it") from None
        return [Alert(**record) for record in records]

    def get(self, name: str) -> Alert:
        for alert in self.all():
            if alert.name == name:
                return alert
        known = ", ".join(a.name for a in self.all()) or "none yet (add one: briefsearch alerts add NAME QUERY)"
        raise NotFound(f"No alert named {name!r} — alerts: {known}")

    def add(self, name: str, query: str, filters: dict, seen_seq: int) -> Alert:
        if not _NAME.fullmatch(name):
            raise BriefsearchError(f"Alert names are letters, digits, '.', '_' and '-' (up to 64), not {name!r}")
        alerts = self.all()
        if any(a.name == name for a in alerts):
            raise AlertExists(f"An alert named {name!r} exists — remove it first: briefsearch alerts remove {name}")
        alert = Alert(name, query, {k: v for k, v in filters.items() if v}, time.time(), seen_seq)
        self._write(alerts + [alert])
        return alert

    def remove(self, name: str) -> None:
        self.get(name)
        self._write([a for a in self.all() if a.name != name])

    def advance(self, name: str, seen_seq: int, when: float) -> None:
        """Record that ``name``'s paragraphs up to ``seen_seq`` were delivered."""
        self._write([replace(a, seen_seq=max(a.seen_seq, seen_seq), last_run=when) if a.name == name else a
                     for a in self.all()])

    def _write(self, alerts: list[Alert]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps([asdict(a) for a in alerts], ensure_ascii=False, indent=2) + "\n")
