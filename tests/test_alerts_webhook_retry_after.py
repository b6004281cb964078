"""Retry-After from outside is bounded. A webhook receiver cannot stop delivery: an absurd
Retry-After is clamped, and any error while recording an attempt leaves the alert retryable and
the run degraded, never `ok`. The site cannot crash the crawl's bookkeeping the same way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.middlewares import retry_after_seconds
from pipelines.alerts import DeliveryError, RetryPolicy, deliver_due
from pipelines.alerts.webhook import MAX_RETRY_AFTER, retry_after
from pipelines.storage import Store, StoreError
from tests.helpers.alerts import T0, add_match
from tests.helpers.output import unsafe
from tests.helpers.webhook import Reply, WebhookReceiver
from tests.replica import FaultPlan, Replica
from tests.replica.harness import mtwatch_run, query

HUGE = ["99999999999999", "9" * 400]
POLICY = RetryPolicy(jitter=0)
CORPUS = [{"title": "Turkey and Syria agree to restore diplomatic ties", "date": "2026-06-20",
           "text": "Turkey and Syria agreed on Tuesday to restore diplomatic ties.\n\nMore."},
          # an opinion piece, so that every feed has items: only the alert can degrade the run
          {"title": "Why city gardens matter", "date": "2026-06-19", "section": "opinion",
           "text": "City gardens cool the streets in summer.\n\nThey need water."}]


@pytest.mark.parametrize("value", [*HUGE, "  99999999999999  ", "999999999"])
def test_retry_after_is_clamped(value: str) -> None:
    assert retry_after(value, now=0.0) == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", ["1e400", "\u00b2", "\u0661\u0662", "-5", "soon"])
def test_retry_after_that_is_no_number_is_ignored(value: str) -> None:
    assert retry_after(value, now=0.0) is None


def test_a_far_http_date_is_clamped_too() -> None:
    assert retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now=0.0) == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", [*HUGE, "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_the_sites_retry_after_is_clamped_the_same_way(value: str) -> None:
    assert retry_after_seconds(value.encode(), now=0.0) == MAX_RETRY_AFTER
    assert retry_after_seconds(b"\xc2\xb2", now=0.0) is None  # latin-1 "²": a digit, no number


class Throttled:
    """A channel whose receiver asks for an absurd wait."""

    channel = "webhook"

    def __init__(self, wait: float) -> None:
        self.wait = wait

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        raise DeliveryError("webhook answered HTTP 429", True, code=429, retry_after=self.wait)


@pytest.mark.parametrize("wait", [1e14, float("inf"), float("nan"), -5.0])
def test_any_retry_after_leaves_the_alert_pending(store: Store, wait: float) -> None:
    add_match(store, 1, ("webhook",))
    report = deliver_due(store, {"webhook": Throttled(wait)}, now=T0, policy=POLICY)
    [row] = store.list_alerts()
    assert (row.status, report.failed, report.undelivered) == ("pending", 1, 1)
    assert T0 < row.next_attempt_at <= T0 + POLICY.max_delay


class BrokenStore:
    """The real store, except that recording a failed attempt raises (a bug, a full disk)."""

    def __init__(self, store: Store, failures: int) -> None:
        self._store = store
        self.failures = failures

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def fail_alert(self, *args: Any, **kwargs: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("recording the attempt failed")
        self._store.fail_alert(*args, **kwargs)


@pytest.mark.parametrize("failures", [1, 99])
def test_an_error_while_recording_leaves_the_alert_retryable(store: Store,
                                                             failures: int) -> None:
    add_match(store, 1, ("webhook",))
    broken: Any = BrokenStore(store, failures)
    report = deliver_due(broken, {"webhook": Throttled(60)}, now=T0, policy=POLICY)
    assert report.undelivered == 1
    assert any("recording the attempt failed" in error for error in report.errors)
    [row] = store.list_alerts()
    if failures == 1:  # the fallback recorded it: pending, due after the usual backoff
        assert row.status == "pending"
        assert row.next_attempt_at == T0 + POLICY.delay(1)
    else:  # the store refuses every write: the claim runs out and the next pass sends it
        assert row.status == "sending"
        later = deliver_due(store, {"webhook": Throttled(60)}, now=T0 + POLICY.lease * 2,
                            policy=POLICY)
        assert later.failed == 1
        assert store.list_alerts()[0].status == "pending"


@pytest.mark.e2e
@pytest.mark.parametrize("value", HUGE, ids=["14-digits", "400-digits"])
def test_a_crawl_whose_receiver_asks_for_forever_is_degraded(tmp_path: Path, value: str) -> None:
    reply = Reply(429, {"Retry-After": value})
    with WebhookReceiver(default=reply) as receiver, \
            Replica(articles=0, seed=3, corpus=CORPUS) as replica:
        config = '[alerts.webhook]\nallow_internal = ["127.0.0.1"]\ntimeout = 5\n'
        env = {"MTWATCH_WEBHOOK_URL": receiver.url, "MTWATCH_WEBHOOK_SECRET": receiver.secret,
               "MTWATCH_ALERT_CHANNELS": "webhook"}
        first = mtwatch_run(tmp_path, replica.base_url, "--since", "2023-01-01",
                            config=_fast(config), env=env)
        second = mtwatch_run(tmp_path, replica.base_url, "--since", "2023-01-01",
                             config=_fast(config), env=env)
        alerts = [d for d in receiver.deliveries if b'"type":"mtwatch.alert"' in d.body]
        assert len(alerts) == 1  # the second run honours the (clamped) wait
    assert first.returncode == 0, first.stderr
    assert first.status == "degraded", first.summary
    assert "1 alert(s) not delivered" in first.summary["reason"]
    # the next run neither crashes nor asks again before the (clamped) time
    assert second.returncode == 0, second.stderr
    assert second.status in ("ok", "degraded"), second.summary
    for crawl in (first, second):
        assert "Traceback" not in crawl.stderr
    log = (tmp_path / "data" / "logs" / "last-run.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "OverflowError" not in log
    [(status, due, error)] = query(tmp_path, "SELECT status, next_attempt_at, last_error "
                                             "FROM alert_outbox WHERE kind = 'alert'")
    assert status == "pending"
    assert datetime.fromisoformat(due) - datetime.fromisoformat(
        query(tmp_path, "SELECT started_at FROM runs ORDER BY id LIMIT 1")[0][0]) \
        <= timedelta(hours=25)
    assert "429" in error
    assert unsafe(error) == []


def _fast(extra: str) -> str:
    from tests.helpers.launch import FAST_CONFIG

    return FAST_CONFIG + extra  # [alerts] is in FAST_CONFIG already: only sub-tables here


@pytest.mark.e2e
def test_an_article_whose_retry_after_is_forever_waits_a_day(tmp_path: Path) -> None:
    plan = FaultPlan([{"match": r"-a\d+$", "fault": "status", "status": 429,
                       "headers": {"Retry-After": HUGE[0]}}])
    with Replica(articles=0, seed=3, corpus=CORPUS, faults=plan) as replica:
        crawl = mtwatch_run(tmp_path, replica.base_url, "--since", "2023-01-01")
    assert crawl.returncode == 0, crawl.stderr
    assert crawl.status == "degraded", crawl.summary
    log = (tmp_path / "data" / "logs" / "last-run.log").read_text(encoding="utf-8")
    assert "OverflowError" not in log
    assert "Traceback" not in log
    rows = query(tmp_path, "SELECT failures, retry_at, updated_at FROM articles")
    assert len(rows) == len(CORPUS) + 1  # and the replica's ghost article
    for failures, retry_at, updated_at in rows:
        assert failures == 1  # the failure is recorded, with the asked (clamped) wait
        wait = datetime.fromisoformat(retry_at) - datetime.fromisoformat(updated_at)
        assert timedelta(hours=23) < wait <= timedelta(hours=24, minutes=1)


@pytest.mark.parametrize(("fault", "status"), [(RuntimeError("a relay bug"), "degraded"),
                                               (StoreError("database is locked"), "failed")])
def test_a_delivery_pass_that_breaks_never_leaves_the_run_ok(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fault: Exception, status: str) -> None:
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from crawler.config import load_config
    from crawler.health.verdict import judge
    from pipelines.steps import alert

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise fault

    config = load_config(env={"MTWATCH_DATA_DIR": str(tmp_path)})
    stats = MemoryStatsCollector(get_crawler())
    stats.set_value("mtwatch/sources/feed/ok", 1)
    monkeypatch.setattr(alert, "deliver_configured", broken)
    alert.AlertPipeline(config, stats).close_spider()  # no exception escapes
    assert judge(stats.get_stats(), "finished", []).status == status
