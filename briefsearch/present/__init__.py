"""Presenting: what the library found, as text, JSON, JSON Lines and CSV, and the listings.

``render`` (results and records in each output format), ``listings`` (stats, check, speakers,
topics, acronyms, quotes).
"""
