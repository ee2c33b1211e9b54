"""The web page (``briefsearch serve``) through Starlette's test client: every page and its JSON
twin, hits equal to ``briefsearch query --format json``, facet and histogram links, error pages
with the CLI's message, the security headers, the Host check, escaping of hostile text, and a new
generation picked up without a restart. (The real browser is in test_web_browser.py.)"""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from briefsearch.cli import cli
from briefsearch.web.app import create_app
from tests.web_corpus import FORMULA_TEXT, HOSTILE_SPEAKER
from tests.web_corpus import web_index as build_web_index

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def web_index(tmp_path_factory):
    """50 real press releases (25 State, 25 White House) and the hostile article, indexed."""
    return build_web_index(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_index):
    with TestClient(create_app(web_index), base_url=BASE) as client:
        yield client


def cli_ids(index, query, *options, limit=20):
    result = CliRunner().invoke(cli, ["query", query, "--index", str(index), "-n", str(limit), "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.stdout)["hits"]]


def html_ids(page: str) -> list[str]:
    return [unquote(a).replace("-p", "#p") for a in re.findall(r'<a class="open" href="/p/([^"?]+)\?', page)]


QUERIES = [
    ("sanctions", {}, ()),
    ("president biden", {}, ()),
    ('"press briefing"', {}, ()),
    ("iran OR iraq", {}, ()),
    ("covid -vaccine", {}, ()),
    ("ukraine security assistance", {}, ()),
    ("sanctions", {"sort": "newest"}, ("--sort", "newest")),
    ("sanctions", {"sort": "oldest"}, ("--sort", "oldest")),
    ("secretary", {"one": "1"}, ("--per-article",)),
    ("secretary", {"since": "2021-05-21", "until": "2021-06-30"}, ("--since", "2021-05-21", "--until", "2021-06-30")),
]


@pytest.mark.parametrize("query,params,options", QUERIES)
def test_html_hits_equal_the_json_twin_and_the_cli(client, web_index, query, params, options):
    page = client.get("/", params={"q": query, **params})
    twin = client.get("/search.json", params={"q": query, **params})
    same = client.get("/", params={"q": query, "format": "json", **params})
    assert page.status_code == twin.status_code == 200
    ids = html_ids(page.text)
    assert ids, f"no hits for {query!r}"
    assert ids == [hit["id"] for hit in twin.json()["hits"]] == [hit["id"] for hit in same.json()["hits"]]
    assert ids == cli_ids(web_index, query, *options)
    assert isinstance(twin.json()["query_ms"], float)


def test_second_page_is_the_cli_s_next_twenty(client, web_index):
    twin = client.get("/search.json", params={"q": "president", "page": 2}).json()
    assert twin["page"] == 2 and len(twin["hits"]) == 20
    assert [h["id"] for h in twin["hits"]] == cli_ids(web_index, "president", limit=40)[20:]
    assert twin["hits"][0]["rank"] == 21


@pytest.mark.parametrize("query", ["sanctions", "president biden", "covid", "secretary blinken"])
def test_histogram_bars_add_up_to_the_total(client, query):
    twin = client.get("/search.json", params={"q": query}).json()
    assert twin["histogram"], query
    assert sum(bar["count"] for bar in twin["histogram"]) + twin["undated"] == twin["total"]
    speakers = twin["facets"]["speaker"]
    assert all(entry["count"] <= twin["total"] for entry in speakers)


@pytest.mark.parametrize("query", ["president biden", "ukraine security assistance"])
def test_facets_and_histogram_count_every_match_the_total_counts(client, query):
    """Not only the paragraphs holding all the words: the facets and the bars count every match."""
    twin = client.get("/search.json", params={"q": query}).json()
    assert twin["all_words_total"] < twin["total"], "the query should have matches beyond all its words"
    assert sum(entry["count"] for entry in twin["facets"]["outlet"]) == twin["total"]  # every paragraph has one
    dated = client.get("/search.json", params={"q": query, "since": "1900-01-01"}).json()["total"]
    assert sum(bar["count"] for bar in twin["histogram"]) == dated
    assert twin["undated"] == twin["total"] - dated
    page = client.get("/", params={"q": query}).text
    assert f'<strong>{twin["total"]:,}</strong> paragraphs match ({twin["all_words_total"]:,} hold all the words)' in page


def test_a_histogram_bar_link_sets_the_dates_and_finds_the_bar_s_paragraphs(client):
    page = client.get("/", params={"q": "president"}).text
    twin = client.get("/search.json", params={"q": "president"}).json()
    bar = max(twin["histogram"], key=lambda b: b["count"])
    links = dict(re.findall(r'<a href="([^"]+)" class="bar[^"]*" aria-label="([^":]+):', page))
    link = next(href for href, label in links.items() if label == bar["label"]).replace("&amp;", "&")
    params = parse_qs(urlparse(link).query)
    assert params["since"] == [bar["since"]] and params["until"] == [bar["until"]]
    narrowed = client.get("/search.json" + "?" + urlparse(link).query).json()
    assert narrowed["total"] == bar["count"]
    assert all(bar["since"] <= hit["date"][:10] <= bar["until"] for hit in narrowed["hits"])


def test_facet_links_add_and_remove_a_filter(client):
    page = client.get("/", params={"q": "secretary"}).text
    twin = client.get("/search.json", params={"q": "secretary"}).json()
    name, count = twin["facets"]["speaker"][0]["value"], twin["facets"]["speaker"][0]["count"]
    facet = re.search(r'<section class="facet">\s*<h2>Speakers</h2>(.*?)</section>', page, re.S).group(1)
    href = re.search(r'<a\s+href="([^"]+)">' + re.escape(str(name).replace("&", "&amp;")), facet).group(1).replace("&amp;", "&")
    narrowed_page = client.get(href)
    narrowed = client.get(href + "&format=json").json()
    assert narrowed["total"] == count
    assert {hit["speaker"] for hit in narrowed["hits"]} == {name}
    # the chosen value is shown as selected, and its link takes the filter away again
    selected = re.search(r'<a class="on" aria-current="true" href="([^"]+)">', narrowed_page.text).group(1).replace("&amp;", "&")
    assert "speaker" not in parse_qs(urlparse(selected).query)
    # a chosen value is shown even when the search finds none of its paragraphs
    zero = client.get("/", params={"q": "secretary", "speaker": "Nobody At All"}).text
    assert "Nobody At All <span class=\"n\">0</span>" in zero


def test_the_url_holds_the_state_reload_shows_the_same_page(client):
    params = {"q": "sanctions", "sort": "newest", "one": "1", "page": "1"}
    first, again = client.get("/", params=params).text, client.get("/", params=params).text
    assert html_ids(first) == html_ids(again)
    assert 'value="sanctions"' in first and '<input type="hidden" name="sort" value="newest">' in first


def test_paragraph_article_speaker_and_listing_pages_with_their_json_twins(client):
    twin = client.get("/search.json", params={"q": "secretary blinken"}).json()
    hit = next(h for h in twin["hits"] if h["speaker"])
    path = "/p/" + hit["id"].replace("#p", "-p")
    page = client.get(path, params={"q": "secretary blinken"})
    assert page.status_code == 200 and "<mark>" in page.text and 'aria-current="true"' in page.text
    assert client.get(path + ".json").json()["id"] == hit["id"]
    article = client.get(f"/a/{hit['article_id']}")
    assert article.status_code == 200 and f'id="p{hit["paragraph"]}"' in article.text
    paragraphs = client.get(f"/a/{hit['article_id']}.json").json()["paragraphs"]
    assert [p["paragraph"] for p in paragraphs] == sorted(p["paragraph"] for p in paragraphs)
    speaker = client.get("/speaker.json", params={"name": hit["speaker"]}).json()
    assert speaker["name"] == hit["speaker"] and speaker["paragraphs"] >= 1
    assert sum(bar["count"] for bar in speaker["histogram"]) <= speaker["paragraphs"]
    assert client.get("/speaker", params={"name": hit["speaker"]}).status_code == 200
    for listing in ("/topics", "/acronyms", "/overview", "/help"):
        assert client.get(listing).status_code == 200, listing
    overview = client.get("/overview.json").json()
    assert overview["paragraphs"] == sum(m["count"] for m in overview["months"]) + _undated(client)


def _undated(client) -> int:
    return 0  # every paragraph of the two exports and the hostile file carries a date


def test_filters_without_a_query_list_the_newest_paragraphs(client):
    twin = client.get("/search.json", params={"topic": "Sanctions"}).json()
    assert twin["total"] > 0
    dates = [hit["date"] for hit in twin["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert all("Sanctions" in hit["topics"] for hit in twin["hits"])


# --- errors --------------------------------------------------------------------------------


def test_errors_are_pages_with_the_cli_s_message(client, web_index, tmp_path):
    cli_error = CliRunner().invoke(cli, ["query", "(iran", "--index", str(web_index)]).stderr.strip()
    page = client.get("/", params={"q": "(iran"})
    assert page.status_code == 400 and cli_error.replace('"', "&#34;") in page.text
    assert client.get("/search.json", params={"q": "(iran"}).json()["error"] in cli_error
    assert client.get("/p/000000000000-p1").status_code == 404
    assert client.get("/a/000000000000").status_code == 404
    assert client.get("/", params={"q": "x", "page": "many"}).status_code == 400
    assert client.get("/search.json", params={"q": "x", "sort": "best"}).status_code == 400
    with TestClient(create_app(tmp_path / "nothing"), base_url=BASE) as empty:
        missing = empty.get("/", params={"q": "iran"})
        assert missing.status_code == 503 and "No index at" in missing.text and "Traceback" not in missing.text


def test_a_request_over_its_time_gets_an_error_page(web_index):
    with TestClient(create_app(web_index, request_seconds=0), base_url=BASE) as slow:
        page = slow.get("/", params={"q": "president biden"})
    assert page.status_code == 503 and "was stopped" in page.text


def test_a_new_generation_is_picked_up_without_a_restart(web_index, tmp_path):
    from briefsearch.indexing.runs import index_paths

    index = tmp_path / "index"
    shutil.copytree(web_index, index)
    with TestClient(create_app(index), base_url=BASE) as live:
        assert live.get("/search.json", params={"q": "constanta"}).json()["total"] == 0
        note = tmp_path / "more" / "note.txt"
        note.parent.mkdir()
        note.write_text("Press note\n\nThe ambassador discussed grain exports through Constanta.\n", encoding="utf-8")
        index_paths([str(note.parent)], str(index))
        found = live.get("/search.json", params={"q": "constanta"}).json()
        assert found["total"] == 1 and "Constanta" in found["hits"][0]["text"]


# --- security ------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/?q=sanctions", "/search.json?q=sanctions", "/static/app.js", "/p/nope-p1", "/help"):
        response = client.get(path, headers={"Origin": "http://evil.example"})
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in response.headers


def test_a_foreign_host_header_is_refused(web_index):
    with TestClient(create_app(web_index), base_url="http://evil.example:8000") as rebinding:
        assert rebinding.get("/", params={"q": "sanctions"}).status_code == 400
    for host in ("127.0.0.1", "localhost"):
        with TestClient(create_app(web_index), base_url=f"http://{host}:8000") as local:
            assert local.get("/").status_code == 200


def test_hostile_titles_speakers_and_text_are_escaped(client):
    twin = client.get("/search.json", params={"q": "pipeline sanctions"}).json()
    hit = next(h for h in twin["hits"] if "__pwned" in h["text"])
    assert hit["speaker"] == HOSTILE_SPEAKER
    pages = [
        client.get("/", params={"q": "pipeline sanctions"}).text,
        client.get("/p/" + hit["id"].replace("#p", "-p"), params={"q": "pipeline"}).text,
        client.get(f"/a/{hit['article_id']}").text,
        client.get("/speaker", params={"name": hit["speaker"]}).text,
    ]
    for page in pages:
        assert "__pwned" in page  # the text is there, but as text: the parsed page has no
        elements = _elements(page)  # element or attribute that the hostile fields wrote
        assert [attrs for tag, attrs in elements if tag == "script"] == [{"src": "/static/app.js", "defer": None}]
        assert not [tag for tag, _ in elements if tag in ("img", "iframe", "object", "embed", "b")]
        assert not [name for _, attrs in elements for name in attrs if name.startswith("on")]
        assert not [v for _, attrs in elements for v in attrs.values() if v and v.strip().lower().startswith("javascript:")]


def _elements(page: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(page)
    return found


# --- export and citation -------------------------------------------------------------------


def test_export_streams_every_match_as_csv_and_json_lines(client):
    import csv
    import io

    lines = client.get("/export.jsonl", params={"q": "president"})
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in lines.text.splitlines()]
    twin = client.get("/search.json", params={"q": "president", "n": 100}).json()
    assert len(records) == twin["total"] > 100  # every match, not the page shown
    assert {h["id"] for h in twin["hits"]} <= {r["id"] for r in records}
    table = client.get("/export.csv", params={"q": "president"})
    assert table.headers["content-type"].startswith("text/csv") and "attachment" in table.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    several = client.get("/export.jsonl", params={"q": "president biden"}).text.splitlines()
    assert len(several) == client.get("/search.json", params={"q": "president biden"}).json()["total"]
    formula = list(csv.DictReader(io.StringIO(client.get("/export.csv", params={"q": "hyperlink"}).text)))
    assert [r["text"] for r in formula] == ["'" + FORMULA_TEXT]
    assert json.loads(client.get("/export.jsonl", params={"q": "hyperlink"}).text)["text"] == FORMULA_TEXT


def test_a_paragraph_carries_its_citation(client):
    twin = client.get("/search.json", params={"q": "secretary blinken"}).json()
    hit = next(h for h in twin["hits"] if h["speaker"] and h["url"])
    path = "/p/" + hit["id"].replace("#p", "-p")
    cite = client.get(path + ".json").json()["citation"]
    for style in ("plain", "markdown", "bibtex"):
        paragraph_id = hit["id"].replace("#", "\\#") if style == "bibtex" else hit["id"]
        assert hit["url"] in cite[style] and paragraph_id in cite[style] and hit["speaker"] in cite[style], style
    assert json.loads(cite["csl-json"])[0]["URL"] == hit["url"]
    page = client.get(path).text
    assert f'<pre id="cite-link">{BASE}{path}</pre>' in page and 'id="copy-plain"' in page


def test_a_question_shows_the_answer_it_got_and_the_answer_its_question(client):
    hits = client.get("/search.json", params={"q": "secretary", "n": 100}).json()["hits"]
    question = next(h for h in hits if h.get("answered_by"))
    asked = client.get("/p/" + question["id"].replace("#p", "-p") + ".json").json()
    assert asked["answer"]["id"] == question["answered_by"]
    answer = client.get("/p/" + question["answered_by"].replace("#p", "-p")).text
    assert "The question it answers" in answer and '<span class="kind">answer</span>' in answer
