"""The fault catalog of issue #18, one test per case, end to end through the CLI: each checks the
exit code, the one-line message and the index's counts before and after.

Cases: 1 quadratic sentence splitting, 2 deeply nested JSON, 3 a file that becomes a FIFO,
4 reads sized to the limit, 5 CSV formulas, 6 a damaged segment, 7 damaged side files,
8 escape sequences in names, 9 a garbled CURRENT, 10 file symlinks out of the folder,
11 ``--strict`` and walk-time skips, 12 the smaller ones. Timings are never asserted here; the
growth of each ingest stage is measured by ``scripts/growth.py``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers import invoke, one_line_error, paragraph_count

FORMULAS = (
    '=HYPERLINK("http://evil.example","click")\n\n'
    "@SUM(1+1) the ministers agreed on sanctions against the region.\n\n"
    "-2+3 more sanctions were announced by the State Department today.\n\n"
    "+cmd|calc sanctions\n"
)


def build(tmp_path: Path, files: dict[str, str | bytes], *options) -> tuple[Path, Path]:
    """A corpus folder of ``files`` and its index, built through the CLI."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, body in files.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    index_dir = tmp_path / "index"
    result = invoke("index", corpus, "--index", index_dir, *options)
    assert result.exit_code == 0, result.output
    return corpus, index_dir


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- 5. CSV cells that a spreadsheet would run ------------------------------------------------


def test_5_csv_cells_never_start_a_formula_in_any_command(tmp_path):
    _, index_dir = build(tmp_path, {"evil.txt": FORMULAS})
    before = paragraph_count(index_dir)
    result = invoke("query", "sanctions", "--index", index_dir, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert len(rows) == 3
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [c for c in cells if c[0] in "=+-@\t\r"], cells
    assert rows[0]["title"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert {row["text"] for row in rows} == {
        "'@SUM(1+1) the ministers agreed on sanctions against the region.",
        "'-2+3 more sanctions were announced by the State Department today.",
        "'+cmd|calc sanctions",
    }
    assert rows[0]["paragraph"].isdigit() and float(rows[0]["score"]) > 0  # numbers stay numbers

    shown = invoke("show", rows[0]["id"], "--index", index_dir, "--format", "csv")
    assert shown.exit_code == 0
    assert all(not c or c[0] not in "=+-@" for row in csv_rows(shown.stdout) for c in row.values())
    assert {row["title"] for row in csv_rows(shown.stdout)} == {rows[0]["title"]}

    for command in ("topics", "stats"):
        listing = invoke(command, "--index", index_dir, "--format", "csv")
        assert listing.exit_code == 0
        assert all(not c or c[0] not in "=+-@" for row in csv_rows(listing.stdout) for c in row.values())
    assert paragraph_count(index_dir) == before == 3
