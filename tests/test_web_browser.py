"""The web page in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium): type a query, click a facet and a histogram bar, open a result, copy a citation, the
keyboard shortcuts, export CSV; hostile text runs nothing; axe-core finds no serious or critical
violation on the search, paragraph, article and speaker pages. Screenshots at desktop and phone
widths go to $BRIEFSEARCH_SHOTS (default /tmp/web-shots) for a person to look at.

Skipped, with the reason, where Chromium, its driver or Selenium is missing (.ci/run installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.web_corpus import web_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(os.environ.get("BRIEFSEARCH_SHOTS", "/tmp/web-shots"))

pytestmark = pytest.mark.slow  # a browser start and a server: about a minute

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if not (CHROMIUM and DRIVER):
    pytest.skip("no Chromium here: install Debian's chromium and chromium-driver (apt-get install -y chromium "
                "chromium-driver) to run the browser tests", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real uvicorn server on a free loopback port over the web test corpus."""
    import uvicorn

    from briefsearch.web.app import create_app

    root = tmp_path_factory.mktemp("browser")
    web_index(root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(root / "index"), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}", root
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    base, _ = server
    origin = urlparse(base)._replace(path="").geturl()
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds).until(lambda d: condition(d))


def params(driver) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(driver.current_url).query).items()}


def twin(driver, base, query: str) -> dict:
    driver.get(f"{base}/search.json?{query}")
    return json.loads(driver.find_element(By.TAG_NAME, "body").text)


