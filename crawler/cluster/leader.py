"""The cluster's leader: what to queue in Redis each round, from the PostgreSQL record.

Each round, for every site of the cluster:
- its feeds and sitemap index (start documents; the workers read them with conditional GET);
- the articles the store still owes an evaluation (``pending_articles``: new, failed and due
  again), as ``mtwatch run``'s start does;
- every URL whose lease ran out: claimed by a worker that died, or queued and lost (a worker
  killed after popping it, a Redis restart).
An article is pushed only after its URL is marked queued in the store (``Leases.enqueued``),
so whatever Redis loses comes back at a later round, and a URL a live worker holds is never
pushed. Only one leader works at a time: a round runs under the store's run lease (the
advisory lock a crawl takes), so a second leader, on any machine, skips its round.

``plan_round`` is the pure core (no store, no Redis); ``Leader`` is the thin adapter.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from crawler.cluster.keys import ARTICLE_ID, queue_key, start_key
from crawler.cluster.serializer import data_for
from crawler.spiders.documents import KIND

if TYPE_CHECKING:
    import redis

    from crawler.config import Config
    from crawler.launcher import RunOutcome
    from pipelines.storage import Store
    from pipelines.storage.leases import Leases

logger = logging.getLogger(__name__)

#: ops_state key of the leader's last round (read by `mtwatch status`)
LEADER_KEY = "cluster_leader"
#: start documents come out highest score first: articles owed before the discovery documents
ARTICLE_PRIORITY = 20
DOCUMENT_PRIORITY = 10
#: expired leases handled per round (the rest wait for the next)
EXPIRED_PER_ROUND = 5000


class SiteLinks(Protocol):
    """What the leader needs of a site's URL rules (crawler.sites.moscowtimes.urls.SiteUrls)."""

    def absolute(self, path_or_url: str) -> str: ...

    def link(self, url: str) -> Any: ...


@dataclass(frozen=True)
class SitePlan:
    """One site of the round: its URL rules and discovery documents."""

    name: str
    urls: SiteLinks
    feeds: Sequence[str]
    sitemap_index: str


@dataclass(frozen=True)
class Push:
    """One start document for a site's start key, with its priority."""

    site: str
    url: str
    data: str
    priority: int


@dataclass
class RoundPlan:
    documents: list[Push] = field(default_factory=list)
    #: site → (article ID, URL) to push once the store has marked them queued
    articles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    #: expired URLs that belong to no site of the cluster (left to run out again)
    orphans: list[str] = field(default_factory=list)


def document(site: str, url: str, kind: str) -> Push:
    return Push(site, url, data_for(url, meta={KIND: kind}), DOCUMENT_PRIORITY)


def article(site: str, url: str, article_id: int) -> Push:
    return Push(site, url, data_for(url, meta={ARTICLE_ID: article_id}), ARTICLE_PRIORITY)


def plan_round(sites: Sequence[SitePlan], pending: Mapping[str, Iterable[tuple[int, str]]],
               expired: Iterable[str]) -> RoundPlan:
    """What one round queues: every site's documents, its pending articles, and the expired
    URLs, each given to the site whose URL rules recognise it."""
    plan = RoundPlan()
    for site in sites:
        plan.documents += [document(site.name, site.urls.absolute(f), "feed") for f in site.feeds]
        if site.sitemap_index:
            plan.documents.append(document(site.name, site.urls.absolute(site.sitemap_index),
                                           "sitemap_index"))
        plan.articles[site.name] = list(dict.fromkeys(pending.get(site.name, ())))
    for url in dict.fromkeys(expired):
        for site in sites:
            ref = site.urls.link(url)
            if ref is not None:
                plan.articles[site.name].append((int(ref.article_id), url))
                break
        else:
            plan.orphans.append(url)
    return plan


@dataclass(frozen=True)
class RoundReport:
    documents: int
    articles: int
    expired: int
    orphans: int
    #: site → start documents + requests waiting in Redis after the round
    depth: dict[str, int]
    #: workers alive (heart-beating) at the end of the round
    workers: int = 0
    #: the round's row in the runs table
    run_id: int | None = None

    def summary(self) -> str:
        waiting = sum(self.depth.values())
        return (f"queued {self.documents} documents and {self.articles} articles "
                f"({self.expired} expired leases); {waiting} waiting in Redis; "
                f"{self.workers} live worker(s)")

    @property
    def status(self) -> str:
        """A round without a live worker fetches nothing: failed (the dead-man's switch and
        `mtwatch status` count leader rounds as the cluster's runs)."""
        return "ok" if self.workers else "failed"

    def counts(self) -> dict[str, int]:
        return {"queued_documents": self.documents, "queued_articles": self.articles,
                "expired_leases": self.expired, "workers": self.workers,
                "waiting": sum(self.depth.values())}


