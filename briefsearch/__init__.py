"""briefsearch: full-text search over briefings, one paragraph at a time.

The package is layered (see tests/test_architecture.py): models and errors at the bottom, then
extraction, chunking and enrichment, the ingest pipeline, the engine (the only Whoosh user), the
search front-end and output, and the Click CLI on top.
"""

__version__ = "0.1.0"
