"""The command line: thin Click commands that call the library and render its plain data.

This is the only module that imports Click, knows exit codes, or prints. Library modules are
imported inside the commands so that ``briefsearch query`` loads only what a query needs.
Exit codes: 0 ok (also no matches), 1 runtime error, 2 usage error or invalid query, 4 index
built by an incompatible version, 5 damaged index, 6 files skipped under --strict, 74 I/O error
or disk full, 75 index busy (another writer), 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys

import click

from briefsearch.engine import ENGINES
from briefsearch.present.render import FORMATS

ENGINE_NAMES = tuple(sorted(ENGINES))

EXIT_RUNTIME, EXIT_USAGE, EXIT_INCOMPATIBLE, EXIT_CORRUPT, EXIT_STRICT = 1, 2, 4, 5, 6
EXIT_IO, EXIT_BUSY, EXIT_INTERRUPTED = 74, 75, 130


def _exit_code(error: Exception) -> int:
    from briefsearch import errors as e

    table = [
        (e.QuerySyntaxError, EXIT_USAGE), (e.QueryTooExpensive, EXIT_USAGE), (e.SourceError, EXIT_USAGE),
        (e.UsageError, EXIT_USAGE),
        (e.IncompatibleIndex, EXIT_INCOMPATIBLE), (e.CorruptIndex, EXIT_CORRUPT),
        (e.DiskFull, EXIT_IO), (e.IndexBusy, EXIT_BUSY),
    ]
    return next((code for kind, code in table if isinstance(error, kind)), EXIT_RUNTIME)


def fail(message: str, code: int) -> None:
    click.echo(f"briefsearch: {safe(message)}", err=True)
    sys.exit(code)


def safe(text: str) -> str:
    """One line for the terminal: control sequences in names (a crafted file name) shown, not run."""
    from briefsearch.present.render import terminal_safe

    return terminal_safe(str(text), newlines=False)


def handle_errors(command):
    """Turn library errors into one sentence on stderr and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from briefsearch.errors import BriefsearchError

        try:
            return command(*args, **kwargs)
        except BriefsearchError as error:
            fail(str(error), _exit_code(error))
        except KeyboardInterrupt:
            fail("interrupted — the index is as of its last commit; run the command again to resume", EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()  # `briefsearch query x | head`: the reader left, nothing to report
            sys.exit(0)
        except OSError as error:
            fail(f"{error.strerror or error} ({error.filename or 'I/O'}) — check the disk and the path, then run again", EXIT_IO)
        except click.exceptions.Exit:
            raise
        except Exception as error:  # a bug: one line, not a traceback, unless asked for
            if os.environ.get("BRIEFSEARCH_DEBUG"):
                raise
            fail(f"internal error: {type(error).__name__}: {error} (set BRIEFSEARCH_DEBUG=1 for details)", EXIT_RUNTIME)

    return wrapper


index_option = click.option(
    "--index", "index_dir", envvar="BRIEFSEARCH_INDEX", default="index", show_default=True,
    type=click.Path(file_okay=False), help="Index directory (env BRIEFSEARCH_INDEX).",
)


def format_option(default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=default, show_default=True, help="Output format.")


def filter_options(of: str = "paragraphs", dates: str = ""):
    """The filters every search command shares, as one decorator: --speaker, --topic, --source,
    --since, --until, handed to the command as ``filters`` (keyword arguments of ``SearchOptions``).
    ``of`` names what is filtered in the help ("paragraphs", "articles"); ``dates`` adds a note to
    the date options' help."""
    speaker = ("Only articles where this speaker speaks" if of == "articles" else f"Only {of} said by this speaker")
    options = (
        click.option("--speaker", help=f"{speaker} (any part of the name)."),
        click.option("--topic", help=f'Only {of} on this topic (e.g. "Iran", "Missile defense").'),
        click.option("--source", metavar="OUTLET", help=f'Only {of} published by this outlet (any part of its name, e.g. "white house").'),
        click.option("--since", metavar="DATE", help=f"Only {of} dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD){dates}."),
        click.option("--until", metavar="DATE", help=f"Only {of} dated on or before DATE{dates}."),
    )

    def decorate(command):
        @functools.wraps(command)
        def with_filters(*args, speaker, topic, source, since, until, **kwargs):
            filters = {"speaker": speaker, "topic": topic, "source": source, "since": since, "until": until}
            return command(*args, filters=filters, **kwargs)

        for option in reversed(options):
            with_filters = option(with_filters)
        return with_filters

    return decorate


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


class BriefsearchGroup(click.Group):
    """Click's usage errors as one line ("briefsearch: ... (see: briefsearch query --help)"), exit 2."""

    def main(self, args=None, prog_name=None, **extra):
        extra["standalone_mode"] = False
        try:
            result = super().main(args, prog_name=prog_name or "briefsearch", **extra)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "briefsearch"
            fail(f"{error.format_message()} (see: {command} --help)", EXIT_USAGE)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as error:
            fail(error.format_message(), error.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=BriefsearchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefsearch")
def cli():
    """Search briefings: press-briefing transcripts, statements and news, paragraph by paragraph."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@click.option("--rebuild", is_flag=True, help="Start over: build a new index beside the live one and switch to it.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, help="Wait up to SECONDS for another index run to finish.")
@click.option("--prune", is_flag=True, help="Remove indexed files that are gone even when most of a folder is gone.")
@click.option("--strict", is_flag=True, help="Exit 6 when any file was skipped.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=20, show_default=True, help="Skip pages larger than this many MB (exports and feeds: 25 times as much).")
@click.option("--speaker-overrides", type=click.Path(dir_okay=False, exists=True), envvar="BRIEFSEARCH_SPEAKER_OVERRIDES",
              help="JSON file of speaker name corrections (env BRIEFSEARCH_SPEAKER_OVERRIDES).")
@click.option("--batch-files", type=click.IntRange(min=1), default=200, show_default=True,
              help="Commit after this many new or changed files (an interrupted run loses at most one batch).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that write the index (default: one per core, up to 4; 1 writes in-process).")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line and warnings.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default=None,
              help="Search engine of a new or --rebuild index (default whoosh); an existing index keeps its own.")
@click.option("--follow-links", is_flag=True,
              help="Follow every symlink, also out of the indexed folders and to folders (default: only file links that stay inside them).")
@handle_errors
def index(paths, index_dir, rebuild, wait, prune, strict, max_file_size, speaker_overrides, batch_files, jobs, quiet, engine,
          follow_links):
    """Index files and folders (default ./seeds): HTML, text, JSON/JSONL, RSS/Atom."""
    import signal

    from briefsearch.indexing.runs import index_paths

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a polite kill stops like Ctrl-C
    paths = paths or ("seeds",)
    bar = _progress_bar() if sys.stderr.isatty() and not quiet else None
    try:
        summary = index_paths(list(paths), index_dir, rebuild=rebuild, wait=wait, prune=prune,
                              max_file_size=max_file_size * 1_000_000, overrides=speaker_overrides, batch_files=batch_files, jobs=jobs, engine=engine,
                              follow_links=follow_links, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    for note in summary.recovered:
        click.echo(f"recovered from an interrupted run: removed {safe(note)}", err=True)
    for warning in summary.warnings:
        click.echo(f"warning: {safe(warning)}", err=True)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    if summary.skipped_by:
        reasons: dict[str, list[str]] = {}
        for reason, extension, files in summary.skipped_by:
            reasons.setdefault(reason, []).append(f"{extension} {files}")
        click.echo(f"{summary.skipped} skipped: " + "; ".join(f"{reason} ({', '.join(counts)})"
                                                              for reason, counts in reasons.items()), err=True)
    click.echo(
        f"{summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, {summary.removed} removed, "
        f"{summary.skipped} skipped files; {summary.paragraphs:,} paragraphs written, "
        f"{summary.total_paragraphs:,} in the index; {summary.seconds:.1f} s"
    )
    if strict and summary.skipped:
        sys.exit(EXIT_STRICT)


class _progress_bar:
    """A files/paragraphs progress bar on stderr (only on a terminal)."""

    def __init__(self):
        self.bar = None
        self._done = self._paragraphs = 0

    def update(self, status) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=status.files_total, label="indexing", file=sys.stderr,
                                         item_show_func=lambda _: f"{self._paragraphs:,} paragraphs")
            self.bar.__enter__()
        self._paragraphs = status.paragraphs
        self.bar.update(status.files_done - self._done)
        self._done = status.files_done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@index_option
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Number of hits.")
@filter_options()
@click.option("--per-article", is_flag=True, help="At most one hit per article.")
@click.option("-C", "--context", type=click.IntRange(0, 20), default=0, help="Show N neighbouring paragraphs.")
@click.option("--no-expand", is_flag=True, help="Do not expand acronyms (JTA ↔ joint threat assessment).")
@click.option("--no-feedback", is_flag=True, help="Rank a query of four or more words by its own words only, without the words its best hits share.")
@click.option("--explain", is_flag=True, help="Print the engine query on stderr.")
@click.option("--sort", type=click.Choice(("relevance", "newest", "oldest")), default="relevance", show_default=True,
              help="Order of the hits: by score, or by publication date (undated paragraphs last).")
@click.option("--first", is_flag=True, help="Only the earliest matching paragraph, with two paragraphs of context (--sort oldest -n 1 -C 2).")
@click.option("--all-copies", is_flag=True, help="Show every copy of a statement printed in several articles (default: the best, with \"also in N other articles\").")
@format_option()
@handle_errors
def query(words, index_dir, limit, filters, per_article, context, no_expand, no_feedback, explain, sort, first,
          all_copies, fmt):
    """Search paragraphs. Words, "phrases", "phrase"~N, OR, NOT/-word, word*, speaker:, topic:, title:, date:.

    \b
    Example: the first time the White House mentioned Havana syndrome
      briefsearch query '"havana syndrome"' --source "white house" --first
    """
    from briefsearch.present.render import render_result
    from briefsearch.query.searcher import SearchOptions, search

    if first:
        sort, limit, context = "oldest", 1, context or 2
    options = SearchOptions(limit=limit, **filters, per_article=per_article, context=context, expand=not no_expand,
                            feedback=not no_feedback, sort=sort, all_copies=all_copies)
    result = search(index_dir, " ".join(words), options)
    if explain:
        click.echo(f"engine query: {result.explain}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {safe(warning)}", err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}", err=True)
    if fmt == "text" and not result.hits:
        click.echo("No paragraphs match.", err=True)
        for note in result.expansions:
            click.echo(f"expanded: {note}", err=True)
        return
    if result.hits or fmt != "text":
        click.echo(render_result(result, fmt, color=use_color() and fmt == "text"))
    if fmt != "text" and not result.hits:
        click.echo("No paragraphs match.", err=True)


@cli.command()
@click.argument("paragraph_id")
@index_option
@click.option("-C", "--context", type=click.IntRange(0, 50), default=2, show_default=True, help="Neighbouring paragraphs.")
@format_option()
@handle_errors
def show(paragraph_id, index_dir, context, fmt):
    """Print one paragraph (ARTICLE#pN) with its neighbours."""
    from briefsearch.present.render import render_paragraphs
    from briefsearch.query.searcher import show as show_paragraph

    focus, paragraphs = show_paragraph(index_dir, paragraph_id, context)
    click.echo(render_paragraphs(paragraphs, focus, fmt))


@cli.command()
@index_option
@format_option()
@click.option("--months", is_flag=True, help="Only the paragraphs per month (one row per month in JSON Lines and CSV).")
@handle_errors
def stats(index_dir, fmt, months):
    """Counts: articles, paragraphs, speakers, topics, date range, index size, paragraphs per month and gaps."""
    import json

    from briefsearch.present.listings import coverage, index_stats
    from briefsearch.present.render import render_coverage

    covered = coverage(index_dir)
    if months:
        click.echo(render_coverage(covered, fmt))
        return
    s = index_stats(index_dir)
    record = {"engine": s.engine, "articles": s.articles, "paragraphs": s.paragraphs, "speakers": s.speakers, "topics": s.topics,
              "first_date": s.first_date, "last_date": s.last_date, "bytes": s.bytes}
    if fmt == "json":
        click.echo(json.dumps({**record, **covered}, indent=2))
    elif fmt in ("jsonl", "csv"):
        from briefsearch.present.render import render_records

        click.echo(render_records([record], fmt, tuple(record), str))
    else:
        click.echo(
            f"{s.articles:,} articles, {s.paragraphs:,} paragraphs from {s.sources:,} files\n"
            f"{s.speakers:,} speakers, {s.topics:,} topics\n"
            f"dates {s.first_date or '–'} to {s.last_date or '–'}\n"
            f"{s.bytes / 1e6:.1f} MB in {safe(index_dir)}/ ({s.generation}, {s.engine} engine)"
        )
        if covered["months"]:
            click.echo("\n" + render_coverage(covered, "text"))


@cli.command()
@index_option
@click.option("--full", is_flag=True, help="Read every stored paragraph and its postings, not a sample of 2,000.")
@handle_errors
def check(index_dir, full):
    """Verify the index: every file's checksum, then stored paragraphs and postings (a sample, or --full)."""
    from briefsearch.present.listings import check_index

    problems = check_index(index_dir, full=full)
    if problems:
        for problem in problems:
            click.echo(f"damaged: {safe(problem)}", err=True)
        fail(f"the index at {index_dir}/ is damaged ({len(problems)} problems) — rebuild it: briefsearch index --rebuild PATH ...", EXIT_CORRUPT)
    click.echo(f"index at {safe(index_dir)}/ is sound")


@cli.command()
@index_option
@click.option("--topic", help="Only paragraphs on this topic.")
@format_option()
@handle_errors
def speakers(index_dir, topic, fmt):
    """Who speaks: names, aliases, paragraph counts, date range."""
    from briefsearch.present.listings import list_speakers

    records = list_speakers(index_dir, topic=topic)
    line = lambda r: (f"{r['paragraphs']:>7,}  {r['name']}{'' if r['category'] == 'person' else '  [' + r['category'] + ']'}"  # noqa: E731
                      f"  ({r['first_date'] or '?'} to {r['last_date'] or '?'})")
    _echo_records(records, fmt, ("name", "category", "aliases", "paragraphs", "first_date", "last_date"), line,
                  "No speakers in the index.")


@cli.command()
@index_option
@format_option()
@handle_errors
def topics(index_dir, fmt):
    """Topics with their paragraph counts."""
    from briefsearch.present.listings import list_topics

    records = list_topics(index_dir)
    _echo_records(records, fmt, ("topic", "paragraphs"), lambda r: f"{r['paragraphs']:>7,}  {r['topic']}", "No topics in the index.")


@cli.command()
@index_option
@format_option()
@handle_errors
def acronyms(index_dir, fmt):
    """Acronyms defined in the text: short form, long form, count, first source."""
    from briefsearch.present.listings import list_acronyms

    records = list_acronyms(index_dir)
    line = lambda r: f"{r['count']:>5,}  {r['short']:<10} {r['long']}  (first: {r['first_source']})"  # noqa: E731
    _echo_records(records, fmt, ("short", "long", "count", "first_source"), line, "No acronym definitions in the index.")


@cli.command()
@click.argument("words", nargs=-1)
@click.option("--speaker", required=True, help="Whose quotes (any part of the name).")
@index_option
@click.option("-n", "--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@format_option()
@handle_errors
def quotes(words, speaker, index_dir, limit, fmt):
    """What a speaker said (statements, turns, answers, direct quotes), optionally matching a query."""
    from briefsearch.present.listings import speaker_quotes

    records = speaker_quotes(index_dir, speaker, " ".join(words) or None, limit=limit)
    line = lambda r: f"{r['date'] or '?'}  {r['id']}  [{r['speech']}]  {r['title']}\n    \u201c{r['quote']}\u201d"  # noqa: E731
    _echo_records(records, fmt, ("quote", "speaker", "speech", "id", "date", "title"), line, f"No quotes of {speaker} found.")


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (anything but a loopback address is reachable by others).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@handle_errors
def serve(index_dir, host, port, open_browser):
    """A local web page to search, read and cite: briefsearch serve --open (Ctrl+C stops it)."""
    from briefsearch.web.app import is_loopback, serve as run_server

    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can read the index; "
                   "use --host 127.0.0.1 to keep it local", err=True)
    display = f"[{host}]" if ":" in host else host
    click.echo(f"briefsearch: serving {index_dir}/ at http://{display}:{port}/ (Ctrl+C stops it)", err=True)
    run_server(index_dir, host, port, open_browser)


def _echo_records(records, fmt, keys, text_line, empty_message) -> None:
    from briefsearch.present.render import render_records

    if not records and fmt == "text":
        click.echo(empty_message, err=True)
        return
    click.echo(render_records(records, fmt, keys, text_line))


# --- the reporter's workflow: cite, articles, read, timeline, export, alerts, batch ------------


@cli.command()
@click.argument("paragraph_id")
@index_option
@click.option("--style", type=click.Choice(("plain", "markdown", "bibtex", "csl-json")), default="plain", show_default=True,
              help="Citation style.")
@handle_errors
def cite(paragraph_id, index_dir, style):
    """Cite one paragraph: speaker (and role), the quote, title, outlet, date, URL and its id.

    \b
    Example:
      briefsearch cite 4f0c2a9e1b7d#p12 --style markdown
    """
    from briefsearch.present.citations import citation, render_citation

    click.echo(render_citation(citation(index_dir, paragraph_id), style))


@cli.command()
@click.argument("words", nargs=-1)
@index_option
@filter_options(of="articles")
@click.option("-n", "--limit", type=click.IntRange(1, 100_000), default=50, show_default=True, help="Number of articles.")
@format_option()
@handle_errors
def articles(words, index_dir, filters, limit, fmt):
    """List articles, newest first: id, title, date, outlet, paragraphs and speakers.

    With WORDS, only articles with paragraphs the search matches (counting those).

    \b
    Example: the State Department's articles of June 2021 where Ned Price speaks
      briefsearch articles --source state --speaker price --since 2021-06 --until 2021-06
    """
    from briefsearch.present.reading import render_article_list
    from briefsearch.query.articles import list_articles
    from briefsearch.query.searcher import SearchOptions

    options = SearchOptions(**filters)
    total, records = list_articles(index_dir, " ".join(words) or None, options, limit=limit)
    if not records and fmt == "text":
        click.echo("No articles match.", err=True)
        return
    click.echo(render_article_list(total, records, fmt))


@cli.command()
@click.argument("article_id")
@index_option
@format_option()
@handle_errors
def read(article_id, index_dir, fmt):
    """Print a whole article, every paragraph in order, each speaker's turn headed by the name.

    \b
    Example (an article id, or any paragraph id of it):
      briefsearch read 4f0c2a9e1b7d
    """
    from briefsearch.present.reading import render_article
    from briefsearch.query.articles import read_article

    click.echo(render_article(read_article(index_dir, article_id), fmt))


@cli.command()
@click.argument("words", nargs=-1)
@index_option
@click.option("--by", type=click.Choice(("speaker", "topic", "source")), help="Also count the top speakers, topics or sources.")
@click.option("--interval", type=click.Choice(("auto", "day", "week", "month", "year")), default="auto", show_default=True,
              help="Interval of the counts (auto: by the span of the matches).")
@click.option("--top", type=click.IntRange(1, 20), default=5, show_default=True, help="How many series --by shows.")
@filter_options()
@click.option("--plot", "plot_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Also draw the timeline into FILE (.svg, .png or .pdf; needs the [plot] extra).")
@format_option()
@handle_errors
def timeline(words, index_dir, by, interval, top, filters, plot_path, fmt):
    """Count matching paragraphs per day, week, month or year, empty intervals as 0.

    \b
    Example: who spoke of Griner, month by month, drawn into a picture
      briefsearch timeline griner --by speaker --interval month --plot griner.svg
    """
    from briefsearch.present.timelines import render_timeline
    from briefsearch.query.searcher import SearchOptions
    from briefsearch.query.timeline import timeline as make_timeline

    options = SearchOptions(**filters)
    tl = make_timeline(index_dir, " ".join(words) or None, options, by=by, interval=interval, top=top)
    if not tl.total and fmt == "text":
        click.echo("No paragraphs match.", err=True)
        return
    click.echo(render_timeline(tl, fmt))
    if plot_path:
        from briefsearch.present.plots import plot_timeline

        click.echo(f"drew {plot_timeline(tl, plot_path)}", err=True)


@cli.command()
@click.argument("words", nargs=-1)
@index_option
@filter_options()
@click.option("--format", "fmt", type=click.Choice(("jsonl", "csv")), default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-", help="Write to FILE (default: standard output).")
@handle_errors
def export(words, index_dir, filters, fmt, output):
    """Every matching paragraph (the whole index without WORDS) with all its metadata, streamed.

    CSV cells that a spreadsheet would run as a formula (=, +, -, @) get a leading apostrophe.

    \b
    Example: every State Department paragraph on Iran, for pandas or R
      briefsearch export --topic iran --source state --format csv -o iran.csv
    """
    import json

    from briefsearch.present.render import write_csv
    from briefsearch.query.exports import EXPORT_KEYS, export_paragraphs, export_record
    from briefsearch.query.searcher import SearchOptions

    options = SearchOptions(**filters)
    records = (export_record(p) for p in export_paragraphs(index_dir, " ".join(words) or None, options))
    if fmt == "csv":
        write_csv(records, EXPORT_KEYS, output)
    else:
        for record in records:
            output.write(json.dumps(record, ensure_ascii=False) + "\n")


EXIT_NOTHING_NEW = 3


@cli.group()
def alerts():
    """Saved searches that print only what was indexed since their last run.

    \b
    Example: every morning from cron, only what is new
      briefsearch alerts add griner griner --source "white house"
      briefsearch alerts run griner
    """


@alerts.command("add")
@click.argument("name")
@click.argument("words", nargs=-1, required=True)
@index_option
@filter_options(dates=" (publication date)")
@handle_errors
def alerts_add(name, words, index_dir, filters):
    """Save a search as alert NAME; it reports what is indexed from now on.

    \b
    Example:
      briefsearch alerts add havana '"havana syndrome"' --source "white house"
    """
    from briefsearch.present.alerts import describe_alert
    from briefsearch.query.alerts import add_alert
    from briefsearch.query.searcher import SearchOptions

    options = SearchOptions(**filters)
    click.echo(f"saved alert {describe_alert(add_alert(index_dir, name, ' '.join(words), options))}")


@alerts.command("list")
@index_option
@format_option()
@handle_errors
def alerts_list(index_dir, fmt):
    """The saved alerts with their queries and filters (example: briefsearch alerts list)."""
    from briefsearch.present.alerts import alert_records, describe_alert
    from briefsearch.query.alerts import list_alerts

    saved = list_alerts(index_dir)
    by_name = {a.name: a for a in saved}
    _echo_records(alert_records(saved), fmt, ("name", "query", "speaker", "topic", "source", "since", "until", "last_run"),
                  lambda r: describe_alert(by_name[r["name"]]), "No alerts saved (add one: briefsearch alerts add NAME QUERY).")


@alerts.command("remove")
@click.argument("name")
@index_option
@handle_errors
def alerts_remove(name, index_dir):
    """Delete alert NAME (example: briefsearch alerts remove havana)."""
    from briefsearch.query.alerts import remove_alert

    remove_alert(index_dir, name)
    click.echo(f"removed alert {name}")


@alerts.command("run")
@click.argument("name", required=False)
@index_option
@click.option("--since", metavar="DATE", help="Report what was indexed since DATE instead of since the last run.")
@format_option()
@handle_errors
def alerts_run(name, index_dir, since, fmt):
    """Print the paragraphs indexed since each alert's last run (all alerts, or NAME).

    Running twice in a row prints nothing the second time. Exit status: 0 when something new
    was printed, 3 when nothing was new, others as for every command.

    \b
    Example (cron):
      briefsearch alerts run --format jsonl >> news.jsonl
    """
    from briefsearch.present.alerts import render_news
    from briefsearch.query.alerts import run_alerts

    def deliver(news):
        text = render_news(news, fmt)
        if text:
            click.echo(text.rstrip("\n") if fmt != "text" else text)
        sys.stdout.flush()  # written before the watermark moves

    delivered = run_alerts(index_dir, deliver, name=name, since=since)
    if not any(news.paragraphs for news in delivered):
        if fmt == "text":
            click.echo("Nothing new.", err=True)
        sys.exit(EXIT_NOTHING_NEW)


@cli.command()
@click.argument("terms_file", type=click.Path(dir_okay=False))
@index_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-", help="Write the CSV to FILE (default: standard output).")
@handle_errors
def batch(terms_file, index_dir, output):
    """Run one search per row of a CSV file; write a CSV of counts, first and last date, top
    speakers and the best paragraph per row.

    The file needs a header row; its "query" column (or its first column) is the search, and
    optional "speaker", "topic", "source", "since" and "until" columns filter each row.

    \b
    Example:
      printf 'query,source\nGriner,white house\n"Havana syndrome",\n' > terms.csv
      briefsearch batch terms.csv -o counts.csv
    """
    from briefsearch.present.render import write_csv
    from briefsearch.query.batch import RESULT_COLUMNS, batch_search, read_terms

    rows = read_terms(terms_file)
    if not rows:
        fail(f"{terms_file} has no rows below its header — add one search per row", EXIT_USAGE)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    write_csv(batch_search(index_dir, rows), columns + [c for c in RESULT_COLUMNS if c not in columns], output)


def main() -> None:
    cli(prog_name="briefsearch")


if __name__ == "__main__":
    main()
