"""Finding source files in the user's paths and reading them as clean text.

The walk follows a file symlink only when its target is inside one of the indexed folders, never
a directory symlink (``follow_links`` lifts both, with loop detection), and turns per-entry
problems into counted skips. Reading opens without blocking (a FIFO or device put in a file's
place is refused, never waited on), checks the opened descriptor is a regular file, reads no more
than the file's size, then sniffs binary files, decodes with detection and reports the encoding
and the bytes' sha256. A file's memory is bounded by its size (at most ``max_bytes``) times about
five: the bytes, the decoded text and its cleaned copy. A file read line by line (``scan_lines``,
then ``text_lines``: large JSON Lines exports) holds one buffer and one line at a time.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from briefsearch.errors import SkippedFile, SourceError
from briefsearch.text.normalize import clean_text

SUPPORTED_EXTENSIONS = frozenset(
    {".html", ".htm", ".xhtml", ".txt", ".text", ".md", ".jsonl", ".json", ".rss", ".atom", ".xml"}
)

SNIFF_BYTES = 8192
_MAGIC_NUMBERS = (
    b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a",
    b"\x1f\x8b", b"\x7fELF", b"SQLite format 3\x00", b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07",
)
# Bytes that never occur in text: C0 controls other than tab, newline, form feed, carriage
# return and escape, plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Detection often names a Latin code page other than cp1252 for short English text with a few
# curly quotes or accents (cp1250 turns "naïve" into "naďve"); briefings are overwhelmingly
# Western, so within this family cp1252 wins whenever it decodes the bytes.
_LATIN_CODEPAGES = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "cp437", "cp775", "cp850", "cp852", "cp857", "cp858", "mac-roman", "mac-latin2",
     "mac-iceland", "mac-turkish", "iso8859-1", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-9",
     "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16"}
)


@dataclass(frozen=True)
class SourceFile:
    """One file to ingest. ``path`` is printable (undecodable name bytes as ``\\xNN``)."""

    path: str
    size: int
    mtime_ns: int
    # The name as the OS needs it when it differs from the printable ``path``.
    os_path: str | None = field(default=None, compare=False, repr=False)
    # The path from the indexed folder's parent ("seeds/briefing.html"): the same on every
    # machine and checkout, so article ids made from it are too.
    key: str = field(default="", compare=False, repr=False)


def display_path(path: str) -> str:
    """``path`` with undecodable file-name bytes shown as ``\\xNN`` so it can always be printed."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


# Pages saved with the server's extension, and files with none, are read and sniffed by content
# (extract decides HTML, feed, JSON or text); files of other types are skipped and counted.
SNIFFED_EXTENSIONS = frozenset(
    {"", ".php", ".php3", ".php4", ".php5", ".phtml", ".asp", ".aspx", ".cfm", ".shtml", ".shtm", ".jsp", ".jspx",
     ".do", ".cgi", ".pl", ".nsf"}
)
# Files without an extension that are never briefings.
_NOT_DOCUMENTS = frozenset({"license", "licence", "copying", "notice", "makefile", "dockerfile", "authors"})


def is_supported(path: str) -> bool:
    """Whether ``path`` is read: a supported extension, or a server extension or none (sniffed)."""
    name = os.path.basename(path)
    extension = os.path.splitext(name)[1].lower()
    if extension in SUPPORTED_EXTENSIONS:
        return True
    return extension in SNIFFED_EXTENSIONS and (extension != "" or name.lower() not in _NOT_DOCUMENTS)


class WalkSkip(str):
    """A path the walk skipped: reads as its warning line ("PATH: skipped (REASON)"), and keeps the
    ``path`` and ``reason`` for the run's counts."""

    path: str
    reason: str

    def __new__(cls, path: str, reason: str) -> "WalkSkip":
        line = super().__new__(cls, f"{display_path(path)}: skipped ({reason})")
        line.path, line.reason = display_path(path), reason
        return line


def find_sources(paths: Sequence[str], follow_links: bool = False) -> tuple[list[SourceFile], list[str]]:
    """The supported files under ``paths`` (files or folders), sorted, each file once.

    Returns (sources, skips): each skip a ``WalkSkip`` warning line. A file symlink met in a folder
    is followed only when its target is inside one of the folders of ``paths`` (a link to
    /etc/passwd is not); ``follow_links`` follows every link, folders too, each folder once.
    Raises SourceError when a path does not exist at all.
    """
    for path in paths:
        if not os.path.exists(path):
            raise SourceError(f"No such file or folder: {display_path(path)} — check the path")
    found: list[tuple[str, os.stat_result]] = []
    warnings: list[str] = []
    bases: dict[str, str] = {}
    inside = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    for path in paths:
        start = len(found)
        if os.path.isdir(path):
            _walk(path, found, warnings, inside, follow_links)
        elif is_supported(path):
            _add_file(path, found, warnings)
        else:
            warnings.append(WalkSkip(path, "unsupported file type"))
        base = os.path.dirname(os.path.normpath(path))
        for file_path, _ in found[start:]:
            bases.setdefault(file_path, base)
    sources = _unique(found)
    return [replace(s, key=display_path(os.path.relpath(s.os_path or s.path, bases.get(s.os_path or s.path, "/"))))
            for s in sources], warnings


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


