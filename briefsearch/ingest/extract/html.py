"""HTML pages and fragments to blocks: the block builder, furniture removal, section anchors,
transcript turn labels, and page metadata (title, date, author, URL). Uses bs4 with the lxml parser.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from briefsearch.ingest.extract.common import _file_title, article_id, iso_date
from briefsearch.models import Article, Block
from briefsearch.text.normalize import clean_line, clean_text

# Never text a reader reads as the article.
_NON_TEXT_TAGS = frozenset(
    "script style noscript template iframe svg canvas button select textarea input label head title meta link "
    "object embed video audio map dialog form".split()
    # a formula's TeX or content-markup twin inside MathML: the formula is read once, as displayed
) | frozenset({"annotation", "annotation-xml"})
_DROP_TAGS = _NON_TEXT_TAGS | frozenset("nav header footer aside".split())
# A figure's caption is a block of its own kind: never joined to the prose around it (chunking
# joins only "p" fragments); the image's alt text is not text a reader reads.
_BLOCK_KINDS = {"li": "li", "dt": "li", "dd": "li", "figcaption": "caption", **{f"h{n}": "heading" for n in range(1, 7)}}
_BLOCK_TAGS = frozenset(
    "p div section article main body html ul ol dl blockquote table thead tbody tfoot tr caption "
    "figure figcaption pre address hr center details summary fieldset".split()
) | frozenset(_BLOCK_KINDS)
_CELL_TAGS = frozenset({"td", "th"})
_BOLD_TAGS = frozenset({"strong", "b"})
_PROTECTED = frozenset({"html", "body", "main", "article"})
# Site furniture inside the content area, by class or id prefix (cookie banners, share bars,
# related links). Prefixes only: WordPress puts "category-sharing" on real articles.
_FURNITURE = re.compile(
    r"^(?:cookie|consent|gdpr|related|newsletter|subscribe|breadcrumb|sidebar|"
    r"skip-link|promo|advert|popup|modal|comment-respond|comments-area|page-header|meta(?:$|[-_])|"
    r"post-meta|entry-meta|byline)",
    re.IGNORECASE,
)
# "share"/"sharing"/"social" mark furniture only with furniture words after them ("social-links",
# "share-buttons", "sharing"): "sharing-with-multiple-developers" or a briefing's
# "social-security-reform" section is content.
_SHARE_FURNITURE = re.compile(
    r"^(?:share|sharing|social|sharethis|addthis)(?:[-_](?:share|sharing|social|bar|bars|buttons?|btns?|links?|icons?|tools?|toolbar|"
    r"media|widget|box|container|wrapper|wrap|menu|nav|list|top|bottom|follow|footer|header|inline|"
    r"article|post|page|panel|module|block|area|options|services|networks?|count|counts|\d+))*$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
                           re.IGNORECASE)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_SECTION_ANCHOR = re.compile(r"post-\d+-(\S+)")
# A transcript turn that opens right after a single <br>: "MS. PSAKI:", "Q   Thanks", "Q:".
_TURN_LABEL = re.compile(
    r"(?:Q(?::|[ \xa0]+(?=[A-Z(\"'\u201c\u2018])|$)"
    r"|[A-Z][A-Z.'\u2019\-]+(?:[ \xa0]+[A-Z][A-Z.'\u2019\-]*){0,7}[ \xa0]*:)"
)


def _html_spaces(text: str) -> str:
    """Line breaks in HTML source are plain spaces (only <br> breaks a line)."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    return text


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


_BR, _BOLD_ON, _BOLD_OFF = _Marker("br"), _Marker("bold-on"), _Marker("bold-off")


class _BlockBuilder:
    """Collects the text of a walk over an HTML tree and cuts it into blocks."""

    def __init__(self, title: str = ""):
        self.blocks: list[Block] = []
        self.pieces: list = []
        self.kinds = ["p"]
        self.section: str | None = None
        self.anchored = False  # once an editor anchor is seen, headings no longer set the section
        self.title_key = title.casefold()

    def anchor(self, label: str) -> None:
        if any(isinstance(piece, str) and piece.strip() for piece in self.pieces):
            self.flush()
        self.section = label
        self.anchored = True

    def flush(self) -> None:
        if not self.pieces:
            return
        kind = self.kinds[-1]
        for text, label in _segments(self.pieces):
            if kind == "heading":
                if text.casefold() == self.title_key:
                    continue  # the page's own title repeated as its <h1>
                if not self.anchored:
                    self.section = text
            self.blocks.append(Block(text, kind, self.section, label))
        self.pieces = []


