"""briefsearch: full-text search over briefings, one paragraph at a time.

Its folders are the stages a paragraph goes through (README, "How it is built"): ``text``,
``ingest`` (sources → extract → chunking → enrich), ``engine`` (the contract and one folder per
engine), ``indexing``, ``query``, ``present``, then ``cli``; imports go only downward
(tests/test_architecture.py).
"""

__version__ = "0.1.0"
