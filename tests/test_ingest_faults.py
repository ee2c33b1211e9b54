"""Every row of the ingest fault catalog, end to end through `briefsearch index`: what the summary
says, what becomes searchable, and that nothing already indexed is lost.

Unit behaviour of the walk and the decoder is in test_sources.py; here the whole run is checked.
"""

import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefsearch.ingest import sources
from briefsearch.cli import cli
from briefsearch.query.searcher import Searcher, search


def index(*args, expect=0):
    result = CliRunner().invoke(cli, ["index", *[str(a) for a in args]])
    assert result.exit_code == expect, (result.exit_code, result.output)
    return result


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def found(index_dir, query: str) -> list[tuple[str, str]]:
    """(file name, paragraph text) of every hit."""
    return [(Path(hit.paragraph.source).name, hit.paragraph.text) for hit in search(index_dir, query).hits]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


PLAN = "Sanctions plan\n\nThe ministers agreed on a new sanctions plan for the region on Tuesday.\n"
TALKS = "Border talks\n\nNegotiators from both countries resumed border talks in Geneva this week.\n"


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder / "plan.txt", PLAN)
    write(folder / "talks.txt", TALKS)
    return folder


@pytest.fixture()
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


# --- encodings ---------------------------------------------------------------------------------


def test_cp1252_smart_quotes_are_decoded_warned_and_found_with_straight_quotes(corpus, index_dir):
    path = corpus / "quotes.txt"
    path.write_bytes(b"Naive plans\n\nThe \x93na\xefve\x94 plan for missile defense was dropped \x96 quietly.\n")
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {path}: decoded as cp1252"]
    expected = [("quotes.txt", "The \u201cna\u00efve\u201d plan for missile defense was dropped \u2013 quietly.")]
    assert found(index_dir, '"na\u00efve plan"') == expected
    assert found(index_dir, "naive") == expected


def test_latin1_text_takes_the_same_path(corpus, index_dir):
    path = corpus / "francais.txt"
    path.write_bytes("Déclaration\n\nLe ministre a déclaré que la défense était prête à Genève.\n".encode("latin-1"))
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {path}: decoded as cp1252"]
    assert found(index_dir, "Genève") == [("francais.txt", "Le ministre a déclaré que la défense était prête à Genève.")]


def test_utf8_bom_is_not_part_of_the_title(corpus, index_dir):
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbfEmbargo briefing\n\nThe embargo on exports was extended by six months.\n")
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == []
    hits = search(index_dir, "title:embargo").hits
    assert [(hit.paragraph.title, hit.paragraph.text) for hit in hits] == [
        ("Embargo briefing", "The embargo on exports was extended by six months.")]


# --- files that are not text -----------------------------------------------------------------------


def test_binary_files_with_text_extensions_are_skipped_with_a_warning(corpus, index_dir):
    (corpus / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (corpus / "dump.txt").write_bytes(b"sanctions\x00\x00\x01\x02" * 500)
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {corpus / 'dump.txt'}: skipped (binary file)",
                                f"warning: {corpus / 'image.html'}: skipped (binary file)"]
    assert result.stdout.startswith("2 new, 0 changed, 0 unchanged, 0 removed, 2 skipped files; 2 paragraphs written")
    assert [name for name, _ in found(index_dir, "sanctions")] == ["plan.txt"]
    assert index(corpus, "--index", index_dir, "--strict", expect=6).stdout.startswith("0 new, 0 changed, 2 unchanged")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  \r\n"], ids=["empty", "whitespace"])
def test_empty_file_is_skipped_with_a_note(corpus, index_dir, content):
    (corpus / "blank.txt").write_bytes(content)
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {corpus / 'blank.txt'}: skipped (empty file)"]
    assert "2 new, 0 changed, 0 unchanged, 0 removed, 1 skipped files; 2 paragraphs written, 2 in the index" in result.stdout


