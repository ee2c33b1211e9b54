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


# --- 2. deeply nested JSON ---------------------------------------------------------------------

GOOD_RECORD = json.dumps({"title": "Tariff talks", "body": "The trade ministers resumed the tariff talks in Geneva."})
PLAN = "Sanctions plan\n\nThe ministers agreed on a new sanctions plan for the region on Tuesday.\n"


def test_2_deeply_nested_json_costs_its_record_or_file_not_the_run(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (corpus / "export.jsonl").write_text(GOOD_RECORD + "\n" + deep + "\n")
    (corpus / "deep.json").write_text(deep)
    result = invoke("index", corpus, "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert f"warning: {corpus / 'deep.json'}: skipped (no readable JSON records)" in result.stderr
    assert result.stdout.startswith("1 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files; 1 paragraphs written, 2 in the index")
    assert paragraph_count(index_dir) == 2
    assert invoke("query", "tariff", "--index", index_dir).stdout.count("#p") == 1
    again = invoke("index", corpus, "--index", index_dir)  # and every later run goes on too
    assert again.exit_code == 0 and paragraph_count(index_dir) == 2


def test_2_any_parser_failure_skips_the_file_with_its_reason(tmp_path, monkeypatch):
    """Whatever a parser raises on one file (here a RecursionError from a page's parse), that file
    is skipped, warned about and counted; the run goes on and exits 0 (6 with --strict)."""
    from briefsearch.ingest import extract

    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (corpus / "page.html").write_text("<html><body><p>Border talks resumed in Geneva.</p></body></html>")
    real = extract._html_page

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract, "_html_page", too_deep)
    result = invoke("index", corpus, "--index", index_dir, "--strict")
    assert result.exit_code == 6, result.output
    assert f"warning: {corpus / 'page.html'}: skipped (nested too deeply to read)" in result.stderr
    assert "1 skipped: nested too deeply to read (.html 1)" in result.stderr
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files")
    monkeypatch.setattr(extract, "_html_page", real)
    assert invoke("index", corpus, "--index", index_dir).stdout.startswith("1 new, 0 changed, 1 unchanged")
    assert paragraph_count(index_dir) == 2


# --- 3. a file that becomes a FIFO after the walk ----------------------------------------------


def test_3_a_file_swapped_for_a_fifo_after_the_walk_is_skipped_not_waited_on(tmp_path, monkeypatch):
    import os
    import threading

    from briefsearch.ingest import sources

    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    talks = corpus / "talks.txt"
    talks.write_text("Border talks\n\nNegotiators resumed border talks in Geneva this week.\n")
    real_find = sources.find_sources

    def walk_then_swap(paths, **options):
        found = real_find(paths, **options)
        talks.unlink()
        os.mkfifo(talks)  # a FIFO where the walk saw a file
        return found

    monkeypatch.setattr(sources, "find_sources", walk_then_swap)
    rescued = []

    def watchdog():  # if the open blocks, unblock it so that the test fails instead of hanging
        if not done.wait(30):
            rescued.append(True)
            os.close(os.open(talks, os.O_WRONLY | os.O_NONBLOCK))

    done = threading.Event()
    threading.Thread(target=watchdog, daemon=True).start()
    result = invoke("index", corpus, "--index", index_dir, "--strict")
    done.set()
    assert not rescued, "index blocked opening the FIFO"
    assert result.exit_code == 6, result.output
    assert f"warning: {talks}: skipped (not a regular file)" in result.stderr
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files; 0 paragraphs written, 1 in the index")


# --- 4. reads sized to the file, not to the limit ----------------------------------------------


def test_4_a_high_size_limit_does_not_size_the_read(tmp_path):
    lines = "\n".join(json.dumps({"title": f"Release {n}", "body": f"Statement number {n} on the tariff talks."})
                      for n in range(300))
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (corpus / "export.jsonl").write_text(lines + "\n")  # about 25 KB
    result = invoke("index", corpus, "--index", index_dir, "--max-file-size", 1500)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 new, 0 changed, 1 unchanged, 0 removed, 0 skipped files; 300 paragraphs written, 301 in the index")
    assert paragraph_count(index_dir) == 301


# --- 8. escape sequences in file names and fields ----------------------------------------------


def test_8_escape_sequences_in_names_are_shown_not_run(tmp_path):
    evil = "brief\x1b]0;pwned\x07\x1b[2J.txt"
    corpus, index_dir = build(tmp_path, {evil: PLAN, "blank\x1b[31m.txt": ""})
    result = invoke("index", corpus, "--index", index_dir)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert f"warning: {corpus}/blank\\x1b[31m.txt: skipped (empty file)" in result.stderr
    hit = json.loads(invoke("query", "sanctions", "--index", index_dir, "--format", "jsonl").stdout)
    assert hit["source"].endswith(evil)  # the data keeps the name; JSON escapes it
    shown = invoke("show", hit["id"], "--index", index_dir)
    assert shown.exit_code == 0
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "brief\\x1b]0;pwned\\x07\\x1b[2J.txt" in shown.stdout
    assert "\x1b" not in invoke("query", "sanctions", "--index", index_dir).output
    assert paragraph_count(index_dir) == 1


# --- 10. file symlinks out of the indexed folder -----------------------------------------------


def test_10_a_file_link_out_of_the_folder_is_not_followed_unless_asked(tmp_path):
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "plan-again.txt").symlink_to(corpus / "plan.txt")  # inside: followed (and indexed once)
    result = invoke("index", corpus, "--index", index_dir, "--strict")
    assert result.exit_code == 6, result.output
    assert (f"warning: {corpus / 'passwd.txt'}: skipped (link to a file outside the indexed folders; not followed "
            "(--follow-links follows it))") in result.stderr
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files; 0 paragraphs written, 1 in the index")
    assert "No paragraphs match." in invoke("query", "nologin", "--index", index_dir).stderr

    followed = invoke("index", corpus, "--index", index_dir, "--follow-links")
    assert followed.exit_code == 0, followed.output
    assert "note: symlinks followed wherever they lead (--follow-links)" in followed.stderr
    assert followed.stdout.startswith("1 new, 0 changed, 1 unchanged, 0 removed, 0 skipped files; 1 paragraphs written, 2 in the index")
    assert paragraph_count(index_dir) == 2