def _segments(pieces: list) -> list[tuple[str, str | None]]:
    """(text, bold label) for each run of ``pieces`` between <br><br> runs or before a turn label."""
    segments: list[tuple[str, str | None]] = []
    parts: list[str] = []
    has_text = False
    pending_breaks = 0
    bold_depth = 0
    label_parts: list[str] | None = None
    label: str | None = None

    def close_label():
        nonlocal label_parts, label
        if label_parts is not None:
            label = clean_line("".join(label_parts)) or None
            label_parts = None

    for piece in pieces:
        if piece is _BR:
            pending_breaks += 1
            close_label()
        elif piece is _BOLD_ON:
            bold_depth += 1
        elif piece is _BOLD_OFF:
            bold_depth = max(0, bold_depth - 1)
            if bold_depth == 0:
                close_label()
        elif not piece.strip():
            if not pending_breaks:
                parts.append(piece)
        else:
            if pending_breaks and has_text:
                if pending_breaks >= 2 or _TURN_LABEL.match(piece.lstrip(" \xa0")):
                    close_label()
                    segments.append(("".join(parts), label))
                    parts, has_text, label = [], False, None
                else:
                    parts.append("\n")
            pending_breaks = 0
            if not has_text and bold_depth and label is None and label_parts is None:
                label_parts = []
            if label_parts is not None:
                label_parts.append(piece)
            parts.append(piece)
            has_text = True
    close_label()
    segments.append(("".join(parts), label))
    return [(text, label) for text, label in ((_tidy(text), label) for text, label in segments) if text]


def _tidy(text: str) -> str:
    """Clean text with its lines stripped and blank lines dropped (single <br>s stay newlines)."""
    text = clean_text(text)
    if "\n" not in text:
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _is_furniture(tag: Tag) -> bool:
    attrs = tag.attrs
    if not attrs or tag.name in _PROTECTED:
        return False
    if is_hidden(tag) or attrs.get("role") in _FURNITURE_ROLES:
        return True
    if tag.name == "a":
        return False  # a link's class says what it opens (class="popup": a note), not that its words are furniture
    classes = attrs.get("class") or ()
    if isinstance(classes, str):
        classes = classes.split()
    identifier = attrs.get("id")
    names = [*classes, identifier] if isinstance(identifier, str) else classes
    return any(_FURNITURE.match(name) or _SHARE_FURNITURE.match(name) for name in names)


def is_hidden(tag: Tag) -> bool:
    """Whether a reader never sees ``tag``: ``hidden``, ``aria-hidden="true"``, ``display:none`` or
    ``visibility:hidden`` in its style."""
    attrs = tag.attrs
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _section_anchor(tag: Tag) -> str | None:
    identifier = tag.attrs.get("id") or tag.attrs.get("name")
    if isinstance(identifier, str):
        match = _SECTION_ANCHOR.fullmatch(identifier)
        if match:
            return match.group(1)
    return None


_EXIT = object()


def html_blocks(root: Tag, title: str = "", chosen: bool = False) -> tuple[Block, ...]:
    """The body blocks under ``root``, boilerplate skipped, in document order.

    ``chosen``: ``root`` is main content a reader kept already (readability's choice), so a
    ``<header>`` inside it is the article's own (its standfirst), not the site's."""
    builder = _BlockBuilder(title)
    drop = _DROP_TAGS - {"header"} if chosen else _DROP_TAGS
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _EXIT:
            tag = stack.pop()
            _leave(builder, tag)
            continue
        if not isinstance(node, Tag):
            if node.__class__ is NavigableString:
                builder.pieces.append(_html_spaces(str(node)))
            continue
        name = node.name
        if name in drop or _is_xinclude(name) or (node is not root and _is_furniture(node)):
            continue
        if name == "br":
            builder.pieces.append(_BR)
            continue
        if name == "a":
            label = _section_anchor(node)
            if label:
                builder.anchor(label)
        _enter(builder, node)
        stack.append(node)
        stack.append(_EXIT)
        stack.extend(reversed(node.contents))
    builder.flush()
    return tuple(builder.blocks)


