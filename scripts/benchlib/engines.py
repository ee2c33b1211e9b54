"""The engines the benchmark drives, each as the commands that index, query warm and query cold.

Every command runs in a child process: the two baselines as the scripts beside this module, and
briefsearch through its own CLI (``python -m briefsearch``) and its Python API (briefsearch_warm.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchlib.briefsearch_warm import query_args

HERE = Path(__file__).resolve().parent


# Children cache bytecode outside the repository, as an installed package would have it; without
# this (PYTHONDONTWRITEBYTECODE is set here) every cold query would recompile briefsearch.
PYCACHE = Path("/tmp/briefsearch-bench/pycache")


def child_env(extra_path: list[str] = ()) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, extra_path), *filter(None, [env.get("PYTHONPATH")])])
    return env


@dataclass
class Engine:
    key: str
    label: str
    index_cmd: list
    warm_cmd: list
    cold_cmd: object  # callable(index_dir, query) -> argv
    env: dict = field(default_factory=child_env)
    cwd: str | None = None
    is_baseline: bool = True


def _script_engine(key: str, label: str, script: str, corpus) -> Engine:
    path = str(HERE / script)
    return Engine(
        key=key, label=label,
        index_cmd=[sys.executable, path, "index", str(corpus.paragraphs_file)],
        warm_cmd=[sys.executable, path, "warm"],
        cold_cmd=lambda idx, q: [sys.executable, path, "query", str(idx), json.dumps(q)],
    )


def textbook_whoosh(corpus) -> Engine:
    return _script_engine("whoosh", "Whoosh textbook", "textbook_whoosh.py", corpus)


def sqlite_fts5(corpus) -> Engine:
    return _script_engine("fts5", "SQLite FTS5", "sqlite_fts5.py", corpus)


def raw_tantivy(corpus) -> Engine:
    return _script_engine("tantivy", "tantivy raw", "raw_tantivy.py", corpus)


BASELINES = {"whoosh": textbook_whoosh, "fts5": sqlite_fts5, "tantivy": raw_tantivy}


def briefsearch_env(root: Path) -> dict:
    return child_env([root, HERE.parent])


def briefsearch_unavailable(root: Path) -> str | None:
    """None when briefsearch's search and pipeline import from ``root``, else the reason."""
    probe = subprocess.run([sys.executable, "-c", "import briefsearch.query.searcher, briefsearch.ingest.pipeline"],
                           cwd=root, env=briefsearch_env(root), capture_output=True, text=True)
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or ["import failed"])[-1]


def _cold_args(idx, query) -> list[str]:
    text, filters = query_args(query)
    args = ["query", text, "--index", str(idx)]
    for name, value in filters.items():
        args += [f"--{name}", value]
    return args


def briefsearch(corpus, root: Path, entry_point: bool = False, name: str = "", engine: str = "whoosh") -> Engine:
    """briefsearch indexed with its CLI, queried warm via Searcher and cold via the CLI.

    ``name`` labels a second copy of the package (``--compare NAME=ROOT``) measured side by side;
    ``engine`` is the search engine of the index it builds (``index --engine``).
    """
    launcher = [sys.executable, "-m", "briefsearch"]
    key, label = ("briefsearch", "briefsearch") if not name else (f"briefsearch@{name}", f"bs {name}")
    if engine != "whoosh":
        key, label = f"{key}-{engine}", f"{label} {engine}"
    if entry_point:
        launcher, key, label = [shutil.which("briefsearch")], "briefsearch-cli", "briefsearch (entry point)"
    index_cmd = [*launcher, "index", *map(str, corpus.index_paths), "--engine", engine, "--index"]
    if getattr(corpus, "fed", None):  # a fed corpus: its extracted paragraphs, written without ingest
        index_cmd = [sys.executable, str(HERE / "fed_index.py"), "index", str(corpus.fed), engine]
    return Engine(
        key=key, label=label,
        index_cmd=index_cmd,
        warm_cmd=[sys.executable, str(HERE / "briefsearch_warm.py")],
        cold_cmd=lambda idx, q: [*launcher, *_cold_args(idx, q)],
        env=briefsearch_env(root), cwd=str(root), is_baseline=False,
    )
