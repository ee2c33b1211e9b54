"""Measure main-content extraction on real web pages: token F1 of the indexed text against the text
a reader keeps, title, byline and date agreement, for briefsearch and (when installed) trafilatura
and readability-lxml on the same pages.

Run from the project root:  python scripts/eval_extraction.py [--data DIR] [--worst N] [--pages a,b]
                            python scripts/eval_extraction.py --corpora   (the briefing corpora's counts)

The pages are Mozilla Readability's test pages in ../shared/data/web_pages_readability (its README
says how to score): lowercase word tokens (CJK one character per token), multiset overlap with
expected.txt; titles exact after whitespace collapse; dates as the calendar day of publishedTime.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefsearch.ingest.extract import extract_articles  # noqa: E402
from briefsearch.ingest.sources import SourceFile  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "web_pages_readability"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(text.lower()))


def f1(got: str, expected: str) -> tuple[float, float, float]:
    a, b = tokens(got), tokens(expected)
    overlap = sum((a & b).values())
    if not a or not b:
        return 0.0, 0.0, 1.0 if not a and not b else 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return precision, recall, (2 * precision * recall / (precision + recall) if overlap else 0.0)


def _collapse(text) -> str:
    return " ".join(str(text or "").split())


def briefsearch_page(path: Path, html: str) -> dict:
    source = SourceFile(str(path), len(html), 0, key=str(path))
    article = extract_articles(source, html)[0]
    return {"text": "\n\n".join(block.text for block in article.blocks), "title": article.title,
            "byline": article.author, "date": article.date}


def trafilatura_page(path: Path, html: str) -> dict:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_recall=False)
    found = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    return {"text": found.get("text") or "", "title": found.get("title"), "byline": found.get("author"),
            "date": found.get("date")}


def readability_page(path: Path, html: str) -> dict:
    import lxml.html
    from readability import Document

    document = Document(html)
    summary = document.summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return {"text": text, "title": document.short_title(), "byline": None, "date": None}


def _available(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def pages(data: Path, only: set[str] | None):
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        if only and folder.name not in only:
            continue
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        expected = (folder / "expected.txt").read_text(encoding="utf-8", errors="replace")
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        yield folder, html, expected, meta


def score(name, extractor, corpus) -> dict:
    rows = []
    for folder, html, expected, meta in corpus:
        try:
            got = extractor(folder / "source.html", html)
            error = None
        except Exception as exc:  # noqa: BLE001 - an extractor failing on a page scores 0 there
            got, error = {"text": "", "title": None, "byline": None, "date": None}, f"{type(exc).__name__}: {exc}"
        precision, recall, value = f1(got["text"], expected)
        day = (meta.get("publishedTime") or "")[:10] or None
        rows.append({
            "page": folder.name, "f1": value, "precision": precision, "recall": recall, "error": error,
            "title_ok": _collapse(got["title"]) == _collapse(meta.get("title")),
            "title": got["title"], "expected_title": meta.get("title"),
            "byline_ok": bool(meta.get("byline")) and _collapse(got["byline"]).lower() == _collapse(meta.get("byline")).lower(),
            "has_byline": bool(meta.get("byline")),
            "has_date": day is not None, "date": got["date"], "expected_date": day,
            "date_ok": day is not None and str(got["date"] or "")[:10] == day,
        })
    return {"name": name, "rows": rows}


def summary_line(result) -> str:
    rows = result["rows"]
    values = [r["f1"] for r in rows]
    dated = [r for r in rows if r["has_date"]]
    bylined = [r for r in rows if r["has_byline"]]
    return (f"{result['name']:<18} mean F1 {statistics.mean(values):.3f}  median {statistics.median(values):.3f}  "
            f"P {statistics.mean(r['precision'] for r in rows):.3f}  R {statistics.mean(r['recall'] for r in rows):.3f}  "
            f"below 0.5: {sum(v < 0.5 for v in values)}  "
            f"titles {sum(r['title_ok'] for r in rows)}/{len(rows)} ({sum(r['title_ok'] for r in rows) / len(rows):.0%})  "
            f"bylines {sum(r['byline_ok'] for r in bylined)}/{len(bylined)}  "
            f"dates {sum(r['date_ok'] for r in dated)}/{len(dated)}"
            + (f" ({sum(r['date_ok'] for r in dated) / len(dated):.0%})" if dated else ""))


CORPORA = {
    "state": ROOT.parent / "shared" / "data" / "state_dept_press_releases" / "items.jsonl",
    "whitehouse": ROOT.parent / "shared" / "data" / "whitehouse_briefing_room" / "items.jsonl",
    "covid-pages": ROOT.parent / "shared" / "data" / "wh_covid_taskforce_2020_fullpages" / "raw_html",
}


def corpus_counts() -> None:
    """Articles, paragraphs, transcript turns and paragraphs with a speaker on the briefing corpora,
    through the same extract → chunk → enrich path as ``briefsearch index``: these must not regress."""
    from briefsearch.ingest.enrich import Enricher
    from briefsearch.ingest.pipeline import ingest_file
    from briefsearch.ingest.sources import find_sources

    for name, path in CORPORA.items():
        if not path.exists():
            print(f"{name}: not found at {path}")
            continue
        sources, _ = find_sources([str(path)])
        enricher = Enricher()
        articles = paragraphs = turns = spoken = dated = 0
        for source in sources:
            found, entry = ingest_file(source, enricher, 20_000_000)
            articles += entry["articles"]
            paragraphs += len(found)
            turns += sum(p.is_turn for p in found)
            spoken += sum(p.speaker is not None for p in found)
            dated += sum(p.date is not None for p in found)
        print(f"{name:<12} {articles:6,} articles  {paragraphs:7,} paragraphs  {turns:6,} turns  "
              f"{spoken:6,} with a speaker  {dated:7,} dated")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--worst", type=int, default=10, help="list this many lowest-F1 pages of briefsearch")
    parser.add_argument("--pages", help="comma-separated page folder names (default: all)")
    parser.add_argument("--only-briefsearch", action="store_true", help="skip the other extractors")
    parser.add_argument("--misses", action="store_true", help="list briefsearch's wrong titles and dates")
    parser.add_argument("--corpora", action="store_true", help="only the briefing corpora's counts")
    args = parser.parse_args(argv)
    if args.corpora:
        corpus_counts()
        return 0
    if not args.data.is_dir():
        print(f"no test pages at {args.data} — the shared data folder is needed", file=sys.stderr)
        return 1
    corpus = list(pages(args.data, set(args.pages.split(",")) if args.pages else None))
    print(f"{len(corpus)} pages from {args.data}")
    results = [score("briefsearch", briefsearch_page, corpus)]
    if not args.only_briefsearch:
        for name, module, extractor in (("trafilatura", "trafilatura", trafilatura_page),
                                        ("readability-lxml", "readability", readability_page)):
            if _available(module):
                results.append(score(name, extractor, corpus))
            else:
                print(f"{name}: not installed (pip install {name})")
    for result in results:
        print(summary_line(result))
    mine = results[0]["rows"]
    print(f"\nworst {args.worst} pages (briefsearch):")
    for row in sorted(mine, key=lambda r: r["f1"])[:args.worst]:
        print(f"  {row['f1']:.3f}  P {row['precision']:.3f} R {row['recall']:.3f}  {row['page']}"
              + (f"  ERROR {row['error']}" if row["error"] else ""))
    if args.misses:
        print("\ntitles missed:")
        for row in mine:
            if not row["title_ok"]:
                print(f"  {row['page']}: {row['title']!r} expected {row['expected_title']!r}")
        print("\ndates missed:")
        for row in mine:
            if row["has_date"] and not row["date_ok"]:
                print(f"  {row['page']}: {row['date']!r} expected {row['expected_date']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
