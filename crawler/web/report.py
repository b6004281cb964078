"""The static report: the desk's pages for the matches since a day, written as plain HTML
files (no server, no script) for sharing or archiving."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from crawler.web import feeds
from crawler.web.links import StaticLinks
from crawler.web.pages import article, health, matches, trends
from crawler.web.render import STATIC, Times, render_page
from crawler.web.settings import WebSettings
from pipelines.matcher import Matcher
from pipelines.storage import Store
from pipelines.storage.desk import Cursor, MatchFilter, MatchRow, match_page, newest


@dataclass(frozen=True)
class Written:
    """What a report wrote."""

    matches: int
    articles: int
    pages: int
    index: Path


class Report:
    """Writes one static report into ``out``."""

    def __init__(self, store: Store, matchers: Sequence[Matcher], settings: WebSettings,
                 out: Path) -> None:
        self.store, self.matchers, self.out = store, list(matchers), out
        self.times = Times(settings.zone)
        self.topics = {m.topic.id: m.topic.name for m in self.matchers}
        self.page_size = settings.page_size
        self.files = 0

    def _write(self, name: str, template: str, depth: int, context: dict[str, Any]) -> None:
        html = render_page(template, context, links=StaticLinks(depth), times=self.times,
                           topics=self.topics)
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.files += 1

    def rows_since(self, since: datetime) -> list[MatchRow]:
        rows: list[MatchRow] = []
        before: Cursor | None = None
        while True:
            with self.store.read("report_matches") as conn:
                page = match_page(conn, MatchFilter(start=since), before=before, limit=500)
            rows += page
            if len(page) < 500:
                return rows
            before = page[-1].cursor

    def write_matches(self, rows: list[MatchRow]) -> None:
        count = max(1, math.ceil(len(rows) / self.page_size))
        for number in range(1, count + 1):
            chunk = rows[(number - 1) * self.page_size : number * self.page_size]
            context = {
                "rows": [{"row": r, "evidence": matches.first_evidence(r)} for r in chunk],
                "total": len(rows), "params": {}, "errors": [], "topics": sorted(self.topics),
                "sites": [], "grades": matches.GRADES, "labels": (), "first_page": number == 1,
                "newer": {"page": str(number - 1)} if number > 1 else None,
                "older": {"page": str(number + 1)} if number < count else None,
                "page": "matches",
            }  # fmt: skip
            name = "index.html" if number == 1 else f"matches-{number}.html"
            self._write(name, "matches.html.j2", 0, context)

    def write_articles(self, rows: list[MatchRow], progress: Callable[[int], None]) -> int:
        done = 0
        for article_id in dict.fromkeys(r.article_id for r in rows):
            context = article.context(self.store, self.matchers, article_id)
            if context is not None:
                self._write(f"articles/{article_id}.html", "article.html.j2", 1,
                            {**context, "page": "article"})
                done += 1
                progress(done)
        return done

    def write_trends(self, since: date, today: date) -> None:
        weeks = max(1, min(trends.MAX_WEEKS, math.ceil(((today - since).days + 1) / 7)))
        window = trends.Window(today, weeks)
        table = trends.weeks(self.store, window)
        for name in trends.CHARTS:
            path = self.out / "charts" / f"{name}.svg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(trends.chart(name, table), encoding="utf-8")
        self._write("trends.html", "trends.html.j2", 0,
                    {**trends.context(self.store, window), "page": "trends"})

    def write_feeds(self) -> None:
        for topic_id, name in self.topics.items():
            with self.store.read("report_feed") as conn:
                rows = newest(conn, topic=topic_id, site=None, limit=feeds.FEED_ENTRIES)
            path = self.out / "feeds" / f"{topic_id}.atom"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(feeds.atom(f"urn:mtwatch:feed:topic:{topic_id}",
                                        f"mtwatch: {name}", rows, self_url=None,
                                        desk_link=None))

    def write(self, since: date, today: date, progress: Callable[[int], None]) -> Written:
        start = datetime.combine(since, time(), tzinfo=self.times.zone).astimezone(UTC)
        rows = self.rows_since(start)
        self.write_matches(rows)
        written = self.write_articles(rows, progress)
        self.write_trends(since, today)
        self._write("health.html", "health.html.j2", 0,
                    {**health.context(self.store, datetime.now(UTC)), "page": "health"})
        self.write_feeds()
        (self.out / "static").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC / "desk.css", self.out / "static" / "desk.css")
        return Written(len(rows), written, self.files, self.out / "index.html")