def _is_xinclude(name: str) -> bool:
    """An XInclude element (``<xi:include>``, with its ``<xi:fallback>``): an instruction to pull in
    another file, never resolved here, and never the page's text either."""
    return name == "include" or (":" in name and name.endswith(":include"))


def _enter(builder: _BlockBuilder, tag: Tag) -> None:
    name = tag.name
    if name in _BLOCK_TAGS:
        builder.flush()
        builder.kinds.append(_BLOCK_KINDS.get(name, "p") if name in _BLOCK_KINDS else _inherit(builder, name))
    elif name in _BOLD_TAGS:
        builder.pieces.append(_BOLD_ON)
    elif name in _CELL_TAGS:
        builder.pieces.append(" ")


def _inherit(builder: _BlockBuilder, name: str) -> str:
    # A <p> or <div> inside a list item is still that list item.
    return builder.kinds[-1] if builder.kinds[-1] == "li" and name in ("p", "div") else "p"


def _leave(builder: _BlockBuilder, tag: Tag) -> None:
    name = tag.name
    if name in _BLOCK_TAGS:
        builder.flush()
        builder.kinds.pop()
    elif name in _BOLD_TAGS:
        builder.pieces.append(_BOLD_OFF)
    elif name in _CELL_TAGS:
        builder.pieces.append(" ")


def fragment_blocks(fragment: str) -> tuple[Block, ...]:
    """Blocks of an HTML body fragment (a feed item's or JSON record's content)."""
    soup = BeautifulSoup(fragment, "lxml")
    try:
        return html_blocks(soup.body or soup)
    finally:
        _free(soup)


# --------------------------------------------------------------------------------------------
# Whole HTML pages


def _html_page(path: str, text: str) -> Article:
    soup = BeautifulSoup(text, "lxml")
    try:
        meta = _page_metadata(soup)
        title = meta.get("title") or _first_text(soup.find("h1")) or _file_title(path)
        blocks = html_blocks(_content_root(soup), title)
        chosen = _readable_blocks(soup, title)
    finally:
        _free(soup)
    if chosen and _text_length(chosen) >= READABLE_SHARE * _text_length(blocks):
        blocks = chosen
    return Article(
        article_id=article_id(path), source=path, title=title, blocks=blocks, date=meta.get("date"),
        author=meta.get("author"), url=meta.get("url"),
    )


# readability's choice is taken unless it keeps less than this share of the text the page's
# <main>/<article>/<body> holds (then it picked a fragment: a caption, a teaser, one comment).
READABLE_SHARE = 0.3


def _readable_blocks(soup: BeautifulSoup, title: str) -> tuple[Block, ...] | None:
    """The blocks of the main content readability-lxml chooses (hidden elements removed first), or
    None when it is not installed or chooses nothing."""
    try:
        from readability import Document
    except ImportError:
        return None
    for tag in soup.find_all(is_hidden):
        if tag.name not in _PROTECTED:
            tag.decompose()
    try:
        summary = _promoting_document(Document)(str(soup)).summary(html_partial=True, keep_all_images=True)
    except Exception:  # noqa: BLE001 - readability failing on a page leaves briefsearch's own choice
        return None
    fragment = BeautifulSoup(summary, "lxml")
    try:
        return html_blocks(fragment.body or fragment, title, chosen=True) or None
    finally:
        _free(fragment)


def _free(soup: BeautifulSoup) -> None:
    """Take a parse tree apart so that it is freed at once. A tree is a web of cycles (parent,
    sibling and next-element links): left as garbage it waits for Python's full collections, and
    each one that the next stages trigger walks it again (a page of 100,000 nested elements left
    800,000 objects, and chunking grew 2.3x per doubling). ``decompose`` on the soup itself clears
    only the soup (its ``next_element`` is unset), so each top-level node is taken apart."""
    for node in list(soup.contents):
        node.decompose()
    soup.decompose()


