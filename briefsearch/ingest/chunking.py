"""Paragraphs out of an article's blocks: the unit briefsearch indexes and returns.

Blocks that are only fragments of a paragraph are merged into the next one, overly long blocks
are cut on sentence boundaries, and every paragraph gets its id, position and article metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefsearch.ingest.collector import collector_paused
from briefsearch.models import Article, Block, Paragraph
from briefsearch.text.sentences import sentence_spans

# Longer blocks are split into pieces of about TARGET_MIN to TARGET_MAX characters. Measured on the
# IR test collections (scripts/levers.py, nDCG@10): blocks cut above 1,500 characters into pieces
# of 600-1,200 lost TIME's long news paragraphs their context (0.698, against FTS5's 0.717 on whole
# documents); above 3,000 into 1,200-2,400 gave 0.725 and left the others within 0.002.
LONG_BLOCK = 3000
TARGET_MIN, TARGET_MAX = 1200, 2400

# A transcript turn label at the start of a block: "MR PRICE:", "MS. PSAKI:", "Q", "Q:".
_LABEL = re.compile(r"^(?:Q(?:\s*:|\.?\s|$)|[A-Z][A-Z.'\u2019\-]+(?:\s+[A-Z][A-Z.'\u2019\-]*){0,7}\s*:)")
_LABEL_ONLY = re.compile(r"^(?:Q\s*:?|[A-Z][A-Z.'\u2019\-]+(?:\s+[A-Z][A-Z.'\u2019\-]*){0,7}\s*:)$")
# How a sentence (or a paragraph) can end: punctuation, then closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:;\u2026\u2014\u2013-][\"'\u201d\u2019)\]]*$|^[(\[].*[)\]]$")


@dataclass
class _Piece:
    text: str
    kind: str
    section: str | None
    bold_label: str | None


def chunk_article(article: Article) -> list[Paragraph]:
    """The article's paragraphs, numbered from 1, with the article's metadata copied in."""
    with collector_paused():  # its objects all live until it returns (``ingest.collector``)
        pieces = _split_long(_merge_fragments(_pieces(article.blocks)))
        return [
            Paragraph(
                id=f"{article.article_id}#p{position}", article_id=article.article_id, position=position,
                text=piece.text, title=article.title, date=article.date, author=article.author, source=article.source,
                url=article.url, outlet=article.outlet, section=piece.section,
            )
            for position, piece in enumerate(pieces, start=1)
        ]


def _pieces(blocks: tuple[Block, ...]) -> list[_Piece]:
    return [_Piece(block.text.strip(), block.kind, block.section, block.bold_label)
            for block in blocks if block.text.strip()]


def _is_label_only(piece: _Piece) -> bool:
    """A bare speaker label whose words are in the next block ("MR PRICE:" then its answer)."""
    if piece.kind != "p":
        return False
    return bool(_LABEL_ONLY.match(piece.text)) or (piece.bold_label is not None and piece.text == piece.bold_label
                                                   and piece.text.endswith(":"))


def _opens_turn(piece: _Piece) -> bool:
    return piece.bold_label is not None or bool(_LABEL.match(piece.text))


def _is_fragment(piece: _Piece, following: _Piece) -> bool:
    """Whether ``piece`` is not a paragraph of its own but the start of ``following``."""
    if piece.kind != "p" or following.kind != "p" or piece.section != following.section:
        return False
    if _is_label_only(piece):
        return not _opens_turn(following)
    if _opens_turn(piece) or _opens_turn(following) or _ENDS_SENTENCE.search(piece.text):
        return False
    # A sentence broken across blocks, or a stray word or two ("Also", "For example"); but not
    # an all-capitals marker such as "END" or "###".
    if following.text[:1].islower():
        return True
    return len(piece.text.split()) <= 2 and any(char.islower() for char in piece.text)


def _merge_fragments(pieces: list[_Piece]) -> list[_Piece]:
    merged: list[_Piece] = []
    carry: _Piece | None = None
    for index, piece in enumerate(pieces):
        if carry is not None:
            label = carry.bold_label or piece.bold_label
            piece = _Piece(carry.text + " " + piece.text, piece.kind, piece.section, label)
            carry = None
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if following is not None and _is_fragment(piece, following):
            carry = piece
            continue
        merged.append(piece)
    return merged


def _split_long(pieces: list[_Piece]) -> list[_Piece]:
    result: list[_Piece] = []
    for piece in pieces:
        if len(piece.text) <= LONG_BLOCK:
            result.append(piece)
            continue
        for number, text in enumerate(split_long_text(piece.text)):
            result.append(_Piece(text, piece.kind, piece.section, piece.bold_label if number == 0 else None))
    return result


def split_long_text(text: str) -> list[str]:
    """``text`` cut between sentences into pieces of about 600-1,200 characters.

    A single sentence longer than the limit is cut between words.
    """
    spans = [span for start, end in sentence_spans(text) for span in _bounded(text, start, end)]
    pieces: list[tuple[int, int]] = []
    start = end = spans[0][0]
    for span_start, span_end in spans:
        if span_end - start > TARGET_MAX and end - start >= TARGET_MIN:
            pieces.append((start, end))
            start = span_start
        end = span_end
    pieces.append((start, end))
    if len(pieces) > 1 and pieces[-1][1] - pieces[-1][0] < TARGET_MIN // 2:
        # A short tail reads better with the piece before it.
        tail = pieces.pop()
        pieces[-1] = (pieces[-1][0], tail[1])
    return [text[a:b].strip() for a, b in pieces if text[a:b].strip()]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span (start, end), cut at spaces into spans no longer than TARGET_MAX."""
    spans = []
    while end - start > TARGET_MAX:
        cut = text.rfind(" ", start + TARGET_MIN, start + TARGET_MAX)
        if cut <= start:
            cut = start + TARGET_MAX
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans
