"""Benchmark corpora of real paragraphs from the shared State Department and White House exports.

The exports are read in place. Each record's ``content_html`` is split into paragraphs with two
regular expressions (closing block tags, and ``<br>``-runs such as ``<br>&nbsp;<br>``), which is
light and fast and only serves the corpus builder; briefsearch does its own extraction.

How a corpus of ``size`` paragraphs is made (``seed`` fixes everything):

* the pool is every non-empty paragraph of every record of both exports (about 115k paragraphs in
  4,348 articles), each kept with its inner HTML (bold speaker labels such as
  ``<strong>MR PRICE: </strong>``, ``Q&nbsp;&nbsp;`` turns, section anchors, entities);
* if ``size`` is at most the pool, whole real articles are taken in a seeded shuffled order until
  ``size`` paragraphs are reached (the last article is cut short), so the text is real articles;
* otherwise articles are resampled: article n takes its title, date, creator, link and categories
  from a real record drawn with ``random.Random(seed)``, its length k from the paragraph count of
  another real record drawn the same way, and its k paragraphs drawn uniformly from the pool with
  replacement. A paragraph keeps its own HTML, so speaker labels and anchors stay in the text, but
  an unlabelled paragraph that continued a speaker's turn now follows whatever precedes it.

Files are JSON Lines (``id, title, published, creator, link, categories, content_html`` with one
``<p>`` per paragraph), about 1,000 articles per file. Beside them, ``paragraphs.jsonl`` holds the
same paragraphs as plain text with article id, title, date, speaker and topic for the baselines,
and ``queries.json`` the generated queries. A corpus is reused when its manifest matches.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

CORPUS_VERSION = 1
ARTICLES_PER_FILE = 1000
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SOURCES = (
    SHARED_DATA / "state_dept_press_releases" / "items.jsonl",
    SHARED_DATA / "whitehouse_briefing_room" / "items.jsonl",
)

# Paragraph boundaries: a closing block tag, or two <br> with only whitespace / &nbsp; between.
# (No nested quantifiers: \s also matches \xa0, and overlapping alternatives backtrack badly.)
_BOUNDARY = re.compile(
    r"</(?:p|h[1-6]|li|div|blockquote|figure|td|tr|table|ul|ol)\s*>"
    r"|<br\s*/?>(?:\s|&nbsp;|&#160;)*<br\s*/?>",
    re.I,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|div|blockquote|figure|figcaption|td|tr|th|tbody|thead|table|ul|ol|hr|img|input)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_ANCHOR = re.compile(r'<a\s+id="post-\d+-([A-Za-z][A-Za-z0-9]*?)\d*"', re.I)
# A speaker label opening a paragraph: "MR PRICE:", "MS. PSAKI:", "QUESTION:", or "Q" + spaces.
_LABEL = re.compile(r"^(?:(Q)\s{2,}|([A-Z][A-Z.'\u2019\- ]{0,48}[A-Z.]|Q):)")
_NOT_SPEAKERS = {"END", "SUBJECT", "NOTE", "VESSEL NAME", "VESSEL FLAG", "IMO", "AKA", "DOB"}
_HONORIFICS = {
    "MR", "MS", "MRS", "DR", "SECRETARY", "AMBASSADOR", "GENERAL", "ADMIRAL", "SENATOR",
    "GOVERNOR", "MAYOR", "DEPUTY", "ADMINISTRATOR", "PRESIDENT", "PRIME", "MINISTER", "FOREIGN",
}


@dataclass(frozen=True)
class SourceParagraph:
    """One real paragraph: its inner HTML, plain text and the speaker/topic keys baselines index."""

    html: str
    text: str
    speaker: str  # "" or a lowercase key: a surname ("psaki"), "question", a role ("the-president")
    topic: str  # "" or the lowercase State Department section label in force ("iran")


@dataclass(frozen=True)
class SourceArticle:
    record: dict  # the real record without content_html
    paragraphs: tuple[SourceParagraph, ...]


def split_paragraphs(content_html: str) -> list[tuple[str, str]]:
    """Return (inner_html, plain_text) for each non-empty paragraph of an HTML body."""
    out = []
    for part in _BOUNDARY.split(content_html):
        inner = _BLOCK_TAG.sub(" ", part).strip()
        text = " ".join(html.unescape(_TAG.sub(" ", inner)).split())
        if text:
            out.append((inner, text))
    return out


def speaker_key(inner_html: str) -> str | None:
    """The lowercase speaker key of a labelled paragraph, or None when it opens with no label."""
    raw = html.unescape(_TAG.sub("", inner_html)).lstrip()
    match = _LABEL.match(raw)
    if not match:
        return None
    label = " ".join((match.group(1) or match.group(2)).replace(".", " ").split())
    if label in _NOT_SPEAKERS or len(label.split()) > 5:
        return None
    if label in ("Q", "QUESTION"):
        return "question"
    words = label.split()
    if words[0] == "THE" or len(words) == 1 or words[0] not in _HONORIFICS:
        return "-".join(words).lower()
    return words[-1].lower()


def read_articles(sources=SOURCES, limit: int | None = None) -> list[SourceArticle]:
    """The records of the exports (the first ``limit`` of each) with their paragraphs."""
    articles = []
    for path in sources:
        with open(path, encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if limit is not None and n >= limit:
                    break
                record = json.loads(line)
                body = record.pop("content_html", "") or ""
                paragraphs = _label_paragraphs(split_paragraphs(body))
                if paragraphs:
                    articles.append(SourceArticle(record, tuple(paragraphs)))
    return articles


def _label_paragraphs(parts: list[tuple[str, str]]) -> list[SourceParagraph]:
    """Speaker and topic per paragraph; an unlabelled paragraph continues the last speaker."""
    speaker = topic = ""
    out = []
    for inner, text in parts:
        anchor = _ANCHOR.search(inner)
        if anchor:
            topic = anchor.group(1).lower()
        key = speaker_key(inner)
        if key is not None:
            speaker = key
        out.append(SourceParagraph(inner, text, speaker, topic))
    return out


def sample_articles(articles: list[SourceArticle], size: int, seed: int) -> list[dict]:
    """``size`` paragraphs as article dicts (see the module docstring for how they are chosen)."""
    pool_size = sum(len(a.paragraphs) for a in articles)
    if size <= pool_size:
        return _real_articles(articles, size, seed)
    return _resampled_articles(articles, size, seed)


def whole_articles(articles, size: int, seed: int, paragraphs_of, with_paragraphs) -> list:
    """Articles in a seeded shuffled order until they hold ``size`` paragraphs, the last cut short:
    ``with_paragraphs(article, its first paragraphs)`` for each (``fed_corpus.py`` too)."""
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    out, left = [], size
    for i in order:
        if left <= 0:
            break
        taken = paragraphs_of(articles[i])[:left]
        out.append(with_paragraphs(articles[i], taken))
        left -= len(taken)
    return out


def _real_articles(articles, size, seed):
    return whole_articles(articles, size, seed, lambda a: a.paragraphs,
                          lambda a, taken: {**a.record, "paragraphs": taken})


def _resampled_articles(articles, size, seed):
    rng = random.Random(seed)
    pool = [p for a in articles for p in a.paragraphs]
    out, left, n = [], size, 0
    while left > 0:
        template = rng.choice(articles).record
        k = min(left, len(rng.choice(articles).paragraphs))
        taken = tuple(rng.choice(pool) for _ in range(k))
        out.append({
            **template,
            "id": f"bench-{seed}-{size}-{n}",
            "link": f"{template.get('link', '')}?bench={n}",
            "paragraphs": taken,
        })
        left -= k
        n += 1
    return out


def to_record(article: dict) -> dict:
    """The JSON record briefsearch ingests, with one <p> per paragraph."""
    body = "\n".join(f"<p>{p.html}</p>" for p in article["paragraphs"])
    fields = ("id", "title", "published", "creator", "link", "categories")
    return {**{f: article.get(f) for f in fields}, "content_html": body}


@dataclass(frozen=True)
class Corpus:
    """A built corpus on disk."""

    root: Path
    size: int
    articles: int
    files: tuple[Path, ...]
    docs_dir: Path  # the folder given to ``briefsearch index``
    paragraphs_file: Path  # plain paragraphs with metadata, for the baselines
    queries_file: Path
    resampled: bool
    reused: bool
    sources: tuple[Path, ...] = ()  # the real files indexed in place (the archive corpus), else docs_dir
    fed: Path | None = None  # a fed corpus's briefsearch paragraphs (``fed_corpus.py``), indexed without ingest
    fed_extraction: dict | None = None  # how long briefsearch took to extract and enrich a fed corpus's pool

    @property
    def index_paths(self) -> tuple[Path, ...]:
        """What ``briefsearch index`` is given."""
        return self.sources or (self.docs_dir,)


def source_fingerprint(sources=SOURCES) -> list:
    return [[str(p), p.stat().st_size, int(p.stat().st_mtime)] for p in sources]


def build_corpus(workdir: Path, size: int, seed: int, make_queries, sources=SOURCES) -> Corpus:
    """Build (or reuse) the corpus of ``size`` paragraphs under ``workdir``.

    ``make_queries(paragraph_dicts, seed)`` returns the query list stored with the corpus; its
    ``version`` attribute is part of the cache key.
    """
    root = Path(workdir) / f"corpus-{size}-seed{seed}"
    params = {"version": CORPUS_VERSION, "size": size, "seed": seed,
              "sources": source_fingerprint(sources), "articles_per_file": ARTICLES_PER_FILE,
              "queries_version": getattr(make_queries, "version", 0)}
    manifest = root / "manifest.json"
    if manifest.exists():
        stored = json.loads(manifest.read_text())
        if stored.get("params") == params:
            return _corpus_from_manifest(root, stored, reused=True)
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    (tmp / "docs").mkdir(parents=True)
    articles = read_articles(sources)
    pool_size = sum(len(a.paragraphs) for a in articles)
    chosen = sample_articles(articles, size, seed)
    files = _write_docs(tmp / "docs", chosen)
    flat = _write_paragraphs(tmp / "paragraphs.jsonl", chosen)
    (tmp / "queries.json").write_text(json.dumps(make_queries(flat, seed), indent=1))
    stored = {"params": params, "articles": len(chosen), "paragraphs": size,
              "pool_paragraphs": pool_size, "resampled": size > pool_size,
              "files": [f.name for f in files]}
    (tmp / "manifest.json").write_text(json.dumps(stored, indent=1))
    os.replace(tmp, root)
    return _corpus_from_manifest(root, stored, reused=False)


def _corpus_from_manifest(root: Path, stored: dict, reused: bool) -> Corpus:
    return Corpus(
        root=root, size=stored["paragraphs"], articles=stored["articles"],
        files=tuple(root / "docs" / name for name in stored["files"]),
        docs_dir=root / "docs", paragraphs_file=root / "paragraphs.jsonl",
        queries_file=root / "queries.json", resampled=stored["resampled"], reused=reused,
    )


def _write_docs(folder: Path, chosen: list[dict]) -> list[Path]:
    files = []
    for start in range(0, len(chosen), ARTICLES_PER_FILE):
        path = folder / f"articles-{start // ARTICLES_PER_FILE + 1:04d}.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for article in chosen[start:start + ARTICLES_PER_FILE]:
                out.write(json.dumps(to_record(article), ensure_ascii=False) + "\n")
        files.append(path)
    return files


def _write_paragraphs(path: Path, chosen: list[dict]) -> list[dict]:
    flat = []
    with open(path, "w", encoding="utf-8") as out:
        for article in chosen:
            for position, p in enumerate(article["paragraphs"], 1):
                row = {"id": f"{article['id']}#p{position}", "article_id": article["id"],
                       "title": article.get("title") or "", "date": article.get("published"),
                       "speaker": p.speaker, "topic": p.topic, "body": p.text}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                flat.append(row)
    return flat


# --- the real-archive corpus -----------------------------------------------------------------

ARCHIVE = SHARED_DATA / "whitehouse_archive_md"
ARCHIVE_SOURCES = (ARCHIVE, *SOURCES)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_TITLE = re.compile(r"^title:\s*(.*(?:\n  .*)*)", re.M)


def _markdown_article(path: Path) -> tuple[str, str | None, list[str]]:
    """(title, date, paragraph texts) of one archive page, split on blank lines (for the baselines)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    title, date = path.stem, None
    front = _FRONT.match(text)
    if front:
        head = front.group(1)
        found = _TITLE.search(head)
        if found:
            title = " ".join(found.group(1).replace("\\\n", " ").split()).strip("\"'").replace("\\_", " ").replace("\\", "")
        day = re.search(r"^date:\s*'?([0-9-]{10})", head, re.M)
        date = day.group(1) if day else None
        text = text[front.end():]
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return title, date, [p for p in paragraphs if p]