def test_file_over_the_size_limit_is_skipped_and_the_rest_indexed(corpus, index_dir):
    (corpus / "huge.txt").write_text("Huge\n\n" + "word " * 220_000)  # 1.1 MB against a 1 MB limit
    result = index(corpus, "--index", index_dir, "--max-file-size", 1)
    assert warnings(result) == [f"warning: {corpus / 'huge.txt'}: skipped (larger than 1 MB; raise --max-file-size)"]
    assert "2 new, 0 changed, 0 unchanged, 0 removed, 1 skipped files; 2 paragraphs written" in result.stdout


# --- the walk --------------------------------------------------------------------------------------


def test_symlink_loop_is_not_followed_and_each_file_is_indexed_once(corpus, index_dir):
    (corpus / "sub").mkdir()
    os.symlink(corpus, corpus / "sub" / "loop")
    os.symlink(corpus / "plan.txt", corpus / "sub" / "plan-link.txt")
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {corpus / 'sub' / 'loop'}: skipped (link to a folder; not followed)"]
    assert "2 new, 0 changed, 0 unchanged, 0 removed, 1 skipped files; 2 paragraphs written, 2 in the index" in result.stdout
    assert found(index_dir, "sanctions") == [("plan.txt", PLAN.split("\n\n")[1].strip())]


def test_unreadable_file_is_warned_about_and_its_indexed_paragraphs_kept(corpus, index_dir, monkeypatch):
    index(corpus, "--index", index_dir)
    plan = corpus / "plan.txt"
    write(plan, PLAN + "\nA second paragraph about tariffs.\n")
    os.utime(plan, ns=(1, 1_700_000_000_000_000_000))
    real_open = sources._open_file

    def denied(path):
        if str(path) == str(plan):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    with monkeypatch.context() as patch:
        patch.setattr(sources, "_open_file", denied)
        result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {plan}: skipped (unreadable: Permission denied); its indexed paragraphs are kept"]
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files; 0 paragraphs written, 2 in the index")
    assert [name for name, _ in found(index_dir, "sanctions")] == ["plan.txt"]
    assert index(corpus, "--index", index_dir).stdout.startswith("0 new, 1 changed, 1 unchanged")
    assert [name for name, _ in found(index_dir, "tariffs")] == ["plan.txt"]


def test_file_vanishing_between_walk_and_read(corpus, index_dir, monkeypatch):
    index(corpus, "--index", index_dir)
    plan = corpus / "plan.txt"
    write(plan, PLAN + "\nA second paragraph about tariffs.\n")
    os.utime(plan, ns=(1, 1_700_000_000_000_000_000))
    real_find = sources.find_sources

    def walk_then_delete(paths, **options):
        found_sources = real_find(paths, **options)
        plan.unlink()  # gone after the walk listed it, before it is read
        return found_sources

    monkeypatch.setattr(sources, "find_sources", walk_then_delete)
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {plan}: skipped (unreadable: No such file or directory); its indexed paragraphs are kept"]
    assert "0 removed, 1 skipped files; 0 paragraphs written, 2 in the index" in result.stdout
    monkeypatch.undo()
    assert index(corpus, "--index", index_dir).stdout.startswith("0 new, 0 changed, 1 unchanged, 1 removed, 0 skipped files; 0 paragraphs written, 1 in the index")
    assert found(index_dir, "sanctions") == []


def test_undecodable_file_name_is_indexed_shown_and_tracked(corpus, index_dir):
    raw = os.fsencode(corpus) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Cafe notes\n\nThe envoys met in a small cafe near the harbour.\n")
    result = index(corpus, "--index", index_dir)
    assert result.stdout.startswith("3 new, 0 changed, 0 unchanged, 0 removed, 0 skipped files")
    assert found(index_dir, "harbour") == [("caf\\xe9.txt", "The envoys met in a small cafe near the harbour.")]
    assert index(corpus, "--index", index_dir).stdout.startswith("0 new, 0 changed, 3 unchanged, 0 removed")
    os.remove(raw)
    assert index(corpus, "--index", index_dir).stdout.startswith("0 new, 0 changed, 2 unchanged, 1 removed")
    assert found(index_dir, "harbour") == []


