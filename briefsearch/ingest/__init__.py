"""Ingest: from the user's files to enriched paragraphs, one source file at a time.

``sources`` (finding and reading files) → ``extract`` (articles out of HTML, text, JSON, feeds) →
``chunking`` (paragraphs) → ``enrich`` (speakers, topics, acronyms); ``pipeline`` runs them for
one file. Nothing here writes an index.
"""