def shoot(driver, name: str) -> None:
    """The page at desktop and phone widths, full height, as PNG files under SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("desktop", 1366), ("phone", 390)):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
        driver.set_window_size(width, max(height, 700))
        driver.save_screenshot(str(SHOTS / f"{name}-{label}.png"))
    driver.set_window_size(1366, 900)


def test_type_a_query_click_a_facet_and_a_histogram_bar(browser, server):
    base, _ = server
    browser.get(base + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("president", Keys.ENTER)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".hit"))
    assert params(browser)["q"] == "president"
    count = browser.find_element(By.ID, "count")
    assert count.get_attribute("role") == "status" and "paragraphs match" in count.text
    shoot(browser, "search")

    facet = browser.find_element(By.CSS_SELECTOR, ".facets section.facet li a")
    name = parse_qs(urlparse(facet.get_attribute("href")).query)["speaker"][0]
    assert facet.text.startswith(name)
    facet.click()
    wait(browser, lambda d: "speaker" in params(d))
    assert params(browser)["speaker"] == name
    speakers = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".hit .meta a[href^='/speaker']")}
    assert speakers == {name}
    assert browser.find_element(By.CSS_SELECTOR, ".facets a.on").get_attribute("aria-current") == "true"

    browser.get(base + "/?q=president")
    bars = [b for b in browser.find_elements(By.CSS_SELECTOR, ".histogram a.bar") if int(b.get_attribute("data-count"))]
    tallest = max(bars, key=lambda b: int(b.get_attribute("data-count")))
    expected = int(tallest.get_attribute("data-count"))
    tallest.click()
    wait(browser, lambda d: "since" in params(d))
    shown = browser.find_element(By.ID, "count").text
    assert f"{expected:,} paragraph" in shown
    since, until = params(browser)["since"], params(browser)["until"]
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates and all(since <= d <= until for d in dates)


def test_open_a_result_and_read_it_in_its_article(browser, server):
    base, _ = server
    browser.get(base + "/?q=" + "secretary")
    first = browser.find_element(By.CSS_SELECTOR, ".hit a.open")
    first.click()
    wait(browser, lambda d: "/p/" in d.current_url)
    focus = browser.find_element(By.CSS_SELECTOR, ".para.focus")
    assert focus.find_elements(By.TAG_NAME, "mark")
    shoot(browser, "paragraph")
    browser.find_element(By.LINK_TEXT, "the whole briefing").click()
    wait(browser, lambda d: "/a/" in d.current_url)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".paragraphs > li")) > 1
    shoot(browser, "article")
    speaker = browser.find_elements(By.CSS_SELECTOR, ".para .speaker a")
    if speaker:
        speaker[0].click()
        wait(browser, lambda d: "/speaker" in d.current_url)
        assert browser.find_element(By.TAG_NAME, "h1").text
        shoot(browser, "speaker")


def test_keyboard_shortcuts(browser, server):
    base, _ = server
    browser.get(base + "/?q=sanctions")
    body = browser.find_element(By.TAG_NAME, "body")
    active = lambda: browser.switch_to.active_element  # noqa: E731
    body.send_keys("/")
    assert active().get_attribute("id") == "q"
    active().send_keys("j")  # typing: the shortcut pauses, the letter goes in the box
    assert browser.find_element(By.ID, "q").get_attribute("value").endswith("j")
    assert not browser.find_elements(By.CSS_SELECTOR, ".hit.current")
    active().send_keys(Keys.BACKSPACE, Keys.ESCAPE)
    body.send_keys("j")
    assert browser.find_element(By.CSS_SELECTOR, ".hit.current").get_attribute("id") == "hit-1"
    active().send_keys("j")
    assert browser.find_element(By.CSS_SELECTOR, ".hit.current").get_attribute("id") == "hit-2"
    active().send_keys("k")
    assert browser.find_element(By.CSS_SELECTOR, ".hit.current").get_attribute("id") == "hit-1"
    href = browser.find_element(By.CSS_SELECTOR, "#hit-1 a.open").get_attribute("href")
    active().send_keys(Keys.ENTER)
    wait(browser, lambda d: d.current_url == href)
    browser.find_element(By.TAG_NAME, "body").send_keys("?")
    assert browser.find_element(By.ID, "shortcuts").get_attribute("open") is not None
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    browser.back()
    wait(browser, lambda d: "q=sanctions" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".hit"))


def test_hostile_text_runs_nothing_in_the_browser(browser, server):
    base, _ = server
    data = twin(browser, base, "q=pipeline+sanctions")
    hit = next(h for h in data["hits"] if "__pwned" in h["text"])
    from urllib.parse import quote

    pages = [f"/?q=pipeline+sanctions", "/p/" + hit["id"].replace("#p", "-p") + "?q=pipeline", f"/a/{hit['article_id']}",
             "/speaker?name=" + quote(hit["speaker"], safe="")]
    for path in pages:
        browser.get(base + path)
        assert "__pwned" in browser.page_source
        assert browser.execute_script("return typeof window.__pwned") == "undefined", path
        for link in browser.find_elements(By.TAG_NAME, "a"):
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:"), path
    shoot(browser, "hostile")


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                         "axe.run(document).then(function (r) { done(r.violations); });")
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in result]


def test_axe_finds_no_serious_or_critical_violation(browser, server):
    base, _ = server
    data = twin(browser, base, "q=secretary")
    hit = next(h for h in data["hits"] if h["speaker"])
    from urllib.parse import quote

    found = {}
    for name, path in (("search", "/?q=secretary"), ("paragraph", "/p/" + hit["id"].replace("#p", "-p") + "?q=secretary"),
                       ("article", f"/a/{hit['article_id']}"), ("speaker", "/speaker?name=" + quote(hit["speaker"], safe="")),
                       ("overview", "/overview")):
        browser.get(base + path)
        found[name] = _axe(browser)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    serious = {name: [v for v in violations if v["impact"] in ("serious", "critical")] for name, violations in found.items()}
    assert serious == {name: [] for name in found}


def test_copy_a_citation_and_export_csv(browser, server):
    base, _ = server
    browser.get(base + "/?q=secretary+blinken")
    browser.find_element(By.CSS_SELECTOR, ".hit a.open").click()
    wait(browser, lambda d: d.find_elements(By.ID, "copy-plain"))
    expected = browser.find_element(By.ID, "cite-plain").text
    browser.find_element(By.ID, "copy-plain").click()
    wait(browser, lambda d: "Copied" in d.find_element(By.ID, "copy-status").text)
    pasted = browser.execute_async_script("var done = arguments[arguments.length - 1];"
                                          "navigator.clipboard.readText().then(done, function (e) { done('error: ' + e); });")
    assert pasted == expected and "“" in pasted

    browser.get(base + "/?q=hyperlink")
    browser.find_element(By.ID, "export-csv").click()
    target = browser.downloads / "briefsearch-hyperlink.csv"
    wait(browser, lambda d: target.exists() and target.stat().st_size > 0)
    import csv

    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 1 and rows[0]["text"].startswith("'=HYPERLINK(")
