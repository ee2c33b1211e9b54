"""The Starlette application of ``briefsearch serve``: routes, their JSON twins, error pages, and
the security a local server needs (Host check against DNS rebinding, a strict Content Security
Policy, no CORS, a time bound on every request).

Each handler parses the URL, runs one library function in a worker thread under the request's
time bound, and renders its plain data with a Jinja2 template (HTML, escaped) or as JSON. Every
worker thread keeps its own ``Searcher``, which reopens itself when a writer commits, so a server
answers from the last committed generation and picks up a new one without a restart.
"""

from __future__ import annotations

import functools
import ipaddress
import itertools
import json
import threading
import time
from pathlib import Path
from urllib.parse import quote

import anyio
import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from briefsearch.errors import (
    BriefsearchError,
    CorruptIndex,
    IncompatibleIndex,
    IndexBusy,
    NoIndex,
    NotFound,
    QuerySyntaxError,
    QueryTooExpensive,
)
from briefsearch.query.snippets import MARK_END, MARK_START
from briefsearch.web.state import BadParameter, SearchState

HERE = Path(__file__).resolve().parent
REQUEST_SECONDS = 10.0
WORKERS = 4  # threads answering requests at once (each with its own open index)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

STATUS = [(NotFound, 404), (QuerySyntaxError, 400), (QueryTooExpensive, 400), (NoIndex, 503),
          (IncompatibleIndex, 503), (IndexBusy, 503), (CorruptIndex, 500)]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI, so streamed exports get them too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- rendering helpers -----------------------------------------------------------------------


