"""The house keeps its shape: imports go only downward, and each third-party library has one room."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefsearch"

LAYERS = {
    "models": 0, "errors": 0, "textnorm": 0, "sentences": 0,
    "sources": 1, "extract": 1, "chunking": 1, "enrich": 1, "querylang": 1, "storage": 1,
    "pipeline": 2,
    "indexer": 4,
    "engine": 3,
    "snippets": 4, "feedback": 4, "search": 4, "spelling": 1, "output": 4, "collection": 4,
    "cli": 5, "__main__": 5, "__init__": 0,
}
# Third-party imports allowed per room (None: any room may use it).
THIRD_PARTY = {"whoosh": {"engine"}, "click": {"cli"}, "bs4": {"extract"}, "lxml": {"extract"}}


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def test_every_module_has_a_docstring():
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []


def test_imports_go_downward_and_libraries_stay_in_their_room():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        room = _room(path)
        assert room in LAYERS, f"new module {room}: add it to LAYERS"
        for module, line in _imports(path):
            top = module.split(".")[0]
            if top == "briefsearch" and module != "briefsearch":
                target = module.split(".")[1]
                if target != room and LAYERS[target] > LAYERS[room]:
                    problems.append(f"{path.name}:{line} {room} (layer {LAYERS[room]}) imports {target} (layer {LAYERS[target]})")
            elif top in THIRD_PARTY and room not in THIRD_PARTY[top]:
                problems.append(f"{path.name}:{line} {room} imports {top}")
    assert problems == []


def test_no_module_named_index_inside_the_package():
    assert not (PACKAGE / "index.py").exists() and not (PACKAGE / "index").exists()