# --- text --------------------------------------------------------------------------------------------


def test_nul_and_control_characters_are_removed_from_stored_text(corpus, index_dir):
    """Control characters separate what is on either side (a NUL between two words must not join
    them, #18); zero-width marks are dropped."""
    (corpus / "records.jsonl").write_text(
        '{"title": "Con\\u0007trol", "content": "The \\u001b[31mwarning\\u0000bell\\u0085 rang for the \\u200bembargo today."}\n')
    index(corpus, "--index", index_dir)
    hits = search(index_dir, "embargo").hits
    assert [(hit.paragraph.title, hit.paragraph.text) for hit in hits] == [("Con trol", "The [31mwarning bell rang for the embargo today.")]
    assert found(index_dir, "bell") == found(index_dir, "embargo")


def test_nfd_text_is_found_by_an_nfc_query_and_the_other_way_round(corpus, index_dir):
    text = "The d\u00e9fense ministers met at the caf\u00e9 in Gen\u00e8ve."
    write(corpus / "nfd.txt", "Accents\n\n" + unicodedata.normalize("NFD", text) + "\n")
    index(corpus, "--index", index_dir)
    assert found(index_dir, "d\u00e9fense Gen\u00e8ve") == [("nfd.txt", text)]  # stored as NFC
    assert found(index_dir, unicodedata.normalize("NFD", "caf\u00e9 Gen\u00e8ve")) == [("nfd.txt", text)]


# --- the index over time -----------------------------------------------------------------------------


def test_duplicate_article_is_indexed_once_and_comes_back_when_the_original_goes(corpus, index_dir):
    write(corpus / "plan-copy.txt", PLAN)
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [
        f"warning: {corpus / 'plan.txt'}: 1 duplicate article not indexed again (same article as in {corpus / 'plan-copy.txt'})"]
    assert "3 new, 0 changed, 0 unchanged, 0 removed, 0 skipped files; 2 paragraphs written, 2 in the index" in result.stdout
    assert [name for name, _ in found(index_dir, "sanctions")] == ["plan-copy.txt"]
    (corpus / "plan-copy.txt").unlink()
    again = index(corpus, "--index", index_dir)
    assert again.stdout.startswith("0 new, 1 changed, 1 unchanged, 1 removed, 0 skipped files; 1 paragraphs written, 2 in the index")
    assert [name for name, _ in found(index_dir, "sanctions")] == ["plan.txt"]


def stored_documents(index_dir) -> tuple[list[dict], dict]:
    """Every paragraph the index holds, with all its fields, and the manifest."""
    from dataclasses import asdict

    with Searcher(index_dir) as searcher:
        reader = searcher.reader
        return sorted((asdict(p) for p in reader.paragraphs()), key=lambda d: d["id"]), reader.manifest()


def test_second_run_is_idempotent(corpus, index_dir):
    index(corpus, "--index", index_dir)
    before = stored_documents(index_dir)
    os.utime(corpus / "plan.txt")  # touched, same bytes
    result = index(corpus, "--index", index_dir)
    assert result.stdout.startswith("0 new, 0 changed, 2 unchanged, 0 removed, 0 skipped files; 0 paragraphs written, 2 in the index")
    assert stored_documents(index_dir) == before
    assert len(before[0]) == 2 and len(before[1]) == 2  # two paragraphs, two manifest records


def test_deleted_source_is_removed_from_the_index(corpus, index_dir):
    index(corpus, "--index", index_dir)
    (corpus / "talks.txt").unlink()
    result = index(corpus, "--index", index_dir)
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 1 removed, 0 skipped files; 0 paragraphs written, 1 in the index")
    assert found(index_dir, "geneva") == []


