"""Helpers for scripts/bench.py: corpus building, query generation, measuring, baselines and tables.

Nothing here is part of the briefsearch package; the benchmark only drives briefsearch from outside
(its CLI in a subprocess, its Python API in a long-lived subprocess).
"""
