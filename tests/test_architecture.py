"""The house keeps its shape: imports go only downward, folder by folder, and each third-party
library has one room."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefsearch"

# Rooms by dotted path under briefsearch (the longest matching prefix wins) and their layer: a
# module may import its own room and rooms of lower layers only.
LAYERS = {
    "__init__": 0, "models": 0, "errors": 0, "durable": 0,
    "text": 1, "query.tree": 1,
    "ingest": 2,
    "engine": 3,
    "indexing": 4,
    "query": 5,
    "present": 6,
    "web": 7,
    "cli": 8, "__main__": 8,
}
# Third-party imports allowed only in these rooms.
THIRD_PARTY = {"whoosh": {"engine.whoosh"}, "tantivy": {"engine.tantivy"}, "click": {"cli"}, "bs4": {"ingest.extract"},
               "lxml": {"ingest.extract"}, "htmldate": {"ingest.extract"}, "yaml": {"ingest.extract"},
               "readability": {"ingest.extract"}, "matplotlib": {"present.plots"},
               "starlette": {"web"}, "jinja2": {"web"}, "uvicorn": {"web"}, "markupsafe": {"web"}, "anyio": {"web"},
               "numpy": {"engine.whoosh"}}


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _room(dotted: str, table) -> str | None:
    candidates = [room for room in table if dotted == room or dotted.startswith(room + ".")]
    return max(candidates, key=len, default=None)


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = [alias.name for alias in node.names if _is_module(f"{node.module}.{alias.name}")]
            if submodules:  # "from briefsearch.query import tree" imports query.tree
                yield from ((f"{node.module}.{name}", node.lineno) for name in submodules)
            else:
                yield node.module, node.lineno


def _is_module(dotted: str) -> bool:
    if not dotted.startswith("briefsearch."):
        return False
    path = PACKAGE.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_docstring():
    missing = [str(p.relative_to(PACKAGE)) for p in _modules() if not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []


def test_every_module_has_a_room():
    assert [str(p.relative_to(PACKAGE)) for p in _modules() if _room(_dotted(p), LAYERS) is None] == []


def test_imports_go_downward_and_libraries_stay_in_their_room():
    problems = []
    for path in _modules():
        dotted = _dotted(path)
        room = _room(dotted, LAYERS)
        for module, line in _imports(path):
            top = module.split(".")[0]
            if top == "briefsearch" and module != "briefsearch":
                target = _room(module.removeprefix("briefsearch."), LAYERS)
                if target is not None and target != room and LAYERS[target] > LAYERS[room]:
                    problems.append(f"{dotted}:{line} ({room}, layer {LAYERS[room]}) imports {module} "
                                    f"({target}, layer {LAYERS[target]})")
            elif top in THIRD_PARTY and _room(dotted, {r: 0 for r in THIRD_PARTY[top]}) is None:
                problems.append(f"{dotted}:{line} imports {top}")
    assert problems == []


def test_only_the_whoosh_engine_imports_whoosh():
    importers = {_dotted(p) for p in _modules() for module, _ in _imports(p) if module.split(".")[0] == "whoosh"}
    assert importers and all(m.startswith("engine.whoosh") for m in importers)


def _schema_fields() -> set[str]:
    """The Whoosh schema's field names (``build_schema``'s keywords) that are not also domain words
    (paragraph attributes, keys of the JSON output), which are free to appear as record keys."""
    from dataclasses import fields

    from briefsearch.models import Paragraph
    from briefsearch.present.render import HIT_KEYS

    tree = ast.parse((PACKAGE / "engine" / "whoosh" / "schema.py").read_text(encoding="utf-8"))
    build = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "build_schema")
    call = next(n for n in ast.walk(build) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Schema")
    return {k.arg for k in call.keywords} - {f.name for f in fields(Paragraph)} - set(HIT_KEYS)


def test_nothing_above_the_engine_names_a_schema_field():
    names = _schema_fields()
    assert {"speaker_words", "flags", "pub_day"} <= names
    offenders = []
    for path in _modules():
        dotted = _dotted(path)
        if _room(dotted, LAYERS) not in ("indexing", "query", "present", "cli"):  # the engine's callers
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                offenders.append(f"{dotted}:{node.lineno} {node.value!r}")
    assert offenders == []


def test_no_module_named_index_inside_the_package():
    assert not (PACKAGE / "index.py").exists() and not (PACKAGE / "index").exists()


def test_the_engine_contract_imports_no_engine():
    text = (PACKAGE / "engine" / "api.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(?:from|import) (?:whoosh|tantivy|briefsearch\.engine\.\w+)", text, re.M)
