"""The desk's pages over a real store (SQLite and PostgreSQL), through Starlette's test client:
filters and keyset pages, evidence in place, escaping, CSP, CSRF, token, feeds, health."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from starlette.testclient import TestClient

from crawler.web.app import build
from crawler.web.settings import WebSettings
from pipelines.storage import Store
from pipelines.storage.routes import Route
from tests.helpers.desk import desk_config, matcher, seed
from tests.helpers.keys import default_key

TOKEN = "a-token-of-twenty-four-chars"


@pytest.fixture
def opened(migrated_store_url: str) -> Iterator[Store]:
    seed(migrated_store_url)
    with Store(migrated_store_url) as store:
        yield store


def client_for(store: Store, store_url: str, settings: WebSettings | None = None,
               **env: str) -> TestClient:
    app = build(store, desk_config(store_url, **env), settings or WebSettings(), [matcher()])
    return TestClient(app, base_url="http://127.0.0.1:8080")


@pytest.fixture
def client(opened: Store, store_url: str) -> TestClient:
    return client_for(opened, store_url)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def test_matches_newest_first_with_times_and_highlighted_terms(client: TestClient) -> None:
    page = client.get("/matches")
    assert page.status_code == 200
    html = page.text
    assert html.index("Ankara and Damascus Agree") < html.index("Erdogan and Assad")
    assert "2024-05-06 12:00 MSK" in html
    assert "2024-05-06 09:00 UTC" in html
    assert re.search(r'<b class="term">roadmap</b>', html, flags=re.I)
    assert "moscowtimes" in html
    assert "2 found" in html


@pytest.mark.parametrize(("query", "found"), [
    ("grade=development", {81001, 81004}),
    ("q=roadmap", {81001}),
    ("q=ERDOGAN", {81004}),
    ("q=100%25", set()),
    ("from=2024-05-01&to=2024-05-06", {81001}),
    ("to=2024-05-05", {81004}),
    ("site=moscowtimes", {81001, 81004}),
    ("site=elsewhere", set()),
    ("topic=syria-turkey&label=unlabelled", {81001, 81004}),
    ("label=relevant", set()),
])
def test_filters(client: TestClient, query: str, found: set[int]) -> None:
    html = client.get(f"/matches?{query}").text
    assert set(map(int, re.findall(r'href="/articles/(\d+)"', html))) == found


def test_bad_filter_values_are_said_and_ignored(client: TestClient) -> None:
    page = client.get("/matches?from=yesterday&grade=huge&before=garbage")
    assert page.status_code == 200
    assert "from: expected a day like 2026-06-23, got &#39;yesterday&#39;" in page.text
    assert "grade: unknown value" in page.text
    assert "showing the newest" in page.text
    assert "2 found" in page.text


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_keyset_pages_cover_every_match_once(store_url: str) -> None:
    body = "Turkey and Syria agreed on a roadmap to restore diplomatic ties, officials said."
    start = datetime(2023, 1, 2, 9, tzinfo=UTC)
    many = tuple((90000 + n, f"Story {n}", body, start + timedelta(hours=n // 2))
                 for n in range(125))  # pairs share a publication time: the id breaks ties
    seed(store_url, many)
    with Store(store_url) as store:
        client = client_for(store, store_url)
        seen, pages, url = [], [], "/matches"
        while url:
            html = client.get(url).text
            pages.append(html)
            seen += [int(i) for i in re.findall(r'href="/articles/(\d+)"', html)]
            older = re.search(r'rel="next" href="([^"]+)"', html)
            url = older.group(1).replace("&amp;", "&") if older else ""
        newer = re.search(r'rel="prev" href="([^"]+)"', pages[2]).group(1)  # type: ignore[union-attr]
        back = client.get(newer.replace("&amp;", "&")).text
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 125
    assert [len(re.findall(r'href="/articles/\d+"', p)) for p in pages] == [50, 50, 25]
    assert re.findall(r'href="/articles/\d+"', back) == re.findall(r'href="/articles/\d+"',
                                                                    pages[1])


def test_crawled_markup_renders_as_text(client: TestClient) -> None:
    for url in ("/matches", "/articles/81004", "/matches?q=%3Cscript%3E"):
        html = client.get(url).text
        assert "<script" not in html
        assert "<img src=x" not in html
        assert "<b>meet</b>" not in html
    html = client.get("/articles/81004").text
    assert "&lt;script&gt;alert(&#39;desk&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_article_highlights_every_evidence_sentence_in_place(client: TestClient) -> None:
    html = client.get("/articles/81001").text
    body = html[html.index('<div class="body">'):]
    marked = re.findall(r'<mark class="evidence" id="evidence-(\d+)"', body)
    assert marked, "evidence sentences of the body are marked in the text"
    sentence = re.search(rf'id="evidence-{marked[-1]}"[^>]*><sup>\d+</sup>(.*?)</mark>',
                         body).group(1)  # type: ignore[union-attr]
    assert re.sub("<[^>]+>", "", sentence).startswith("Turkey and Syria agreed on a roadmap")
    assert "relation" in html
    assert "the strongest rule that fired" in html
    assert 'href="https://www.themoscowtimes.com/2024/05/06/story-a81001"' in html
    assert "email" in html
    assert "pending" in html


class TwoWatches:
    """Every match alerts two named watches, each through its own channel."""

    def routes(self, site: str, topic: str) -> list[Route]:
        return [Route("syria-desk", "email:syria-desk"), Route("wire-room", "webhook:wire-room")]


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_an_articles_alerts_name_their_watch(store_url: str) -> None:
    seed(store_url, channels=TwoWatches())
    with Store(store_url) as store:
        html = client_for(store, store_url).get("/articles/81001").text
    table = html[html.index('<table class="alerts">'):]
    table = table[:table.index("</table>")]
    assert "<th>Watch</th>" in table
    cells = [re.findall(r"<td>([^<]*)</td>", row)[:2] for row in table.split("<tr>")[2:]]
    assert sorted(cells) == [["syria-desk", "email:syria-desk"],
                             ["wire-room", "webhook:wire-room"]]


def test_without_watches_the_alerts_have_no_watch_column(client: TestClient) -> None:
    html = client.get("/articles/81001").text
    assert "<th>Channel</th>" in html
    assert "<th>Watch</th>" not in html


def test_article_without_match_shows_its_near_misses(client: TestClient) -> None:
    html = client.get("/articles/81003").text
    assert "No match" in html
    assert "Near-misses" in html
    assert "both sides named but no relation cue" in html
    assert client.get("/articles/424242").status_code == 404


def test_labels_need_post_and_this_browsers_csrf_token(client: TestClient,
                                                       opened: Store) -> None:
    token = csrf_of(client.get("/articles/81002").text)
    form = {"csrf": token, "topic": "syria-turkey", "verdict": "relevant", "note": "missed"}
    assert client.get("/articles/81002/label").status_code == 405
    stranger = TestClient(client.app, base_url="http://127.0.0.1:8080")
    assert stranger.post("/articles/81002/label", data=form).status_code == 403
    cross = client.post("/articles/81002/label", data=form,
                        headers={"Origin": "http://evil.example"}, follow_redirects=False)
    assert cross.status_code == 403
    assert opened.current_labels(81002) == {}
    saved = client.post("/articles/81002/label", data={**form, "by": "alice"},
                        follow_redirects=False)
    assert saved.status_code == 303
    label = opened.current_labels(81002)["syria-turkey"]
    assert (label.verdict, label.note, label.labelled_by) == ("relevant", "missed", "alice")
    page = client.get(saved.headers["location"]).text
    assert "label saved" in page
    assert "relevant" in page
    assert client.post("/articles/81002/label", data={**form, "verdict": "maybe"}
                       ).status_code == 400


def test_every_response_has_a_strict_csp_and_no_listing(client: TestClient) -> None:
    for url in ("/matches", "/articles/81001", "/trends", "/health", "/nope",
                "/static/desk.css"):
        csp = client.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "script-src" not in csp
        assert "style-src 'self'" in csp
    assert client.get("/static/").status_code == 404
    assert client.get("/static").status_code == 404
    html = client.get("/matches").text
    assert "<script" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_a_foreign_host_header_is_refused_on_loopback(client: TestClient) -> None:
    assert client.get("/matches", headers={"Host": "rebind.example"}).status_code == 400


def test_the_token_is_asked_for_when_set(opened: Store, store_url: str) -> None:
    client = client_for(opened, store_url, WebSettings(host="0.0.0.0", token=TOKEN))
    assert client.get("/matches").status_code == 401
    assert client.get("/matches").headers["www-authenticate"].startswith("Basic")
    assert client.get("/matches", auth=("any", TOKEN)).status_code == 200
    assert client.get("/feeds/syria-turkey.atom",
                      headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get("/matches", auth=("any", TOKEN[:-1])).status_code == 401


def test_atom_feed_is_valid_and_keyed_by_the_alert(client: TestClient) -> None:
    response = client.get("/feeds/syria-turkey.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    ids = [entry.id for entry in feed.entries]
    assert ids == [f"urn:mtwatch:alert:{default_key('syria-turkey', 81001)}",
                   f"urn:mtwatch:alert:{default_key('syria-turkey', 81004)}"]
    assert feed.entries[1].title.startswith("<script>alert('desk')</script>")
    assert feed.entries[0].link.endswith("-a81001")
    again = feedparser.parse(client.get("/feeds/syria-turkey.atom").content)
    assert [e.id for e in again.entries] == ids
    assert feedparser.parse(client.get("/feeds/site/moscowtimes.atom").content).entries
    assert client.get("/feeds/nope.atom").status_code == 404


def test_trends_tell_an_outage_from_a_quiet_week(opened: Store, client: TestClient) -> None:
    good = opened.start_run(trigger="cli", now=datetime(2024, 5, 7, 10, tzinfo=UTC))
    opened.finish_run(good, now=datetime(2024, 5, 7, 10, 5, tzinfo=UTC), status="ok",
                      reason="", stats={"evaluated": 40, "discovered": 50})
    bad = opened.start_run(trigger="cli", now=datetime(2024, 4, 16, 10, tzinfo=UTC))
    opened.finish_run(bad, now=datetime(2024, 4, 16, 10, 1, tzinfo=UTC), status="failed",
                      reason="site unreachable", stats={})
    html = client.get("/trends?until=2024-05-10&weeks=5").text
    weeks = dict(re.findall(r'>(2024-\d\d-\d\d)</a></td>.*?<span class="coverage [^"]+">'
                            r"([^<]+)</span>", html, flags=re.S))
    assert weeks == {"2024-05-06": "covered", "2024-04-29": "no runs",
                     "2024-04-22": "no runs", "2024-04-15": "outage", "2024-04-08": "no runs"}
    for name in ("topics", "sites", "coverage"):
        assert f'src="/charts/{name}.svg?until=2024-05-10&amp;weeks=5"' in html
        svg = client.get(f"/charts/{name}.svg?until=2024-05-10&weeks=5")
        assert svg.headers["content-type"].startswith("image/svg+xml")
        etree.fromstring(svg.content)  # well-formed SVG from the charting library
    assert b"syria-turkey" in client.get("/charts/topics.svg?until=2024-05-10&weeks=5").content
    assert "weeks: expected 1 to 260" in client.get("/trends?weeks=0").text
    for name in ("topics", "sites", "coverage"):  # weeks without a match or a run
        etree.fromstring(client.get(f"/charts/{name}.svg?until=2020-01-01&weeks=3").content)


def test_health_lists_runs_outbox_and_retries_a_dead_alert(opened: Store, store_url: str,
                                                           smtp: object) -> None:
    row = opened.outbox_rows()[0]
    opened.claim_alert(row.id, now=datetime.now(UTC), lease=timedelta(minutes=1))
    opened.mark_failed(row.id, now=datetime.now(UTC), error="550 mailbox <b>gone</b>",
                       retry_at=None)
    client = client_for(opened, store_url)
    html = client.get("/health").text
    assert "1 dead" in html
    assert "Retry now" in html
    assert "550 mailbox &lt;b&gt;gone" in html
    refused = client.post(f"/alerts/{row.id}/retry", data={"csrf": csrf_of(html)})
    assert refused.status_code == 409
    assert "not configured" in refused.text
    port = str(smtp.port)  # type: ignore[attr-defined]
    mail = client_for(opened, store_url, MTWATCH_SMTP_HOST="127.0.0.1", MTWATCH_SMTP_PORT=port,
                      MTWATCH_SMTP_SECURITY="none", MTWATCH_EMAIL_FROM="desk@test.invalid",
                      MTWATCH_EMAIL_TO="analyst@test.invalid", MTWATCH_ALERT_CHANNELS="email")
    html = mail.get("/health").text
    done = mail.post(f"/alerts/{row.id}/retry", data={"csrf": csrf_of(html)},
                     follow_redirects=False)
    assert done.status_code == 303
    assert opened.get_alert(row.id).status == "sent"  # type: ignore[union-attr]
    assert f"alert {row.id} was sent again" in mail.get(done.headers["location"]).text


def test_a_read_only_role_reads_pages_and_labels_fail_clearly(tmp_path: Path) -> None:
    from tests.helpers.pg import pg_schema, read_only_role

    with pg_schema() as url, read_only_role(url) as ro_url:
        seed(url)
        with Store(ro_url) as store:
            client = client_for(store, ro_url)
            assert client.get("/matches").status_code == 200
            token = csrf_of(client.get("/articles/81001").text)
            refused = client.post("/articles/81001/label", data={
                "csrf": token, "topic": "syria-turkey", "verdict": "relevant"})
    assert refused.status_code == 403
    assert "read-only for this database user" in refused.text


def test_health_shows_the_304_rate_and_last_failure_per_kind(opened: Store,
                                                             client: TestClient) -> None:
    for stats, status in (({"documents/feed/unchanged": 3, "documents/feed/ok": 1}, "ok"),
                          ({"documents/sitemap/failed": 1, "discovered": 2}, "degraded")):
        run = opened.start_run(trigger="cli", now=datetime(2024, 5, 7, 10, tzinfo=UTC))
        opened.finish_run(run, now=datetime(2024, 5, 7, 10, 1, tzinfo=UTC), status=status,
                          reason="sitemap 2024-5 answered 503" if status != "ok" else "",
                          stats=stats)
    html = client.get("/health").text
    feed = re.search(r"<tr><td>feed</td>(.*?)</tr>", html, flags=re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r'class="num">([^<]+)<', feed) == ["1", "3", "75 %", "0"]
    sitemap = re.search(r"<tr><td>sitemap</td>(.*?)</tr>", html, flags=re.S).group(1)  # type: ignore[union-attr]
    assert "sitemap 2024-5 answered 503" in sitemap


def test_health_lists_every_sites_documents_with_their_last_error(opened: Store,
                                                                  client: TestClient) -> None:
    """Per document, of every site: last poll, status, 304 rate, failures, last error (a
    server's words, escaped and bounded); the failing one first."""
    t0 = datetime(2024, 5, 7, 10, tzinfo=UTC)
    feed, index = "https://blog.example/feed.xml", "https://www.themoscowtimes.com/sitemap.xml"
    for n in range(4):
        opened.record_poll(index, site="moscowtimes", kind="sitemap_index",
                           status="304" if n else "200", now=t0 + timedelta(hours=n))
    for n, status in enumerate(("304", "error", "error")):
        opened.record_poll(feed, site="blog", kind="feed", status=status,
                           error="http_503: <script>alert(1)</script> " + "z" * 400,
                           now=t0 + timedelta(hours=n))
    due = t0 + timedelta(hours=3, minutes=45)
    opened.save_poll_schedule(index, {"interval": 2700.0, "next_poll_at": due.timestamp()}, due)
    html = client.get("/health").text
    table = html[html.index('<table class="sources">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr[^>]*><td>([^<]+)</td><td>([^<]+)</td>", table)
    assert rows == [("blog", "feed"), ("moscowtimes", "sitemap_index")]
    blog = table[table.index("blog.example"):table.index("themoscowtimes")]
    assert "2024-05-07 12:00 UTC" in blog  # its last poll
    assert re.findall(r'class="num">([^<]+)<', blog) == ["33 % of 3", "2", "—"]  # no schedule
    assert "http_503: &lt;script&gt;alert(1)&lt;/script&gt;" in blog
    assert "<script>" not in html
    assert "z" * 200 not in blog  # bounded
    assert "75 % of 4" in table
    mt = table[table.index("themoscowtimes"):]
    assert re.findall(r'class="num">([^<]+)<', mt) == ["75 % of 4", "0", "45 min"]
    assert "2024-05-07 13:45 UTC" in mt  # next due