def test_mass_deletion_is_refused_without_prune_and_nothing_changes(tmp_path, index_dir):
    folder = tmp_path / "briefings"
    folder.mkdir()
    for number in range(12):
        write(folder / f"b{number:02d}.txt", f"Briefing {number}\n\nParagraph number {number} about the summit agenda.\n")
    index(folder, "--index", index_dir)
    for number in range(10):
        (folder / f"b{number:02d}.txt").unlink()
    write(folder / "new.txt", "New briefing\n\nA fresh paragraph about the harbour.\n")
    refused = index(folder, "--index", index_dir, expect=2)
    assert refused.stderr == (f"briefsearch: 10 of 12 indexed files are gone from {folder} — if that folder is unmounted, "
                              "mount it; to remove them from the index anyway, run again with --prune\n")
    assert len(search(index_dir, "summit", None).hits) == 10 and found(index_dir, "harbour") == []
    pruned = index(folder, "--index", index_dir, "--prune")
    assert pruned.stdout.startswith("1 new, 0 changed, 2 unchanged, 10 removed, 0 skipped files; 1 paragraphs written, 3 in the index")


def test_missing_source_folder_is_an_error_and_the_index_is_kept(corpus, index_dir, tmp_path):
    index(corpus, "--index", index_dir)
    result = index(tmp_path / "unmounted", "--index", index_dir, expect=2)
    assert result.stderr == f"briefsearch: No such file or folder: {tmp_path / 'unmounted'} — check the path\n"
    assert len(found(index_dir, "sanctions OR geneva")) == 2


def test_file_modified_while_read_is_read_again(corpus, index_dir, monkeypatch):
    plan = corpus / "plan.txt"
    real_read = sources._read_at_most
    opened = []

    def growing(fd, count):
        data = real_read(fd, count)
        if os.readlink(f"/proc/self/fd/{fd}") == str(plan):
            opened.append(fd)
            if len(opened) == 1:  # a writer appends while the first read is under way
                with open(plan, "a") as writer:
                    writer.write("\nA late paragraph about tariffs.\n")
                os.utime(plan, ns=(1, 1_700_000_000_000_000_000))
        return data

    monkeypatch.setattr(sources, "_read_at_most", growing)
    result = index(corpus, "--index", index_dir, "--jobs", 1)  # the fault is in this process: extract here
    assert len(opened) == 2 and warnings(result) == []
    assert found(index_dir, "tariffs") == [("plan.txt", "A late paragraph about tariffs.")]


def test_file_that_keeps_changing_is_skipped_and_the_old_version_kept(corpus, index_dir, monkeypatch):
    index(corpus, "--index", index_dir)
    plan = corpus / "plan.txt"
    real_read = sources._read_at_most
    stamp = [1_700_000_000_000_000_000]

    def always_changing(fd, count):
        data = real_read(fd, count)
        if os.readlink(f"/proc/self/fd/{fd}") == str(plan):
            stamp[0] += 1_000_000_000
            os.utime(plan, ns=(1, stamp[0]))
        return data

    monkeypatch.setattr(sources, "_read_at_most", always_changing)
    os.utime(plan, ns=(1, 1))
    result = index(corpus, "--index", index_dir, "--jobs", 1)  # the fault is in this process: extract here
    assert warnings(result) == [f"warning: {plan}: skipped (changed while being read); its indexed paragraphs are kept"]
    assert [name for name, _ in found(index_dir, "sanctions")] == ["plan.txt"]


def test_record_repeated_within_one_export_is_indexed_once(corpus, index_dir):
    record = '{"title": "Harbour", "content": "The envoys met near the harbour on Friday."}\n'
    (corpus / "export.jsonl").write_text(record + record)
    result = index(corpus, "--index", index_dir)
    assert warnings(result) == [f"warning: {corpus / 'export.jsonl'}: 1 duplicate article not indexed again (repeated within the file)"]
    assert found(index_dir, "harbour") == [("export.jsonl", "The envoys met near the harbour on Friday.")]
