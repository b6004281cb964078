"""Store: persist each evaluated article (upsert by ID) and its matches with their alert rows,
several articles to a transaction (group commit, ``pipelines.steps.groupcommit``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.exceptions import DropItem

from crawler.context import crawl_context
from crawler.health.storeguard import STORE_FAILURES, note_store_error, stop_crawl
from crawler.items import ArticleItem
from pipelines.alerts.digest import BACKFILL
from pipelines.steps.groupcommit import BatchPolicy, GroupCommit, batch_policy, flush_now
from pipelines.storage import DEFAULT_SITE, ArticleRecord, MatchRecord, Store
from pipelines.storage.routes import Routing
from pipelines.storage.store import Evaluated
from pipelines.storage.stories import preload as preload_stories
from pipelines.wiring import watches

logger = logging.getLogger(__name__)


def article_record(item: ArticleItem, now: datetime) -> ArticleRecord:
    """The store's view of an evaluated item: the page's metadata and the clean text (the
    page's HTML is not kept)."""
    return ArticleRecord.of(item.fields, text=item.text, extraction=item.extraction,
                            fetched_at=now, site=item.site,
                            key=item.key)


def match_record(item: ArticleItem, verdict: Any, now: datetime) -> MatchRecord:
    """A match row from a positive verdict, with its evidence (the store records it against
    the row the item's site and key were stored under)."""
    page = item.fields
    return MatchRecord(
        article_id=page.article_id, topic=verdict.topic, rule_version=verdict.rule_version,
        rule=verdict.rule or "", grade=verdict.grade or "mention",
        evidence=list(verdict.to_dict()["evidence"]), matched_at=now,
        url=page.url, headline=page.headline, published=page.published, site=item.site,
        key=item.key,
    )


def _named(record: ArticleRecord) -> str:
    """An article for a log line: its key, after its site's name unless the site is the
    default one (a generic site's articles have no numeric ID: article ID 0 names none)."""
    if record.site == DEFAULT_SITE:
        return record.article_key
    return f"{record.site} {record.article_key}"


class BackfillRule:
    """Which new matches wait for the crawl's backfill digest: articles published more than
    ``age`` before the crawl started (None: none do; an unknown date alerts on its own)."""

    def __init__(self, age: timedelta | None, started: datetime) -> None:
        self.cutoff = started - age if age else None

    def batch(self, published: datetime | None) -> str | None:
        old = self.cutoff is not None and published is not None and published < self.cutoff
        return BACKFILL if old else None


class StorePipeline:
    """Upsert articles and record matches; a store failure fails the run, never passes silently.

    Articles are written ``policy.size`` to a transaction (or after ``policy.max_wait`` s),
    and the open batch when the crawl ends, before its alerts are delivered (``flush_now``).

    ``channels``: where new matches alert (the config's watches, ``pipelines.wiring.watches``;
    a list of channel names: the implicit watch). Empty (`mtwatch run --no-alert`): matches
    are stored with no alert rows at all, so nothing about them is ever sent, not even later."""

    def __init__(self, store: Store, channels: Sequence[str] | Routing,
                 topic_names: dict[str, str],
                 crawler: Any, backfill: BackfillRule | None = None,
                 policy: BatchPolicy | None = None) -> None:
        self.store = store
        self.channels = channels
        self.topic_names = topic_names
        self.crawler = crawler
        self.stats = crawler.stats
        self.backfill = backfill or BackfillRule(None, datetime.now(UTC))
        self.commits: GroupCommit[Evaluated, tuple[str, int]] = GroupCommit(
            self._write, policy or BatchPolicy())
        #: the articles of the batch being written (named when its write fails)
        self._writing: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        context = crawl_context(crawler)
        config = context.config
        names = {topic.id: topic.name for topic in context.topic_headers}
        alert = not crawler.settings.getbool("MTWATCH_NO_ALERT")
        channels: Sequence[str] | Routing = watches(config) if alert else []
        rule = BackfillRule(config.alerts.backfill_delta, datetime.now(UTC))
        policy = batch_policy(crawler.settings)
        if crawler.settings.get("MTWATCH_SINCE"):  # a backfill: its first story comes early
            preload_stories()
        # the crawl's one store (crawler.context), closed when its last crawler stops
        pipeline = cls(context.store, channels, names, crawler, rule, policy)
        crawler.signals.connect(pipeline.flush, signal=flush_now)
        return pipeline

    def close_spider(self) -> None:
        self.flush()

    def process_item(self, item: Any) -> Any:
        now = datetime.now(UTC)
        found = [match_record(item, v, now) for v in item.verdicts if v.matched]
        # one transaction per batch: an article marked evaluated always has its matches (D1)
        backfill = self.backfill.batch(item.fields.published)
        entry = Evaluated(article_record(item, now), found, backfill)
        try:
            written = self.commits.add(entry)
        except STORE_FAILURES as exc:  # the batch stays queued; the crawl stops (storeguard)
            self._failed(exc)
            stop_crawl(self.crawler)
            raise DropItem(f"store failed: {exc}") from exc
        self._count(written)
        return item

    def flush(self) -> None:
        """Write the open batch now; a failure is the run's store error (its articles stay
        queued for the next run)."""
        try:
            written = self.commits.flush()
        except STORE_FAILURES as exc:
            self._failed(exc)
            return
        self._count(written)

    def _write(self, batch: Sequence[Evaluated]) -> list[tuple[str, int]]:
        self._writing = [_named(entry.record) for entry in batch]
        return self.store.store_evaluated_many(batch, self.channels, self.topic_names)

    def _failed(self, exc: BaseException) -> None:
        ids = self._writing
        where = (f"article {ids[0]}" if len(ids) == 1 else
                 f"articles {ids[0]}…{ids[-1]} ({len(ids)} in one transaction)")
        note_store_error(self.stats, where, exc)

    def _count(self, written: list[tuple[Evaluated, tuple[str, int]]]) -> None:
        for entry, (outcome, new_matches) in written:
            self.stats.inc_value(f"mtwatch/stored/{outcome}")
            self.stats.inc_value("mtwatch/new_matches", new_matches)
            if new_matches and entry.batch:
                self.stats.inc_value("mtwatch/backfill_matches", new_matches)