# --- 11. --strict counts what the walk skipped -------------------------------------------------


def test_11_strict_counts_fifos_and_link_loops_met_by_the_walk(tmp_path):
    import os

    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    result = invoke("index", corpus, "--index", index_dir, "--strict")
    assert result.exit_code == 6, result.output
    assert f"warning: {corpus / 'pipe.txt'}: skipped (not a regular file)" in result.stderr
    assert f"warning: {corpus / 'loop.txt'}: skipped (Too many levels of symbolic links)" in result.stderr
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 2 skipped files; 0 paragraphs written, 1 in the index")
    assert paragraph_count(index_dir) == 1


# --- 6. a damaged segment is never answered silently -------------------------------------------

READERS = (("query", "date:2021"), ("query", "sanctions"), ("topics",), ("speakers",), ("acronyms",), ("stats",),
           ("quotes", "--speaker", "Blinken"))


def real_index(tmp_path: Path) -> tuple[Path, Path]:
    from tests.helpers import state_dept_corpus

    corpus = tmp_path / "corpus"
    state_dept_corpus(corpus, 3, 10)
    index_dir = tmp_path / "index"
    assert invoke("index", corpus, "--index", index_dir).exit_code == 0
    return corpus, index_dir


def largest_engine_file(index_dir: Path) -> Path:
    from briefsearch.indexing.storage import IndexDir

    generation = IndexDir(index_dir).live()
    engine = generation.engine()
    return max((p for p in generation.path.iterdir() if engine.is_engine_file(p.name)), key=lambda p: p.stat().st_size)


def zero(path: Path, count: int = 4096) -> None:
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 - count // 2)
        handle.write(b"\x00" * count)


def every_reader_exits_5(index_dir: Path, message: str) -> None:
    """Every reading command exits 5 with one line holding ``message`` and the way out."""
    for command in READERS:
        result = invoke(*command, "--index", index_dir)
        assert result.exit_code == 5, (command, result.output)
        line = one_line_error(result)
        assert message in line, line
        assert line.endswith("— run: briefsearch check, or briefsearch index --rebuild")


def test_6_a_zeroed_segment_makes_every_command_exit_5(tmp_path):
    corpus, index_dir = real_index(tmp_path)
    before = paragraph_count(index_dir)
    victim = largest_engine_file(index_dir)
    zero(victim)
    every_reader_exits_5(index_dir, f"cannot be trusted: {victim.name} does not match its checksum")
    checked = invoke("check", "--index", index_dir)
    assert checked.exit_code == 5 and f"damaged: {victim.name} does not match its checksum" in checked.stderr
    refused = invoke("index", corpus, "--index", index_dir)  # an incremental run does not build on damage
    assert refused.exit_code == 5, refused.output
    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("check", "--index", index_dir).exit_code == 0
    assert paragraph_count(index_dir) == before