def _marks(text: str | None) -> Markup:
    """Escaped text with the library's match marks as ``<mark>``."""
    return Markup(str(escape(text or "")).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _web_url(url: str | None) -> str | None:
    """Only http(s) addresses become links (never ``javascript:`` or ``data:``)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _kind(paragraph) -> str | None:
    """What kind of speech a paragraph is, as far as the index records it."""
    kind = getattr(paragraph, "speech", None)  # speaker attribution's kind of speech, where recorded
    if kind:
        return None if kind == "none" else kind
    if paragraph.is_question:
        return "question"
    if paragraph.is_quote:
        return "quote"
    if paragraph.is_turn:
        return "turn"
    return None


def _day(date: str | None) -> str:
    return (date or "")[:10]


def _pid_path(paragraph_id: str) -> str:
    """The URL path of a paragraph: ``/p/ARTICLE-pN`` (``#`` cannot stand in a path)."""
    return "/p/" + paragraph_id.replace("#p", "-p")


def _pid_from_path(text: str) -> str:
    if "#" in text:
        return text
    article, sep, position = text.rpartition("-p")
    return f"{article}#p{position}" if sep and position.isdigit() else text


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(marks=_marks, web_url=_web_url, kind=_kind, day=_day, pid_path=_pid_path,
                       urlpart=lambda text: quote(text or "", safe=""),
                       articles_of=lambda ids: len({i.split("#", 1)[0] for i in ids}))
    return env


# --- the application -------------------------------------------------------------------------


class Site:
    """What the handlers share: the index directory, each thread's searcher, the time bound."""

    def __init__(self, index_dir, request_seconds: float = REQUEST_SECONDS):
        self.index_dir = str(index_dir)
        self.request_seconds = request_seconds
        self.env = _environment()
        self.limiter = anyio.CapacityLimiter(WORKERS)
        self._local = threading.local()

    def searcher(self):
        from briefsearch.query.searcher import Searcher

        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = Searcher(self.index_dir)
            self._local.searcher = searcher
        return searcher

    async def call(self, function, *args, **kwargs):
        """``function(searcher, *args)`` in a worker thread, within the request's time bound."""
        def work():
            return function(self.searcher(), *args, **kwargs)

        with anyio.fail_after(self.request_seconds):
            return await anyio.to_thread.run_sync(work, limiter=self.limiter, abandon_on_cancel=True)

    def html(self, name: str, status_code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status_code)

    def error(self, request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return self.html("error.html", status, title="Error", message=message, status=status, state=SearchState())


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.query_params.get("format") == "json"


def _json(data: dict, started: float) -> JSONResponse:
    data["query_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


def page(handler):
    """Errors of the library, bad parameters and the time bound as error pages with the CLI's
    message; anything else as one line, never a traceback."""

    @functools.wraps(handler)
    async def wrapper(request: Request):
        site: Site = request.app.state.site
        try:
            return await handler(site, request, time.perf_counter())
        except BadParameter as error:
            return site.error(request, 400, str(error))
        except BriefsearchError as error:
            status = next((code for kind, code in STATUS if isinstance(error, kind)), 500)
            return site.error(request, status, str(error))
        except TimeoutError:
            return site.error(request, 503, f"The request took over {site.request_seconds:g} s and was stopped — "
                                            "narrow the query (more words, a phrase, a filter) and try again")
        except Exception as error:  # a bug: one line, as the CLI says it
            return site.error(request, 500, f"internal error: {type(error).__name__}: {error}")

    return wrapper


def _options(state: SearchState, site: Site):
    from briefsearch.query.searcher import SearchOptions

    extra = {}
    if state.sort != "relevance":
        extra["sort"] = state.sort
    if state.source:
        extra["source"] = state.source
    return SearchOptions(speaker=state.speaker or None, topic=state.topic or None, since=state.since or None,
                         until=state.until or None, per_article=state.one == "1",
                         time_limit=site.request_seconds, **extra)


@page
async def search(site: Site, request: Request, started: float):
    from briefsearch.present.browse import search_page
    from briefsearch.present.render import hit_record

    state = SearchState.from_params(request.query_params)
    if not state.q and not state.filtered:
        if wants_json(request):
            raise BadParameter("q is empty — give a query, e.g. ?q=missile+defense, or a filter such as ?speaker=NAME")
        return site.html("search.html", state=state, view=None, title="Search")
    view = await site.call(search_page, state.q, _options(state, site), state.page, state.n)
    if wants_json(request):
        result = view.result
        return _json({
            "query": result.query, "total": result.total, "all_words_total": result.all_words_total,
            "page": view.page, "pages": view.pages,
            "hits": [hit_record(hit) for hit in result.hits],
            "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in view.facets.items()},
            "histogram": [{"label": b.label, "since": b.since, "until": b.until, "count": b.count} for b in view.histogram],
            "undated": view.undated, "warnings": list(result.warnings), "expansions": list(result.expansions),
            "suggestion": result.suggestion,
        }, started)
    return site.html("search.html", state=state, view=view, title=f"{state.q or 'Filtered'} — search")


@page
async def paragraph(site: Site, request: Request, started: float):
    from briefsearch.present.browse import paragraph_view
    from briefsearch.present.render import paragraph_record

    raw = request.path_params["pid"]
    as_json = raw.endswith(".json")
    paragraph_id = _pid_from_path(raw.removesuffix(".json"))
    query = request.query_params.get("q", "")[:2000]
    view = await site.call(paragraph_view, paragraph_id, query, 3)
    if as_json or wants_json(request):
        return _json({"id": view.focus.id, "paragraph": paragraph_record(view.focus),
                      "neighbours": [paragraph_record(p) for p, _ in view.neighbours],
                      "citation": view.citation,
                      "question": paragraph_record(view.question) if view.question else None,
                      "answer": paragraph_record(view.answer) if view.answer else None}, started)
    link = str(request.url.replace(query="", fragment=""))
    return site.html("paragraph.html", view=view, query=query, state=SearchState(q=query), citation=view.citation, link=link,
                     title=f"{view.focus.title or view.focus.id} — paragraph {view.focus.position}")


def _suffix(request: Request, name: str) -> tuple[str, bool]:
    """A path parameter without its ``.json`` suffix, and whether the JSON twin was asked for."""
    raw = request.path_params[name]
    return raw.removesuffix(".json"), raw.endswith(".json") or request.query_params.get("format") == "json"


@page
async def article(site: Site, request: Request, started: float):
    from briefsearch.present.render import paragraph_record
    from briefsearch.query.articles import read_article

    article_id, as_json = _suffix(request, "aid")
    paragraphs = await site.call(lambda _searcher: read_article(site.index_dir, article_id))
    if as_json:
        return _json({"article_id": article_id, "paragraphs": [paragraph_record(p) for p in paragraphs]}, started)
    first = paragraphs[0]
    speakers = sorted({p.speaker for p in paragraphs if p.speaker})
    return site.html("article.html", paragraphs=paragraphs, first=first, speakers=speakers, state=SearchState(),
                     title=first.title or article_id)


@page
async def speaker(site: Site, request: Request, started: float):
    from briefsearch.present.browse import speaker_profile
    from briefsearch.present.render import paragraph_record

    name, as_json = request.query_params.get("name", "").strip(), wants_json(request)
    if not name:
        raise BadParameter("name is empty — give a speaker's name, e.g. /speaker?name=Ned+Price")
    profile = await site.call(speaker_profile, name)
    if as_json:
        return _json({"name": profile.name, "aliases": list(profile.aliases), "paragraphs": profile.paragraphs,
                      "histogram": [{"label": b.label, "since": b.since, "until": b.until, "count": b.count}
                                    for b in profile.histogram],
                      "topics": [{"topic": t, "count": c} for t, c in profile.topics],
                      "outlets": [{"outlet": o, "count": c} for o, c in profile.outlets],
                      "latest": [paragraph_record(p) for p in profile.latest]}, started)
    return site.html("speaker.html", profile=profile, state=SearchState(speaker=profile.name), title=profile.name)


def _listing(function, template: str, title: str):
    """A page over a listing of ``present.listings`` (topics, acronyms): a table, or a JSON list."""

    @page
    async def handler(site: Site, request: Request, started: float):
        records = await site.call(lambda _searcher: function(site.index_dir))
        if wants_json(request):
            return _json({"records": records}, started)
        return site.html(template, records=records, state=SearchState(), title=title)

    return handler


@page
async def overview_page(site: Site, request: Request, started: float):
    from briefsearch.present.browse import overview

    view = await site.call(overview)
    if wants_json(request):
        s = view.stats
        return _json({"articles": s.articles, "paragraphs": s.paragraphs, "speakers": s.speakers, "topics": s.topics,
                      "first_date": s.first_date, "last_date": s.last_date, "bytes": s.bytes, "files": s.sources,
                      "generation": s.generation, "months": [{"month": m, "count": c} for m, c in view.months],
                      "outlets": [{"outlet": o, "count": c} for o, c in view.outlets]}, started)
    return site.html("overview.html", view=view, state=SearchState(), title="What the index holds")


EXPORT_SECONDS = 300.0


def _export(kind: str):
    """All the matches of the page's search as CSV or JSON Lines, streamed as they are read
    (with their own index snapshot, for at most EXPORT_SECONDS)."""

    @page
    async def handler(site: Site, request: Request, started: float):
        from briefsearch.present.browse import csv_lines
        from briefsearch.query.exports import EXPORT_KEYS, export_paragraphs, export_record

        state = SearchState.from_params(request.query_params)
        paragraphs = export_paragraphs(site.index_dir, state.q or None, _options(state, site), every_match=True)
        # the first paragraph read here, so that a bad query or a missing index is an error page
        first = await anyio.to_thread.run_sync(lambda: next(paragraphs, None), limiter=site.limiter)

        def rows():
            deadline = time.monotonic() + EXPORT_SECONDS
            try:
                for paragraph in itertools.chain([] if first is None else [first], paragraphs):
                    yield export_record(paragraph)
                    if time.monotonic() > deadline:
                        break
            finally:
                paragraphs.close()  # closes the export's index snapshot

        if kind == "csv":
            body, media = csv_lines(rows(), EXPORT_KEYS), "text/csv; charset=utf-8"
        else:
            body, media = (json.dumps(r, ensure_ascii=False) + "\n" for r in rows()), "application/x-ndjson"
        name = "briefsearch-" + ("".join(ch if ch.isalnum() else "-" for ch in state.q)[:40].strip("-") or "export")
        return StreamingResponse(body, media_type=media,
                                 headers={"content-disposition": f'attachment; filename="{name}.{kind}"'})

    return handler


@page
async def help_page(site: Site, request: Request, started: float):
    return site.html("help.html", state=SearchState(), title="Query syntax and keyboard")


def create_app(index_dir, host: str = "127.0.0.1", request_seconds: float = REQUEST_SECONDS) -> Starlette:
    """The application for one index directory; ``host`` is the bound name that requests' Host
    header must carry (with the loopback names when bound to a loopback address)."""
    from briefsearch.present.listings import list_acronyms, list_topics

    allowed = {host.strip("[]")}
    if is_loopback(host):
        allowed |= set(LOOPBACK_NAMES)
    routes = [
        Route("/", search),
        Route("/search.json", search),
        Route("/p/{pid}", paragraph),
        Route("/a/{aid}", article),
        Route("/speaker", speaker),
        Route("/speaker.json", speaker),
        Route("/topics", _listing(list_topics, "topics.html", "Topics")),
        Route("/topics.json", _listing(list_topics, "topics.html", "Topics")),
        Route("/acronyms", _listing(list_acronyms, "acronyms.html", "Acronyms")),
        Route("/acronyms.json", _listing(list_acronyms, "acronyms.html", "Acronyms")),
        Route("/overview", overview_page),
        Route("/overview.json", overview_page),
        Route("/export.csv", _export("csv")),
        Route("/export.jsonl", _export("jsonl")),
        Route("/help", help_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=sorted(allowed))]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.site = Site(index_dir, request_seconds)
    return app


def serve(index_dir, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Run the server until interrupted (uvicorn, one process); open a browser tab when asked."""
    import uvicorn

    app = create_app(index_dir, host)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    if open_browser:
        import webbrowser

        def opener():
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                webbrowser.open(url)

        threading.Thread(target=opener, daemon=True).start()
    server.run()