def _walk(folder: str, found: list, warnings: list[str], inside: Sequence[str] = (), follow_links: bool = False) -> None:
    pending = [folder]
    visited: set[tuple[int, int]] = set()  # folders walked, when links are followed (loops)
    while pending:
        current = pending.pop()
        try:
            if follow_links:
                info = os.stat(current)
                if (info.st_dev, info.st_ino) in visited:
                    continue
                visited.add((info.st_dev, info.st_ino))
            with os.scandir(current) as entries:
                entries = list(entries)
        except OSError as error:
            warnings.append(WalkSkip(current, _reason(error)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .venv) are never briefings
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_symlink() and entry.is_dir():
                    if follow_links:
                        pending.append(entry.path)
                    else:
                        warnings.append(WalkSkip(entry.path, "link to a folder; not followed"))
                elif is_supported(entry.name):
                    if (entry.is_symlink() and not follow_links
                            and not _inside(os.path.realpath(entry.path), inside)):
                        warnings.append(WalkSkip(entry.path, "link to a file outside the indexed folders; not followed "
                                                             "(--follow-links follows it)"))
                    else:
                        _add_file(entry.path, found, warnings)
                else:
                    warnings.append(WalkSkip(entry.path, "unsupported file type"))
            except OSError as error:
                warnings.append(WalkSkip(entry.path, _reason(error)))


def _add_file(path: str, found: list, warnings: list[str]) -> None:
    try:
        info = os.stat(path)
    except OSError as error:
        warnings.append(WalkSkip(path, _reason(error)))
        return
    if stat.S_ISREG(info.st_mode):
        found.append((path, info))
    else:
        warnings.append(WalkSkip(path, "not a regular file"))


def _unique(found: list[tuple[str, os.stat_result]]) -> list[SourceFile]:
    """Sorted by path; a file reached twice (hard link, file symlink) is kept once, at its own
    path rather than a link's, else at its first path."""
    chosen: dict[tuple[int, int], str] = {}
    infos: dict[str, os.stat_result] = {}
    for path, info in sorted(found, key=lambda item: (os.path.islink(item[0]), os.fsencode(item[0]))):
        infos[path] = info
        chosen.setdefault((info.st_dev, info.st_ino), path)
    sources: list[SourceFile] = []
    for path in sorted(set(chosen.values()), key=os.fsencode):
        info = infos[path]
        shown = display_path(path)
        sources.append(SourceFile(shown, info.st_size, info.st_mtime_ns, None if shown == path else path))
    return sources


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def read_text(source: SourceFile, max_bytes: int = 20_000_000) -> tuple[str, str, str]:
    """The file's text (clean, NFC), the encoding it was decoded with and the sha256 of its bytes.

    Raises SkippedFile with a short reason for empty, binary, oversized, unreadable or
    changing files.
    """
    data = _read_stable(source.os_path or source.path, max_bytes)
    if not data:
        raise SkippedFile("empty file")
    if _looks_binary(data[:SNIFF_BYTES]):
        raise SkippedFile("binary file")
    text, encoding = decode(data)
    text = clean_text(text)
    if not text.strip():
        raise SkippedFile("empty file")
    return text, encoding, hashlib.sha256(data).hexdigest()


def _open_file(path: str) -> int:
    """A descriptor for reading ``path`` that never blocks: a FIFO put in a file's place opens at
    once (and is refused by the caller) instead of waiting for a writer forever."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _read_stable(path: str, max_bytes: int) -> bytes:
    """The file's bytes, read again once if it changed while being read.

    The read is sized to the file (its size when opened, plus one byte to notice growth), never to
    ``max_bytes``, and only a regular file is read: the checks are made on the opened descriptor,
    so a file swapped for a FIFO, socket or device after the walk is refused, not waited on.
    """
    for _attempt in range(2):
        fd, before = _open_regular(path, max_bytes)
        try:
            data = _read_at_most(fd, before.st_size + 1)
            after = os.fstat(fd)
        except OSError as error:
            raise SkippedFile(f"unreadable: {_reason(error)}") from None
        finally:
            os.close(fd)
        if len(data) > max_bytes:
            raise SkippedFile(f"larger than {_megabytes(max_bytes)}; raise --max-file-size")
        unchanged = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
        if unchanged and len(data) == after.st_size:
            return data
    raise SkippedFile("changed while being read")


def _read_at_most(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes from ``fd`` (fewer at the end of the file); one buffer when one read
    gets them all, as it does for a regular file."""
    reader = io.FileIO(fd, closefd=False)
    parts = []
    while count > 0:
        part = reader.read(count)
        if not part:
            break
        parts.append(part)
        count -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:g} MB"


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(_MAGIC_NUMBERS):
        return True
    if any(sample.startswith(bom) for bom, _ in _UNICODE_BOMS) or _utf16_without_bom(sample):
        return False  # UTF-16/32 text is full of NUL bytes
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # deleting the rest leaves the controls
    return controls > 0.05 * len(sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``sample`` reads as UTF-16 text without a byte-order mark:
    Latin-script text then has a NUL in nearly every other byte, on one side only."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(even)
    if odd.count(0) >= 0.7 * half and even.count(0) <= 0.05 * half:
        return "utf-16-le"
    if even.count(0) >= 0.7 * half and odd.count(0) <= 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """(text, codec name): UTF-8 (BOM-aware), else detected, else cp1252, else latin-1."""
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(data[:SNIFF_BYTES])
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected and detected not in _LATIN_CODEPAGES:
        try:
            return data.decode(detected), detected
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # imported late: only non-UTF-8 files need it

    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


# Files read line by line are read this much at a time.
LINE_BUFFER_BYTES = 1 << 20


def scan_lines(source: SourceFile, max_bytes: int) -> str | None:
    """The sha256 of a file about to be read line by line, read one buffer at a time; None when
    its bytes are not UTF-8 text (read it whole with ``read_text``, which detects the encoding).

    Raises SkippedFile as ``read_text`` does (empty, binary, oversized, unreadable, changing).
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, size = True, 0
    fd, before = _open_regular(source.os_path or source.path, max_bytes)
    try:
        reader = io.FileIO(fd, closefd=False)
        while True:
            block = reader.read(LINE_BUFFER_BYTES)
            if not block:
                break
            if size == 0:
                sample = block[:SNIFF_BYTES]
                if _looks_binary(sample):
                    raise SkippedFile("binary file")
                if any(sample.startswith(bom) for bom, _ in _UNICODE_BOMS) or _utf16_without_bom(sample):
                    utf8 = False  # UTF-16/32: decoded whole
            size += len(block)
            if size > max_bytes:
                raise SkippedFile(f"larger than {_megabytes(max_bytes)}; raise --max-file-size")
            digest.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
        after = os.fstat(fd)
    except OSError as error:
        raise SkippedFile(f"unreadable: {_reason(error)}") from None
    finally:
        os.close(fd)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or size != after.st_size:
        raise SkippedFile("changed while being read")
    if size == 0:
        raise SkippedFile("empty file")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    return digest.hexdigest() if utf8 else None


def text_lines(source: SourceFile, sha256: str) -> Iterator[str]:
    """The lines of a UTF-8 file that ``scan_lines`` hashed to ``sha256``, each cleaned as
    ``read_text`` cleans text, read one buffer at a time. The bytes are hashed again on the way:
    raises SkippedFile("changed while being read") after the last line when they differ."""
    digest = hashlib.sha256()
    fd, _ = _open_regular(source.os_path or source.path, None)
    try:
        with io.BufferedReader(io.FileIO(fd, closefd=False), buffer_size=LINE_BUFFER_BYTES) as reader:
            first = True
            for raw in reader:
                digest.update(raw)
                line = raw.decode("utf-8-sig" if first else "utf-8", "replace")
                first = False
                yield from clean_text(line).split("\n")
    except OSError as error:
        raise SkippedFile(f"unreadable: {_reason(error)}") from None
    finally:
        os.close(fd)
    if digest.hexdigest() != sha256:
        raise SkippedFile("changed while being read")


def _open_regular(path: str, max_bytes: int | None) -> tuple[int, os.stat_result]:
    """A non-blocking descriptor on ``path`` and its fstat, refused (SkippedFile) unless it is a regular file of
    at most ``max_bytes``: checked on the opened descriptor, so a file swapped for a FIFO, socket
    or device after the walk is refused, not waited on."""
    try:
        fd = _open_file(path)
    except OSError as error:
        raise SkippedFile(f"unreadable: {_reason(error)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SkippedFile("not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise SkippedFile(f"larger than {_megabytes(max_bytes)}; raise --max-file-size")
    except OSError as error:
        os.close(fd)
        raise SkippedFile(f"unreadable: {_reason(error)}") from None
    except BaseException:
        os.close(fd)
        raise
    return fd, info