def test_6_damage_found_while_reading_is_exit_5_too(tmp_path):
    """Bytes that rot under an unchanged file (same size, mtime, ctime, inode: what the check on
    open compares) pass the open; every read that meets them is exit 5 with the way out, never an
    internal error or a silent answer, and ``check`` (which hashes every file) names the file."""
    import json as json_module

    from briefsearch.indexing.storage import IndexDir

    corpus, index_dir = real_index(tmp_path)
    before = paragraph_count(index_dir)
    victim = largest_engine_file(index_dir)
    victim.write_bytes(bytes(victim.stat().st_size))  # every byte rotted to zero
    sums = IndexDir(index_dir).current() / "checksums.json"
    recorded = json_module.loads(sums.read_text())
    info = victim.stat()  # the record's identity now matches the rotted file: only its sha256 differs
    recorded[victim.name].update(size=info.st_size, mtime_ns=info.st_mtime_ns, ctime_ns=info.st_ctime_ns,
                                 ino=info.st_ino)
    sums.write_text(json_module.dumps(recorded))
    every_reader_exits_5(index_dir, f"The index in {IndexDir(index_dir).current()} cannot be read (")
    checked = invoke("check", "--index", index_dir)
    assert checked.exit_code == 5 and f"damaged: {victim.name} does not match its checksum" in checked.stderr
    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("check", "--index", index_dir).exit_code == 0
    assert paragraph_count(index_dir) == before


# --- 7. damaged side files: covered by the checksums, never replaced by empty ones -------------


@pytest.mark.parametrize("side_file", ["enrichment.json", "vocabulary.json"])
def test_7_a_damaged_side_file_is_found_and_kept_for_a_rebuild(tmp_path, side_file):
    from briefsearch.indexing.storage import IndexDir

    corpus, index_dir = real_index(tmp_path)
    before = paragraph_count(index_dir)
    speakers_before = invoke("speakers", "--index", index_dir, "--format", "json").stdout
    path = IndexDir(index_dir).current() / side_file
    zero(path, 64)
    damaged = path.read_bytes()

    checked = invoke("check", "--index", index_dir)
    assert checked.exit_code == 5
    assert f"damaged: {side_file} does not match its checksum" in checked.stderr

    touching = ("speakers",) if side_file == "enrichment.json" else ("query", "sanctoins")
    result = invoke(*touching, "--index", index_dir)
    assert result.exit_code == 5, result.output
    assert f"cannot be trusted: {side_file} does not match its checksum" in one_line_error(result)

    (corpus / "extra.txt").write_text(PLAN)
    refused = invoke("index", corpus, "--index", index_dir)
    assert refused.exit_code == 5, refused.output
    assert f"cannot be trusted: {side_file} does not match its checksum" in one_line_error(refused)
    assert path.read_bytes() == damaged  # not replaced by an empty registry
    assert paragraph_count(index_dir) == before

    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert invoke("check", "--index", index_dir).exit_code == 0
    assert paragraph_count(index_dir) == before + 1
    assert invoke("speakers", "--index", index_dir, "--format", "json").stdout == speakers_before


# --- 9. a garbled CURRENT pointer --------------------------------------------------------------


def test_9_a_current_pointer_of_non_text_bytes_is_damage_for_every_command(tmp_path):
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (index_dir / "CURRENT").write_bytes(b"\xff\xfe\x00gen-000001\n")
    for command in (("query", "sanctions"), ("stats",), ("check",), ("topics",), ("index", corpus)):
        result = invoke(*command, "--index", index_dir)
        assert result.exit_code == 5, (command, result.output)
        assert one_line_error(result) == (f"briefsearch: The index pointer {index_dir}/CURRENT is not readable text "
                                          "— run: briefsearch index --rebuild")
    assert invoke("index", corpus, "--index", index_dir, "--rebuild").exit_code == 0
    assert paragraph_count(index_dir) == 1


# --- 12. the smaller ones ----------------------------------------------------------------------


def test_12_speaker_overrides_that_are_not_json_are_a_usage_error(tmp_path):
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    overrides = tmp_path / "overrides.json"
    overrides.write_text("not json at all {")
    result = invoke("index", corpus, "--index", index_dir, "--rebuild", "--speaker-overrides", overrides)
    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert line.startswith(f"briefsearch: The speaker overrides file {overrides} is not valid JSON")
    assert paragraph_count(index_dir) == 1