class Leader:
    """One leader round against the store and Redis (the adapter around ``plan_round``)."""

    def __init__(self, config: Config, store: Store, client: redis.Redis,
                 leases: Leases | None = None) -> None:
        from crawler.sites import build_site
        from pipelines.storage.leases import Leases

        self.config = config
        self.store = store
        self.client = client
        self.leases = leases or Leases(store.engine)
        self.prefix = config.cluster.key_prefix
        self.ttl = timedelta(seconds=config.cluster.lease_ttl)
        self.sites = []
        for name in config.running_sites:
            site = config.sites[name]
            self.sites.append(SitePlan(name, build_site(name, site).urls, tuple(site.feeds),
                                       site.sitemap_index))

    def run_once(self, now: datetime) -> RoundReport:
        max_failures = self.config.crawl.max_article_failures
        pending = {s.name: [(p.article_id, p.url) for p in self.store.pending_articles(
            now=now, max_failures=max_failures, site=s.name)] for s in self.sites}
        expired = [lease.url for lease in self.leases.expired(now, EXPIRED_PER_ROUND)]
        plan = plan_round(self.sites, pending, expired)
        pushes = list(plan.documents)
        articles = 0
        for site, found in plan.articles.items():
            ids = {url: article_id for article_id, url in found}
            for url in self.leases.enqueued(ids, now, self.ttl, reopen=True):
                pushes.append(article(site, url, ids[url]))
                articles += 1
        self._push(pushes)
        if plan.orphans:
            logger.warning("%d expired URLs belong to no site of the cluster (e.g. %s)",
                           len(plan.orphans), plan.orphans[0])
        report = RoundReport(len(plan.documents), articles, len(expired), len(plan.orphans),
                             self.depth(), self.live_workers(now))
        report = self._record(report, now)
        self.store.put_state(LEADER_KEY, {
            "host": socket.gethostname(), "pid": os.getpid(), "round_at": now.isoformat(),
            "documents": report.documents, "articles": report.articles,
            "expired": report.expired, "waiting": sum(report.depth.values()),
            "workers": report.workers, "run_id": report.run_id}, now=now)
        return report

    def live_workers(self, now: datetime) -> int:
        from crawler.cluster.keys import workers_prefix
        from crawler.cluster.workers import WorkerRegistry

        registry = WorkerRegistry(self.client, expiry=self.config.cluster.worker_expiry,
                                  prefix=workers_prefix(self.prefix))
        return len(registry.workers(now.timestamp()))

    def _record(self, report: RoundReport, now: datetime) -> RoundReport:
        """The round as a row of the runs table (trigger ``leader``)."""
        from dataclasses import replace

        run_id = self.store.start_run(trigger="leader", now=now,
                                      sites=[s.name for s in self.sites])
        reason = "" if report.workers else "no live worker: the cluster fetches nothing"
        self.store.finish_run(run_id, now=now, status=report.status, reason=reason,
                              stats=report.counts())
        return replace(report, run_id=run_id)

    def _push(self, pushes: Sequence[Push]) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for push in pushes:
                pipe.zadd(start_key(self.prefix, push.site), {push.data: push.priority})
            pipe.execute()

    def depth(self) -> dict[str, int]:
        with self.client.pipeline(transaction=False) as pipe:
            for site in self.sites:
                pipe.zcard(start_key(self.prefix, site.name))
                pipe.zcard(queue_key(self.prefix, site.name))
            counts = pipe.execute()
        return {site.name: int(counts[2 * i]) + int(counts[2 * i + 1])
                for i, site in enumerate(self.sites)}


def leader_round(config: Config, now: datetime) -> RoundReport | None:
    """One round as the elected leader, or None when another leader holds the run lease."""
    from crawler.cluster.worker import redis_client
    from crawler.lock import LockBusyError, RunLease
    from pipelines.storage import Store

    try:
        lease = RunLease(config.store_url)
    except LockBusyError:
        return None
    try:
        client = redis_client(config.cluster.redis_url)
        try:
            with Store(config.store_url) as store:
                return Leader(config, store, client).run_once(now)
        finally:
            client.close()
    finally:
        lease.release()


def daemon_round(config: Config) -> RunOutcome:
    """A daemon slot in a cluster: one leader round, told as a crawl outcome."""
    import time
    from datetime import UTC

    from crawler.launcher import RunOutcome

    started = time.monotonic()
    try:
        report = leader_round(config, datetime.now(UTC))
    except Exception as exc:  # the store or Redis is down: the slot failed, the daemon goes on
        logger.exception("leader round failed")
        return RunOutcome("failed", f"leader round: {exc}"[:300],
                          seconds=time.monotonic() - started)
    if report is None:
        return RunOutcome("locked", "another leader holds the store's run lease")
    return RunOutcome(report.status, f"leader: {report.summary()}", counts=report.counts(),
                      run_id=report.run_id, seconds=time.monotonic() - started)