def _promoting_document(document_class):
    """readability-lxml's ``Document`` with two rules of Mozilla Readability it leaves out:

    - when at least three of the next best candidates score within 75% of the best one and share
      an ancestor with it, that ancestor is the content (a section front's teasers, an article cut
      in pieces by ads or figures), not the best candidate alone (readability-lxml kept one teaser
      of nytimes-5: 204 characters of a 2,600-character highlights section);
    - a link is never removed as an "unlikely candidate" for its class: ``class="popup"`` names
      what it opens (a reader's note), and its words are the story's (clean-links lost 920 words).
    """

    class PromotingDocument(document_class):
        def remove_unlikely_candidates(self):
            links = [(link, link.attrib.pop("class", None), link.attrib.pop("id", None)) for link in self.html.iter("a")]
            try:
                super().remove_unlikely_candidates()
            finally:
                for link, classes, identifier in links:
                    if classes is not None:
                        link.set("class", classes)
                    if identifier is not None:
                        link.set("id", identifier)

        def select_best_candidate(self, candidates):
            best = super().select_best_candidate(candidates)
            if best is None:
                return best
            top = sorted(candidates.values(), key=lambda candidate: candidate["content_score"], reverse=True)[:5]
            near = [candidate for candidate in top
                    if candidate is not best and candidate["content_score"] >= 0.75 * best["content_score"]]
            if len(near) < _SHARED_ANCESTOR_CANDIDATES:
                return best
            ancestries = [set(candidate["elem"].iterancestors()) for candidate in near]
            for ancestor in best["elem"].iterancestors():
                if ancestor.tag in ("body", "html"):
                    break
                if sum(ancestor in ancestry for ancestry in ancestries) >= _SHARED_ANCESTOR_CANDIDATES:
                    if ancestor not in candidates:
                        candidates[ancestor] = self.score_node(ancestor)
                    return candidates[ancestor]
            return best

    return PromotingDocument


_SHARED_ANCESTOR_CANDIDATES = 3  # Mozilla Readability's MINIMUM_TOPCANDIDATES


def _text_length(blocks) -> int:
    return sum(len(block.text) for block in blocks)


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None:
        return main
    articles = soup.find_all("article", limit=2)
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


_META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title")
# Published dates first, in order of trust; modified dates only when nothing says when it was published.
_META_DATE = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.issued", "dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "parsely-pub-date", "sailthru.date", "article.published", "citation_publication_date",
    "citation_date", "originalpublicationdate",
)
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
_META_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author", "sailthru.author")
_META_URL = ("og:url", "twitter:url")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


def _page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    values: dict[str, str] = {}
    canonical = None
    for tag in soup.find_all(["meta", "link"]):
        attrs = tag.attrs
        if tag.name == "link":
            rel = attrs.get("rel") or ()
            if "canonical" in rel and attrs.get("href") and canonical is None:
                canonical = attrs["href"]
            continue
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content)
    meta: dict[str, str] = {}
    site_names = [clean_line(values.get(key) or "") for key in ("og:site_name", "application-name")]
    page_title = soup.head.title if soup.head else soup.title
    url = canonical or next((values[key] for key in _META_URL if values.get(key)), None)
    host = _host(url)
    # A title from the page's own meta tags is what the publisher chose to show: only the site's
    # name is cut from it. A <title> also loses a short "| Section" tail.
    meta_title = next((clean_line(values[key]) for key in _META_TITLE if clean_line(values.get(key) or "")), "")
    if meta_title:
        meta["title"] = strip_site_suffix(meta_title, *site_names, host=host, any_short=False)
    else:
        meta["title"] = strip_site_suffix(_first_text(page_title), *site_names, host=host)
    linked = _linked_data(soup)
    meta["date"] = _page_date(soup, values, linked)
    author = next((values[key] for key in _META_AUTHOR if values.get(key) and not values[key].startswith("http")), None)
    meta["author"] = clean_line(_BY.sub("", author or _byline(soup) or "")) or None
    meta["url"] = clean_line(url) if url else None
    return meta


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def _page_date(soup: BeautifulSoup, values: dict[str, str], linked: list[dict]) -> str | None:
    """When the page says it was published, from its own evidence: JSON-LD ``datePublished``, the
    published-date meta tags, a ``<time>`` marked as the publication date, any ``<time>``, then
    the text and URL (htmldate, when installed); a modified date only when nothing else is found."""
    for node in linked:
        found = iso_date(_plain(node.get("datePublished") or node.get("dateCreated")))
        if found:
            return found
    found = next(filter(None, (iso_date(values.get(key)) for key in _META_DATE if values.get(key))), None)
    if found:
        return found
    published = soup.find("time", attrs={"itemprop": "datePublished"}) or soup.find("time", attrs={"pubdate": True})
    for moment in ([published] if published is not None else []) + soup.find_all("time", limit=5):
        found = iso_date(moment.get("datetime") or moment.get_text(" "))
        if found:
            return found
    modified = next(filter(None, (iso_date(_plain(node.get("dateModified"))) for node in linked)), None) or next(
        filter(None, (iso_date(values.get(key)) for key in _META_MODIFIED if values.get(key))), None)
    found = _htmldate(soup)
    if found and not (modified and modified[:10] == found[:10]):
        return found
    return modified  # with its time, when that is the day htmldate settled on too