def test_12_an_index_path_under_a_file_or_too_long_is_named_as_such(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    under_a_file = a_file / "index"
    too_long = tmp_path / ("x" * 300)
    for command in (("query", "sanctions"), ("stats",), ("check",)):
        for path, reason in ((under_a_file, "Not a directory"), (too_long, "File name too long")):
            result = invoke(*command, "--index", path)
            assert result.exit_code == 1, result.output
            assert one_line_error(result) == f"briefsearch: The index path {path} cannot be used ({reason}) — pass --index DIR"
        result = invoke(*command, "--index", a_file)  # Click's own check of the option
        assert result.exit_code == 2 and "is a file" in one_line_error(result)
    for path, reason in ((under_a_file, "Not a directory"), (too_long, "File name too long")):
        result = invoke("index", tmp_path, "--index", path)
        assert result.exit_code == 2, result.output
        assert one_line_error(result) == f"briefsearch: The index path {path} cannot be used ({reason}) — pass --index DIR"


def test_12_a_generation_without_its_stamp_is_damage(tmp_path):
    from briefsearch.indexing.storage import IndexDir

    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN})
    (IndexDir(index_dir).current() / "briefsearch-index.json").unlink()
    result = invoke("query", "sanctions", "--index", index_dir)
    assert result.exit_code == 5, result.output
    assert "has no version stamp" in one_line_error(result)


def test_12_utf16_without_a_bom_is_text(tmp_path):
    corpus, index_dir = build(tmp_path, {"plan.txt": PLAN,
                                         "le.txt": "Tariffs\n\nThe ministers cut the tariffs on steel.\n".encode("utf-16-le"),
                                         "be.txt": "Quotas\n\nThe ministers lifted the quotas on grain.\n".encode("utf-16-be")})
    assert paragraph_count(index_dir) == 3
    assert invoke("query", "tariffs", "--index", index_dir).stdout.count("#p") == 1
    assert invoke("query", "quotas", "--index", index_dir).stdout.count("#p") == 1


def test_12_a_one_line_text_file_is_indexed(tmp_path):
    corpus, index_dir = build(tmp_path, {"note.txt": "The ministers agreed on a new sanctions plan.\n"})
    assert paragraph_count(index_dir) == 1
    assert "The ministers agreed on a new sanctions plan." in invoke("query", "sanctions", "--index", index_dir).stdout


def test_12_control_characters_between_words_separate_them(tmp_path):
    record = json.dumps({"title": "Talks", "body": "The ministers met\u0000negotiators\u000cin Geneva."})
    corpus, index_dir = build(tmp_path, {"export.jsonl": record + "\n"})
    hit = json.loads(invoke("query", "negotiators", "--index", index_dir, "--format", "jsonl").stdout)
    assert hit["text"] == "The ministers met negotiators in Geneva."


def test_12_a_doctype_internal_subset_leaves_no_paragraph(tmp_path):
    page = ('<!DOCTYPE html [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
            "<html><body><p>The ministers agreed on a new sanctions plan.</p></body></html>")
    corpus, index_dir = build(tmp_path, {"page.html": page})
    assert paragraph_count(index_dir) == 1
    hit = json.loads(invoke("query", "sanctions", "--index", index_dir, "--format", "jsonl").stdout)
    assert hit["text"] == "The ministers agreed on a new sanctions plan."


def test_12_xinclude_markup_is_neither_followed_nor_text(tmp_path):
    include = ('<xi:include href="file:///etc/passwd" parse="text">'
               "<xi:fallback>Fallback words instead of the file</xi:fallback></xi:include>")
    page = ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xi="http://www.w3.org/2001/XInclude">'
            f"<body><p>The ministers agreed on a new sanctions plan.</p>{include}"
            "<p>Talks resume on Tuesday in Geneva.</p></body></html>")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Releases</title><item><title>Budget</title>'
            f"<description><![CDATA[<p>Budget talks continue this week.</p>{include}]]></description></item>"
            "</channel></rss>")
    record = json.dumps({"title": "Trade", "body": f"<p>Trade talks resumed.</p>{include}"})
    corpus, index_dir = build(tmp_path, {"page.xhtml": page, "feed.rss": feed, "export.jsonl": record + "\n"})
    assert paragraph_count(index_dir) == 4
    for word in ("passwd", "fallback", "include", "root"):
        result = invoke("query", word, "--index", index_dir, "--format", "jsonl")
        assert result.exit_code == 0 and result.stdout.strip() == "", (word, result.output)
    hit = json.loads(invoke("query", "sanctions", "--index", index_dir, "--format", "jsonl").stdout)
    assert hit["text"] == "The ministers agreed on a new sanctions plan."


# --- 13. a JSON Lines export of very many records: streamed, never whole in memory --------------


