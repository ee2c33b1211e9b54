"""Indexing: runs that write ingested paragraphs through an engine into an index directory.

``storage`` (the index directory: generations, the CURRENT pointer, the writer lock),
``generation`` (one generation's stamp, checksums and side files), ``runs`` (an incremental,
interruptible ``briefsearch index`` run).
"""
