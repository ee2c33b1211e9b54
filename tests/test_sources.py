"""Finding source files (folders, symlinks, warnings) and reading them (encodings, skips)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefsearch.errors import SkippedFile, SourceError
from briefsearch.ingest import sources
from briefsearch.ingest.sources import SourceFile, find_sources, read_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def source_of(path: Path) -> SourceFile:
    info = path.stat()
    return SourceFile(str(path), info.st_size, info.st_mtime_ns)


def names(sources: list[SourceFile], root: Path) -> list[str]:
    return [os.path.relpath(source.path, root) for source in sources]


# --- find_sources ------------------------------------------------------------------------------


def test_walks_folders_recursively_keeps_supported_files_sorted(tmp_path):
    for name in ["b.txt", "a.html", "notes.csv", "image.png", "sub/c.jsonl", "sub/deeper/d.XML", "sub/e.md",
                 ".git/config.json", "sub/.hidden.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text")
    sources, warnings = find_sources([str(tmp_path)])
    assert names(sources, tmp_path) == ["a.html", "b.txt", "sub/c.jsonl", "sub/deeper/d.XML", "sub/e.md"]
    assert sorted(warnings) == [f"{tmp_path / name}: skipped (unsupported file type)" for name in ("image.png", "notes.csv")]
    assert sources[0].size == 4
    assert sources[0].mtime_ns == (tmp_path / "a.html").stat().st_mtime_ns


def test_a_missing_path_is_an_error_with_a_next_step(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(SourceError) as caught:
        find_sources([str(missing)])
    assert str(caught.value) == f"No such file or folder: {missing} — check the path"


def test_a_named_file_is_taken_and_an_unsupported_one_warned_about(tmp_path):
    (tmp_path / "one.txt").write_text("x")
    (tmp_path / "table.csv").write_text("x")
    sources, warnings = find_sources([str(tmp_path / "one.txt"), str(tmp_path / "table.csv")])
    assert [s.path for s in sources] == [str(tmp_path / "one.txt")]
    assert warnings == [f"{tmp_path / 'table.csv'}: skipped (unsupported file type)"]


def test_directory_symlink_loop_is_not_followed(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("x")
    os.symlink(tmp_path / "corpus", tmp_path / "corpus" / "loop")
    sources, warnings = find_sources([str(tmp_path / "corpus")])
    assert names(sources, tmp_path) == ["corpus/a.txt"]
    assert warnings == [f"{tmp_path / 'corpus' / 'loop'}: skipped (link to a folder; not followed)"]


def test_file_symlink_and_hard_link_are_read_once(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.link(tmp_path / "a.txt", tmp_path / "c.txt")
    (tmp_path / "d.txt").write_text("y")
    sources, warnings = find_sources([str(tmp_path), str(tmp_path / "a.txt")])
    assert names(sources, tmp_path) == ["a.txt", "d.txt"]
    assert warnings == []


def test_broken_file_symlink_is_a_warning(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    sources, warnings = find_sources([str(tmp_path)])
    assert sources == []
    assert warnings == [f"{tmp_path / 'broken.txt'}: skipped (No such file or directory)"]


def test_unreadable_folder_is_a_warning_and_the_walk_goes_on(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text("x")
    (tmp_path / "open.txt").write_text("x")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    sources, warnings = find_sources([str(tmp_path)])
    assert names(sources, tmp_path) == ["open.txt"]
    assert warnings == [f"{tmp_path / 'locked'}: skipped (Permission denied)"]


def test_undecodable_file_name_is_shown_printable_and_still_read(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as handle:
        handle.write(b"Title\n\nBody text.")
    sources, _ = find_sources([str(tmp_path)])
    assert [s.path for s in sources] == [f"{tmp_path}/caf\\xe9.txt"]
    sources[0].path.encode("utf-8")  # printable: no surrogates left
    assert read_text(sources[0])[0] == "Title\n\nBody text."


# --- read_text ---------------------------------------------------------------------------------


def test_utf8_text_with_its_sha256_and_clean_text(tmp_path):
    data = "Title\r\n\r\nThe U.S.\u200b\u00a0position \u201cstands\u201d.\r\n".encode("utf-8")
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_text(source_of(path)) == (
        "Title\n\nThe U.S. position \u201cstands\u201d.\n", "utf-8", hashlib.sha256(data).hexdigest()
    )


def test_bom_is_stripped():
    text, encoding, _ = read_text(source_of(FIXTURES / "ext_bom.txt"))
    assert (text, encoding) == ("BOM Title\n\nA paragraph after a byte-order mark.\n", "utf-8")


def test_cp1252_smart_quotes_are_detected(tmp_path):
    path = tmp_path / "legacy.txt"
    text = "The Secretary\u2019s statement \u2013 \u201cWe stand with Ukraine.\u201d\n"
    path.write_bytes(text.encode("cp1252"))
    assert read_text(source_of(path))[:2] == (text, "cp1252")


def test_latin1_accents_survive(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 na\u00efve r\u00e9sum\u00e9 Z\u00fcrich\n".encode("latin-1"))
    assert read_text(source_of(path))[0] == "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 Z\u00fcrich\n"


def test_cyrillic_is_left_to_detection(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Министр иностранных дел заявил, что переговоры продолжатся.\n" * 3
    path.write_bytes(text.encode("cp1251"))
    assert read_text(source_of(path))[:2] == (text, "cp1251")


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Wide title\n\nWide body.".encode("utf-16"))
    assert read_text(source_of(path))[:2] == ("Wide title\n\nWide body.", "utf-16")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_skipped(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(SkippedFile) as caught:
        read_text(source_of(path))
    assert caught.value.reason == "empty file"


@pytest.mark.parametrize(
    "content",
    [
        b"text\x00with NUL bytes" * 10,
        b"%PDF-1.7\n" + b"plain looking text " * 50,
        b"\x89PNG\r\n\x1a\n" + b"IHDR" * 10,
        b"PK\x03\x04" + b"word " * 50,
        b"\x1f\x8b\x08" + b"word " * 50,
        b"abc\x01\x02\x03\x04\x05\x06\x07\x08" * 20,
    ],
    ids=["nul", "pdf", "png", "zip", "gzip", "controls"],
)
def test_binary_file_with_txt_extension_is_skipped(tmp_path, content):
    path = tmp_path / "looks-like.txt"
    path.write_bytes(content)
    with pytest.raises(SkippedFile) as caught:
        read_text(source_of(path))
    assert caught.value.reason == "binary file"


def test_a_few_control_characters_are_still_text(tmp_path):
    path = tmp_path / "form-feed.txt"
    path.write_bytes(b"Title\n\n" + b"Plain words of text. " * 20 + b"\x07")
    assert read_text(source_of(path))[0].startswith("Title\n\nPlain words of text.")


def test_too_large_file_is_skipped_with_the_option_to_raise(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 100)
    with pytest.raises(SkippedFile) as caught:
        read_text(source_of(path), max_bytes=250)
    assert caught.value.reason == "larger than 0.00025 MB; raise --max-file-size"
    with pytest.raises(SkippedFile) as caught:
        read_text(SourceFile(str(path), 25_000_001, 0), max_bytes=100)
    assert caught.value.reason == "larger than 0.0001 MB; raise --max-file-size"


def fake_stat(monkeypatch, target: Path, size=None, mtime_shift=lambda call: 0) -> list[int]:
    """Make os.fstat of a descriptor opened on ``target`` report ``size`` and a shifted mtime;
    returns the call log."""
    real_fstat = os.fstat
    calls: list[int] = []

    def fstat(fd):
        info = real_fstat(fd)
        if os.readlink(f"/proc/self/fd/{fd}") != str(target):
            return info
        calls.append(len(calls) + 1)
        return SimpleNamespace(st_mode=info.st_mode, st_size=info.st_size if size is None else size,
                               st_mtime_ns=info.st_mtime_ns + mtime_shift(len(calls)))

    monkeypatch.setattr(os, "fstat", fstat)
    return calls


def test_default_limit_is_reported_in_megabytes(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word")
    fake_stat(monkeypatch, path, size=25_000_000)
    with pytest.raises(SkippedFile) as caught:
        read_text(SourceFile(str(path), 4, 0))
    assert caught.value.reason == "larger than 20 MB; raise --max-file-size"


def test_unreadable_file_is_skipped_with_the_reason(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("text")

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources, "_open_file", denied)
    with pytest.raises(SkippedFile) as caught:
        read_text(source_of(path))
    assert caught.value.reason == "unreadable: Permission denied"


def test_file_changing_while_read_is_retried_then_skipped(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_text("text")
    source = source_of(path)
    calls = fake_stat(monkeypatch, path, mtime_shift=lambda call: call)
    with pytest.raises(SkippedFile) as caught:
        read_text(source)
    assert caught.value.reason == "changed while being read"
    assert calls == [1, 2, 3, 4]  # before and after the read, twice


def test_file_that_settles_on_the_second_read_is_read(tmp_path, monkeypatch):
    path = tmp_path / "settling.txt"
    path.write_text("final text")
    source = source_of(path)
    calls = fake_stat(monkeypatch, path, mtime_shift=lambda call: 1 if call == 2 else 0)
    assert read_text(source)[0] == "final text"
    assert calls == [1, 2, 3, 4]
