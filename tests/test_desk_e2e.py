"""The desk end to end: a replica (with an article whose headline and body carry markup and
<script>) crawled by `mtwatch run`, served by `mtwatch serve`, read over real HTTP, by the
static report, by the daemon, and by a person in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest

from pipelines.alerts.policy import alert_key
from pipelines.storage import DEFAULT_SITE
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here, start_cli, start_replica
from tests.helpers.ops import start, wait_until
from tests.replica.harness import mtwatch_run

pytestmark = pytest.mark.e2e
HOSTILE_ID = 9100001
HOSTILE = {
    "id": HOSTILE_ID, "date": "2024-05-10",
    "title": "<script>alert('x')</script> Turkey and Syria agree to restore ties <b>bold</b>",
    "text": "Turkey and Syria agreed on Tuesday to restore diplomatic ties, officials in Ankara "
            "and Damascus said. <img src=x onerror=alert(1)>\n\nThe talks between Erdogan and "
            "Assad's envoys were held in Moscow. <script>document.title='pwned'</script>",
}  # fmt: skip


@dataclass
class Desk:
    url: str
    workdir: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A crawled replica store, served by `mtwatch serve --port 0`."""
    tmp = tmp_path_factory.mktemp("desk")
    corpus = tmp / "hostile.jsonl"
    corpus.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    replica = start_replica(tmp, articles=60, seed=7, extra=["--corpus", str(corpus)])
    serve = None
    try:
        crawl = mtwatch_run(tmp, replica.base_url, "--since", "2023-01-01")
        assert crawl.status == "ok", crawl.stderr[-2000:]
        env = mtwatch_env(tmp, MTWATCH_CONFIG=str(tmp / "crawl.toml"))
        serve = start_cli(["serve", "--port", "0"], env, tmp, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
        assert serve.stdout is not None
        url = serve.stdout.readline().strip()  # printed once it accepts connections
        assert url.startswith("http://127.0.0.1:"), url
        yield Desk(url, tmp, env)
    finally:
        if serve is not None:
            serve.terminate()
            assert serve.wait(timeout=30) == 0
        replica.proc.terminate()
        replica.proc.wait(timeout=10)


def get(url: str) -> tuple[int, Any, bytes]:
    """Status, headers (case-insensitive) and body of a GET."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers, response.read()


def test_pages_over_real_http_show_crawled_markup_as_text(desk: Desk) -> None:
    for path in ("/matches", f"/articles/{HOSTILE_ID}", "/trends", "/health"):
        status, headers, body = get(desk.url + path)
        html = body.decode()
        assert status == 200
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "<script" not in html
        assert "<img src=x" not in html
    html = get(f"{desk.url}/articles/{HOSTILE_ID}")[2].decode()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert '<mark class="evidence"' in html


def test_the_feed_parses_and_its_ids_are_the_alert_keys(desk: Desk) -> None:
    feed = feedparser.parse(get(f"{desk.url}/feeds/syria-turkey.atom")[2])
    assert not feed.bozo, feed.get("bozo_exception")
    ids = {entry.id for entry in feed.entries}
    assert f"urn:mtwatch:alert:{alert_key(DEFAULT_SITE, 'syria-turkey', str(HOSTILE_ID))}" in ids
    with urllib.request.urlopen(f"{desk.url}/matches", timeout=30) as response:
        assert response.status == 200


def test_static_report_writes_the_same_pages(desk: Desk) -> None:
    out = desk.workdir / "report"
    done = run_cli_here(["report", "--since", "2023-01-01", "--out", str(out)], desk.env,
                        desk.workdir)
    assert done.returncode == 0, done.stderr
    assert "article page(s)" in done.stdout
    for name in ("index.html", f"articles/{HOSTILE_ID}.html", "trends.html", "health.html",
                 "charts/topics.svg", "charts/coverage.svg", "static/desk.css",
                 "feeds/syria-turkey.atom"):
        assert (out / name).is_file(), name
    pages = list(out.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html, page
        assert "<form" not in html, page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="articles/{HOSTILE_ID}.html"' in index
    assert 'href="static/desk.css"' in index
    article = (out / "articles" / f"{HOSTILE_ID}.html").read_text(encoding="utf-8")
    assert 'href="../static/desk.css"' in article
    assert not feedparser.parse((out / "feeds" / "syria-turkey.atom").read_bytes()).bozo


def test_a_public_address_needs_a_token(desk: Desk) -> None:
    done = run_cli(["serve", "--host", "0.0.0.0", "--port", "0"], desk.env, desk.workdir,
                   timeout=60)
    assert done.returncode == 2
    assert "needs MTWATCH_WEB_TOKEN" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    short = run_cli(["serve", "--host", "0.0.0.0"], {**desk.env, "MTWATCH_WEB_TOKEN": "short"},
                    desk.workdir, timeout=60)
    assert short.returncode == 2
    assert "too short" in short.stderr


def test_a_taken_port_is_one_line(desk: Desk) -> None:
    port = int(desk.url.rsplit(":", 1)[1])
    done = run_cli(["serve", "--port", str(port)], desk.env, desk.workdir, timeout=60)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_the_daemon_serves_the_desk_when_enabled(desk: Desk, tmp_path: Path) -> None:
    config = tmp_path / "web.toml"
    config.write_text((desk.workdir / "crawl.toml").read_text(encoding="utf-8")
                      + "\n[web]\nenabled = true\nport = 0\n", encoding="utf-8")
    with socket.socket() as closed:  # a site that refuses: the daemon's crawl fails fast
        closed.bind(("127.0.0.1", 0))
        site = f"http://127.0.0.1:{closed.getsockname()[1]}"
    env = {**desk.env, "MTWATCH_CONFIG": str(config), "MTWATCH_DATA_DIR": str(tmp_path)}
    daemon = start(["daemon", "--site", site, "--interval", "3600"], env, tmp_path, "daemon")
    try:
        wait_until(lambda: "desk: serving http" in daemon.output, 120, "the desk's URL")
        url = re.search(r"desk: serving (http://\S+)", daemon.output).group(1)  # type: ignore[union-attr]
        status, _, body = get(f"{url}/health")
        assert status == 200
        assert b"Runs" in body
    finally:
        assert daemon.terminate() == 0


# ---- a person in a real browser ----------------------------------------------------------

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--window-size=1280,900")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """Debian's Chromium through its chromedriver (never a downloaded browser)."""
    if not (shutil.which(CHROMIUM) and Path(CHROMEDRIVER).exists()):
        reason = ("Debian's chromium and chromium-driver are not installed "
                  "(apt-get install -y chromium chromium-driver; .ci/run installs them)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shoot(driver: object, name: str, tmp: Path) -> None:
    """A screenshot of the page: into $MTWATCH_SCREENSHOTS (docs/) when set, else tmp."""
    folder = Path(os.environ.get("MTWATCH_SCREENSHOTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"desk-{name}.png"
    assert driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def arrive(driver: Any, fragment: str) -> None:
    """Wait for the navigation a click or submit started: the URL has ``fragment`` and the
    new page finished loading (clicks do not wait for the page they lead to)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: fragment in d.current_url and d.execute_script(
        "return document.readyState") == "complete")


def test_an_analyst_filters_reads_labels_and_subscribes(desk: Desk, browser: object,
                                                       tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d: Any = browser
    d.get(f"{desk.url}/matches")
    assert d.find_element(By.CSS_SELECTOR, "header.top").value_of_css_property(
        "background-color") == "rgba(29, 53, 87, 1)", "the stylesheet loads under the CSP"
    assert len(d.find_elements(By.CSS_SELECTOR, "table.matches tbody tr")) >= 3
    shoot(d, "matches", tmp_path)

    search = d.find_element(By.NAME, "q")
    search.send_keys("restore")
    search.submit()
    arrive(d, "q=restore")
    rows = d.find_elements(By.CSS_SELECTOR, "table.matches tbody tr")
    assert rows
    assert all("restore" in row.text.lower() for row in rows)

    d.find_element(By.PARTIAL_LINK_TEXT, "Turkey and Syria agree to restore ties").click()
    arrive(d, f"/articles/{HOSTILE_ID}")
    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert.text  # noqa: B018 - no script of the article ran
    assert d.title != "pwned"
    assert "<script>alert('x')</script>" in d.find_element(By.TAG_NAME, "h1").text
    assert len(d.find_elements(By.CSS_SELECTOR, ".body mark.evidence b.term")) >= 3
    shoot(d, "article", tmp_path)

    d.find_element(By.NAME, "note").send_keys("restored ties: relevant")
    d.find_element(By.CSS_SELECTOR, "button.relevant").click()
    arrive(d, "labelled=syria-turkey")
    assert "label saved" in d.find_element(By.CSS_SELECTOR, ".notice").text
    assert d.find_element(By.CSS_SELECTOR, "#labels .badge").text == "relevant"

    d.get(f"{desk.url}/matches")
    Select(d.find_element(By.NAME, "label")).select_by_value("relevant")
    d.find_element(By.CSS_SELECTOR, ".filters button[type=submit]").click()
    arrive(d, "label=relevant")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a.headline")]
    assert links == [f"{desk.url}/articles/{HOSTILE_ID}"]

    d.get(f"{desk.url}/trends?weeks=190")  # the replica's years, and the runs of today
    images = d.find_elements(By.CSS_SELECTOR, "figure.chart img")
    assert len(images) == 3
    sizes = [d.execute_script("return [arguments[0].complete, arguments[0].naturalWidth]", i)
             for i in images]
    assert sizes == [[True, 960]] * 3, "the charts (SVG from pygal) render under the CSP"
    shoot(d, "trends", tmp_path)
    d.get(f"{desk.url}/health")
    assert d.find_elements(By.CSS_SELECTOR, "table.runs tbody tr.ok")
    shoot(d, "health", tmp_path)

    d.find_element(By.CSS_SELECTOR, "nav a.feed").click()
    arrive(d, "/feeds/syria-turkey.atom")
    feed = feedparser.parse(get(d.current_url)[2])
    assert f"urn:mtwatch:alert:{alert_key(DEFAULT_SITE, 'syria-turkey', str(HOSTILE_ID))}" in {
        e.id for e in feed.entries}
    errors = [e for e in d.get_log("browser") if "Content Security Policy" in e["message"]]
    assert not errors, errors