def streamed_small(monkeypatch, batch: int = 4) -> None:
    """Stream every JSON Lines file, ``batch`` records at a time (real runs: 4 MB and up, 1,000),
    and fail loudly if one is read whole."""
    from briefsearch.ingest import pipeline, sources

    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "STREAM_BATCH", batch)
    real_read = sources.read_text

    def read_whole(source, *args, **kwargs):
        assert not source.path.endswith(".jsonl"), f"{source.path} was read whole"
        return real_read(source, *args, **kwargs)

    monkeypatch.setattr(sources, "read_text", read_whole)


def index_listing(index_dir: Path) -> list[tuple]:
    """Every paragraph of the index as (id, speaker, topics, text), in id order."""
    from tests.helpers import Searcher

    with Searcher(index_dir) as searcher:
        return sorted((p.id, p.speaker, p.topics, p.text) for p in searcher.reader.paragraphs())


def test_13_a_json_lines_export_is_streamed_with_the_same_result(tmp_path, monkeypatch):
    from tests.helpers import state_dept_corpus

    corpus = tmp_path / "corpus"
    state_dept_corpus(corpus, 2, 15)
    whole = tmp_path / "whole"
    assert invoke("index", corpus, "--index", whole).exit_code == 0
    streamed_small(monkeypatch)
    streamed = tmp_path / "streamed"
    result = invoke("index", corpus, "--index", streamed)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 new, 0 changed, 0 unchanged, 0 removed, 0 skipped files")
    assert index_listing(streamed) == index_listing(whole) and len(index_listing(whole)) > 100
    again = invoke("index", corpus, "--index", streamed)  # the manifest entry says "unchanged"
    assert again.stdout.startswith("0 new, 0 changed, 2 unchanged"), again.output
    touched = corpus / "part-000.jsonl"
    touched.write_bytes(touched.read_bytes())  # new mtime, same bytes: the streamed hash says unchanged
    assert invoke("index", corpus, "--index", streamed).stdout.startswith("0 new, 0 changed, 2 unchanged")


def test_13_a_file_changed_while_streamed_is_skipped_and_its_old_paragraphs_kept(tmp_path, monkeypatch):
    """Changed after its first pass (the hash) and before the second (the records): the batches
    already written are cancelled, the file is skipped with its reason, its earlier version stays."""
    from briefsearch.ingest import sources
    from tests.helpers import state_dept_corpus

    corpus = tmp_path / "corpus"
    first, second = state_dept_corpus(corpus, 2, 15)
    streamed_small(monkeypatch)
    index_dir = tmp_path / "index"
    assert invoke("index", corpus, "--index", index_dir).exit_code == 0
    before = index_listing(index_dir)
    lines = first.read_text(encoding="utf-8").splitlines()
    first.write_text("\n".join(lines[:14]) + "\n", encoding="utf-8")  # one record fewer: a change to index
    real_scan = sources.scan_lines

    def scan_then_change(source, max_bytes):
        digest = real_scan(source, max_bytes)
        if source.path == str(first):
            first.write_text("\n".join(lines[:13]) + "\n", encoding="utf-8")  # changed again, mid-read
        return digest

    monkeypatch.setattr(sources, "scan_lines", scan_then_change)
    result = invoke("index", corpus, "--index", index_dir, "--strict")
    assert result.exit_code == 6, result.output
    assert (f"warning: {first}: skipped (changed while being read); its indexed paragraphs are kept"
            in result.stderr)
    assert result.stdout.startswith("0 new, 0 changed, 1 unchanged, 0 removed, 1 skipped files; 0 paragraphs written")
    assert index_listing(index_dir) == before
    monkeypatch.setattr(sources, "scan_lines", real_scan)
    assert invoke("index", corpus, "--index", index_dir).stdout.startswith("0 new, 1 changed, 1 unchanged")
    assert len(index_listing(index_dir)) < len(before)


def test_13_a_large_json_lines_file_that_is_not_utf8_is_read_whole(tmp_path, monkeypatch):
    from briefsearch.ingest import pipeline

    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    records = [json.dumps({"title": f"Talks {n}", "body": f"The ministers met in Zürich, day {n}."}, ensure_ascii=False)
               for n in range(3)]
    corpus, index_dir = build(tmp_path, {"export.jsonl": ("\n".join(records) + "\n").encode("cp1252")})
    assert paragraph_count(index_dir) == 3
    hit = json.loads(invoke("query", "Zürich", "--index", index_dir, "--format", "jsonl").stdout.splitlines()[0])
    assert "Zürich" in hit["text"]
