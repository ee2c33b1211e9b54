"""Readers for the IR test collections in ../shared/data/ir_test_collections (TIME, CISI, CRAN, MED, NPL).

Each reader returns a ``Collection``: documents (id, title, body), queries and graded qrels, read
where the files are (never copied). Formats and TIME's corrected judgments are described in that
folder's README.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ir_test_collections"

# A SMART-format field marker: ".I 12", ".T", ".W" ... alone on its line.
_FIELD = re.compile(r"^\.([A-Z])(?:\s+(\S+))?\s*$")


@dataclass(frozen=True)
class Document:
    docno: str
    title: str
    text: str  # paragraphs separated by blank lines


@dataclass(frozen=True)
class Collection:
    name: str
    documents: tuple[Document, ...]
    queries: dict[str, str]  # query id -> query text
    qrels: dict[str, dict[str, int]]  # query id -> document id -> grade (> 0 relevant)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def paragraphs_of(lines: list[str]) -> str:
    """Rejoin hard-wrapped lines; a blank line or an indented line starts a new paragraph."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if not line.strip():
            paragraphs.append([])
            continue
        if not paragraphs or line[:2] == "  ":
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def smart_records(path: Path) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(id, {field letter: lines}) for each ``.I`` record of a SMART-format file."""
    record_id, fields, current = None, {}, None
    for line in _read(path).splitlines():
        marker = _FIELD.match(line)
        if marker and marker.group(1) == "I":
            if record_id is not None:
                yield record_id, fields
            record_id, fields, current = marker.group(2), {}, None
        elif marker and marker.group(2) is None:
            current = fields.setdefault(marker.group(1), [])
        elif current is not None:
            current.append(line)
    if record_id is not None:
        yield record_id, fields


def _smart_documents(path: Path) -> tuple[Document, ...]:
    return tuple(
        Document(
            docno=str(int(rid)),
            title=" ".join(" ".join(f.get("T", [])).split()),
            text=paragraphs_of(f.get("W", [])),
        )
        for rid, f in smart_records(path)
    )


def _smart_queries(path: Path, renumber: bool = False) -> dict[str, str]:
    """Query text is the ``.W`` field; ``renumber`` uses sequential numbers instead of ``.I``."""
    queries = {}
    for seq, (rid, f) in enumerate(smart_records(path), start=1):
        qid = str(seq) if renumber else str(int(rid))
        queries[qid] = " ".join(" ".join(f.get("W", [])).split())
    return queries


def _add(qrels: dict[str, dict[str, int]], qid: str, docno: str, grade: int) -> None:
    judged = qrels.setdefault(str(int(qid)), {})
    judged[str(int(docno))] = max(grade, judged.get(str(int(docno)), 0))


def _slash_blocks(path: Path) -> Iterator[list[str]]:
    """Blocks of lines of the Glasgow NPL files, each ended by a line holding only "/"."""
    block: list[str] = []
    for line in _read(path).splitlines():
        if line.strip() == "/":
            if any(x.strip() for x in block):
                yield block
            block = []
        else:
            block.append(line)
    if any(x.strip() for x in block):
        yield block


def _strip_leading_blank(block: list[str]) -> list[str]:
    while block and not block[0].strip():
        block = block[1:]
    return block


def read_time(root: Path = DATA_DIR) -> Collection:
    """TIME, with the corrected binary judgments (qrels doc ids are *TEXT numbers)."""
    folder = root / "time"
    documents = []
    for line in _read(folder / "time_docs.jsonl").splitlines():
        record = json.loads(line)
        documents.append(Document(docno=record["docno"], title="", text=record["text"]))
    queries = {}
    for line in _read(folder / "time_queries.tsv").splitlines():
        qid, text = line.split("\t", 1)
        queries[qid] = text.strip()
    qrels: dict[str, dict[str, int]] = {}
    for line in _read(folder / "time_qrels.corrected.trec").splitlines():
        qid, _, docno, grade = line.split()
        _add(qrels, qid, docno, int(grade))
    return Collection("time", tuple(documents), queries, qrels)


def read_cisi(root: Path = DATA_DIR) -> Collection:
    """CISI: title + abstract; query text is ``.W``; binary judgments (76 judged queries)."""
    folder = root / "classic" / "cisi"
    qrels: dict[str, dict[str, int]] = {}
    for line in _read(folder / "CISI.REL").splitlines():
        if line.strip():
            qid, docno = line.split()[:2]
            _add(qrels, qid, docno, 1)
    return Collection(
        "cisi", _smart_documents(folder / "CISI.ALL"), _smart_queries(folder / "CISI.QRY"), qrels
    )


def read_cran(root: Path = DATA_DIR) -> Collection:
    """CRAN: graded qrels, Cleverdon code 1 (complete answer) .. 4 (minimum interest) -> gain 4 .. 1.

    Code -1 lines are dropped. The qrels number the queries 1..225 in file order, not by ``.I``.
    """
    folder = root / "classic" / "cran"
    qrels: dict[str, dict[str, int]] = {}
    for line in _read(folder / "cranqrel").splitlines():
        if line.strip():
            qid, docno, code = line.split()[:3]
            if 1 <= int(code) <= 4:
                _add(qrels, qid, docno, 5 - int(code))
    queries = _smart_queries(folder / "cran.qry", renumber=True)
    return Collection("cran", _smart_documents(folder / "cran.all.1400"), queries, qrels)


def read_med(root: Path = DATA_DIR) -> Collection:
    """MED (Medline): abstracts only, no titles; binary judgments."""
    folder = root / "classic" / "med"
    qrels: dict[str, dict[str, int]] = {}
    for line in _read(folder / "MED.REL").splitlines():
        if line.strip():
            qid, _, docno, grade = line.split()[:4]
            _add(qrels, qid, docno, int(grade))
    return Collection(
        "med", _smart_documents(folder / "MED.ALL"), _smart_queries(folder / "MED.QRY"), qrels
    )


def read_npl(root: Path = DATA_DIR) -> Collection:
    """NPL (Vaswani): "/"-terminated blocks whose first line is the id; binary judgments."""
    folder = root / "classic" / "npl"
    documents = []
    for block in _slash_blocks(folder / "doc-text"):
        block = _strip_leading_blank(block)
        documents.append(Document(str(int(block[0])), "", paragraphs_of(block[1:])))
    queries = {}
    for block in _slash_blocks(folder / "query-text"):
        block = _strip_leading_blank(block)
        queries[str(int(block[0]))] = " ".join(" ".join(block[1:]).split())
    qrels: dict[str, dict[str, int]] = {}
    for block in _slash_blocks(folder / "rlv-ass"):
        block = _strip_leading_blank(block)
        for docno in " ".join(block[1:]).split():
            _add(qrels, block[0].strip(), docno, 1)
    return Collection("npl", tuple(documents), queries, qrels)


READERS = {
    "time": read_time,
    "cisi": read_cisi,
    "cran": read_cran,
    "med": read_med,
    "npl": read_npl,
}


def read_collection(name: str, root: Path = DATA_DIR) -> Collection:
    return READERS[name](root)