def build_archive_corpus(workdir: Path, seed: int, make_queries) -> Corpus:
    """The real archives as they are: the Markdown White House archive and both exports, indexed
    in place (nothing resampled, nothing copied). ``paragraphs.jsonl`` (for the baselines and the
    queries) holds their paragraphs split as the corpus builder splits them: export bodies by block
    tags, Markdown pages on blank lines."""
    root = Path(workdir) / f"corpus-archive-seed{seed}"
    md_files = sorted(ARCHIVE.rglob("*.md"))
    params = {"version": CORPUS_VERSION, "archive": True, "seed": seed, "sources": source_fingerprint(SOURCES),
              "archive_files": len(md_files), "queries_version": getattr(make_queries, "version", 0)}
    manifest = root / "manifest.json"
    if manifest.exists():
        stored = json.loads(manifest.read_text())
        if stored.get("params") == params:
            return _archive_from_manifest(root, stored, reused=True)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    flat = []
    with open(root / "paragraphs.jsonl", "w", encoding="utf-8") as out:
        def emit(row):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            flat.append(row)

        articles = 0
        for article in read_articles(SOURCES):
            articles += 1
            record = article.record
            article_id = str(record.get("id") or record.get("link") or articles)
            for position, p in enumerate(article.paragraphs, 1):
                emit({"id": f"{article_id}#p{position}", "article_id": article_id, "title": record.get("title") or "",
                      "date": record.get("published"), "speaker": p.speaker, "topic": p.topic, "body": p.text})
        for path in md_files:
            if path.name == "README.md":
                continue
            articles += 1
            title, date, paragraphs = _markdown_article(path)
            speaker = ""
            for position, text in enumerate(paragraphs, 1):
                key = speaker_key(html.escape(text))
                speaker = key if key is not None else speaker
                emit({"id": f"{path.stem}#p{position}", "article_id": path.stem, "title": title, "date": date,
                      "speaker": speaker, "topic": "", "body": text})
    (root / "queries.json").write_text(json.dumps(make_queries(flat, seed), indent=1))
    stored = {"params": params, "articles": articles, "paragraphs": len(flat), "pool_paragraphs": len(flat),
              "resampled": False, "files": [str(p) for p in ARCHIVE_SOURCES]}
    manifest.write_text(json.dumps(stored, indent=1))
    return _archive_from_manifest(root, stored, reused=False)


def _archive_from_manifest(root: Path, stored: dict, reused: bool) -> Corpus:
    return Corpus(
        root=root, size=stored["paragraphs"], articles=stored["articles"],
        files=tuple(Path(p) for p in stored["files"]), docs_dir=root, paragraphs_file=root / "paragraphs.jsonl",
        queries_file=root / "queries.json", resampled=False, reused=reused, sources=ARCHIVE_SOURCES,
    )
