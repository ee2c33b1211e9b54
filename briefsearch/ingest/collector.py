"""Python's cyclic garbage collector paused while an article's paragraphs are built and enriched.

Chunking and enriching a long article make several objects per block and keep them all until the
article is done; each allocation threshold they cross starts a collection, and the full ones walk
every live object again, so the work grew faster than the article: chunking a page of 100,000
blocks took 0.747 s with the collector and 0.636 s without (200,000: 1.539 / 1.282 s; 2.23x per
doubling against 1.98x, medians of 5, ``scripts/growth.py``'s nested page). These stages make no
reference cycles, so their garbage is freed by reference counting whether the collector runs or not.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector runs again after it (if it ran before)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