def _htmldate(soup: BeautifulSoup) -> str | None:
    """The day htmldate reads in the page's text and URL (its heuristics, not its meta reading,
    which the rules above already did), or None when it is not installed or finds nothing."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(str(soup), original_date=True, extensive_search=True, deferred_url_extractor=True)
    except Exception:  # noqa: BLE001 - a date heuristic must never cost the page
        return None
    return iso_date(found)


def _linked_data(soup: BeautifulSoup) -> list[dict]:
    """The JSON-LD objects of the page that describe it (articles and web pages), outermost first."""
    import json

    found: list[dict] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        text = _CDATA.sub("", script.string or "")
        try:
            data = json.loads(text)
        except ValueError:
            continue
        pending = [data]
        while pending and len(found) < 50:
            item = pending.pop(0)
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    pending.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                kinds = item.get("@type") or ()
                kinds = [kinds] if isinstance(kinds, str) else kinds
                if any(isinstance(k, str) and (k.endswith(("Article", "Posting", "WebPage")) or k in _LINKED_KINDS) for k in kinds):
                    found.append(item)
    return found


_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_LINKED_KINDS = frozenset({"Report", "NewsArticle", "BlogPosting", "CreativeWork", "Event", "PressRelease"})


def _plain(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value if isinstance(value, str) else None


def _byline(soup: BeautifulSoup) -> str | None:
    for query in ({"attrs": {"rel": "author"}}, {"class_": "byline"}, {"attrs": {"itemprop": "author"}}):
        found = soup.find(**query)
        if found is not None:
            text = _first_text(found)
            if text and len(text) < 200:
                return text
    return None


def _first_text(tag) -> str:
    return clean_line(tag.get_text(" ")) if tag is not None else ""


_SUFFIX = re.compile(r"^(?P<title>.{8,}?)\s+(?:\||\u2013|\u2014|-|::|\u00b7)\s+(?P<site>[^|]{2,60})$")


def strip_site_suffix(title: str, *site_names: str, host: str = "", any_short: bool = True) -> str:
    """'Remarks by ... | The White House' -> 'Remarks by ...'.

    Only when the suffix is the page's own site name (og:site_name, application-name, a name its
    host carries: "Wikipedia" on en.wikipedia.org, "Spiceworks" for "Spiceworks Inc"), or, with
    ``any_short``, follows a '|' and is at most four words: a dash alone is too often part of the
    title ("Department Press Briefing – June 9, 2021").
    """
    match = _SUFFIX.match(title)
    if not match:
        return title
    site = match.group("site").strip()
    separator = title[len(match.group("title")):len(title) - len(site)].strip()
    if _is_site_name(site, site_names, host):
        return match.group("title").strip()
    if any_short and separator == "|" and len(site.split()) <= 4:
        return match.group("title").strip()
    return title


def _is_site_name(site: str, site_names, host: str) -> bool:
    key = site.casefold()
    for name in site_names:
        name = name.casefold()
        if name and (key == name or name.startswith(key + " ") or key.removeprefix("the ") == name.removeprefix("the ")):
            return True
    letters = re.sub(r"[^0-9a-z]", "", key)
    return len(letters) >= 3 and letters in host.casefold().split(".")
